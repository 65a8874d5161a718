#pragma once
// Monitor rules: the monitors.yaml file and the expression of each alert,
//   SERIES[.STAT][{LABEL="v", LABEL!="v", LABEL=~"re", LABEL!~"re"}][[WINDOW]] OP NUMBER
// e.g. latency_ms.p95{operation="chat"} > 3000, cost_usd.sum[1d] > 50, requests.rate[1m] > 10.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"

namespace re2 {
class RE2;
}

namespace mlops::trace {

enum class CompareOp { gt, ge, lt, le, eq, ne };
std::string_view to_string(CompareOp op);
bool compare(double value, CompareOp op, double threshold);

struct LabelMatcher {
  enum class Kind { equal, not_equal, regex, not_regex };
  std::string label;
  Kind kind = Kind::equal;
  std::string value;
  std::shared_ptr<re2::RE2> regex;  // anchored, as Prometheus anchors label regexes
  bool matches(const std::string& text) const;
};

// The statistic a rule reads from a series.
enum class Stat { count, rate, sum, mean, min, max, p50, p90, p95, p99, ratio };
std::string_view to_string(Stat s);

struct Expr {
  std::string text;    // as written
  std::string series;  // "latency_ms", "cost_usd", "eval.hallucination", "error_rate"
  Stat stat = Stat::count;
  std::vector<LabelMatcher> matchers;
  std::optional<std::uint64_t> window_ns;  // [1d]; none: everything up to the evaluation time
  CompareOp op = CompareOp::gt;
  double threshold = 0;
  std::string name() const;  // "latency_ms.p95"
};

// The series rules may name, with the statistics each takes (the first is its default).
struct SeriesInfo {
  std::string_view name;
  std::vector<Stat> stats;
  std::string_view help;
};
const std::vector<SeriesInfo>& series_catalog();
// "eval.NAME": statistics of evaluation scores named NAME.
inline constexpr std::string_view kEvalPrefix = "eval.";
// "feedback", "feedback.negative_rate", ...: series over imported feedback.
inline constexpr std::string_view kFeedbackSeries = "feedback";

// Parses an expression; bad input naming the rule and the problem, with the known series.
Result<Expr> parse_expr(std::string_view text, const std::string& where);

// A data or prediction drift rule: `mlops drift check REFERENCE CURRENT` as an alert. It fires on
// dataset drift, or when the prediction column drifts. Its value is the share of drifted columns.
struct DriftRuleSpec {
  std::string reference;  // a path, PATH@REV or PATH@MODEL#STAGE
  std::string current;
  std::vector<std::string> columns;  // only these (empty: all)
  std::string prediction;            // the prediction column, for prediction drift
  std::optional<double> drift_share;
};

struct Rule {
  std::string alert;
  Expr expr;  // unused by a drift rule
  std::optional<DriftRuleSpec> drift;
  std::uint64_t for_ns = 0;
  std::uint64_t min_count = 0;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct MonitorFile {
  std::string path;
  std::vector<std::string> traces;  // globs, relative to the file's folder
  std::string prices;               // relative to the file's folder
  std::string guardrail_attribute;
  std::uint64_t interval_ns = 60ull * 1000000000;  // how often a `for` condition is sampled
  std::vector<Rule> rules;
};

Result<MonitorFile> load_monitor_file(const std::string& path);
Result<MonitorFile> parse_monitor_file(std::string_view yaml_text, const std::string& path);
// The trace files the file names: its globs expanded (sorted), relative to its folder, and the
// patterns that matched nothing (their series have no data). No file at all is bad input.
struct MonitorInputs {
  std::vector<std::string> files;
  std::vector<std::string> unmatched;
};
Result<MonitorInputs> monitor_inputs(const MonitorFile& file);

}  // namespace mlops::trace
