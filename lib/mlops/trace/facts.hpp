#pragma once
// What one span says about a GenAI request, under the names of the OpenTelemetry GenAI semantic
// conventions (and the deprecated names they replaced) and of OpenInference. A value the span does
// not carry stays unset: it is counted as unknown, never guessed.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/trace/otlp.hpp"

namespace mlops::trace {

// The kind of work a span records (from gen_ai.operation.name, else openinference.span.kind).
enum class SpanClass : std::uint8_t { llm, embeddings, retrieval, tool, agent, guardrail, other, none };
std::string_view to_string(SpanClass c);

// Where a time to first token came from.
enum class TtftSource : std::uint8_t { none, attribute, event };

struct SpanFacts {
  SpanClass cls = SpanClass::none;  // none: not a GenAI span (an HTTP span, a database call)
  std::string operation;            // gen_ai.operation.name, or the OpenInference kind's equivalent
  std::string model;                // response model, else request model
  std::string provider;             // gen_ai.provider.name (gen_ai.system before it)
  std::string prompt;               // gen_ai.prompt.name
  std::uint64_t start_ns = 0;
  std::uint64_t end_ns = 0;
  bool timing_ok = false;  // start and end present, end not before start
  bool error = false;      // status ERROR, or error.type set
  std::string error_type;  // error.type; "_OTHER" for an error status without one
  std::optional<std::int64_t> input_tokens, output_tokens, cached_tokens, reasoning_tokens;
  std::optional<double> cost;  // the span's own cost attribute (USD)
  std::optional<double> ttft_seconds;
  TtftSource ttft_source = TtftSource::none;
  bool has_finish_reason = false;
  bool truncated = false;       // a finish reason "length" (or OpenAI's max_tokens spelling)
  bool content_filter = false;  // a finish reason "content_filter"
  bool guardrail_triggered = false;
  std::optional<std::int64_t> documents;  // retrieved documents
  // True for agent and workflow spans: their token counts sum their children's, so they are
  // counted only in a trace that has no model call carrying tokens (no double counting).
  bool aggregate = false;
  std::string trace_id;
  std::string span_id;
};

struct ClassifyOptions {
  // A boolean (or "true") attribute that marks a triggered guardrail; no standard one exists.
  std::string guardrail_attribute;
};

// Fills `facts` from `span`; facts.cls is none for a span that records no GenAI work.
void classify(const Span& span, const ClassifyOptions& options, SpanFacts& facts);

// An evaluation result (a gen_ai.evaluation.result log record or span event).
struct EvaluationFact {
  std::string name;  // gen_ai.evaluation.name, lower-cased ("hallucination")
  std::optional<double> score;
  std::string label;
  std::string span_id;
  std::string response_id;
  std::uint64_t time_ns = 0;
};

// The evaluation a log record carries, if it is one.
std::optional<EvaluationFact> evaluation_of(const LogRecord& record);
// The evaluations recorded as events of a span.
void evaluations_of(const Span& span, std::vector<EvaluationFact>& out);

}  // namespace mlops::trace
