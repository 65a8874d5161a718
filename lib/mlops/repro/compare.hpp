#pragma once
// Comparing a rebuilt run with the run it rebuilds: artifact hashes decide; metric deltas and
// environment differences (interpreter, OS, lockfiles) are what may explain a difference.
#include <optional>
#include <string>
#include <vector>

#include "mlops/tracking/run_store.hpp"

namespace mlops::repro {

struct ArtifactCheck {
  std::string name;
  std::string original;                // hash
  std::optional<std::string> rebuilt;  // nullopt: the rebuild did not produce it
  bool identical() const { return rebuilt && *rebuilt == original; }
};

struct MetricDelta {
  std::string name;
  std::optional<double> original;
  std::optional<double> rebuilt;
  bool equal() const;  // the same value bit for bit (NaN equals NaN), or both missing
};

struct EnvironmentChange {
  std::string key;  // "tool.python3", "lockfile.requirements.txt", "os"
  std::optional<std::string> original;
  std::optional<std::string> rebuilt;
};

struct Comparison {
  std::vector<ArtifactCheck> artifacts;        // every artifact the original recorded but its log and diff
  std::vector<MetricDelta> metrics;            // every final metric either run has
  std::vector<EnvironmentChange> environment;  // only what differs
  bool exit_code_equal = true;
  // Bit-identical: the command ended as before and every artifact has the same hash; a run with
  // no artifacts is judged on its metrics instead.
  bool identical() const;
};

Comparison compare_runs(const tracking::RunRecord& original, const tracking::RunRecord& rebuilt);

}  // namespace mlops::repro
