// Writing the exposition format: one # HELP and # TYPE per metric family, its samples together,
// histogram buckets cumulative and ending at +Inf, then _sum and _count.
#include "mlops/trace/prometheus.hpp"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <map>

#include "mlops/trace/stats.hpp"

namespace mlops::trace {

namespace {

// Upper bounds of the latency and time-to-first-token histograms, in seconds: Prometheus names and
// measures durations in base units (promtool check metrics refuses _ms names).
constexpr double kLatencyBuckets[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

std::string value_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<std::int64_t>(v));
  return fmt::format("{}", v);
}

std::string label_set(const Labels& l, std::string_view extra = {}) {
  std::string s = fmt::format("operation=\"{}\",model=\"{}\",provider=\"{}\",prompt=\"{}\",kind=\"{}\"",
                              prometheus_escape(l.operation), prometheus_escape(l.model), prometheus_escape(l.provider),
                              prometheus_escape(l.prompt), prometheus_escape(l.kind));
  if (!extra.empty()) s += fmt::format(",{}", extra);
  return s;
}

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(std::string_view name, const std::string& labels, double v) {
    out += fmt::format("{}{{{}}} {}\n", name, labels, value_text(v));
  }
  std::string out;
};

}  // namespace

std::string prometheus_escape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

std::string prometheus_text(const Collection& c, const MonitorReport& report) {
  // Every sample up to the evaluation time, by label set.
  std::vector<GroupStats> groups(c.labels.size());
  for (const auto& s : c.samples) {
    if (s.end_ns <= report.at_ns) groups[s.labels].add(s, c.counts_tokens(s), c.error_types[s.error_type]);
  }
  for (const auto& e : c.evaluations) {
    if (e.time_ns <= report.at_ns) groups[e.labels].add_evaluation(c.evaluation_names[e.name], e.score);
  }
  Writer w;
  auto each = [&](const std::function<void(const Labels&, const GroupStats&)>& f) {
    for (std::uint32_t i = 0; i < groups.size(); ++i)
      if (groups[i].requests) f(c.labels.at(i), groups[i]);
  };
  w.family("mlops_genai_requests_total", "counter", "GenAI spans (requests) that ended by the evaluation time");
  each([&](const Labels& l, const GroupStats& g) {
    w.sample("mlops_genai_requests_total", label_set(l), static_cast<double>(g.requests));
  });
  w.family("mlops_genai_errors_total", "counter", "GenAI spans with an error status or error.type");
  each([&](const Labels& l, const GroupStats& g) {
    w.sample("mlops_genai_errors_total", label_set(l), static_cast<double>(g.errors));
  });
  w.family("mlops_genai_tokens_total", "counter",
           "Tokens by type (agent aggregates counted only without model calls below them)");
  each([&](const Labels& l, const GroupStats& g) {
    w.sample("mlops_genai_tokens_total", label_set(l, "type=\"input\""), static_cast<double>(g.input_tokens));
    w.sample("mlops_genai_tokens_total", label_set(l, "type=\"output\""), static_cast<double>(g.output_tokens));
    w.sample("mlops_genai_tokens_total", label_set(l, "type=\"cached_input\""), static_cast<double>(g.cached_tokens));
    w.sample("mlops_genai_tokens_total", label_set(l, "type=\"reasoning\""), static_cast<double>(g.reasoning_tokens));
  });
  w.family("mlops_genai_cost_usd_total", "counter", "Cost in USD of the calls with a cost or a price");
  each([&](const Labels& l, const GroupStats& g) { w.sample("mlops_genai_cost_usd_total", label_set(l), g.cost_usd); });
  w.family("mlops_genai_unpriced_calls_total", "counter", "Calls with tokens but no cost attribute and no price");
  each([&](const Labels& l, const GroupStats& g) {
    w.sample("mlops_genai_unpriced_calls_total", label_set(l), static_cast<double>(g.unpriced));
  });
  w.family("mlops_genai_guardrail_triggered_total", "counter", "Requests where a guardrail fired");
  each([&](const Labels& l, const GroupStats& g) {
    w.sample("mlops_genai_guardrail_triggered_total", label_set(l), static_cast<double>(g.guardrail_triggered));
  });
  auto histogram = [&](std::string_view name, std::string_view help, Sketch GroupStats::*member,
                       const std::vector<std::vector<double>>& values) {
    w.family(name, "histogram", help);
    std::size_t k = 0;
    for (std::uint32_t i = 0; i < groups.size(); ++i) {
      const GroupStats& g = groups[i];
      if (!g.requests) continue;
      const std::vector<double>& v = values[k++];
      const Labels& l = c.labels.at(i);
      for (double bound : kLatencyBuckets) {
        auto n = static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return x <= bound; }));
        w.sample(fmt::format("{}_bucket", name), label_set(l, fmt::format("le=\"{}\"", value_text(bound))), n);
      }
      w.sample(fmt::format("{}_bucket", name), label_set(l, "le=\"+Inf\""), static_cast<double>(v.size()));
      w.sample(fmt::format("{}_sum", name), label_set(l), (g.*member).sum() / 1000);
      w.sample(fmt::format("{}_count", name), label_set(l), static_cast<double>((g.*member).count()));
    }
  };
  // Bucket counts need the values themselves: one more pass over the samples.
  std::vector<std::vector<double>> latency, ttft;
  std::vector<std::int64_t> slot(groups.size(), -1);
  for (std::uint32_t i = 0; i < groups.size(); ++i) {
    if (!groups[i].requests) continue;
    slot[i] = static_cast<std::int64_t>(latency.size());
    latency.emplace_back();
    ttft.emplace_back();
  }
  for (const auto& s : c.samples) {
    if (s.end_ns > report.at_ns || slot[s.labels] < 0) continue;
    if (s.timing_ok) latency[static_cast<std::size_t>(slot[s.labels])].push_back(s.latency_ms() / 1000);
    if (known(s.ttft_ms)) ttft[static_cast<std::size_t>(slot[s.labels])].push_back(s.ttft_ms / 1000);
  }
  histogram("mlops_genai_latency_seconds", "Span duration in seconds", &GroupStats::latency_ms, latency);
  histogram("mlops_genai_ttft_seconds", "Time to first token in seconds", &GroupStats::ttft_ms, ttft);
  w.family("mlops_genai_evaluation_score", "gauge", "Mean score of gen_ai.evaluation.result records by evaluation");
  for (std::uint32_t i = 0; i < groups.size(); ++i) {
    for (const auto& [name, e] : groups[i].evaluations) {
      if (!e.scores.count()) continue;
      w.sample("mlops_genai_evaluation_score",
               label_set(c.labels.at(i), fmt::format("evaluation=\"{}\"", prometheus_escape(name))), e.scores.mean());
    }
  }
  if (c.feedback_loaded) {
    // Feedback by label set and signal (thumbs and ratings also by polarity), up to the evaluation time.
    std::map<std::pair<std::uint32_t, std::string>, std::uint64_t> feedback;
    for (const auto& f : c.feedback) {
      if (f.time_ns > report.at_ns) continue;
      std::string extra = fmt::format("signal=\"{}\"", to_string(f.signal));
      if (f.polarity != Polarity::none) extra += fmt::format(",polarity=\"{}\"", to_string(f.polarity));
      ++feedback[{f.labels, extra}];
    }
    w.family("mlops_genai_feedback_total", "counter", "Feedback events imported with mlops feedback import");
    for (const auto& [key, n] : feedback)
      w.sample("mlops_genai_feedback_total", label_set(c.labels.at(key.first), key.second), static_cast<double>(n));
  }
  w.family("mlops_monitor_rule_value", "gauge", "The value of each monitor rule's expression at the evaluation time");
  for (const auto& r : report.results) {
    if (r.value)
      w.sample("mlops_monitor_rule_value", fmt::format("alertname=\"{}\"", prometheus_escape(r.rule->alert)), *r.value);
  }
  w.family("mlops_monitor_rule_failed", "gauge",
           "1 when a rule fires or is incomplete (a cost over unpriced calls), else 0");
  for (const auto& r : report.results) {
    w.sample("mlops_monitor_rule_failed", fmt::format("alertname=\"{}\"", prometheus_escape(r.rule->alert)),
             fails(r.state) ? 1 : 0);
  }
  w.family("ALERTS", "gauge", "Pending and firing alerts, as Prometheus exposes them");
  for (const auto& r : report.results) {
    if (r.state != AlertState::firing && r.state != AlertState::pending) continue;
    std::string labels = fmt::format("alertname=\"{}\",alertstate=\"{}\"", prometheus_escape(r.rule->alert),
                                     r.state == AlertState::firing ? "firing" : "pending");
    for (const auto& [k, v] : r.rule->labels) {
      if (k == "alertname" || k == "alertstate") continue;
      labels += fmt::format(",{}=\"{}\"", k, prometheus_escape(v));
    }
    w.sample("ALERTS", labels, 1);
  }
  w.family("mlops_monitor_evaluation_timestamp_seconds", "gauge", "The time the rules were evaluated at (--at)");
  w.out += fmt::format("mlops_monitor_evaluation_timestamp_seconds {}\n",
                       value_text(static_cast<double>(report.at_ns / 1000000) / 1e3));
  return w.out;
}

}  // namespace mlops::trace
