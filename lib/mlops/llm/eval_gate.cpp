#include "mlops/llm/eval_gate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "mlops/core/suggest.hpp"
#include "mlops/tracking/query.hpp"

namespace mlops::llm {

namespace {

constexpr std::string_view kMetricPrefix = "metrics.";
constexpr std::string_view kSuffixes[] = {".mean", ".p50", ".p95"};

std::string status_counts(const EvalSummary& summary) {
  return fmt::format("{} error{}, {} skipped", summary.errors, summary.errors == 1 ? "" : "s", summary.skipped);
}

std::string case_label(const std::string& id, const std::string& provider) {
  return fmt::format("{} ({})", id, provider);
}

// "a, b, c and 4 more"
std::string first_few(const std::vector<std::string>& items, std::size_t shown = 5) {
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < shown; ++i) text += (i ? ", " : "") + items[i];
  if (items.size() > shown) text += fmt::format(" and {} more", items.size() - shown);
  return text;
}

// "xxh3:0123456789ab" of a version, enough to tell two apart in a message.
std::string short_version(const std::string& version) {
  return version.size() > 17 ? version.substr(0, 17) : version.empty() ? std::string("unknown") : version;
}

// The names of the latency assertions of `results`: their scores are latency_ms's.
std::set<std::string> latency_assertion_names(const EvalResults& results) {
  std::set<std::string> names;
  for (const auto& [name, type] : results.assertion_types) {
    if (type == "latency") names.insert(name);
  }
  return names;
}

// The hint for a name that is no metric: a close one, a latency assertion's, or the list.
std::string metric_hint(std::string_view metric, const std::vector<std::string>& known,
                        const std::set<std::string>& latency, std::string_view prefix) {
  for (auto suffix : kSuffixes) {
    if (metric.ends_with(suffix) && latency.contains(std::string(metric.substr(0, metric.size() - suffix.size())))) {
      return fmt::format("a latency assertion's scores are the latency_ms metrics: did you mean '{}latency_ms{}'?",
                         prefix, suffix);
    }
  }
  if (auto near = closest(metric, known); !near.empty()) return fmt::format("did you mean '{}{}'?", prefix, near);
  // A family of three as one item: "metrics.rouge_l.mean/.p50/.p95".
  std::string list;
  for (const auto& name : known) {
    if (name.ends_with(".p50") || name.ends_with(".p95")) {
      auto base = name.substr(0, name.size() - 4);
      if (std::find(known.begin(), known.end(), base + ".mean") != known.end()) continue;
    }
    std::string item = fmt::format("{}{}", prefix, name);
    if (name.ends_with(".mean")) item += "/.p50/.p95";
    list += (list.empty() ? "" : ", ") + item;
  }
  return "its metrics: " + list;
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
  for (std::string_view suffix : kSuffixes) {
    if (base.ends_with(suffix)) base.remove_suffix(suffix.size());
  }
  if (base == "latency_ms") return false;
  auto it = results.higher_is_better.find(std::string(base));
  return it == results.higher_is_better.end() || it->second;
}

std::vector<std::string> possible_metrics(const EvalResults& results) {
  std::set<std::string> names{"pass_rate", "cases",   "passed",     "failed",
                              "errors",    "skipped", "cost.total", "tokens.total"};
  auto latency = latency_assertion_names(results);
  auto family = [&](const std::string& base) {
    for (auto suffix : kSuffixes) names.insert(base + std::string(suffix));
  };
  for (const auto& name : results.assertion_names) {
    if (!latency.contains(name)) family(name);
  }
  family("latency_ms");
  if (results.providers.size() > 1) {
    for (const auto& [id, command] : results.providers) names.insert(id + ".pass_rate");
  }
  for (const auto& [name, value] : results.summary().run_metrics) names.insert(name);
  return {names.begin(), names.end()};
}

Result<void> check_require_keys(const tracking::Query& query, const EvalResults& results) {
  auto known = possible_metrics(results);
  auto latency = latency_assertion_names(results);
  for (const tracking::Comparison* comparison : query.comparisons()) {
    std::string_view key = comparison->key;
    if (!key.starts_with(kMetricPrefix) || key.size() == kMetricPrefix.size()) {
      Error e = tracking::query_error(
          query.text(), comparison->position,
          fmt::format("unknown key '{}': a gate reads the evaluation's metrics, metrics.NAME", comparison->key));
      e.hint = metric_hint(key, known, latency, kMetricPrefix);
      return std::unexpected(e);
    }
    auto metric = key.substr(kMetricPrefix.size());
    if (std::find(known.begin(), known.end(), metric) == known.end()) {
      return std::unexpected(bad_input(
          fmt::format("--require '{}': '{}' is not a metric of this evaluation", query.text(), comparison->key),
          metric_hint(metric, known, latency, kMetricPrefix)));
    }
  }
  return {};
}

Result<void> check_regression_rules(const std::vector<std::pair<std::string, double>>& rules,
                                    const EvalResults& baseline, const EvalResults& candidate) {
  std::set<std::string> names;
  for (const auto& name : possible_metrics(baseline)) names.insert(name);
  for (const auto& name : possible_metrics(candidate)) names.insert(name);
  std::vector<std::string> known(names.begin(), names.end());
  auto latency = latency_assertion_names(candidate);
  for (const auto& name : latency_assertion_names(baseline)) latency.insert(name);
  for (const auto& [metric, delta] : rules) {
    if (names.contains(metric)) continue;
    return std::unexpected(bad_input(fmt::format("--max-regression {}={}: '{}' is not a metric of these evaluations",
                                                 metric, human_number(delta), metric),
                                     metric_hint(metric, known, latency, "")));
  }
  return {};
}

EvalComparison compare_results(const EvalResults& baseline, const EvalResults& candidate) {
  EvalComparison comparison;
  comparison.baseline_golden = baseline.golden_version;
  comparison.candidate_golden = candidate.golden_version;
  comparison.baseline_cases = baseline.cases.size();
  comparison.candidate_cases = candidate.cases.size();
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
  for (const auto& c : baseline.cases) {  // in the baseline's order
    if (!seen.contains({c.id, c.provider})) comparison.missing.push_back({c.id, c.provider, c.status});
  }
  comparison.only_baseline = comparison.missing.size();
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
  std::string_view metric = equals == std::string_view::npos ? text : text.substr(0, equals);
  if (metric.starts_with(kMetricPrefix)) metric.remove_prefix(kMetricPrefix.size());
  if (equals != std::string_view::npos && !metric.empty()) {
    auto value = text.substr(equals + 1);
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), delta);
    if (ec != std::errc() || end != value.data() + value.size()) delta = -1;
  }
  if (!(delta >= 0)) {
    return std::unexpected(
        bad_input(fmt::format("'{}' given to --max-regression is not METRIC=DELTA with DELTA >= 0", text),
                  "for example: --max-regression pass_rate=0.02"));
  }
  return std::pair{std::string(metric), delta};
}

std::vector<GateCheck> regression_checks(const EvalComparison& comparison,
                                         std::vector<std::pair<std::string, double>> rules) {
  if (rules.empty()) rules.emplace_back("pass_rate", 0.0);
  std::vector<GateCheck> checks;
  for (const auto& [metric, allowed] : rules) {
    GateCheck check;
    check.gate = fmt::format("{} no worse than the baseline by more than {}", metric, human_number(allowed));
    const MetricDelta* delta = nullptr;
    for (const auto& d : comparison.deltas) {
      if (d.metric == metric) delta = &d;
    }
    if (delta) {
      check.value = delta->candidate;
      check.baseline = delta->baseline;
    }
    auto worse = delta ? delta->regression() : std::nullopt;
    if (!worse) {
      check.shown = "missing";
      check.reason = fmt::format("{} was not produced by {}", metric,
                                 !delta || !delta->candidate ? "this evaluation" : "the baseline");
      check.incomplete = true;
    } else {
      check.shown = fmt::format("{} (baseline {})", human_number(*delta->candidate), human_number(*delta->baseline));
      check.bound =
          fmt::format("{} {}", delta->higher_is_better ? ">=" : "<=",
                      human_number(delta->higher_is_better ? *delta->baseline - allowed : *delta->baseline + allowed));
      check.passed = *worse <= allowed + 1e-12;
      if (!check.passed) {
        check.reason = fmt::format("{} is {} worse than the baseline's (at most {} allowed)", metric,
                                   human_number(*worse), human_number(allowed));
      }
    }
    checks.push_back(check);
  }
  return checks;
}

namespace {

// The baseline must have evaluated the same golden set: other cases give other metrics.
GateCheck golden_check(const EvalComparison& comparison) {
  GateCheck check;
  check.gate = "the same golden set as the baseline";
  check.shown = fmt::format("{} ({} cases)", short_version(comparison.candidate_golden), comparison.candidate_cases);
  check.bound = fmt::format("{} ({} cases)", short_version(comparison.baseline_golden), comparison.baseline_cases);
  check.passed = comparison.same_golden();
  if (!check.passed) {
    check.reason = fmt::format(
        "this evaluation ran golden set {} ({} cases), the baseline {} ({} cases): their metrics compare different "
        "cases; evaluate the baseline's prompt on this golden set and give that run as --baseline",
        short_version(comparison.candidate_golden), comparison.candidate_cases,
        short_version(comparison.baseline_golden), comparison.baseline_cases);
  }
  return check;
}

// Every case of the baseline is run again and passes if it passed: dropping the hard cases, or
// trading one passing case for another, is not "no worse".
GateCheck cases_check(const EvalComparison& comparison, std::size_t allowed) {
  std::vector<std::string> regressed, not_run;
  for (const auto& flip : comparison.flips) {
    if (flip.regression())
      regressed.push_back(fmt::format("{} {} -> {}", case_label(flip.id, flip.provider), to_string(flip.before),
                                      to_string(flip.after)));
  }
  for (const auto& c : comparison.missing) not_run.push_back(case_label(c.id, c.provider));
  GateCheck check;
  check.gate = "no case of the baseline regressed";
  std::size_t count = regressed.size() + not_run.size();
  check.value = static_cast<double>(count);
  check.shown = fmt::format("{} regressed, {} not run", regressed.size(), not_run.size());
  check.bound = fmt::format("<= {}", allowed);
  check.passed = count <= allowed;
  if (!check.passed) {
    std::vector<std::string> parts;
    if (!regressed.empty())
      parts.push_back(fmt::format("{} passed in the baseline and not now: {}", regressed.size(), first_few(regressed)));
    if (!not_run.empty())
      parts.push_back(fmt::format("{} of the baseline's cases were not run: {}", not_run.size(), first_few(not_run)));
    check.reason = fmt::format("{}", fmt::join(parts, "; "));
  }
  return check;
}

}  // namespace

Result<GateReport> evaluate_gate(const EvalResults& results, const GateOptions& options) {
  GateReport report;
  report.summary = results.summary();
  const auto& summary = report.summary;
  if (summary.cases == 0) {
    return std::unexpected(bad_input("the evaluation has no cases: there is nothing to gate on",
                                     "check the golden set (mlops eval check FILE) and run the evaluation again"));
  }
  // A name that is no metric at all is a mistake in the command, not a verdict on the evaluation.
  for (const auto& query : options.requires_) MLOPS_TRY(check_require_keys(query, results));
  if (options.baseline) MLOPS_TRY(check_regression_rules(options.max_regressions, *options.baseline, results));
  const auto& metrics = summary.run_metrics;

  // Completeness first: every other gate is weaker when cases are missing.
  GateCheck complete;
  complete.gate = "complete";
  complete.value = static_cast<double>(summary.errors + summary.skipped);
  complete.shown = status_counts(summary) + (results.interrupted ? ", interrupted" : "");
  complete.bound = fmt::format("<= {} errored or skipped", options.max_errors);
  complete.passed = summary.errors + summary.skipped <= options.max_errors;
  complete.incomplete = !complete.passed;
  if (!complete.passed) {
    complete.reason = fmt::format("{}{}: more than --max-errors {}", status_counts(summary),
                                  results.interrupted ? " (the evaluation was interrupted)" : "", options.max_errors);
  }
  report.checks.push_back(complete);

  if (options.min_pass_rate) {
    GateCheck check;
    check.gate = fmt::format("pass_rate >= {}", tracking::format_value(tracking::Value(*options.min_pass_rate)));
    check.value = summary.pass_rate;
    check.shown = human_number(summary.pass_rate);
    check.bound = fmt::format(">= {}", tracking::format_value(tracking::Value(*options.min_pass_rate)));
    check.passed = summary.pass_rate >= *options.min_pass_rate;
    if (!check.passed) check.reason = fmt::format("{} of {} cases passed", summary.passed, summary.cases);
    report.checks.push_back(check);
  }
  for (const auto& query : options.requires_) {
    std::vector<std::string> missing;
    for (const auto& key : query.keys()) {
      if (!metrics.contains(key.substr(kMetricPrefix.size()))) missing.push_back(key);
    }
    GateCheck check;
    check.gate = query.text();
    if (!missing.empty()) {
      check.shown = "missing";
      check.reason =
          fmt::format("{} {} not produced by this evaluation (no case gave {} a value)", fmt::join(missing, ", "),
                      missing.size() == 1 ? "was" : "were", missing.size() == 1 ? "it" : "them");
      check.incomplete = true;
      report.checks.push_back(check);
      continue;
    }
    auto lookup = [&](std::string_view key) -> std::optional<tracking::Value> {
      auto it = metrics.find(std::string(key.substr(kMetricPrefix.size())));
      if (it == metrics.end()) return std::nullopt;
      return tracking::Value(it->second);
    };
    auto checks = query.checks(lookup);
    check.passed = query.matches(lookup);
    if (checks.size() == 1) {
      const auto& only = checks.front();
      if (only.value) {
        if (auto* number = std::get_if<double>(&*only.value)) check.value = *number;
      }
      check.shown = check.value ? human_number(*check.value) : "missing";
      check.bound = fmt::format("{} {}", only.op, only.bound);
    } else {
      std::vector<std::string> values;
      for (const auto& c : checks) {
        auto* number = c.value ? std::get_if<double>(&*c.value) : nullptr;
        values.push_back(fmt::format("{} {}", c.key, number ? human_number(*number) : "missing"));
      }
      check.shown = fmt::format("{}", fmt::join(values, ", "));
    }
    if (!check.passed) check.reason = fmt::format("{} does not hold", query.text());
    report.checks.push_back(check);
  }
  if (options.baseline) {
    report.comparison = compare_results(*options.baseline, results);
    report.baseline_source = options.baseline_source;
    report.checks.push_back(golden_check(*report.comparison));
    report.checks.push_back(cases_check(*report.comparison, options.max_regressed_cases));
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
