// JSON Schema verdicts: tests/unit/llm/reference/schema_reference.py (python3-jsonschema's
// Draft7Validator) decided each row of kSchemaReferences.
#include "mlops/llm/assert.hpp"

#include <catch2/catch.hpp>

#include "mlops/llm/assert_schema.hpp"

using mlops::llm::AssertInput;
using mlops::llm::Assertion;
using mlops::llm::AssertResult;
using mlops::llm::evaluate;
using mlops::llm::GoldenCase;
using mlops::llm::parse_assertion;
using mlops::llm::schema_violation;
using mlops::llm::unsupported_schema;
using json = nlohmann::json;

namespace {

struct SchemaReference {
  bool valid;
  const char* schema;
  const char* instance;
};

const SchemaReference kSchemaReferences[] = {
    {true,
     R"({"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string", "minLength": 2}}})",
     R"({"answer": "ok"})"},
    {false,
     R"({"type": "object", "required": ["answer"], "properties": {"answer": {"type": "string", "minLength": 2}}})",
     R"({"answer": "o"})"},
    {false, R"({"type": "object", "required": ["answer"]})", R"({"other": 1})"},
    {false, R"({"type": "object", "additionalProperties": false, "properties": {"a": {}}})", R"({"a": 1, "b": 2})"},
    {true, R"({"type": "object", "additionalProperties": {"type": "integer"}})", R"({"a": 1, "b": 2.0})"},
    {false, R"({"type": "object", "additionalProperties": {"type": "integer"}})", R"({"a": 1, "b": 2.5})"},
    {true, R"({"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1, "maxItems": 2, "uniqueItems": true})",
     R"(["x", "y"])"},
    {false, R"({"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1, "maxItems": 2, "uniqueItems": true})",
     R"(["x", "x"])"},
    {false, R"({"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1})", R"([])"},
    {false, R"({"type": "number", "minimum": 0, "exclusiveMaximum": 1})", R"(1)"},
    {true, R"({"type": "number", "minimum": 0, "exclusiveMaximum": 1})", R"(0)"},
    {true, R"({"type": "integer", "multipleOf": 5})", R"(15)"},
    {false, R"({"type": "integer", "multipleOf": 5})", R"(12)"},
    {true, R"({"type": ["string", "null"]})", R"(null)"},
    {false, R"({"type": ["string", "null"]})", R"(3)"},
    {true, R"({"const": {"a": [1, 2]}})", R"({"a": [1.0, 2]})"},
    {false, R"({"anyOf": [{"type": "string"}, {"type": "number"}]})", R"(true)"},
    {false, R"({"oneOf": [{"type": "number"}, {"type": "integer"}]})", R"(3)"},
    {true, R"({"oneOf": [{"type": "number"}, {"type": "integer"}]})", R"(3.5)"},
    {false, R"({"allOf": [{"minLength": 1}, {"maxLength": 3}]})", R"("abcd")"},
    {false, R"({"not": {"type": "string"}})", R"("s")"},
    {true, R"({"type": "string", "pattern": "^[A-Z]{2}-[0-9]+$"})", R"("AB-12")"},
    {false, R"({"type": "string", "pattern": "^[A-Z]{2}-[0-9]+$"})", R"("ab-12")"},
    {true, R"({"type": "string", "maxLength": 3})", R"("h\u00e9\u00e9")"},
    {false, R"({"minProperties": 2})", R"({"a": 1})"},
    {false, R"(false)", R"(1)"},
    {false, R"({"properties": {"n": {"type": "object", "properties": {"m": {"type": "boolean"}}}}})",
     R"({"n": {"m": "no"}})"},
};

Assertion make_assertion(const json& spec) {
  auto parsed = parse_assertion(spec, ".");
  if (!parsed) FAIL(parsed.error().message);
  return *parsed;
}

GoldenCase assert_case() {
  GoldenCase c;
  c.id = "c1";
  c.input = json::object();
  c.expected = json{{"output", "Refunds take five business days."},
                    {"contains", {"refund", "five"}},
                    {"retrieved_ids", {"kb-2", "kb-9"}}};
  return c;
}

AssertResult run(const json& spec, std::string_view output, const GoldenCase* golden = nullptr, double latency = 10,
                 std::optional<double> cost = std::nullopt,
                 std::optional<std::vector<std::string>> ids = std::nullopt) {
  AssertInput in;
  in.output = output;
  in.golden = golden;
  in.provider = "p";
  in.latency_ms = latency;
  in.cost = cost;
  in.retrieved_ids = std::move(ids);
  return evaluate(make_assertion(spec), in);
}

}  // namespace

TEST_CASE("llm assert: the JSON Schema subset agrees with jsonschema's Draft7Validator") {
  for (const auto& ref : kSchemaReferences) {
    auto schema = json::parse(ref.schema);
    auto instance = json::parse(ref.instance);
    INFO(ref.schema << " on " << ref.instance);
    REQUIRE_FALSE(unsupported_schema(schema));
    CHECK(!schema_violation(schema, instance).has_value() == ref.valid);
  }
}

TEST_CASE("llm assert: keywords outside the subset are refused, never skipped") {
  CHECK(unsupported_schema(json::parse(R"({"properties": {"a": {"format": "email"}}})")).value() ==
        "/properties/a/format: keyword 'format' is not in the supported subset of JSON Schema (docs/eval.md)");
  CHECK(unsupported_schema(json::parse(R"({"$ref": "#/definitions/a"})")).has_value());
  CHECK(unsupported_schema(json::parse(R"({"type": "text"})")).has_value());
  CHECK_FALSE(
      unsupported_schema(json::parse(R"({"$schema": "http://json-schema.org/draft-07/schema#", "title": "t"})")));
  CHECK(schema_violation(json::parse(R"({"required": ["a"]})"), json::parse("{}")).value() ==
        "/: required property 'a' is missing");
}

TEST_CASE("llm assert: text assertions take their value from the case's expected fields") {
  auto c = assert_case();
  CHECK(run({{"type", "equals"}}, "Refunds take five business days.", &c).passed);
  CHECK_FALSE(run({{"type", "equals"}}, "refunds take five business days.", &c).passed);
  CHECK(run({{"type", "icontains-all"}}, "REFUNDS in FIVE days", &c).passed);
  auto lacks = run({{"type", "contains-all"}}, "Refunds in five days", &c);
  CHECK_FALSE(lacks.passed);
  CHECK(lacks.message == "the output lacks 'refund'");
  CHECK(run({{"type", "contains-any"}}, "five", &c).passed);
  CHECK(run({{"type", "contains"}, {"value", "take"}}, "we take it").passed);
  CHECK(run({{"type", "not-contains"}, {"value", "sorry"}}, "all good").passed);
  CHECK_FALSE(run({{"type", "not-icontains"}, {"value", "SORRY"}}, "sorry!").passed);
  CHECK(run({{"type", "starts-with"}, {"value", "Hi"}}, "Hi there").passed);
  CHECK(run({{"type", "regex"}, {"value", "\\b[0-9]+ days"}}, "in 5 days").passed);
  CHECK_FALSE(run({{"type", "regex"}, {"value", "^x"}}, "abc").passed);
  CHECK(run({{"type", "is-json"}}, R"({"a": 1})").passed);
  CHECK_FALSE(run({{"type", "is-json"}}, "{a: 1}").passed);
  CHECK(run({{"type", "length"}, {"min", 2}, {"max", 4}}, "héé").passed);  // 3 code points
  CHECK_FALSE(run({{"type", "length"}, {"max", 2}}, "héé").passed);
  auto no_expected = run({{"type", "equals"}}, "x");
  CHECK_FALSE(no_expected.passed);
  CHECK(no_expected.error.find("has no value") != std::string::npos);
}

TEST_CASE("llm assert: a failed equals shows what was expected and what came, cut around the difference") {
  auto c = assert_case();
  CHECK(run({{"type", "equals"}}, "refunds take\nfive days", &c).message ==
        "the output differs from the expected output: expected 'Refunds take five business days.', got 'refunds "
        "take\\nfive days'");
  std::string head(100, 'a');
  auto long_diff = run({{"type", "equals"}, {"value", head + "XYZ" + std::string(100, 'b')}}, head + "xyz");
  CHECK(long_diff.message == "the output differs from the expected output from character 101 on: expected '..." +
                                 std::string(20, 'a') + "XYZ" + std::string(37, 'b') +
                                 "...' (203 characters), got '..." + std::string(20, 'a') + "xyz' (103 characters)");
  // A cut never splits a UTF-8 character.
  std::string accents;
  for (int i = 0; i < 40; ++i) accents += "\xC3\xA9";
  auto utf8 = run({{"type", "equals"}, {"value", accents + "!"}}, accents + "?");
  CHECK(nlohmann::json(utf8.message).dump().size() > 0);
  CHECK(utf8.message.find("from character 41 on") != std::string::npos);
  auto negated = run({{"type", "not-equals"}, {"value", "same"}}, "same");
  CHECK(negated.message == "expected the opposite of: the output equals the expected output 'same'");
  // Scores in messages are rounded for people.
  CHECK(run({{"type", "rouge-l"}, {"value", "the cat is on the mat"}, {"threshold", 0.9}}, "the cat sat on the mat")
            .message == "rouge_l 0.8333 is below 0.9");
}

TEST_CASE("llm assert: scored assertions pass at their threshold, with documented defaults") {
  auto c = assert_case();
  auto rouge = run({{"type", "rouge-l"}, {"value", "the cat is on the mat"}}, "the cat sat on the mat");
  CHECK(rouge.passed);  // 0.8333 >= 0.5 (the default)
  CHECK(rouge.score.value() == Approx(0.833333333333));
  CHECK_FALSE(
      run({{"type", "rouge-l"}, {"value", "the cat is on the mat"}, {"threshold", 0.9}}, "the cat sat on the mat")
          .passed);
  CHECK(run({{"type", "levenshtein"}, {"value", "kitten"}, {"threshold", 3}}, "sitting").passed);
  CHECK_FALSE(run({{"type", "levenshtein"}, {"value", "kitten"}}, "sitting").passed);  // default 0
  CHECK(run({{"type", "latency"}, {"threshold", 50}}, "x", nullptr, 20).passed);
  CHECK_FALSE(run({{"type", "latency"}, {"threshold", 50}}, "x", nullptr, 80).passed);
  CHECK(run({{"type", "cost"}, {"threshold", 0.01}}, "x", nullptr, 1, 0.002).passed);
  CHECK(run({{"type", "cost"}, {"threshold", 0.01}}, "x").error == "the provider reported no cost");
  auto hit = run({{"type", "hit-rate"}, {"k", 1}}, "x", &c, 1, std::nullopt, std::vector<std::string>{"kb-9", "kb-1"});
  CHECK(hit.passed);
  auto mrr = run({{"type", "mrr"}}, "x", &c, 1, std::nullopt, std::vector<std::string>{"kb-1", "kb-9"});
  CHECK(mrr.score.value() == 0.5);
  CHECK(run({{"type", "ndcg"}}, "x", &c).error == "the provider returned no retrieved_ids");
  CHECK(run({{"type", "exact-match"}}, "refunds take five business days", &c).passed);
  CHECK(run({{"type", "token-f1"}, {"threshold", 0.99}}, "refunds take five business days", &c).passed);
  CHECK(run({{"type", "bleu"}, {"value", "identical text here"}}, "identical text here").score.value() ==
        Approx(0.840896415254));
}

TEST_CASE("llm assert: a command scorer must say pass, or the assertion is an error") {
  auto c = assert_case();
  auto pass = run({{"type", "command"}, {"command", R"(read line; echo '{"pass": true, "score": 0.7}')"}}, "x", &c);
  CHECK(pass.passed);
  CHECK(pass.score.value() == 0.7);
  auto sees = run({{"type", "command"}, {"command", R"(grep -q '"id":"c1"' && echo '{"pass": true}')"}}, "x", &c);
  CHECK(sees.passed);
  auto silent = run({{"type", "command"}, {"command", R"(cat >/dev/null; echo '{"score": 1}')"}}, "x", &c);
  CHECK_FALSE(silent.passed);
  CHECK(silent.error == "scorer's JSON has no boolean 'pass'");
  auto failed = run({{"type", "command"}, {"command", "cat >/dev/null; echo oops >&2; exit 3"}}, "x", &c);
  CHECK_FALSE(failed.passed);
  CHECK(failed.error == "scorer exited with 3; its stderr ends: oops");
  auto slow = run({{"type", "command"}, {"command", "sleep 5"}, {"timeout", "200ms"}}, "x", &c);
  CHECK(slow.error == "scorer timed out after 200 ms");
}

TEST_CASE("llm assert: malformed assertions are refused with a reason") {
  auto error_of = [](const json& spec) {
    auto parsed = parse_assertion(spec, ".");
    return parsed ? std::string() : parsed.error().message;
  };
  CHECK(error_of({{"type", "similar"}}) == "unknown assertion type 'similar'");
  CHECK(error_of({{"type", "equals"}, {"treshold", 1}}) == "unknown assertion key 'treshold'");
  CHECK(error_of({{"type", "latency"}}) == "'latency' needs a threshold (the most milliseconds allowed)");
  CHECK(error_of({{"type", "not-latency"}, {"threshold", 1}}) ==
        "'not-latency' cannot be negated: give a threshold instead");
  CHECK(error_of({{"type", "regex"}, {"value", "("}}) == "'(' is not a valid regular expression");
  CHECK(error_of({{"type", "contains"}, {"threshold", 1}}) == "'contains' takes no threshold: it passes or fails");
  CHECK(error_of({{"type", "length"}}) == "'length' needs min, max or both");
  CHECK(error_of({{"type", "json-schema"}, {"value", {{"format", "x"}}}}).starts_with("schema: /format"));
  CHECK(make_assertion({{"type", "not-rouge-l"}}).name == "not_rouge_l");
}
