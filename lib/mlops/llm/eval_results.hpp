#pragma once
// The results of one evaluation: a row per (case, provider) and the summary that is recorded as
// the run's metrics. Written as one JSON document (docs/eval.md, "Results"), the run's artifact
// eval-results.json, whose bytes depend only on the cases' results: two replays of one
// evaluation write the same bytes.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/llm/assert.hpp"
#include "mlops/llm/provider.hpp"

namespace mlops::llm {

inline constexpr std::string_view kResultsArtifact = "eval-results.json";

enum class CaseStatus { pass, fail, error, skipped };
std::string_view to_string(CaseStatus status);  // "pass", "fail", "error", "skipped"
std::optional<CaseStatus> parse_case_status(std::string_view text);

struct CaseResult {
  std::string id;
  std::string provider;
  std::vector<std::string> tags;
  CaseStatus status = CaseStatus::skipped;
  double score = 0;  // the weighted share of assertions passed
  std::vector<AssertResult> assertions;
  std::optional<Response> response;  // output, latency, tokens, cost, retrieved ids
  bool cached = false;               // answered from the response cache
  std::string error;                 // error: why; skipped: why ("budget spent", "interrupted")
};

// One metric over the cases that produced it.
struct MetricSummary {
  std::size_t count = 0;
  double mean = 0, p50 = 0, p95 = 0;
  bool higher_is_better = true;
};

// A number for people (tables, notes, Markdown): whole numbers as they are, others to four
// significant digits ("0.9667", "208.2", "4.8e-05"), never an exponent from 10,000 up. --json
// and the recorded metrics keep every digit.
std::string human_number(double value);

struct EvalSummary {
  std::size_t cases = 0, passed = 0, failed = 0, errors = 0, skipped = 0;
  double pass_rate = 0;  // passed / cases (0 with no cases)
  // Each assertion's score but latency's (the same numbers as latency_ms), and latency_ms.
  std::map<std::string, MetricSummary> metrics;
  std::optional<double> cost_total;  // when some provider reported a cost
  std::optional<std::int64_t> tokens_total;
  // The run's metrics: pass_rate, cases, passed, failed, errors, skipped, NAME.mean/.p50/.p95,
  // cost.total, tokens.total, and PROVIDER.pass_rate when there are several providers.
  std::map<std::string, double> run_metrics;
};

struct EvalResults {
  std::string prompt_file, prompt_name, prompt_version;
  std::string golden_file, golden_version;
  std::map<std::string, std::string> providers;        // id -> command as written
  std::vector<std::string> assertion_names;            // in config order
  std::map<std::string, bool> higher_is_better;        // per assertion name
  std::map<std::string, std::string> assertion_types;  // per assertion name: its type ("latency", "not-contains")
  double threshold = 1;
  bool interrupted = false;
  std::vector<CaseResult> cases;  // golden order, then provider order

  EvalSummary summary() const;
  nlohmann::ordered_json to_json() const;
  std::string dump() const;  // to_json(), indented, with a final newline
  // Bad input naming `source` when the document is not an evaluation's results.
  static Result<EvalResults> from_json(std::string_view text, std::string_view source);
};

}  // namespace mlops::llm
