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

// A case of the baseline that the candidate did not run (a smaller or another golden set).
struct MissingCase {
  std::string id, provider;
  CaseStatus before = CaseStatus::pass;
};

struct MetricDelta {
  std::string metric;  // a run metric: "pass_rate", "rouge_l.mean"
  std::optional<double> baseline, candidate;
  bool higher_is_better = true;
  // How much worse the candidate is (positive: worse); unset when either side lacks the metric.
  std::optional<double> regression() const;
};

struct EvalComparison {
  std::vector<CaseFlip> flips;       // pass -> not pass first, then the others that changed, each in case order
  std::vector<MetricDelta> deltas;   // every run metric of either side, by name
  std::vector<MissingCase> missing;  // the baseline's cases the candidate did not run
  std::size_t only_baseline = 0, only_candidate = 0;  // cases that are on one side only
  std::string baseline_golden, candidate_golden;      // each side's golden.version
  std::size_t baseline_cases = 0, candidate_cases = 0;
  std::size_t regressions() const;  // flips from pass
  // Whether both sides evaluated the same golden set (the same version); metric deltas between
  // different golden sets compare different cases.
  bool same_golden() const { return baseline_golden == candidate_golden; }
};

// Compares `candidate` with `baseline`.
EvalComparison compare_results(const EvalResults& baseline, const EvalResults& candidate);

struct GateOptions {
  std::optional<double> min_pass_rate;
  std::vector<tracking::Query> requires_;  // on metrics.NAME, the run's metrics
  std::optional<EvalResults> baseline;
  std::string baseline_source;
  std::vector<std::pair<std::string, double>> max_regressions;  // METRIC -> most it may get worse
  std::size_t max_regressed_cases = 0;  // baseline cases that may pass no longer (or not be run)
  std::size_t max_errors = 0;           // errored plus skipped cases tolerated
};

struct GateCheck {
  std::string gate;                // "pass_rate >= 0.9", "complete", "pass_rate no worse than the baseline ..."
  std::optional<double> value;     // the measured number; unset when missing, or not a number (golden set)
  std::optional<double> baseline;  // --baseline checks: the baseline's number
  std::string shown;               // the value for people: "0.9667", "2 errors, 1 skipped", "missing"
  std::string bound;               // ">= 0.9"
  std::string reason;              // why it did not pass; empty when it passed
  bool passed = false;
  bool incomplete = false;  // failed because the evaluation lacks what the gate needs
  std::string_view status() const { return passed ? "pass" : incomplete ? "incomplete" : "fail"; }
};

struct GateReport {
  EvalSummary summary;
  std::vector<GateCheck> checks;
  std::optional<EvalComparison> comparison;
  std::string baseline_source;  // what the baseline was read from ("run 01J...")
  bool passed = true;
  bool incomplete = false;
};

// Parses --max-regression's METRIC=DELTA (DELTA >= 0; "metrics." before METRIC is dropped);
// bad input otherwise.
Result<std::pair<std::string, double>> parse_max_regression(std::string_view text);

// The run metrics an evaluation like `results` records when its cases produce them: the counts and
// pass_rate, NAME.mean/.p50/.p95 of each assertion (but latency, whose scores are latency_ms's)
// and of latency_ms, cost.total, tokens.total, PROVIDER.pass_rate with several providers.
std::vector<std::string> possible_metrics(const EvalResults& results);

// Bad input (exit 2, as `model promote --require` on a metric the version lacks) when a gate
// names what is no metric of the evaluation at all — a typo, or a key without "metrics." — with
// "did you mean" when a metric is close. A metric the evaluation could produce but did not is
// not an error here: its gate fails as incomplete (exit 1).
Result<void> check_require_keys(const tracking::Query& query, const EvalResults& results);
Result<void> check_regression_rules(const std::vector<std::pair<std::string, double>>& rules,
                                    const EvalResults& baseline, const EvalResults& candidate);

// The checks that `comparison`'s candidate is no worse than its baseline by more than each rule
// allows (METRIC -> most it may get worse; none: pass_rate=0). A metric missing on either side
// fails as incomplete.
std::vector<GateCheck> regression_checks(const EvalComparison& comparison,
                                         std::vector<std::pair<std::string, double>> rules);

// Evaluates the gates on `results`; bad input when it has no cases or a gate names no metric of
// it (check_require_keys, check_regression_rules). With a baseline, besides the metric rules:
// the golden set must be the baseline's, and at most `max_regressed_cases` of the baseline's
// cases may have passed then and not now, or not have been run.
Result<GateReport> evaluate_gate(const EvalResults& results, const GateOptions& options);

// Whether lower values of the run metric `metric` are better in `results` (latency, cost,
// errors, levenshtein, ...).
bool metric_higher_is_better(const EvalResults& results, std::string_view metric);

}  // namespace mlops::llm
