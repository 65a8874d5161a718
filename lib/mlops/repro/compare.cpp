#include "mlops/repro/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <set>

#include "mlops/repro/plan.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/secrets.hpp"

namespace mlops::repro {

bool MetricDelta::equal() const {
  if (!original || !rebuilt) return !original && !rebuilt;
  if (std::isnan(*original) && std::isnan(*rebuilt)) return true;
  return std::bit_cast<std::uint64_t>(*original) == std::bit_cast<std::uint64_t>(*rebuilt);
}

bool MetricDelta::within(const Tolerance& tolerance) const {
  if (equal()) return true;
  if (!original || !rebuilt || !std::isfinite(*original) || !std::isfinite(*rebuilt)) return false;
  return std::fabs(*rebuilt - *original) <= tolerance.atol + tolerance.rtol * std::fabs(*original);
}

std::string_view to_string(Cause cause) {
  switch (cause) {
    case Cause::dirty_data:
      return "dirty-data";
    case Cause::dirty_tree:
      return "dirty-tree";
    case Cause::redacted:
      return "redacted";
    case Cause::environment:
      return "environment";
    case Cause::non_deterministic:
      return "non-deterministic";
  }
  return "non-deterministic";
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::bit_identical:
      return "bit-identical";
    case Verdict::equal_within_tolerance:
      return "equal within tolerance";
    case Verdict::differs:
      return "differs";
  }
  return "differs";
}

Verdict Comparison::verdict() const {
  if (identical()) return Verdict::bit_identical;
  return close_enough() ? Verdict::equal_within_tolerance : Verdict::differs;
}

bool Comparison::close_enough() const {
  if (!tolerance.given() || !exit_code_equal) return false;
  bool all_made = std::all_of(artifacts.begin(), artifacts.end(), [](const ArtifactCheck& a) { return a.rebuilt; });
  bool close = std::all_of(metrics.begin(), metrics.end(),
                           [&](const MetricDelta& m) { return !m.original || m.within(tolerance); });
  // Without a metric there is nothing a tolerance could judge.
  bool judged = std::any_of(metrics.begin(), metrics.end(), [](const MetricDelta& m) { return m.original; });
  return all_made && close && judged;
}

std::string explain(Cause cause, const tracking::RunRecord& original) {
  switch (cause) {
    case Cause::dirty_data: {
      std::vector<std::string> names;
      for (const auto& version : original.data) {
        if (version.state != tracking::DataState::clean) {
          names.push_back(fmt::format("'{}' ({})", version.path, tracking::to_string(version.state)));
        }
      }
      return fmt::format(
          "the original run was data-dirty: it ran on data that its pointers did not describe: {}; the rebuild "
          "used what the run recorded",
          fmt::join(names, ", "));
    }
    case Cause::dirty_tree: {
      auto redactions = tracking::Redactions{};
      if (auto it = original.tags.find(std::string(tracking::kRedactedTag)); it != original.tags.end()) {
        redactions = tracking::Redactions::from_json(it->second);
      }
      auto left_out = tracking::DiffLeftOut::of(original);
      return fmt::format(
          "the original run was made on uncommitted changes: files git ignores, files too big for its diff{}{} are "
          "not in its git.diff and were not rebuilt",
          left_out.empty() ? std::string() : fmt::format(" ({})", left_out.describe()),
          redactions.files.empty() ? std::string()
                                   : fmt::format(" and credential files ({})", fmt::join(redactions.files, ", ")));
    }
    case Cause::redacted:
      return "credential-looking values were [redacted] in the original's record (its git.diff, command or "
             "params): the rebuild ran with [redacted] in their place";
    case Cause::environment:
      return "the environment differs (below)";
    case Cause::non_deterministic:
      return "same commit, data and environment: the command itself is likely not deterministic (unseeded "
             "randomness, thread scheduling, timestamps); seed it, or compare metrics with --rtol/--atol";
  }
  return {};
}

bool Comparison::identical() const {
  if (!exit_code_equal) return false;
  if (!artifacts.empty()) {
    return std::all_of(artifacts.begin(), artifacts.end(), [](const ArtifactCheck& a) { return a.identical(); });
  }
  return std::all_of(metrics.begin(), metrics.end(), [](const MetricDelta& m) { return m.equal(); });
}

Comparison compare_runs(const tracking::RunRecord& original, const tracking::RunRecord& rebuilt,
                        const Tolerance& tolerance) {
  Comparison result;
  result.tolerance = tolerance;
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

  if (result.identical()) return result;
  if (original.data_dirty) result.causes.push_back(Cause::dirty_data);
  if (original.git_dirty) result.causes.push_back(Cause::dirty_tree);
  if (auto it = original.tags.find(std::string(tracking::kRedactedTag)); it != original.tags.end()) {
    auto redactions = tracking::Redactions::from_json(it->second);
    if (redactions.diff > 0 || redactions.command > 0 || !redactions.params.empty()) {
      result.causes.push_back(Cause::redacted);
    }
  }
  if (!result.environment.empty()) result.causes.push_back(Cause::environment);
  // Dirty data alone seldom explains a difference: the rebuild had the data the run recorded, and
  // with the same environment the command itself may not be deterministic (found by a trial).
  bool only_data = result.causes.size() == 1 && result.causes[0] == Cause::dirty_data;
  if (result.causes.empty() || only_data) result.causes.push_back(Cause::non_deterministic);
  return result;
}

}  // namespace mlops::repro
