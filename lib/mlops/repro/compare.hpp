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

// How close two metric values must be to count as equal (`repro --rtol/--atol`): as NumPy's
// isclose, |rebuilt - original| <= atol + rtol * |original|. Zero for both: bit for bit.
struct Tolerance {
  double rtol = 0;
  double atol = 0;
  bool given() const { return rtol != 0 || atol != 0; }
};

struct MetricDelta {
  std::string name;
  std::optional<double> original;
  std::optional<double> rebuilt;
  bool equal() const;                             // the same value bit for bit (NaN equals NaN), or both missing
  bool within(const Tolerance& tolerance) const;  // equal(), or both finite and close enough
};

struct EnvironmentChange {
  std::string key;  // "tool.python3", "lockfile.requirements.txt", "os"
  std::optional<std::string> original;
  std::optional<std::string> rebuilt;
};

// Why a rebuild may differ, from what the original run recorded and what the comparison found.
enum class Cause {
  dirty_data,         // the original ran on data that its pointers do not describe
  dirty_tree,         // it ran on uncommitted changes: what its diff leaves out is not rebuilt
  redacted,           // its diff, command or params had values redacted: the rebuild ran with [redacted]
  environment,        // interpreter, packages, OS or lockfiles differ
  non_deterministic,  // same commit, data and environment: the command itself varies
};
std::string_view to_string(Cause cause);  // "dirty-data", "dirty-tree", ...

// How the rebuild stands against the original.
enum class Verdict {
  bit_identical,           // the command ended as before; every artifact has the same hash
  equal_within_tolerance,  // artifacts differ but every metric is within the tolerance given
  differs,
};
std::string_view to_string(Verdict verdict);  // "bit-identical", "equal within tolerance", "differs"

struct Comparison {
  std::vector<ArtifactCheck> artifacts;        // every artifact the original recorded but its log and diff
  std::vector<MetricDelta> metrics;            // every final metric either run has
  std::vector<EnvironmentChange> environment;  // only what differs
  bool exit_code_equal = true;
  Tolerance tolerance;
  // Bit-identical: the command ended as before and every artifact has the same hash; a run with
  // no artifacts is judged on its metrics instead.
  bool identical() const;
  // With a tolerance given: the command ended as before, every artifact was made (whatever its
  // hash), and every metric of the original (there is one at least) is within the tolerance.
  bool close_enough() const;
  // identical() is bit-identical; else close_enough() is equal within tolerance; else differs.
  Verdict verdict() const;
  // For a verdict that is not bit-identical: the likely causes, most likely first.
  std::vector<Cause> causes;
};

Comparison compare_runs(const tracking::RunRecord& original, const tracking::RunRecord& rebuilt,
                        const Tolerance& tolerance = {});

// One line that explains `cause` for `original` ("'data/train.csv' was other-version ...").
std::string explain(Cause cause, const tracking::RunRecord& original);

}  // namespace mlops::repro
