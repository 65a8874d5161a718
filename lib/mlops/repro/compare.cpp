#include "mlops/repro/compare.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <set>

#include "mlops/repro/plan.hpp"

namespace mlops::repro {

bool MetricDelta::equal() const {
  if (!original || !rebuilt) return !original && !rebuilt;
  if (std::isnan(*original) && std::isnan(*rebuilt)) return true;
  return std::bit_cast<std::uint64_t>(*original) == std::bit_cast<std::uint64_t>(*rebuilt);
}

bool Comparison::identical() const {
  if (!exit_code_equal) return false;
  if (!artifacts.empty()) {
    return std::all_of(artifacts.begin(), artifacts.end(), [](const ArtifactCheck& a) { return a.identical(); });
  }
  return std::all_of(metrics.begin(), metrics.end(), [](const MetricDelta& m) { return m.equal(); });
}

Comparison compare_runs(const tracking::RunRecord& original, const tracking::RunRecord& rebuilt) {
  Comparison result;
  result.exit_code_equal = original.exit_code == rebuilt.exit_code;
  for (const auto& artifact : original.artifacts) {
    if (is_bookkeeping(artifact)) continue;
    ArtifactCheck check{artifact.name, artifact.hash, std::nullopt};
    for (const auto& other : rebuilt.artifacts) {
      if (other.name == artifact.name) check.rebuilt = other.hash;
    }
    result.artifacts.push_back(std::move(check));
  }

  std::set<std::string> metric_names;
  for (const auto& [name, point] : original.metrics) metric_names.insert(name);
  for (const auto& [name, point] : rebuilt.metrics) metric_names.insert(name);
  for (const auto& name : metric_names) {
    MetricDelta delta{name, std::nullopt, std::nullopt};
    if (auto it = original.metrics.find(name); it != original.metrics.end()) delta.original = it->second.value;
    if (auto it = rebuilt.metrics.find(name); it != rebuilt.metrics.end()) delta.rebuilt = it->second.value;
    result.metrics.push_back(delta);
  }

  std::set<std::string> keys;
  for (const auto& [key, value] : original.environment) keys.insert(key);
  for (const auto& [key, value] : rebuilt.environment) keys.insert(key);
  for (const auto& key : keys) {
    auto a = original.environment.find(key);
    auto b = rebuilt.environment.find(key);
    std::optional<std::string> before = a == original.environment.end() ? std::nullopt : std::optional(a->second);
    std::optional<std::string> after = b == rebuilt.environment.end() ? std::nullopt : std::optional(b->second);
    if (before != after) result.environment.push_back({key, before, after});
  }
  return result;
}

}  // namespace mlops::repro
