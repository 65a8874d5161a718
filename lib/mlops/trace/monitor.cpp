// Rule evaluation: select the samples of a window and labels, compute the statistic with the same
// GroupStats `trace stats` uses, compare, and walk back over `for`.
#include "mlops/trace/monitor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "mlops/core/suggest.hpp"
#include "mlops/trace/stats.hpp"
#include "mlops/trace/stats_report.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::trace {

namespace {

bool selected(const Expr& e, const Labels& labels) {
  for (const auto& m : e.matchers) {
    const std::string* v = labels.get(m.label);
    if (!v || !m.matches(*v)) return false;
  }
  return true;
}

bool in_window(std::uint64_t t, const Expr& e, std::uint64_t at) {
  if (t > at) return false;
  if (!e.window_ns) return true;
  return at < *e.window_ns || t > at - *e.window_ns;
}

ExprValue distribution_value(const Sketch& s, Stat stat) {
  ExprValue v;
  v.samples = s.count();
  if (stat == Stat::count) {
    v.value = static_cast<double>(s.count());
    return v;
  }
  if (stat == Stat::sum) {
    v.value = s.sum();
    return v;
  }
  if (s.count() == 0) return v;
  switch (stat) {
    case Stat::mean:
      v.value = s.mean();
      break;
    case Stat::min:
      v.value = s.min();
      break;
    case Stat::max:
      v.value = s.max();
      break;
    case Stat::p50:
      v.value = s.quantile(0.5);
      break;
    case Stat::p90:
      v.value = s.quantile(0.9);
      break;
    case Stat::p95:
      v.value = s.quantile(0.95);
      break;
    case Stat::p99:
      v.value = s.quantile(0.99);
      break;
    default:
      break;
  }
  return v;
}

ExprValue ratio(std::uint64_t part, std::uint64_t whole) {
  ExprValue v;
  v.samples = whole;
  if (whole) v.value = static_cast<double>(part) / static_cast<double>(whole);
  return v;
}

// A per-window amount: its sum, its rate per second over the window, or its mean per request.
ExprValue amount(double sum, std::uint64_t n, const Expr& e) {
  ExprValue v;
  v.samples = n;
  if (e.stat == Stat::sum) v.value = sum;
  if (e.stat == Stat::rate) v.value = sum / (static_cast<double>(*e.window_ns) / 1e9);
  if (e.stat == Stat::mean && n) v.value = sum / static_cast<double>(n);
  return v;
}

std::string number(std::optional<double> v) { return v ? short_number(*v) : "-"; }

}  // namespace

std::string_view to_string(AlertState s) {
  switch (s) {
    case AlertState::inactive:
      return "ok";
    case AlertState::pending:
      return "pending";
    case AlertState::firing:
      return "firing";
    case AlertState::no_data:
      return "no data";
    case AlertState::insufficient:
      return "too few samples";
    case AlertState::incomplete:
      return "incomplete";
  }
  return "ok";
}

bool MonitorReport::failed() const {
  return std::any_of(results.begin(), results.end(), [](const RuleResult& r) { return fails(r.state); });
}

ExprValue evaluate_expr(const Expr& e, const Collection& c, std::uint64_t at) {
  std::vector<char> label_ok(c.labels.size());
  for (std::uint32_t i = 0; i < c.labels.size(); ++i) label_ok[i] = selected(e, c.labels.at(i));
  GroupStats g;
  bool eval_series = e.series.starts_with(kEvalPrefix);
  if (eval_series) {
    std::string name = e.series.substr(kEvalPrefix.size());
    Sketch scores;
    for (const auto& ev : c.evaluations) {
      if (!label_ok[ev.labels] || !in_window(ev.time_ns, e, at) || c.evaluation_names[ev.name] != name) continue;
      if (known(ev.score)) scores.add(ev.score);
    }
    return distribution_value(scores, e.stat);
  }
  if (e.series.starts_with(kFeedbackSeries)) {
    FeedbackStats f;
    for (const auto& fb : c.feedback)
      if (label_ok[fb.labels] && in_window(fb.time_ns, e, at)) f.add(fb);
    const std::string& series = e.series;
    if (series == "feedback.negative_rate") return ratio(f.negative, f.judgements);
    if (series == "feedback.positive_rate") return ratio(f.positive, f.judgements);
    if (series == "feedback.edit_rate") return ratio(f.edits, f.events);
    if (series == "feedback.copy_rate") return ratio(f.copies, f.events);
    if (series == "feedback.regenerate_rate") return ratio(f.regenerations, f.events);
    if (series == "feedback.rating") return distribution_value(f.ratings, e.stat);
    ExprValue v = amount(static_cast<double>(f.events), f.events, e);
    if (e.stat == Stat::count) v.value = static_cast<double>(f.events);
    return v;
  }
  for (const auto& s : c.samples) {
    if (!label_ok[s.labels] || !in_window(s.end_ns, e, at)) continue;
    g.add(s, c.counts_tokens(s), c.error_types[s.error_type]);
  }
  const std::string& series = e.series;
  if (series == "requests" || series == "errors") {
    std::uint64_t n = series == "requests" ? g.requests : g.errors;
    ExprValue v = amount(static_cast<double>(n), g.requests, e);
    if (e.stat == Stat::count) v.value = static_cast<double>(n);
    return v;
  }
  if (series == "error_rate") return ratio(g.errors, g.requests);
  if (series == "guardrail_rate") return ratio(g.guardrail_triggered, g.requests);
  if (series == "truncation_rate") return ratio(g.truncated, g.with_finish_reason);
  if (series == "latency_ms") return distribution_value(g.latency_ms, e.stat);
  if (series == "ttft_ms") return distribution_value(g.ttft_ms, e.stat);
  if (series == "retrieval_ms") return distribution_value(g.retrieval_ms, e.stat);
  if (series == "documents") return distribution_value(g.documents, e.stat);
  if (series == "cost_usd") {
    ExprValue v = amount(g.cost_usd, g.cost_from_prices + g.cost_from_spans + g.cost_unknown(), e);
    v.unpriced = g.unpriced;
    v.tokens_missing = g.tokens_missing;
    v.incomplete = g.cost_unknown() > 0;
    return v;
  }
  double sum = 0;
  if (series == "input_tokens") sum = static_cast<double>(g.input_tokens);
  if (series == "output_tokens") sum = static_cast<double>(g.output_tokens);
  if (series == "cached_tokens") sum = static_cast<double>(g.cached_tokens);
  if (series == "reasoning_tokens") sum = static_cast<double>(g.reasoning_tokens);
  if (series == "tokens") sum = static_cast<double>(g.input_tokens + g.output_tokens);
  ExprValue v = amount(sum, g.with_tokens + g.usage_unreported, e);
  // A limit on input or output tokens cannot be judged over calls whose counts are unknown.
  if (series == "input_tokens" || series == "output_tokens" || series == "tokens") {
    v.tokens_missing = g.partial_tokens + g.usage_unreported;
    v.incomplete = v.tokens_missing > 0;
  }
  return v;
}

Result<void> check_evaluation_series(const MonitorFile& file, const Collection& c) {
  if (c.evaluation_names.empty()) return {};  // no evaluation at all: the rules have no data (missing_source)
  for (const auto& r : file.rules) {
    if (!r.expr.series.starts_with(kEvalPrefix)) continue;
    std::string name = r.expr.series.substr(kEvalPrefix.size());
    if (std::find(c.evaluation_names.begin(), c.evaluation_names.end(), name) != c.evaluation_names.end()) continue;
    std::string known;
    for (const auto& n : c.evaluation_names) known += (known.empty() ? "" : ", ") + std::string(kEvalPrefix) + n;
    std::string near = closest(name, c.evaluation_names);
    std::string hint = fmt::format("{}the evaluations in the inputs: {}",
                                   near.empty() ? "" : fmt::format("did you mean 'eval.{}'? ", near), known);
    return std::unexpected(bad_input(
        fmt::format("'{}', alert '{}': series '{}' does not exist in the inputs", file.path, r.alert, r.expr.series),
        hint));
  }
  return {};
}

std::optional<std::string> missing_source(const Expr& e, const Collection& c) {
  if (e.series.starts_with(kEvalPrefix) && c.evaluation_names.empty())
    return "the inputs hold no gen_ai.evaluation.result records (is the judge's log export among them?)";
  if (e.series.starts_with(kFeedbackSeries) && !c.feedback_loaded)
    return "no feedback was imported in this repository (mlops feedback import EVENTS.jsonl)";
  return std::nullopt;
}

std::string expand_template(const std::string& text, std::optional<double> value,
                            const std::map<std::string, std::string>& labels) {
  std::string out;
  std::size_t p = 0;
  for (;;) {
    std::size_t open = text.find("{{", p);
    std::size_t close = open == std::string::npos ? std::string::npos : text.find("}}", open + 2);
    if (close == std::string::npos) break;
    std::string_view field = std::string_view(text).substr(open + 2, close - open - 2);
    while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
    while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
    out.append(text, p, open - p);
    if (field == "$value") {
      out += number(value);
    } else if (field.starts_with("$labels.")) {
      if (auto l = labels.find(std::string(field.substr(8))); l != labels.end()) out += l->second;
    } else {
      out.append(text, open, close + 2 - open);  // not ours: left as written
    }
    p = close + 2;
  }
  out.append(text, p);
  return out;
}

Result<MonitorReport> evaluate_rules(const MonitorFile& file, const Collection& c, std::uint64_t at,
                                     const DriftRunner& run_drift) {
  MonitorReport report;
  report.at_ns = at;
  for (const auto& rule : file.rules) {
    RuleResult r;
    r.rule = &rule;
    if (rule.drift) {
      if (!run_drift)
        return std::unexpected(bad_input(fmt::format("alert '{}': drift rules cannot run here", rule.alert)));
      auto outcome = run_drift(*rule.drift);
      if (!outcome) {
        // The drift check's own words, with the rule they come from.
        Error e = outcome.error();
        e.message = fmt::format("'{}', alert '{}' (drift): {}", file.path, rule.alert, e.message);
        if (e.hint.empty())
          e.hint = "drift: reads reference and current relative to the rules file's folder, or as PATH@REV";
        return std::unexpected(std::move(e));
      }
      r.value = outcome->share;
      r.samples = outcome->rows;
      r.state = outcome->drift ? AlertState::firing : AlertState::inactive;
      std::string names;
      for (std::size_t i = 0; i < outcome->drifted_names.size() && i < 5; ++i)
        names += (i ? ", " : "") + outcome->drifted_names[i];
      r.reason = fmt::format("{} of {} columns drifted{}{}", outcome->drifted, outcome->columns,
                             names.empty() ? "" : ": ", names);
      for (const auto& [k, v] : rule.annotations) r.annotations[k] = expand_template(v, r.value, rule.labels);
      report.results.push_back(std::move(r));
      continue;
    }
    const Expr& e = rule.expr;
    if (auto why = missing_source(e, c)) {
      r.state = AlertState::no_data;
      r.source_missing = true;
      r.reason = fmt::format("no data: {}", *why);
      for (const auto& [k, v] : rule.annotations) r.annotations[k] = expand_template(v, r.value, rule.labels);
      report.results.push_back(std::move(r));
      continue;
    }
    ExprValue now = evaluate_expr(e, c, at);
    r.value = now.value;
    r.samples = now.samples;
    std::string condition = fmt::format("{} {} {}", e.name(), to_string(e.op), short_number(e.threshold));
    if (now.incomplete) {
      r.state = AlertState::incomplete;
      r.reason = now.unpriced
                     ? fmt::format("{} of the {} calls have no price: the cost is unknown", now.unpriced, now.samples)
                     : fmt::format("{} of the {} calls lack input or output tokens: the {} is unknown",
                                   now.tokens_missing, now.samples, e.series == "cost_usd" ? "cost" : "token count");
    } else if (now.samples < rule.min_count) {
      r.state = AlertState::insufficient;
      r.reason = fmt::format("{} samples, min_count is {}: not evaluated", now.samples, rule.min_count);
    } else if (!now.value) {
      r.state = AlertState::no_data;
      r.reason = "no samples in the window";
    } else if (!compare(*now.value, e.op, e.threshold)) {
      r.state = AlertState::inactive;
      r.reason = fmt::format("{} is {}: not {} {}", e.name(), short_number(*now.value), to_string(e.op),
                             short_number(e.threshold));
    } else if (rule.for_ns == 0) {
      r.state = AlertState::firing;
      r.reason = fmt::format("{} is {}", e.name(), short_number(*now.value));
    } else {
      // Held since when? Walk back one interval at a time until it did not hold, or `for` is covered.
      std::uint64_t held = 0;
      while (held < rule.for_ns) {
        std::uint64_t step = std::min(file.interval_ns, rule.for_ns - held);
        if (held + step > at) break;
        std::uint64_t t = at - held - step;
        ExprValue then = evaluate_expr(e, c, t);
        if (then.incomplete || then.samples < rule.min_count || !then.value || !compare(*then.value, e.op, e.threshold))
          break;
        held += step;
      }
      if (held >= rule.for_ns) {
        r.state = AlertState::firing;
        r.reason = fmt::format("{} is {}, and {} for {}", e.name(), short_number(*now.value), condition,
                               format_duration(rule.for_ns));
      } else {
        r.state = AlertState::pending;
        r.reason = fmt::format("{} is {}; {} for {} of {}", e.name(), short_number(*now.value), condition,
                               format_duration(held), format_duration(rule.for_ns));
      }
    }
    for (const auto& [k, v] : rule.annotations) r.annotations[k] = expand_template(v, r.value, rule.labels);
    report.results.push_back(std::move(r));
  }
  return report;
}

}  // namespace mlops::trace
