// Reading an evaluation's results in one streaming pass: every field round-trips, unknown keys
// are skipped, and a document that is not results (or is damaged) is bad input saying why.
#include <catch2/catch.hpp>
#include <string>

#include "mlops/llm/eval_results.hpp"

using mlops::llm::AssertResult;
using mlops::llm::CaseResult;
using mlops::llm::CaseStatus;
using mlops::llm::EvalResults;
using mlops::llm::Response;

namespace {

EvalResults full_results() {
  EvalResults r;
  r.prompt_file = "prompts/bot.prompt";
  r.prompt_name = "bot";
  r.prompt_version = "xxh3:1";
  r.golden_file = "golden.jsonl";
  r.golden_version = "xxh3:2";
  r.providers = {{"a", "[\"sh\",\"a.sh\"]"}, {"b", "b.sh"}};
  r.assertion_names = {"equals", "latency"};
  r.higher_is_better = {{"equals", true}, {"latency", false}};
  r.threshold = 0.5;
  r.interrupted = true;
  CaseResult scored;
  scored.id = "c1";
  scored.provider = "a";
  scored.tags = {"billing", "en"};
  scored.status = CaseStatus::fail;
  scored.score = 0.25;
  Response response;
  response.output = "line one\n\"quoted\" \u00e9";
  response.latency_ms = 12.5;
  response.prompt_tokens = 10;
  response.completion_tokens = 5;
  response.total_tokens = 15;
  response.cost = 0.002;
  response.retrieved_ids = std::vector<std::string>{"d1", "d2"};
  scored.response = response;
  scored.cached = true;
  scored.assertions = {AssertResult{"equals", "equals", false, 0.0, "", "expected 'x'"},
                       AssertResult{"latency", "latency", true, std::nullopt, "no latency", ""}};
  CaseResult errored;
  errored.id = "c2";
  errored.provider = "b";
  errored.status = CaseStatus::error;
  errored.error = "provider 'b' exited with status 1";
  CaseResult skipped;
  skipped.id = "c3";
  skipped.provider = "b";
  skipped.status = CaseStatus::skipped;
  skipped.error = "budget spent";
  r.cases = {scored, errored, skipped};
  return r;
}

std::string problem_of(const std::string& text) {
  auto results = EvalResults::from_json(text, "r.json");
  return results ? std::string() : results.error().message;
}

const std::string kHead = R"({"format": "mlops-eval-results/1", )";

}  // namespace

TEST_CASE("llm eval results: every field reads back as written") {
  auto written = full_results();
  auto read = EvalResults::from_json(written.dump(), "r.json");
  REQUIRE(read);
  CHECK(read->dump() == written.dump());
  REQUIRE(read->cases.size() == 3);
  CHECK(read->cases[0].response->retrieved_ids->size() == 2);
  CHECK_FALSE(read->cases[0].assertions[1].score);
  CHECK_FALSE(read->cases[1].response);
  CHECK(read->higher_is_better.at("latency") == false);
}

TEST_CASE("llm eval results: unknown keys are skipped, whatever their values") {
  auto read = EvalResults::from_json(
      kHead + R"("extra": {"a": [1, {"b": null}]}, "cases": [{"id": "c1", "provider": "p", "status": "pass",
        "new": [[1], {"x": "y"}], "assertions": [{"name": "equals", "pass": true, "score": 1, "why": {}}]}]})",
      "r.json");
  REQUIRE(read);
  REQUIRE(read->cases.size() == 1);
  CHECK(read->cases[0].status == CaseStatus::pass);
  CHECK(read->cases[0].assertions[0].score == 1.0);
}

TEST_CASE("llm eval results: documents that are not results are bad input saying why") {
  const std::string prefix = "'r.json' is not the results of an evaluation: ";
  CHECK(problem_of("") == prefix + "not a JSON object");
  CHECK(problem_of("[1, 2]") == prefix + "not a JSON object");
  CHECK(problem_of("{\"format\": \"mlops-eval-results/1\", \"cases\": [") == prefix + "not valid JSON (at byte 46)");
  CHECK(problem_of(R"({"cases": []})") == prefix + "no \"format\": \"mlops-eval-results/1\"");
  CHECK(problem_of(R"({"prompt": 3, "format": "other"})") == prefix + "no \"format\": \"mlops-eval-results/1\"");
  CHECK(problem_of(R"({"format": "mlops-eval-results/1"})") == prefix + "no \"cases\"");
  CHECK(problem_of(kHead + R"("cases": {}})") == prefix + "\"cases\" is not an array");
  CHECK(problem_of(kHead + R"("cases": [3]})") == prefix + "an item of \"cases\" is not an object");
  CHECK(problem_of(kHead + R"("cases": [{"id": "c1", "provider": "p", "status": "pass"}]})") ==
        prefix + "case 1 has no \"assertions\"");
  CHECK(problem_of(kHead + R"("cases": [{"id": "c1", "provider": "p", "status": "maybe", "assertions": []}]})") ==
        prefix + "case 'c1' has an unknown status");
  CHECK(problem_of(kHead + R"("cases": [{"id": "c1", "score": "high"}]})") ==
        prefix + "case 'c1': \"score\" is not a number");
  CHECK(problem_of(kHead + R"("cases": [{"id": "c1", "tags": ["a", 2]}]})") ==
        prefix + "case 'c1': an item of \"tags\" is not a string");
  CHECK(problem_of(kHead + R"("cases": [{"id": "c1", "assertions": [{"pass": true}]}]})") ==
        prefix + "an assertion of case 'c1' has no \"name\"");
  CHECK(problem_of(kHead + R"("providers": {"a": ["sh"]}, "cases": []})") == prefix + "\"a\" is not a string");
}
