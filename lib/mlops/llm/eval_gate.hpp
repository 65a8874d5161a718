#pragma once
// Gates on an evaluation (docs/eval.md, "eval gate"): bounds on its metrics and pass rate, and
// no regression against a baseline evaluation. A gate that cannot be decided — a metric that was
// never produced, cases skipped or errored beyond --max-errors — fails and says the evaluation is
// incomplete: it never passes by default. An evaluation of zero cases is bad input.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/llm/eval_results.hpp"
#include "mlops/tracking/query.hpp"

namespace mlops::llm {

struct CaseFlip {
  std::string id, provider;
  CaseStatus before = CaseStatus::pass, after = CaseStatus::pass;
  bool regression() const { return before == CaseStatus::pass && after != CaseStatus::pass; }
};

struct MetricDelta {
  std::string metric;  // a run metric: "pass_rate", "rouge_l.mean"
  std::optional<double> baseline, candidate;
  bool higher_is_better = true;
  // How much worse the candidate is (positive: worse); unset when either side lacks the metric.
  std::optional<double> regression() const;
};

struct EvalComparison {
  std::vector<CaseFlip> flips;      // pass -> not pass first, then the others that changed, each in case order
  std::vector<MetricDelta> deltas;  // every run metric of either side, by name
  std::size_t only_baseline = 0, only_candidate = 0;  // cases that are on one side only
  std::size_t regressions() const;
};

// Compares `candidate` with `baseline`.
EvalComparison compare_results(const EvalResults& baseline, const EvalResults& candidate);

struct GateOptions {
  std::optional<double> min_pass_rate;
  std::vector<tracking::Query> requires_;  // on metrics.NAME, the run's metrics
  std::optional<EvalResults> baseline;
  std::string baseline_source;
  std::vector<std::pair<std::string, double>> max_regressions;  // METRIC -> most it may get worse
  std::size_t max_errors = 0;                                   // errored plus skipped cases tolerated
};

struct GateCheck {
  std::string gate;   // "pass_rate >= 0.9", "complete", "pass_rate no worse than baseline by 0.02"
  std::string value;  // "0.93", "2 errors, 1 skipped", "missing"
  std::string bound;  // ">= 0.9"
  bool passed = false;
  bool incomplete = false;  // failed because the evaluation lacks what the gate needs
};

struct GateReport {
  EvalSummary summary;
  std::vector<GateCheck> checks;
  std::optional<EvalComparison> comparison;
  bool passed = true;
  bool incomplete = false;
};

// Parses --max-regression's METRIC=DELTA (DELTA >= 0); bad input otherwise.
Result<std::pair<std::string, double>> parse_max_regression(std::string_view text);

// The checks that `comparison`'s candidate is no worse than its baseline by more than each rule
// allows (METRIC -> most it may get worse; none: pass_rate=0). A metric missing on either side
// fails as incomplete.
std::vector<GateCheck> regression_checks(const EvalComparison& comparison,
                                         std::vector<std::pair<std::string, double>> rules);

// Evaluates the gates on `results`; bad input when it has no cases.
Result<GateReport> evaluate_gate(const EvalResults& results, const GateOptions& options);

// Whether lower values of the run metric `metric` are better in `results` (latency, cost,
// errors, levenshtein, ...).
bool metric_higher_is_better(const EvalResults& results, std::string_view metric);

}  // namespace mlops::llm
