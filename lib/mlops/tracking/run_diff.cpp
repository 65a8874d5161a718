#include "mlops/tracking/run_diff.hpp"

#include <set>

#include "mlops/tracking/display.hpp"

namespace mlops::tracking {

std::vector<RunSection> run_sections(const RunRecord& run) {
  std::map<std::string, std::string> metrics;
  for (const auto& [key, point] : run.metrics) metrics[key] = display_number(point.value);
  std::map<std::string, std::string> data;
  for (const auto& version : run.data) data[version.path] = version.hash;
  return {
      {"params", run.params},
      {"metrics", std::move(metrics)},
      {"data", std::move(data)},
      {"git", {{"commit", run.git_commit}, {"branch", run.git_branch}, {"dirty", run.git_dirty ? "true" : "false"}}},
      {"environment", run.environment},
      {"variables", run.variables},
  };
}

std::vector<Change> diff_maps(const std::map<std::string, std::string>& a,
                              const std::map<std::string, std::string>& b) {
  std::set<std::string> keys;
  for (const auto& [key, value] : a) keys.insert(key);
  for (const auto& [key, value] : b) keys.insert(key);
  std::vector<Change> changes;
  for (const auto& key : keys) {
    auto x = a.find(key), y = b.find(key);
    std::optional<std::string> va = x == a.end() ? std::nullopt : std::optional(x->second);
    std::optional<std::string> vb = y == b.end() ? std::nullopt : std::optional(y->second);
    if (va != vb) changes.push_back({key, va, vb});
  }
  return changes;
}

std::vector<SectionDiff> diff_runs(const RunRecord& a, const RunRecord& b) {
  auto left = run_sections(a);
  auto right = run_sections(b);
  std::vector<SectionDiff> sections;
  for (std::size_t i = 0; i < left.size(); ++i) {
    sections.push_back({left[i].name, diff_maps(left[i].values, right[i].values)});
  }
  return sections;
}

}  // namespace mlops::tracking
