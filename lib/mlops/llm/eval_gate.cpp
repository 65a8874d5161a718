#include "mlops/llm/eval_gate.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "mlops/tracking/query.hpp"

namespace mlops::llm {

namespace {

std::string gate_number(double value) { return tracking::format_value(tracking::Value(value)); }

std::string status_counts(const EvalSummary& summary) {
  return fmt::format("{} error{}, {} skipped", summary.errors, summary.errors == 1 ? "" : "s", summary.skipped);
}

}  // namespace

std::optional<double> MetricDelta::regression() const {
  if (!baseline || !candidate) return std::nullopt;
  return higher_is_better ? *baseline - *candidate : *candidate - *baseline;
}

std::size_t EvalComparison::regressions() const {
  std::size_t n = 0;
  for (const auto& flip : flips) n += flip.regression() ? 1 : 0;
  return n;
}

bool metric_higher_is_better(const EvalResults& results, std::string_view metric) {
  static const std::set<std::string, std::less<>> lower{"failed", "errors", "skipped", "cost.total", "tokens.total"};
  if (lower.contains(metric)) return false;
  std::string_view base = metric;
  for (std::string_view suffix : {".mean", ".p50", ".p95"}) {
    if (base.ends_with(suffix)) base.remove_suffix(suffix.size());
  }
  if (base == "latency_ms") return false;
  auto it = results.higher_is_better.find(std::string(base));
  return it == results.higher_is_better.end() || it->second;
}

EvalComparison compare_results(const EvalResults& baseline, const EvalResults& candidate) {
  EvalComparison comparison;
  std::map<std::pair<std::string, std::string>, CaseStatus> before;
  for (const auto& c : baseline.cases) before[{c.id, c.provider}] = c.status;
  std::vector<CaseFlip> regressions, others;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& c : candidate.cases) {
    auto key = std::pair{c.id, c.provider};
    seen.insert(key);
    auto it = before.find(key);
    if (it == before.end()) {
      ++comparison.only_candidate;
      continue;
    }
    if (it->second == c.status) continue;
    CaseFlip flip{c.id, c.provider, it->second, c.status};
    (flip.regression() ? regressions : others).push_back(std::move(flip));
  }
  for (const auto& [key, status] : before) comparison.only_baseline += seen.contains(key) ? 0 : 1;
  comparison.flips = std::move(regressions);
  comparison.flips.insert(comparison.flips.end(), others.begin(), others.end());

  auto a = baseline.summary().run_metrics;
  auto b = candidate.summary().run_metrics;
  std::set<std::string> names;
  for (const auto& [name, value] : a) names.insert(name);
  for (const auto& [name, value] : b) names.insert(name);
  for (const auto& name : names) {
    MetricDelta delta;
    delta.metric = name;
    if (auto it = a.find(name); it != a.end()) delta.baseline = it->second;
    if (auto it = b.find(name); it != b.end()) delta.candidate = it->second;
    delta.higher_is_better = metric_higher_is_better(candidate, name);
    comparison.deltas.push_back(std::move(delta));
  }
  return comparison;
}

Result<std::pair<std::string, double>> parse_max_regression(std::string_view text) {
  auto equals = text.find('=');
  double delta = -1;
  if (equals != std::string_view::npos && equals > 0) {
    auto value = text.substr(equals + 1);
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), delta);
    if (ec != std::errc() || end != value.data() + value.size()) delta = -1;
  }
  if (!(delta >= 0)) {
    return std::unexpected(
        bad_input(fmt::format("'{}' given to --max-regression is not METRIC=DELTA with DELTA >= 0", text),
                  "for example: --max-regression pass_rate=0.02"));
  }
  return std::pair{std::string(text.substr(0, equals)), delta};
}

std::vector<GateCheck> regression_checks(const EvalComparison& comparison,
                                         std::vector<std::pair<std::string, double>> rules) {
  if (rules.empty()) rules.emplace_back("pass_rate", 0.0);
  std::vector<GateCheck> checks;
  for (const auto& [metric, allowed] : rules) {
    GateCheck check;
    check.gate = fmt::format("{} no worse than the baseline by more than {}", metric, gate_number(allowed));
    const MetricDelta* delta = nullptr;
    for (const auto& d : comparison.deltas) {
      if (d.metric == metric) delta = &d;
    }
    auto worse = delta ? delta->regression() : std::nullopt;
    if (!worse) {
      check.value = "missing";
      check.bound = fmt::format("{} was not produced by {}", metric,
                                !delta || !delta->candidate ? "this evaluation" : "the baseline");
      check.incomplete = true;
    } else {
      check.value = fmt::format("{} (baseline {})", gate_number(*delta->candidate), gate_number(*delta->baseline));
      check.bound =
          fmt::format("{} {}", delta->higher_is_better ? ">=" : "<=",
                      gate_number(delta->higher_is_better ? *delta->baseline - allowed : *delta->baseline + allowed));
      check.passed = *worse <= allowed + 1e-12;
    }
    checks.push_back(check);
  }
  return checks;
}

Result<GateReport> evaluate_gate(const EvalResults& results, const GateOptions& options) {
  GateReport report;
  report.summary = results.summary();
  const auto& summary = report.summary;
  if (summary.cases == 0) {
    return std::unexpected(bad_input("the evaluation has no cases: there is nothing to gate on",
                                     "check the golden set (mlops eval check FILE) and run the evaluation again"));
  }
  const auto& metrics = summary.run_metrics;

  // Completeness first: every other gate is weaker when cases are missing.
  GateCheck complete;
  complete.gate = "complete";
  complete.value = status_counts(summary) + (results.interrupted ? ", interrupted" : "");
  complete.bound = fmt::format("<= {} errored or skipped", options.max_errors);
  complete.passed = summary.errors + summary.skipped <= options.max_errors;
  complete.incomplete = !complete.passed;
  report.checks.push_back(complete);

  if (options.min_pass_rate) {
    GateCheck check;
    check.gate = fmt::format("pass_rate >= {}", gate_number(*options.min_pass_rate));
    check.value = gate_number(summary.pass_rate);
    check.bound = fmt::format(">= {}", gate_number(*options.min_pass_rate));
    check.passed = summary.pass_rate >= *options.min_pass_rate;
    report.checks.push_back(check);
  }
  for (const auto& query : options.requires_) {
    std::vector<std::string> missing;
    for (const auto& key : query.keys()) {
      if (!key.starts_with("metrics.") || !metrics.contains(key.substr(8))) missing.push_back(key);
    }
    if (!missing.empty()) {
      GateCheck check;
      check.gate = query.text();
      check.value = "missing";
      check.bound =
          fmt::format("{} {} not produced by this evaluation", missing.front(), missing.size() == 1 ? "was" : "were");
      check.incomplete = true;
      report.checks.push_back(check);
      continue;
    }
    auto lookup = [&](std::string_view key) -> std::optional<tracking::Value> {
      auto it = metrics.find(std::string(key.substr(8)));
      if (it == metrics.end()) return std::nullopt;
      return tracking::Value(it->second);
    };
    auto checks = query.checks(lookup);
    GateCheck check;
    check.gate = query.text();
    check.passed = query.matches(lookup);
    if (checks.size() == 1) {
      check.value = checks.front().value ? tracking::format_value(*checks.front().value) : "missing";
      check.bound = fmt::format("{} {}", checks.front().op, checks.front().bound);
    }
    report.checks.push_back(check);
  }
  if (options.baseline) {
    report.comparison = compare_results(*options.baseline, results);
    auto checks = regression_checks(*report.comparison, options.max_regressions);
    report.checks.insert(report.checks.end(), checks.begin(), checks.end());
  }
  for (const auto& check : report.checks) {
    report.passed = report.passed && check.passed;
    report.incomplete = report.incomplete || check.incomplete;
  }
  return report;
}

}  // namespace mlops::llm
