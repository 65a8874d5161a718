// Monitoring (rules for latency, errors and quality that parse; a recent monitor check passed) and
// cost control (a budget, a rate limit, max_tokens in every prompt, a price for every model seen),
// both read from monitors.yaml at the repository's root.
#include <fmt/format.h>

#include <functional>
#include <set>

#include "mlops/ready/context.hpp"
#include "mlops/trace/collect.hpp"
#include "mlops/trace/monitor_run.hpp"
#include "mlops/trace/prices.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::ready {

namespace {

// A monitor check older than this is not "recent".
constexpr std::uint64_t kRecentNs = 7ull * 24 * 3600 * 1000000000;

using RulePredicate = std::function<bool(const trace::Rule&)>;

bool series_in(const trace::Rule& r, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (r.expr.series == n) return true;
  return false;
}

// A check that monitors.yaml has a rule `matches` accepts; the evidence names the first.
Check rule_check(const Context& c, std::string name, const RulePredicate& matches, std::string example) {
  Check check{std::move(name), false, "", ""};
  if (!c.monitors) {
    check.evidence = c.monitors_problem;
    check.fix = fmt::format("add to monitors.yaml: {}", example);
    return check;
  }
  for (const auto& r : c.monitors->rules) {
    if (!matches(r)) continue;
    check.ok = true;
    check.evidence = fmt::format("{}: {}", r.alert, r.expr.text);
    return check;
  }
  check.evidence = "none in monitors.yaml";
  check.fix = fmt::format("add to monitors.yaml: {}", example);
  return check;
}

bool windowed(const trace::Rule& r) { return r.expr.window_ns.has_value() && !r.drift; }

}  // namespace

Item monitoring(const Context& c) {
  Item item{"Monitoring", {}};
  Check parse{"monitors.yaml parses", c.monitors.has_value(), "", ""};
  if (c.monitors) {
    parse.evidence = fmt::format("{} rules", c.monitors->rules.size());
  } else {
    parse.evidence = c.monitors_problem;
    parse.fix = "write monitors.yaml (docs/monitoring.md), then: mlops monitor check";
  }
  item.checks.push_back(parse);
  item.checks.push_back(rule_check(
      c, "a latency rule",
      [](const trace::Rule& r) {
        return !r.drift && series_in(r, {"latency_ms", "ttft_ms"});
      },
      "expr: latency_ms.p95[5m] > 3000"));
  item.checks.push_back(rule_check(
      c, "an error rule",
      [](const trace::Rule& r) {
        return !r.drift && series_in(r, {"error_rate", "errors"});
      },
      "expr: error_rate[5m] > 0.02"));
  item.checks.push_back(rule_check(
      c, "a quality rule",
      [](const trace::Rule& r) {
        return r.drift || r.expr.series.starts_with(trace::kEvalPrefix) ||
               r.expr.series.starts_with(trace::kFeedbackSeries) || series_in(r, {"guardrail_rate", "truncation_rate"});
      },
      "expr: eval.hallucination.mean[1d] > 0.1 (or feedback.negative_rate[1d] > 0.2)"));
  Check recent{"a recent monitor check passed", false, "", "mlops monitor check"};
  if (!c.last_check) {
    recent.evidence = "no monitor check recorded in this repository";
  } else {
    // Only a check of the repository's monitors.yaml that evaluated its rules over data counts: a
    // check of another file, or at a time without spans, says nothing about these rules.
    const auto& r = *c.last_check;
    std::string when = trace::format_time(r.checked_ns);
    std::string at = trace::format_time(r.at_ns);
    if (r.rules_file != trace::kRepositoryMonitors) {
      recent.evidence = fmt::format("the last one checked '{}', not {}", r.rules_file, trace::kRepositoryMonitors);
    } else if (c.now_ns > r.checked_ns && c.now_ns - r.checked_ns > kRecentNs) {
      recent.evidence = fmt::format("the last one ran {}, over a week ago", when);
    } else if (!r.with_data) {
      recent.evidence = fmt::format("the last one ({}) was recorded by an older mlops", when);
    } else if (*r.with_data == 0) {
      recent.evidence = fmt::format("the last one ({}) had no data for any of its {} rules at {}", when, r.rules, at);
      recent.fix = "mlops monitor check (at a time its traces cover: --at TIME)";
    } else if (!r.passed()) {
      std::string fired;
      for (const auto& a : r.failed) fired += (fired.empty() ? "" : ", ") + a;
      recent.evidence = fmt::format("the last one ({}) fired: {}", when, fired);
    } else {
      recent.ok = true;
      recent.fix.clear();
      recent.evidence = fmt::format("{} of {} rules of {} evaluated over data at {}, none fired (checked {})",
                                    *r.with_data, r.rules, r.rules_file, at, when);
    }
  }
  item.checks.push_back(recent);
  return item;
}

Item cost_control(const Context& c) {
  Item item{"Cost control", {}};
  item.checks.push_back(rule_check(
      c, "a budget rule",
      [](const trace::Rule& r) {
        return windowed(r) && r.expr.series == "cost_usd" &&
               (r.expr.stat == trace::Stat::sum || r.expr.stat == trace::Stat::rate);
      },
      "expr: cost_usd.sum[1d] > 50"));
  item.checks.push_back(rule_check(
      c, "a rate limit",
      [](const trace::Rule& r) {
        return windowed(r) && (r.expr.series == "requests" || r.expr.series == "tokens") &&
               (r.expr.stat == trace::Stat::rate || r.expr.stat == trace::Stat::count ||
                r.expr.stat == trace::Stat::sum);
      },
      "expr: requests.rate[1m] > 10"));

  Check tokens{"max_tokens in every prompt", false, "", ""};
  std::vector<std::string> without;
  std::size_t parsed = 0;
  for (const auto& p : c.prompts) {
    if (!p.prompt) continue;
    ++parsed;
    if (!p.prompt->config.contains("max_tokens")) without.push_back(p.path);
  }
  if (parsed == 0) {
    tokens.evidence = "no prompts in prompts/";
    tokens.fix = "keep prompts as files under prompts/ with config: {max_tokens: N} (docs/prompts.md)";
  } else if (!without.empty()) {
    std::string names;
    for (const auto& w : without) names += (names.empty() ? "" : ", ") + w;
    tokens.evidence = fmt::format("{} of {} prompts have none: {}", without.size(), parsed, names);
    tokens.fix = "set config: {max_tokens: N} in their front matter";
  } else {
    tokens.ok = true;
    tokens.evidence = fmt::format("{} of {} prompts", parsed, parsed);
  }
  item.checks.push_back(tokens);

  Check prices{"a price for every model seen", false, "", ""};
  if (!c.monitors) {
    prices.evidence = c.monitors_problem;
    prices.fix = "name a price table in monitors.yaml: prices: prices.yaml";
  } else if (c.monitors->prices.empty()) {
    prices.evidence = "monitors.yaml names no price table";
    prices.fix = "add prices: prices.yaml to monitors.yaml (docs/traces.md, \"Prices\")";
  } else if (c.monitors->traces.empty()) {
    prices.evidence = "monitors.yaml names no traces to see models in";
    prices.fix = "add traces: [traces/*.jsonl] to monitors.yaml";
  } else {
    // The models seen are those of the traces monitors.yaml reads; one without a cost and a price
    // makes a budget incomplete.
    trace::MonitorFile no_rules = *c.monitors;
    no_rules.rules.clear();
    auto run = trace::run_monitor(no_rules, {}, c.now_ns, trace::SkipBad::yes, nullptr);
    if (!run) {
      prices.evidence = run.error().message;
      prices.fix = "mlops monitor check";
    } else if (auto unpriced = trace::unpriced_models(run->collection); !unpriced.empty()) {
      std::string names;
      for (const auto& [model, calls] : unpriced)
        names += fmt::format("{}{} ({} calls)", names.empty() ? "" : ", ", model, calls);
      prices.evidence = fmt::format("no price for {}", names);
      prices.fix = fmt::format("add them to {}", c.monitors->prices);
    } else {
      prices.ok = true;
      std::set<std::string> models;
      for (std::uint32_t i = 0; i < run->collection.labels.size(); ++i)
        if (!run->collection.labels.at(i).model.empty()) models.insert(run->collection.labels.at(i).model);
      prices.evidence = fmt::format("{} prices the {} models in {} spans", c.monitors->prices, models.size(),
                                    run->collection.samples.size());
    }
  }
  item.checks.push_back(prices);
  return item;
}

}  // namespace mlops::ready
