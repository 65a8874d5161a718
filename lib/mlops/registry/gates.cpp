#include "mlops/registry/gates.hpp"

#include <fmt/format.h>

namespace mlops::registry {

namespace {

tracking::Lookup metrics_of(const Version& version) {
  return [&version](std::string_view key) -> std::optional<tracking::Value> {
    constexpr std::string_view prefix = "metrics.";
    if (!key.starts_with(prefix)) return std::nullopt;
    if (auto value = version.message.meta.metric(key.substr(prefix.size()))) return tracking::Value(*value);
    return std::nullopt;
  };
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

GateReport evaluate_gates(const Model& model, const Version& candidate, const std::vector<tracking::Query>& requires_,
                          const std::optional<ChampionRule>& champion) {
  GateReport report;
  auto lookup = metrics_of(candidate);
  for (const auto& query : requires_) {
    auto checks = query.checks(lookup);
    bool whole = query.matches(lookup);
    for (const auto& check : checks) {
      report.rows.push_back({check.text, check.value ? tracking::format_value(*check.value) : "missing",
                             fmt::format("{} {}", check.op, check.bound), check.passed});
    }
    // A compound expression can hold while one of its comparisons fails (or): say so in one row.
    if (checks.size() > 1) report.rows.push_back({query.text(), "", "", whole});
    report.passed = report.passed && whole;
  }
  if (champion) {
    const Version* holder = model.in_stage(champion->stage);
    GateRow row;
    auto mine = candidate.message.meta.metric(champion->metric);
    row.value = mine ? format_number(*mine) : "missing";
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
      row.passed = mine && theirs && (champion->lower_is_better ? *mine < *theirs : *mine > *theirs);
    }
    report.rows.push_back(row);
    report.passed = report.passed && row.passed;
  }
  return report;
}

}  // namespace mlops::registry
