#pragma once
// The figures of `trace stats` for one group of samples (and of `monitor` for one window), and the
// report over every group.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlops/trace/collect.hpp"
#include "mlops/trace/sketch.hpp"

namespace mlops::trace {

struct EvaluationStats {
  Sketch scores;
  std::uint64_t results = 0;  // with or without a score
};

// Feedback events on a group's spans (docs/feedback.md).
struct FeedbackStats {
  std::uint64_t events = 0;
  std::uint64_t judgements = 0;  // thumbs and ratings
  std::uint64_t positive = 0, negative = 0;
  std::uint64_t edits = 0, copies = 0, regenerations = 0;
  Sketch ratings;  // as a share of their scale (0..1)

  void add(const FeedbackSample& f);
  void merge(const FeedbackStats& other);
  // Negative judgements / judgements (0 when there are none).
  double negative_rate() const {
    return judgements ? static_cast<double>(negative) / static_cast<double>(judgements) : 0;
  }
};

struct GroupStats {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::map<std::string, std::uint64_t> error_types;
  std::uint64_t bad_timing = 0;  // not in latency
  Sketch latency_ms;
  Sketch ttft_ms;
  std::uint64_t ttft_from_attribute = 0;
  std::uint64_t ttft_from_events = 0;
  std::int64_t input_tokens = 0, output_tokens = 0, cached_tokens = 0, reasoning_tokens = 0;
  std::uint64_t with_tokens = 0;     // model calls (and counted aggregates) that carry token counts
  std::uint64_t without_tokens = 0;  // model calls (llm, embeddings) that do not: unknown, not zero
  std::uint64_t partial_tokens = 0;  // llm calls with only one of input and output tokens (Sample::partial_tokens)
  double cost_usd = 0;
  std::uint64_t cost_from_spans = 0;   // the span's own cost attribute
  std::uint64_t cost_from_prices = 0;  // the price table
  std::uint64_t unpriced = 0;          // carried tokens but no cost and no price: cost incomplete
  std::uint64_t tokens_missing = 0;    // no cost attribute and partial or unreported tokens: cost unknown, incomplete
  std::uint64_t usage_unreported = 0;  // calls that succeeded without tokens or cost (Sample::usage_unreported)
  // Calls whose cost is unknown: the group's cost is incomplete when there are any.
  std::uint64_t cost_unknown() const { return unpriced + tokens_missing; }
  std::uint64_t with_finish_reason = 0;
  std::uint64_t truncated = 0;
  std::uint64_t content_filter = 0;
  std::uint64_t guardrail_triggered = 0;
  std::uint64_t retrievals = 0;
  Sketch retrieval_ms;
  Sketch documents;
  std::map<std::string, EvaluationStats> evaluations;
  FeedbackStats feedback;

  // Adds one sample; `count_tokens` is Collection::counts_tokens(sample).
  void add(const Sample& s, bool count_tokens, const std::string& error_type);
  void add_evaluation(const std::string& name, double score);
  void merge(const GroupStats& other);

  double error_rate() const { return requests ? static_cast<double>(errors) / static_cast<double>(requests) : 0; }
  double guardrail_rate() const {
    return requests ? static_cast<double>(guardrail_triggered) / static_cast<double>(requests) : 0;
  }
  // Truncations among the calls that reported a finish reason.
  double truncation_rate() const {
    return with_finish_reason ? static_cast<double>(truncated) / static_cast<double>(with_finish_reason) : 0;
  }
  // The most frequent error.type ("" when there were no errors).
  std::string top_error_type() const;
};

enum class GroupBy { operation, model, prompt, provider };
std::optional<GroupBy> parse_group_by(std::string_view text);
std::string_view to_string(GroupBy g);

struct StatsOptions {
  GroupBy group_by = GroupBy::operation;
  std::optional<std::uint64_t> since_ns;  // spans that ended at or after
  std::optional<std::uint64_t> until_ns;  // spans that ended before
};

struct StatsReport {
  GroupBy group_by = GroupBy::operation;
  std::vector<std::pair<std::string, GroupStats>> groups;  // by name ("(none)" for an unset label)
  GroupStats total;
  std::uint64_t spans = 0, other_spans = 0, log_records = 0, bad_timing = 0, bad_lines = 0;
  std::uint64_t duplicate_spans = 0;  // read more than once, counted once
  std::uint64_t evaluations_unmatched = 0;
  bool feedback_loaded = false;                          // the repository's feedback was joined
  std::uint64_t feedback_unmatched = 0;                  // feedback events on spans not in the inputs (left out)
  std::map<std::string, std::uint64_t> unpriced_models;  // GroupStats::unpriced by model, in the window
  std::uint64_t first_ns = 0, last_ns = 0;
};

// Summarises a collection by group, spreading the samples over the cores (sketches merge).
StatsReport summarize(const Collection& collection, const StatsOptions& options);

}  // namespace mlops::trace
