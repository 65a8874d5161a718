#include "mlops/llm/golden.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using mlops::llm::check_golden;
using mlops::llm::find_personal_data;
using mlops::llm::GoldenCheckOptions;
using mlops::llm::GoldenReport;
using mlops::llm::GoldenSeverity;
using mlops::llm::luhn_valid;
using mlops::llm::read_golden;

namespace {

struct GoldenDir {
  std::filesystem::path path;
  GoldenDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mlops-golden-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~GoldenDir() { std::filesystem::remove_all(path); }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

std::vector<std::string> codes(const GoldenReport& report) {
  std::vector<std::string> result;
  for (const auto& f : report.findings) result.push_back(f.code + "@" + std::to_string(f.line));
  return result;
}

}  // namespace

TEST_CASE("llm golden: a clean golden set has no findings and reads every case") {
  GoldenDir dir;
  dir.write("answer.json", R"({"type": "object", "required": ["answer"]})");
  auto file = dir.write(
      "g.jsonl",
      R"({"id": "a", "input": {"q": "hi"}, "expected": {"output": "hello", "contains": ["he"]}, "tags": ["x"]})"
      "\n\n"
      R"({"id": "b", "input": {"q": "bye"}, "expected": {"schema": "answer.json", "retrieved_ids": ["d1"]}})"
      "\n");
  auto report = check_golden(file);
  REQUIRE(report);
  CHECK(report->findings.empty());
  CHECK(report->cases == 2);
  auto set = read_golden(file);
  REQUIRE(set);
  REQUIRE(set->cases.size() == 2);
  CHECK(set->cases[0].tags == std::vector<std::string>{"x"});
  CHECK(set->cases[1].line == 3);
  CHECK(set->cases[1].schema["required"][0] == "answer");
}

TEST_CASE("llm golden: every problem is found with its code and line") {
  GoldenDir dir;
  auto file = dir.write("g.jsonl",
                        "{\"id\": \"a\", \"input\": {\"q\": 1}}\n"         // 1 ok
                        "{\"id\": \"a\", \"input\": {\"q\": 2}}\n"         // 2 duplicate id
                        "{not json}\n"                                     // 3
                        "[1, 2]\n"                                         // 4 not an object
                        "{\"input\": {}}\n"                                // 5 no id
                        "{\"id\": \"c\", \"input\": {}, \"colour\": 1}\n"  // 6 unknown key
                        "{\"id\": \"d\", \"input\": \"text\"}\n"           // 7 input not an object
                        "{\"id\": \"e\", \"input\": {\"q\": 1}}\n"         // 8 duplicate input
                        "{\"id\": \"f\", \"input\": {}, \"expected\": {\"schema\": \"missing.json\"}}\n"  // 9
                        "{\"id\": \"g\", \"input\": {}, \"expected\": {\"contains\": \"x\"}}\n"           // 10
                        "{\"id\": \"h\", \"input\": {\"m\": \"write to jane.doe@example.com\"}}\n"        // 11 email
                        "{\"id\": \"i\", \"input\": {\"m\": \"card 4111 1111 1111 1111 ok\"}}\n"          // 12 card
                        "{\"id\": \"j\", \"input\": {\"m\": \"order 4111 1111 1111 1112\"}}\n"            // 13 not Luhn
                        "{\"id\": \"k\", \"input\": {\"m\": \"\xff\"}}\n");  // 14 bad UTF-8
  auto report = check_golden(file);
  REQUIRE(report);
  CHECK(codes(*report) == std::vector<std::string>{"G004@2", "G002@3", "G002@4", "G003@5", "G005@6", "G006@7", "G008@8",
                                                   "G007@9", "G006@10", "G009@11", "G009@12", "G001@14"});
  CHECK(report->count(GoldenSeverity::warning) == 1);
  CHECK(report->findings[0].message == "duplicate id 'a' (first on line 1)");
  CHECK(report->findings[9].message.find("jane.doe@example.com") != std::string::npos);

  GoldenCheckOptions allow;
  allow.allow_personal_data = true;
  auto allowed = check_golden(file, allow);
  REQUIRE(allowed);
  for (const auto& f : allowed->findings) CHECK(f.code != "G009");

  auto read = read_golden(file);
  REQUIRE_FALSE(read);
  CHECK(read.error().exit == mlops::Exit::bad_input);
  CHECK(read.error().message.find("g.jsonl:2") != std::string::npos);
  CHECK(read.error().hint.find("mlops eval check") != std::string::npos);
}

TEST_CASE("llm golden: an empty golden set is an error, and a BOM is reported") {
  GoldenDir dir;
  auto empty = check_golden(dir.write("empty.jsonl", "\n\n"));
  REQUIRE(empty);
  CHECK(codes(*empty) == std::vector<std::string>{"G010@1"});  // line 1: no tool takes a line 0
  CHECK_FALSE(read_golden(dir.path / "empty.jsonl"));
  auto bom = check_golden(dir.write("bom.jsonl", "\xEF\xBB\xBF{\"id\": \"a\", \"input\": {}}\n"));
  REQUIRE(bom);
  CHECK(codes(*bom) == std::vector<std::string>{"G001@1"});
  auto missing = check_golden(dir.path / "nope.jsonl");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == mlops::Exit::bad_input);
  CHECK(missing.error().hint.find("JSONL") != std::string::npos);
}

TEST_CASE("llm golden: personal data detection") {
  CHECK(luhn_valid("4111111111111111"));
  CHECK(luhn_valid("79927398713"));  // the Luhn algorithm's textbook example
  CHECK_FALSE(luhn_valid("79927398710"));
  CHECK(find_personal_data("mail bob@mail.co.uk please").value() == "an email address 'bob@mail.co.uk'");
  CHECK(find_personal_data("pay with 5500-0000-0000-0004.").value() == "a card number '5500********0004'");
  CHECK_FALSE(find_personal_data("version 1.2.3, user @handle, a@b"));
  CHECK_FALSE(find_personal_data("order 1234567890123 is late"));  // 13 digits that fail Luhn
  CHECK_FALSE(find_personal_data("id abc4111111111111111"));       // part of a word
}

TEST_CASE("llm golden: candidate cases are checked but not evaluated until active") {
  GoldenDir dir;
  auto file = dir.write("g.jsonl",
                        "{\"id\": \"a\", \"input\": {\"q\": \"hi\"}}\n"
                        "{\"id\": \"b\", \"input\": {\"q\": \"ho\"}, \"status\": \"candidate\"}\n"
                        "{\"id\": \"c\", \"input\": {\"q\": \"hu\"}, \"status\": \"active\"}\n");
  auto report = check_golden(file);
  REQUIRE(report);
  CHECK(report->cases == 3);
  CHECK(report->candidates == 1);
  CHECK(report->findings.empty());
  auto set = read_golden(file);
  REQUIRE(set);
  REQUIRE(set->cases.size() == 2);
  CHECK(set->cases[1].id == "c");
  CHECK(set->candidates == 1);
  auto only = dir.write("only.jsonl", "{\"id\": \"b\", \"input\": {}, \"status\": \"candidate\"}\n");
  auto refused = read_golden(only);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("has only candidate cases (1)") != std::string::npos);
  auto bad = check_golden(dir.write("bad.jsonl", "{\"id\": \"b\", \"input\": {}, \"status\": \"maybe\"}\n"));
  REQUIRE(bad);
  CHECK(codes(*bad) == std::vector<std::string>{"G006@1"});
}
