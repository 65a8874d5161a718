#pragma once
// Evaluating monitor rules over collected samples at one point in time, with Prometheus' meaning:
// a window [w] takes the samples that ended in (at - w, at]; `for` asks the condition to have held
// at every evaluation from at - for to at, one `interval` apart (else the alert is pending).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/trace/collect.hpp"
#include "mlops/trace/rules.hpp"

namespace mlops::trace {

enum class AlertState {
  inactive,      // evaluated, condition false
  pending,       // condition true, but not for `for` yet
  firing,        // condition true for `for`
  no_data,       // nothing to compute the value from (a p95 over no spans)
  insufficient,  // fewer samples than min_count: not evaluated
  incomplete,    // a cost over calls with no price: the value is unknown, and that fails
};
std::string_view to_string(AlertState s);
// Whether the state makes `monitor check` exit 1.
inline bool fails(AlertState s) { return s == AlertState::firing || s == AlertState::incomplete; }

struct RuleResult {
  const Rule* rule = nullptr;
  AlertState state = AlertState::inactive;
  std::optional<double> value;
  std::uint64_t samples = 0;
  std::string reason;           // why it is in this state, for people
  bool source_missing = false;  // no data because the inputs lack the series' source (missing_source)
  std::map<std::string, std::string> annotations;  // templates expanded
};

struct MonitorReport {
  std::uint64_t at_ns = 0;
  std::vector<RuleResult> results;
  bool failed() const;
};

// Bad input when a rule names an evaluation (eval.NAME) that the inputs do not record while they
// record others (a misspelled name), with the known ones and "did you mean".
Result<void> check_evaluation_series(const MonitorFile& file, const Collection& collection);

// Why a rule's series cannot have data in these inputs at all: an eval.* series when the inputs
// hold no evaluation result, a feedback.* series when no feedback was joined. Such a rule is
// `no data` (as an absent series in Prometheus) and the other rules are still evaluated.
std::optional<std::string> missing_source(const Expr& expr, const Collection& collection);

// What a drift rule's check found. The command runs the check (it resolves PATH@MODEL#STAGE), so
// that this module needs no more than the verdict.
struct DriftOutcome {
  bool drift = false;  // dataset drift, or the prediction column drifted
  double share = 0;    // drifted columns / columns
  std::size_t drifted = 0;
  std::size_t columns = 0;
  std::uint64_t rows = 0;                  // current rows
  std::vector<std::string> drifted_names;  // most severe first
};
using DriftRunner = std::function<Result<DriftOutcome>(const DriftRuleSpec& spec)>;

// Evaluates every rule; a drift rule through `run_drift` (bad input when there is none).
Result<MonitorReport> evaluate_rules(const MonitorFile& file, const Collection& collection, std::uint64_t at_ns,
                                     const DriftRunner& run_drift);

// The value of an expression's statistic at `at_ns`, the number of samples it is over, and whether
// it is incomplete (a cost or token sum over calls whose cost or tokens are unknown); nullopt value: no data.
struct ExprValue {
  std::optional<double> value;
  std::uint64_t samples = 0;
  bool incomplete = false;
  std::uint64_t unpriced = 0;
  std::uint64_t tokens_missing = 0;  // calls with only one or neither of input and output tokens (and no cost)
};
ExprValue evaluate_expr(const Expr& expr, const Collection& collection, std::uint64_t at_ns);

// "p95 {{ $value }} ms" with $value and $labels.NAME filled in, as Prometheus' templates read.
std::string expand_template(const std::string& text, std::optional<double> value,
                            const std::map<std::string, std::string>& labels);

}  // namespace mlops::trace
