#include "mlops/llm/prompt_vars.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

// Inside the namespace: the unit tests compile in unity batches, where a using-directive would leak.
namespace mlops::llm {

TEST_CASE("--var NAME=VALUE sets strings, dotted names make objects") {
  nlohmann::json vars = {{"a", 1}, {"user", "flat"}};
  REQUIRE(apply_var_assignments(vars, {"q=Where is it?", "user.name=Ada", "user.tier=", "eq=a=b"}));
  CHECK(vars["q"] == "Where is it?");
  CHECK(vars["user"]["name"] == "Ada");
  CHECK(vars["user"]["tier"] == "");
  CHECK(vars["eq"] == "a=b");
  CHECK(vars["a"] == 1);
  for (std::string bad : {"novalue", "=x", "a..b=1", "1a=x", "a-b=x", ".a=1"}) {
    INFO(bad);
    auto result = apply_var_assignments(vars, {bad});
    REQUIRE_FALSE(result);
    CHECK(result.error().exit == Exit::bad_input);
    CHECK(result.error().message == "'--var " + bad + "' is not NAME=VALUE");
  }
}

TEST_CASE("--vars FILE reads a JSON or YAML object") {
  auto dir = std::filesystem::temp_directory_path() / "mlops_prompt_vars_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "v.json") << R"({"q": "x", "n": 2, "list": [1, "a"]})";
  std::ofstream(dir / "v.yaml") << "q: x\nn: 2\nquoted: \"2\"\nflag: true\n";
  std::ofstream(dir / "bad.json") << "{\n\"q\": \n";
  std::ofstream(dir / "list.json") << "[1]";
  std::ofstream(dir / "bad.yml") << "q: [\n";

  auto json = load_vars_file(dir / "v.json");
  REQUIRE(json);
  CHECK((*json)["n"] == 2);
  CHECK((*json)["list"][1] == "a");
  auto yaml = load_vars_file(dir / "v.yaml");
  REQUIRE(yaml);
  CHECK((*yaml)["n"] == 2);
  CHECK((*yaml)["quoted"] == "2");
  CHECK((*yaml)["flag"] == true);
  CHECK(load_vars_file(dir / "bad.json").error().message.ends_with("bad.json' line 3: malformed JSON"));
  CHECK(load_vars_file(dir / "list.json").error().message.ends_with("list.json' is not an object of variables"));
  CHECK(load_vars_file(dir / "bad.yml").error().message.find("bad.yml' line 2: malformed YAML") != std::string::npos);
  CHECK(load_vars_file(dir / "missing.json").error().exit == Exit::bad_input);
  std::filesystem::remove_all(dir);
}

}  // namespace mlops::llm
