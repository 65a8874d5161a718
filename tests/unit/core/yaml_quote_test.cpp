#include "mlops/core/yaml_quote.hpp"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace mlops;

TEST_CASE("yaml quoting: names and paths that read back as themselves stay plain") {
  for (std::string_view text : {"images", "data/train.csv", "model.pkl", ".env", ".gitignore", "._foo", "_x", "/abs/path",
                                "a-b.c", "v1.0", "Yesterday", "nothing", "infinity", "x1e5"}) {
    CAPTURE(text);
    CHECK(yaml_plain_safe(text));
    CHECK(yaml_scalar(text) == text);
  }
}

TEST_CASE("yaml quoting: what a reader would take for another type is double-quoted") {
  // Booleans and null of YAML 1.1 (PyYAML) and 1.2, in any case; special floats; numbers.
  for (std::string_view text : {"", "true", "True", "FALSE", "yes", "No", "on", "OFF", "y", "N", "null", "Null",
                                "nan", "inf", ".inf", ".NaN", "123", "1.5", "0x1f", "2024-01-01", ".5", "._", "._1",
                                ".1e-3", ".", "..", "..x", "-x", "+1", "~"}) {
    CAPTURE(text);
    CHECK_FALSE(yaml_plain_safe(text));
    CHECK(yaml_scalar(text) == "\"" + std::string(text) + "\"");
  }
}

TEST_CASE("yaml quoting: YAML's indicators, spaces and other bytes are double-quoted") {
  CHECK(yaml_scalar("a b") == "\"a b\"");
  CHECK(yaml_scalar("a: b") == "\"a: b\"");
  CHECK(yaml_scalar("#x") == "\"#x\"");
  CHECK(yaml_scalar("it's") == "\"it's\"");
  CHECK(yaml_scalar("[x]") == "\"[x]\"");
  CHECK(yaml_scalar("caf\xc3\xa9") == "\"caf\xc3\xa9\"");  // UTF-8 as it is
}

TEST_CASE("yaml quoting: escapes inside double quotes") {
  CHECK(yaml_double_quoted("say \"hi\"") == R"("say \"hi\"")");
  CHECK(yaml_double_quoted("a\\b") == R"("a\\b")");
  CHECK(yaml_double_quoted("a\nb\tc\rd") == R"("a\nb\tc\rd")");
  CHECK(yaml_double_quoted(std::string_view("\x01\x1f\x7f", 3)) == R"("\x01\x1f\x7f")");
  CHECK(yaml_double_quoted(std::string_view("a\0b", 3)) == R"("a\x00b")");
  CHECK(yaml_double_quoted("images") == "\"images\"");
}

TEST_CASE("yaml quoting: every scalar reads back as the same string, in block and flow context") {
  std::vector<std::string> texts = {"images", "", "true", "123", ".5", "a: b", "a #b", "- x", "? x", "{x}", "x, y",
                                    "'single'", "\"double\"", "back\\slash", "tab\there", "new\nline", " lead",
                                    "trail ", "%x", "@x", "`x", "!x", "&x", "*x", "|x", ">x", "caf\xc3\xa9",
                                    "bell\x07"};
  for (const auto& text : texts) {
    CAPTURE(text);
    YAML::Node block = YAML::Load("key: " + yaml_scalar(text) + "\n");
    CHECK(block["key"].as<std::string>() == text);
    YAML::Node flow = YAML::Load("[" + yaml_scalar(text) + ", next]");
    REQUIRE(flow.size() == 2);
    CHECK(flow[0].as<std::string>() == text);
  }
}
