#include "mlops/registry/gates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace mlops::registry {

namespace {

constexpr std::string_view kMetricPrefix = "metrics.";

tracking::Lookup metrics_of(const Version& version) {
  return [&version](std::string_view key) -> std::optional<tracking::Value> {
    if (!key.starts_with(kMetricPrefix)) return std::nullopt;
    if (auto value = version.message.meta.metric(key.substr(kMetricPrefix.size()))) return tracking::Value(*value);
    return std::nullopt;
  };
}

// "auc, loss" (or "metrics.auc, metrics.loss" with a prefix), as a hint names them.
std::string recorded_metrics(const Version& version, std::string_view prefix = {}) {
  std::string list;
  for (const auto& [name, value] : version.message.meta.metrics) {
    list += fmt::format("{}{}{}", list.empty() ? "" : ", ", prefix, name);
  }
  return list.empty() ? "it recorded no metrics: register it with --metric NAME=VALUE, or from a run that logs them"
                      : "its metrics: " + list;
}

Error unrecorded(const Model& model, const Version& version, std::string_view metric, std::string_view role = {}) {
  return bad_input(fmt::format("'{}' {}{} recorded no metric '{}'", model.name, version.name, role, metric),
                   recorded_metrics(version));
}

std::optional<double> number_of(const std::optional<tracking::Value>& value) {
  if (!value) return std::nullopt;
  if (auto* d = std::get_if<double>(&*value)) return *d;
  return std::nullopt;
}

}  // namespace

std::vector<std::string> GateReport::trailers() const {
  std::vector<std::string> out;
  for (const auto& row : rows) {
    out.push_back(
        fmt::format("{}: {} (value {}, bound {})", row.gate, row.passed ? "pass" : "fail", row.value, row.bound));
  }
  return out;
}

Result<void> check_gates(const Model& model, const Version& candidate, const std::vector<tracking::Query>& requires_,
                         const std::optional<ChampionRule>& champion) {
  for (const auto& query : requires_) {
    for (const tracking::Comparison* comparison : query.comparisons()) {
      std::string_view key = comparison->key;
      if (!key.starts_with(kMetricPrefix) || key.size() == kMetricPrefix.size()) {
        Error e = tracking::query_error(
            query.text(), comparison->position,
            fmt::format("unknown key '{}': gates read the version's metrics, metrics.NAME", comparison->key));
        e.hint = recorded_metrics(candidate, kMetricPrefix);
        return std::unexpected(e);
      }
      auto metric = key.substr(kMetricPrefix.size());
      if (!candidate.message.meta.metric(metric)) {
        Error e = unrecorded(model, candidate, metric);
        e.message += fmt::format(" (gate '{}')", comparison->text);
        return std::unexpected(e);
      }
    }
  }
  if (champion) {
    if (!candidate.message.meta.metric(champion->metric)) {
      return std::unexpected(unrecorded(model, candidate, champion->metric));
    }
    const Version* holder = model.in_stage(champion->stage);
    if (holder && holder != &candidate && !holder->message.meta.metric(champion->metric)) {
      Error e = unrecorded(model, *holder, champion->metric, fmt::format(" (in '{}')", champion->stage));
      e.message += fmt::format(", so --better-than {} has nothing to compare", champion->stage);
      return std::unexpected(e);
    }
  }
  return {};
}

GateReport evaluate_gates(const Model& model, const Version& candidate, const std::vector<tracking::Query>& requires_,
                          const std::optional<ChampionRule>& champion) {
  GateReport report;
  auto lookup = metrics_of(candidate);
  for (const auto& query : requires_) {
    auto checks = query.checks(lookup);
    auto comparisons = query.comparisons();  // in the same order as the checks
    bool whole = query.matches(lookup);
    for (std::size_t i = 0; i < checks.size(); ++i) {
      const auto& check = checks[i];
      GateRow row;
      row.gate = check.text;
      row.value = check.value ? tracking::format_value(*check.value) : "missing";
      row.bound = fmt::format("{} {}", check.op, check.bound);
      row.passed = check.passed;
      row.value_number = number_of(check.value);
      row.op = check.op;
      for (const auto& bound : comparisons[i]->bounds) {
        if (auto number = number_of(bound)) row.bounds.push_back(*number);
      }
      row.bound_list =
          comparisons[i]->op == tracking::CompareOp::in || comparisons[i]->op == tracking::CompareOp::not_in;
      report.rows.push_back(std::move(row));
    }
    // A compound expression can hold while one of its comparisons fails (or): say so in one row.
    if (checks.size() > 1) {
      GateRow row;
      row.gate = query.text();
      row.passed = whole;
      report.rows.push_back(std::move(row));
    }
    report.passed = report.passed && whole;
  }
  if (champion) {
    const Version* holder = model.in_stage(champion->stage);
    GateRow row;
    auto mine = candidate.message.meta.metric(champion->metric);
    row.value = mine ? format_number(*mine) : "missing";
    row.value_number = mine;
    std::string op = champion->lower_is_better ? "<" : ">";
    if (!holder) {
      row.gate = fmt::format("{} better than {} (no version)", champion->metric, champion->stage);
      row.bound = "none";
      row.passed = true;  // no champion to beat
    } else if (holder == &candidate) {
      row.gate = fmt::format("{} better than {} ({}, this version)", champion->metric, champion->stage, holder->name);
      row.bound = "itself";
      row.passed = true;
    } else {
      row.gate = fmt::format("{} better than {} ({})", champion->metric, champion->stage, holder->name);
      auto theirs = holder->message.meta.metric(champion->metric);
      row.bound = theirs ? fmt::format("{} {}", op, format_number(*theirs)) : "missing";
      row.op = op;
      if (theirs) row.bounds.push_back(*theirs);
      row.passed = mine && theirs && (champion->lower_is_better ? *mine < *theirs : *mine > *theirs);
    }
    report.rows.push_back(row);
    report.passed = report.passed && row.passed;
  }
  return report;
}

bool sounds_lower_is_better(std::string_view metric) {
  std::string name;
  for (char c : metric) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Anywhere in the name: val_loss, logloss, train-error, errors.
  for (std::string_view part : {"loss", "error"}) {
    if (name.find(part) != std::string::npos) return true;
  }
  // Whole words only (mae, but not "maestro"): the names of error measures and costs.
  static constexpr std::string_view kWords[] = {
      "err", "rmse",  "mse", "mae",        "mape",    "smape",    "rmsle", "msle",   "mad", "wer", "cer", "ter",
      "nll", "brier", "ppl", "perplexity", "latency", "deviance", "cost",  "regret", "fpr", "fnr", "eer"};
  std::size_t at = 0;
  while (at < name.size()) {
    while (at < name.size() && !std::isalnum(static_cast<unsigned char>(name[at]))) ++at;
    std::size_t end = at;
    while (end < name.size() && std::isalnum(static_cast<unsigned char>(name[end]))) ++end;
    std::string_view word(name.data() + at, end - at);
    if (std::find(std::begin(kWords), std::end(kWords), word) != std::end(kWords)) return true;
    at = end;
  }
  return false;
}

}  // namespace mlops::registry
