#pragma once
// What differs between runs, section by section: params, final metrics, data versions, git state,
// environment and environment variables. `runs diff` prints it for two runs; the report's Compare
// view (view/) tabulates it for several.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// One section of a run as text keyed by name: "params" (name -> value), "metrics" (name -> final
// value as display_number writes it), "data" (path -> version hash), "git" (commit, branch,
// dirty), "environment", "variables". In this order.
struct RunSection {
  std::string name;
  std::map<std::string, std::string> values;
};
std::vector<RunSection> run_sections(const RunRecord& run);

// A key whose value is not the same in two runs; nullopt where a run lacks the key.
struct Change {
  std::string key;
  std::optional<std::string> a;
  std::optional<std::string> b;
};
// The keys of `a` or `b` whose values differ, sorted by key.
std::vector<Change> diff_maps(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b);

struct SectionDiff {
  std::string name;  // as RunSection::name
  std::vector<Change> changes;
};
// Every section of run_sections(), with what differs between `a` and `b` (possibly nothing).
std::vector<SectionDiff> diff_runs(const RunRecord& a, const RunRecord& b);

}  // namespace mlops::tracking
