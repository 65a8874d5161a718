// "Did you mean" in eval.yaml (eval_config.cpp) and in its assertions (assert.cpp): a mistyped top
// key or assertion type names the nearest valid one before the list of all of them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "mlops/llm/assert.hpp"
#include "mlops/llm/eval_config.hpp"

namespace mlops::llm {

TEST_CASE("eval.yaml: a mistyped key or assertion type gets the nearest one") {
  auto config = parse_eval_config("prompt: p.prompt\ngolden: g.jsonl\nasserts: []\n", "eval.yaml");
  REQUIRE_FALSE(config);
  CHECK(config.error().message.find("unknown key 'asserts'") != std::string::npos);
  CHECK(config.error().hint.starts_with("did you mean 'assert'? eval.yaml takes"));
  auto far = parse_eval_config("prompt: p.prompt\ngolden: g.jsonl\nscoring: []\n", "eval.yaml");
  REQUIRE_FALSE(far);
  CHECK(far.error().hint.starts_with("eval.yaml takes"));

  auto equal = parse_assertion(nlohmann::json{{"type", "equal"}}, ".");
  REQUIRE_FALSE(equal);
  CHECK(equal.error().message == "unknown assertion type 'equal'");
  CHECK(equal.error().hint.starts_with("did you mean 'equals'? known types: "));
  auto negated = parse_assertion(nlohmann::json{{"type", "not-contain"}}, ".");
  REQUIRE_FALSE(negated);
  CHECK(negated.error().hint.starts_with("did you mean 'not-contains'? "));
  auto unknown = parse_assertion(nlohmann::json{{"type", "sentiment"}}, ".");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().hint.starts_with("known types: "));
}

}  // namespace mlops::llm
