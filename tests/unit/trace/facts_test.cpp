// Span classification and attribute names: current, deprecated, OpenInference.
#include "mlops/trace/facts.hpp"

#include <catch2/catch.hpp>

#include "mlops/trace/collect.hpp"
#include "mlops/trace/prices.hpp"

using namespace mlops::trace;

namespace {

Span with(std::vector<Attribute> attributes) {
  Span s;
  s.start_ns = 1000;
  s.end_ns = 2000;
  s.attributes.items = std::move(attributes);
  return s;
}

Attribute str(std::string_view k, std::string_view v) {
  Attribute a;
  a.key = k;
  a.value.type = ValueType::string;
  a.value.text = v;
  return a;
}

Attribute num(std::string_view k, std::int64_t v) {
  Attribute a;
  a.key = k;
  a.value.type = ValueType::integer;
  a.value.integer = v;
  return a;
}

}  // namespace

TEST_CASE("spans are classified by operation name, then OpenInference kind", "[trace]") {
  SpanFacts f;
  classify(with({str("gen_ai.operation.name", "generate_content")}), {}, f);
  CHECK(f.cls == SpanClass::llm);
  classify(with({str("gen_ai.operation.name", "execute_tool")}), {}, f);
  CHECK(f.cls == SpanClass::tool);
  classify(with({str("openinference.span.kind", "RETRIEVER")}), {}, f);
  CHECK(f.cls == SpanClass::retrieval);
  CHECK(f.operation == "retrieval");
  classify(with({str("openinference.span.kind", "GUARDRAIL")}), {}, f);
  CHECK(f.cls == SpanClass::guardrail);
  classify(with({str("gen_ai.system", "openai")}), {}, f);  // before gen_ai.operation.name existed
  CHECK(f.cls == SpanClass::llm);
  CHECK(f.provider == "openai");
  classify(with({str("http.request.method", "GET")}), {}, f);
  CHECK(f.cls == SpanClass::none);
}

TEST_CASE("deprecated token names count, and a missing count stays unknown", "[trace]") {
  SpanFacts f;
  classify(with({str("gen_ai.operation.name", "chat"), num("gen_ai.usage.prompt_tokens", 7),
                 num("gen_ai.usage.completion_tokens", 3)}),
           {}, f);
  CHECK(f.input_tokens == 7);
  CHECK(f.output_tokens == 3);
  CHECK_FALSE(f.cached_tokens);
  classify(with({str("gen_ai.operation.name", "chat")}), {}, f);
  CHECK_FALSE(f.input_tokens);
  CHECK_FALSE(f.error);
  ClassifyOptions options;
  options.guardrail_attribute = "app.guardrail.blocked";
  Attribute blocked;
  blocked.key = "app.guardrail.blocked";
  blocked.value.type = ValueType::boolean;
  blocked.value.boolean = true;
  classify(with({str("gen_ai.operation.name", "chat"), blocked}), options, f);
  CHECK(f.guardrail_triggered);
}

TEST_CASE("a guardrail span that blocked is a trigger, not an error", "[trace]") {
  SpanFacts f;
  Span blocked = with({str("openinference.span.kind", "GUARDRAIL")});
  blocked.status = StatusCode::error;
  classify(blocked, {}, f);
  CHECK(f.guardrail_triggered);
  CHECK_FALSE(f.error);
  CHECK(f.error_type.empty());
  // error.type says the check itself failed: that is an error too.
  Span failed = with({str("openinference.span.kind", "GUARDRAIL"), str("error.type", "timeout")});
  failed.status = StatusCode::error;
  classify(failed, {}, f);
  CHECK(f.guardrail_triggered);
  CHECK(f.error);
  CHECK(f.error_type == "timeout");
  // Any other span with an ERROR status is an error.
  Span chat = with({str("gen_ai.operation.name", "chat")});
  chat.status = StatusCode::error;
  classify(chat, {}, f);
  CHECK(f.error);
  CHECK_FALSE(f.guardrail_triggered);
}

TEST_CASE("prices match the longest model name followed by a dash", "[trace]") {
  auto table = PriceTable::parse(
      "models:\n  gpt-4o: {input: 2.5, output: 10}\n  gpt-4o-mini: {input: 0.15, output: 0.6}\n", "p");
  REQUIRE(table);
  CHECK(table->find("gpt-4o-mini-2024-07-18")->input == 0.15);
  CHECK(table->find("gpt-4o-2024-08-06")->input == 2.5);
  CHECK(table->find("gpt-4") == nullptr);
  CHECK(PriceTable::cost(*table->find("gpt-4o"), 1000000, 0, 1000000) == 12.5);
  auto euro = PriceTable::parse("currency: EUR\nmodels: {a: {input: 1}}\n", "p");
  REQUIRE_FALSE(euro);
}
