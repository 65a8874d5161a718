#pragma once
// Filtering and sorting runs with the filter language (query.hpp): the keys a run answers to,
// and the selection behind `runs list`.
//   attributes: id, name, status, user, host, start_time, end_time (ISO 8601 UTC text),
//               duration (seconds), exit_code, command, git.commit, git.branch, git.dirty,
//               data.dirty ("true"/"false")
//   metrics.NAME (final value), params.NAME, tags.NAME
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/tracking/query.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// The value of an attribute key (not metrics./params./tags.) of `run`; nullopt when unset.
std::optional<Value> run_attribute(const RunRecord& run, std::string_view key);
// Whether `key` is an attribute or a metrics./params./tags. key.
bool is_run_key(std::string_view key);
// The attribute keys (id, name, status, ..., git.dirty), in the order the docs list them.
std::vector<std::string_view> run_attributes();

struct RunSelection {
  std::optional<Query> where;
  std::optional<SortKey> sort;       // default: newest first
  std::vector<std::string> columns;  // further keys whose values the caller wants
  std::size_t offset = 0;            // runs skipped, in the selection's order, before the limit
  std::size_t limit = 0;             // 0: no limit
};

struct SelectedRun {
  RunRecord run;                        // attributes only: no params, metrics or tags
  std::map<std::string, Value> values;  // the keys of where, sort and columns that the run has
};

// Bad input, pointing into the query, for a key that runs do not have.
Result<void> check_run_keys(const Query& query);
Result<std::vector<SelectedRun>> select_runs(RunStore& store, const RunSelection& selection);

// One page of a selection (its offset and limit) and how many runs the whole selection has.
// Without where or sort, SQLite reads only the page's rows and counts the rest.
struct RunPage {
  std::vector<SelectedRun> runs;
  std::size_t total = 0;
};
Result<RunPage> select_page(RunStore& store, const RunSelection& selection);

// For each params./metrics./tags. key of `keys` that no run in the store has, a warning such as
// "no run has 'metrics.val_ac': did you mean 'metrics.val_acc'?" (the nearest key of any kind):
// a filter, sort or column on a misspelt key would otherwise match nothing, silently.
Result<std::vector<std::string>> unknown_key_warnings(RunStore& store, const std::vector<std::string>& keys);

// The values of one key for a list of runs.
struct RunColumn {
  std::string key;                           // "params.lr", "metrics.acc"
  std::vector<std::optional<Value>> values;  // values[i] is that of runs[i]; nullopt: the run has none
};

// The params and final metrics whose values are not the same in every one of `runs` (a run
// without the key counts as a value of its own; numbers compare as numbers, NaN equal to NaN),
// with their values: "params.NAME" keys first, then "metrics.NAME", each sorted. Reads the
// values of these runs only. What `runs list` shows by default.
Result<std::vector<RunColumn>> varying_columns(RunStore& store, const std::vector<SelectedRun>& runs);

}  // namespace mlops::tracking
