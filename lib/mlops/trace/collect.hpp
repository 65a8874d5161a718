#pragma once
// One pass over trace and log exports that keeps, per GenAI span, a compact sample (times, labels,
// tokens, cost, flags) and, per evaluation result, its score and the labels of the span it
// evaluated. `trace stats` summarises the samples; `monitor` evaluates its rules over windows of them.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/trace/facts.hpp"
#include "mlops/trace/feedback.hpp"
#include "mlops/trace/prices.hpp"
#include "mlops/trace/read.hpp"

namespace mlops::trace {

// The labels of a sample, as rules match them and as --group-by groups them.
struct Labels {
  std::string operation;
  std::string model;
  std::string provider;
  std::string prompt;
  std::string kind;  // the span class: llm, embeddings, retrieval, tool, agent, guardrail, other
  auto operator<=>(const Labels&) const = default;
  // The value of a label by name ("operation", "model", ...); nullptr for an unknown name.
  const std::string* get(std::string_view name) const;
};
// The label names, in the order --group-by and the series know them.
inline constexpr std::string_view kLabelNames[] = {"operation", "model", "provider", "prompt", "kind"};

// Interned label sets: a sample holds an index.
class LabelTable {
 public:
  std::uint32_t intern(const Labels& labels);
  const Labels& at(std::uint32_t i) const { return sets_[i]; }
  std::size_t size() const { return sets_.size(); }

 private:
  std::vector<Labels> sets_;
  std::map<Labels, std::uint32_t> index_;
};

constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
inline bool known(double v) { return !std::isnan(v); }

struct Sample {
  std::uint64_t start_ns = 0;
  std::uint64_t end_ns = 0;
  std::uint64_t trace_hash = 0;
  std::uint64_t span_hash = 0;
  double cost = kUnknown;  // USD: the span's own cost, else from the price table
  double ttft_ms = kUnknown;
  std::int32_t input_tokens = -1;  // -1: not recorded
  std::int32_t output_tokens = -1;
  std::int32_t cached_tokens = -1;
  std::int32_t reasoning_tokens = -1;
  std::int32_t documents = -1;
  std::uint32_t labels = 0;
  std::uint32_t error_type = 0;  // index into Collection::error_types; 0 is "" (no error)
  SpanClass cls = SpanClass::none;
  TtftSource ttft_source = TtftSource::none;
  bool timing_ok = false;
  bool error = false;
  bool has_finish_reason = false;
  bool truncated = false;
  bool content_filter = false;
  bool guardrail_triggered = false;
  bool aggregate = false;  // an agent span: tokens and cost count only when its trace has no model call with tokens
  bool priced = false;     // cost known because a price was found (not the span's own attribute)
  bool has_model = false;
  bool usage_unreported = false;  // a call that succeeded without tokens or cost (mark_unreported_usage): cost unknown
  double latency_ms() const { return static_cast<double>(end_ns - start_ns) / 1e6; }
  bool has_tokens() const { return input_tokens >= 0 || output_tokens >= 0; }
  // A model call (llm) that carries one of its input and output token counts but not the other (a
  // misspelled attribute, a provider that reports half): the other is unknown, and so is its cost.
  bool partial_tokens() const { return cls == SpanClass::llm && (input_tokens < 0) != (output_tokens < 0); }
};

struct EvaluationSample {
  std::uint64_t time_ns = 0;
  std::uint32_t labels = 0;  // the evaluated span's labels, or the "(no span)" set
  std::uint32_t name = 0;    // index into Collection::evaluation_names
  double score = kUnknown;
  bool matched = false;  // the evaluated span was among the inputs
};

// A feedback event joined to the span it judges (attach_feedback).
struct FeedbackSample {
  std::uint64_t time_ns = 0;
  std::uint32_t labels = 0;  // the judged span's labels, or the "(no span)" set
  FeedbackSignal signal = FeedbackSignal::thumbs;
  Polarity polarity = Polarity::none;
  double rating = kUnknown;  // a rating's share of its scale
  bool matched = false;
};

struct CollectOptions {
  SkipBad skip_bad = SkipBad::no;
  ClassifyOptions classify;
  const PriceTable* prices = nullptr;  // none: only the spans' own cost attributes count
};

struct Collection {
  LabelTable labels;
  std::vector<Sample> samples;
  std::vector<std::string> error_types{""};
  std::vector<std::string> evaluation_names;
  std::vector<EvaluationSample> evaluations;
  std::vector<FeedbackSample> feedback;
  bool feedback_loaded = false;                      // feedback was attached (the store has some), even if none matched
  std::uint64_t feedback_unmatched = 0;              // events on spans that are not among the inputs
  std::set<std::uint64_t> traces_with_model_tokens;  // traces where a model call carries tokens
  ReadSummary read;
  std::uint64_t spans = 0;        // every span read
  std::uint64_t other_spans = 0;  // spans that record no GenAI work (skipped)
  std::uint64_t log_records = 0;
  std::uint64_t bad_timing = 0;       // GenAI spans without a start or with an end before the start
  std::uint64_t duplicate_spans = 0;  // GenAI spans read again (same trace and span id): counted once

  // Whether a sample's tokens and cost count: model calls always; an agent span's aggregate only
  // when no model call in its trace carries tokens (else its children's would be counted twice).
  bool counts_tokens(const Sample& s) const { return !s.aggregate || !traces_with_model_tokens.contains(s.trace_hash); }
};

// A warning when the inputs held nothing to judge: no span and no log record at all (a metrics
// export, a feedback file given as traces), or spans none of which is GenAI work.
std::optional<std::string> nothing_to_judge_warning(const Collection& c);

// The models of the calls whose cost would count (counts_tokens) but is unknown: they carry tokens,
// no cost attribute, and the price table has no price for them. Agent spans whose children's tokens
// are counted instead are not among them. summarize() counts the same per --since/--until window.
std::map<std::string, std::uint64_t> unpriced_models(const Collection& c);

// Per model and side ("input", "output"): the priced calls that carry tokens of a side for which
// the table gives no price, so they were priced at 0 (`gpt-4o: {output: 10}` for chat calls); only
// the calls that ended in [since_ns, until_ns), as summarize() counts them for --since/--until.
std::map<std::pair<std::string, std::string>, std::uint64_t> priced_without_a_side(
    const Collection& c, const PriceTable& prices, std::optional<std::uint64_t> since_ns = std::nullopt,
    std::optional<std::uint64_t> until_ns = std::nullopt);

Result<Collection> collect(const std::vector<std::string>& files, const CollectOptions& options);
// The same over text in memory (tests).
Result<Collection> collect_text(std::string_view text, const CollectOptions& options);

}  // namespace mlops::trace
