#include "mlops/llm/eval_results.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <string>

#include "mlops/llm/metrics.hpp"

namespace mlops::llm {

namespace {

using ojson = nlohmann::ordered_json;

// Twelve significant digits: a mean of 10,000 latencies is exact to far fewer, and the digits
// beyond are the noise of adding doubles (208.19150000000005), which the run would record.
double without_noise(double value) {
  if (!std::isfinite(value) || value == 0) return value;
  return std::stod(fmt::format("{:.12g}", value));
}

MetricSummary summarise(std::vector<double> values, bool higher) {
  MetricSummary summary;
  summary.higher_is_better = higher;
  summary.count = values.size();
  if (values.empty()) return summary;
  double sum = 0;
  for (double v : values) sum += v;
  summary.mean = without_noise(sum / static_cast<double>(values.size()));
  summary.p50 = without_noise(quantile(values, 0.5));
  summary.p95 = without_noise(quantile(values, 0.95));
  return summary;
}

ojson number_or_null(const std::optional<double>& value) { return value ? ojson(*value) : ojson(nullptr); }

}  // namespace

std::string human_number(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  if (value == std::trunc(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  if (std::fabs(value) >= 1e4) return fmt::format("{:.0f}", value);
  return fmt::format("{:.4g}", value);
}

std::string_view to_string(CaseStatus status) {
  switch (status) {
    case CaseStatus::pass:
      return "pass";
    case CaseStatus::fail:
      return "fail";
    case CaseStatus::error:
      return "error";
    case CaseStatus::skipped:
      return "skipped";
  }
  return "skipped";
}

std::optional<CaseStatus> parse_case_status(std::string_view text) {
  for (auto status : {CaseStatus::pass, CaseStatus::fail, CaseStatus::error, CaseStatus::skipped}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

EvalSummary EvalResults::summary() const {
  EvalSummary summary;
  // A latency assertion scores each case with its latency: latency_ms's numbers, recorded once.
  std::set<std::string, std::less<>> latency_assertions;
  for (const auto& [name, type] : assertion_types) {
    if (type == "latency") latency_assertions.insert(name);
  }
  std::map<std::string, std::vector<double>> scores;
  std::vector<double> latencies;
  std::map<std::string, std::pair<std::size_t, std::size_t>> per_provider;  // passed, total
  for (const auto& c : cases) {
    ++summary.cases;
    auto& provider = per_provider[c.provider];
    ++provider.second;
    switch (c.status) {
      case CaseStatus::pass:
        ++summary.passed;
        ++provider.first;
        break;
      case CaseStatus::fail:
        ++summary.failed;
        break;
      case CaseStatus::error:
        ++summary.errors;
        break;
      case CaseStatus::skipped:
        ++summary.skipped;
        break;
    }
    for (const auto& a : c.assertions) {
      if (a.type == "latency") latency_assertions.insert(a.name);  // results written before types were
      if (a.error.empty() && a.score) scores[a.name].push_back(*a.score);
    }
    if (c.response) {
      latencies.push_back(c.response->latency_ms);
      if (c.response->cost) summary.cost_total = summary.cost_total.value_or(0) + *c.response->cost;
      if (c.response->total_tokens) summary.tokens_total = summary.tokens_total.value_or(0) + *c.response->total_tokens;
    }
  }
  summary.pass_rate = summary.cases ? static_cast<double>(summary.passed) / static_cast<double>(summary.cases) : 0;
  for (const auto& name : assertion_names) {
    if (latency_assertions.contains(name)) continue;
    auto direction = higher_is_better.find(name);
    summary.metrics[name] = summarise(scores[name], direction == higher_is_better.end() || direction->second);
  }
  summary.metrics["latency_ms"] = summarise(latencies, false);

  auto& m = summary.run_metrics;
  m["pass_rate"] = summary.pass_rate;
  m["cases"] = static_cast<double>(summary.cases);
  m["passed"] = static_cast<double>(summary.passed);
  m["failed"] = static_cast<double>(summary.failed);
  m["errors"] = static_cast<double>(summary.errors);
  m["skipped"] = static_cast<double>(summary.skipped);
  for (const auto& [name, metric] : summary.metrics) {
    if (metric.count == 0) continue;  // never produced: a gate on it must find it missing
    m[name + ".mean"] = metric.mean;
    m[name + ".p50"] = metric.p50;
    m[name + ".p95"] = metric.p95;
  }
  if (summary.cost_total) {
    summary.cost_total = without_noise(*summary.cost_total);
    m["cost.total"] = *summary.cost_total;
  }
  if (summary.tokens_total) m["tokens.total"] = static_cast<double>(*summary.tokens_total);
  if (per_provider.size() > 1) {
    for (const auto& [id, counts] : per_provider) {
      m[id + ".pass_rate"] = counts.second ? static_cast<double>(counts.first) / static_cast<double>(counts.second) : 0;
    }
  }
  return summary;
}

nlohmann::ordered_json EvalResults::to_json() const {
  ojson doc;
  doc["format"] = "mlops-eval-results/1";
  doc["prompt"] = {{"file", prompt_file}, {"name", prompt_name}, {"version", prompt_version}};
  doc["golden"] = {{"file", golden_file}, {"version", golden_version}};
  ojson providers_json = ojson::object();
  for (const auto& [id, command] : providers) providers_json[id] = command;
  doc["providers"] = providers_json;
  ojson assertions = ojson::array();
  for (const auto& name : assertion_names) {
    auto direction = higher_is_better.find(name);
    ojson item{{"name", name}};
    if (auto type = assertion_types.find(name); type != assertion_types.end()) item["type"] = type->second;
    item["higher_is_better"] = direction == higher_is_better.end() || direction->second;
    assertions.push_back(std::move(item));
  }
  doc["assertions"] = assertions;
  doc["threshold"] = threshold;
  doc["interrupted"] = interrupted;
  ojson rows = ojson::array();
  for (const auto& c : cases) {
    ojson row;
    row["id"] = c.id;
    row["provider"] = c.provider;
    row["status"] = to_string(c.status);
    row["score"] = c.score;
    if (!c.tags.empty()) row["tags"] = c.tags;
    if (!c.error.empty()) row["error"] = c.error;
    if (c.response) {
      row["output"] = c.response->output;
      row["latency_ms"] = c.response->latency_ms;
      ojson tokens = ojson::object();
      if (c.response->prompt_tokens) tokens["prompt"] = *c.response->prompt_tokens;
      if (c.response->completion_tokens) tokens["completion"] = *c.response->completion_tokens;
      if (c.response->total_tokens) tokens["total"] = *c.response->total_tokens;
      if (!tokens.empty()) row["tokens"] = tokens;
      if (c.response->cost) row["cost"] = *c.response->cost;
      if (c.response->retrieved_ids) row["retrieved_ids"] = *c.response->retrieved_ids;
      row["cached"] = c.cached;
    }
    ojson asserts = ojson::array();
    for (const auto& a : c.assertions) {
      ojson item{{"name", a.name}, {"type", a.type}, {"pass", a.passed}, {"score", number_or_null(a.score)}};
      if (!a.error.empty()) item["error"] = a.error;
      if (!a.message.empty()) item["message"] = a.message;
      asserts.push_back(std::move(item));
    }
    row["assertions"] = std::move(asserts);
    rows.push_back(std::move(row));
  }
  doc["cases"] = std::move(rows);
  return doc;
}

std::string EvalResults::dump() const { return to_json().dump(1) + "\n"; }

}  // namespace mlops::llm
