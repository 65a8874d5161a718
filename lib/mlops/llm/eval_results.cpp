#include "mlops/llm/eval_results.hpp"

#include <fmt/format.h>

#include <cmath>

#include "mlops/llm/metrics.hpp"

namespace mlops::llm {

namespace {

using ojson = nlohmann::ordered_json;

MetricSummary summarise(std::vector<double> values, bool higher) {
  MetricSummary summary;
  summary.higher_is_better = higher;
  summary.count = values.size();
  if (values.empty()) return summary;
  double sum = 0;
  for (double v : values) sum += v;
  summary.mean = sum / static_cast<double>(values.size());
  summary.p50 = quantile(values, 0.5);
  summary.p95 = quantile(values, 0.95);
  return summary;
}

ojson number_or_null(const std::optional<double>& value) { return value ? ojson(*value) : ojson(nullptr); }

}  // namespace

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
  if (summary.cost_total) m["cost.total"] = *summary.cost_total;
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
    assertions.push_back(
        {{"name", name}, {"higher_is_better", direction == higher_is_better.end() || direction->second}});
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

Result<EvalResults> EvalResults::from_json(std::string_view text, std::string_view source) {
  auto bad = [&](std::string what) {
    return std::unexpected(bad_input(fmt::format("'{}' is not the results of an evaluation: {}", source, what),
                                     "give a run recorded by 'mlops eval run', or the file it wrote with -o"));
  };
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad("not a JSON object");
  if (doc.value("format", std::string()) != "mlops-eval-results/1")
    return bad("no \"format\": \"mlops-eval-results/1\"");
  EvalResults results;
  try {
    results.prompt_file = doc["prompt"].value("file", "");
    results.prompt_name = doc["prompt"].value("name", "");
    results.prompt_version = doc["prompt"].value("version", "");
    results.golden_file = doc["golden"].value("file", "");
    results.golden_version = doc["golden"].value("version", "");
    for (const auto& [id, command] : doc["providers"].items()) results.providers[id] = command.get<std::string>();
    for (const auto& a : doc["assertions"]) {
      auto name = a.at("name").get<std::string>();
      results.assertion_names.push_back(name);
      results.higher_is_better[name] = a.value("higher_is_better", true);
    }
    results.threshold = doc.value("threshold", 1.0);
    results.interrupted = doc.value("interrupted", false);
    for (const auto& row : doc.at("cases")) {
      CaseResult c;
      c.id = row.at("id").get<std::string>();
      c.provider = row.at("provider").get<std::string>();
      auto status = parse_case_status(row.at("status").get<std::string>());
      if (!status) return bad(fmt::format("case '{}' has an unknown status", c.id));
      c.status = *status;
      c.score = row.value("score", 0.0);
      if (row.contains("tags")) c.tags = row["tags"].get<std::vector<std::string>>();
      c.error = row.value("error", "");
      if (row.contains("output")) {
        Response r;
        r.output = row["output"].get<std::string>();
        r.latency_ms = row.value("latency_ms", 0.0);
        if (auto t = row.find("tokens"); t != row.end()) {
          if (t->contains("prompt")) r.prompt_tokens = (*t)["prompt"].get<std::int64_t>();
          if (t->contains("completion")) r.completion_tokens = (*t)["completion"].get<std::int64_t>();
          if (t->contains("total")) r.total_tokens = (*t)["total"].get<std::int64_t>();
        }
        if (row.contains("cost")) r.cost = row["cost"].get<double>();
        if (row.contains("retrieved_ids")) r.retrieved_ids = row["retrieved_ids"].get<std::vector<std::string>>();
        c.response = std::move(r);
        c.cached = row.value("cached", false);
      }
      for (const auto& item : row.at("assertions")) {
        AssertResult a;
        a.name = item.at("name").get<std::string>();
        a.type = item.value("type", "");
        a.passed = item.value("pass", false);
        if (item.contains("score") && item["score"].is_number()) a.score = item["score"].get<double>();
        a.error = item.value("error", "");
        a.message = item.value("message", "");
        c.assertions.push_back(std::move(a));
      }
      results.cases.push_back(std::move(c));
    }
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
  return results;
}

}  // namespace mlops::llm
