#pragma once
// The runs database `.mlops/runs.db` (SQLite, WAL, busy timeout): runs, params, metrics with
// history, tags, artifacts and data versions. This is the library API that `mlops run`, `log`,
// `runs`, the model registry and repro use.
//
// Contract:
//  - Every write is one BEGIN IMMEDIATE transaction: many processes of a sweep may log to one
//    repository at once; writers wait for each other (busy timeout) and nothing is lost.
//  - Run ids are 14 lowercase Crockford base-32 characters: 10 of milliseconds since the epoch,
//    then 4 random ones, so sorting ids sorts runs by start time. Any unambiguous prefix names
//    a run (resolve()), as with git.
//  - A metric's "final" value is the one at its highest step (ties: the last logged), as MLflow's
//    latest metrics. Metric values are stored faithfully, NaN and infinities included.
//  - Errors: unknown or ambiguous run ids, a param changed to a different value, and importing
//    a run that exists are bad input (exit 2); database failures are environment errors (exit 3).
#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/tracking/process.hpp"

namespace mlops::sql {
class Database;
}

namespace mlops::tracking {

struct Redactions;  // secrets.hpp

// How a run stands. Stored, exported and filtered (status = 'finished') by its name.
enum class RunStatus { running, finished, failed, killed };
std::string_view to_string(RunStatus status);  // "running", "finished", "failed", "killed"
std::optional<RunStatus> parse_status(std::string_view text);
// The statuses by their former constant names, for code written before RunStatus (the registry's
// branch); new code names RunStatus::finished.
inline constexpr RunStatus kRunning = RunStatus::running;
inline constexpr RunStatus kFinished = RunStatus::finished;
inline constexpr RunStatus kFailed = RunStatus::failed;
inline constexpr RunStatus kKilled = RunStatus::killed;

struct MetricPoint {
  std::string key;
  double value = 0;
  std::int64_t step = 0;
  std::int64_t timestamp_ms = 0;  // when it was logged (ms since the epoch)
};

struct Artifact {
  std::string name;  // "model.pkl", "output.log", "git.diff"
  std::string hash;  // "xxh3:..." of the file, or of the manifest for a folder
  std::uint64_t size = 0;
  std::string kind = "file";  // file | dir
  std::uint64_t files = 1;
};

// How the workspace held a tracked dataset when a run started, against its pointer file.
enum class DataState {
  clean,          // as the pointer says
  other_version,  // another version, one that is in the cache (after `data checkout --rev OLD`)
  modified,       // content that is in no version: edited, not added (cannot be rebuilt)
  missing,        // not in the workspace at all
  conflict,       // a merge left its pointer conflicted: no one version (hash: our side's)
};
std::string_view to_string(DataState state);  // "clean", "other-version", "modified", "missing", "conflict"
std::optional<DataState> parse_data_state(std::string_view text);

struct DataVersion {
  std::string path;          // data path relative to the repository root: "data/train.csv"
  std::string pointer_file;  // "data/train.csv.mlops"
  std::string hash;          // what the run ran on (for a missing dataset: what the pointer says)
  std::uint64_t size = 0;
  std::string kind = "file";
  DataState state = DataState::clean;
  std::string pointer_hash{};  // what the pointer said, when the run ran on something else
};

// Everything recorded about a run.
struct RunRecord {
  std::string id;
  std::string name;
  std::string user;
  std::string host;
  std::string start_time;               // ISO 8601 UTC with milliseconds: 2026-11-29T02:41:07.123Z
  std::optional<std::string> end_time;  // unset while running
  std::optional<double> duration;       // seconds
  std::vector<std::string> command;     // argv of the command run; empty for `run start`
  std::string cwd;                      // relative to the repository root ("" for the root)
  std::optional<int> exit_code;
  RunStatus status = RunStatus::running;
  std::string git_commit;  // empty in a repository without commits
  std::string git_branch;  // empty on a detached HEAD
  bool git_dirty = false;  // the diff is then the artifact named "git.diff"
  // Some tracked dataset was not as its pointer says (DataVersion::state): the commit alone
  // does not tell what the run ran on.
  bool data_dirty = false;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
  std::map<std::string, MetricPoint> metrics;  // final value of each metric
  std::vector<DataVersion> data;
  std::vector<Artifact> artifacts;
  std::map<std::string, std::string> environment;  // os, kernel, cpu, tool versions, lockfile hashes
  std::map<std::string, std::string> variables;    // environment variables, secrets redacted
  // The process that closes the run when its command ends (`mlops run`); unset for runs opened
  // with `run start` (closed by `run end`) and for imported runs. Not exported.
  std::optional<ProcessIdentity> watcher;
};

// A new run id for a run starting at `start_ms` (ms since the epoch).
std::string make_run_id(std::int64_t start_ms);
std::int64_t now_ms();
std::string format_time(std::int64_t ms);  // ISO 8601 UTC with milliseconds

class RunStore {
 public:
  // Opens `.mlops/runs.db`, creating it and its tables on first use.
  static Result<RunStore> open(const Repo& repo);
  RunStore(RunStore&&) noexcept;
  RunStore& operator=(RunStore&&) noexcept;
  ~RunStore();

  // The full id of the run `id_or_prefix` names (a whole id or an unambiguous prefix).
  // Bad input when no run or several runs match (the message lists some candidates).
  Result<std::string> resolve(std::string_view id_or_prefix);
  // The whole record of run `id` (a full id; use resolve() first for user input).
  Result<RunRecord> get(std::string_view id);
  // Whether run `id` exists.
  Result<bool> exists(std::string_view id);

  // Inserts a run with its params, tags, data versions, artifacts and environment, plus the
  // metric history `history` (record.metrics is derived from it). Used by `mlops run`, by repro
  // (a recorded command rerun as a new run tagged repro_of=ID) and by import. Bad input when a
  // run with this id exists.
  Result<void> create(const RunRecord& record, const std::vector<MetricPoint>& history = {});
  // As create() for many runs (histories[i] goes with records[i]), all or none.
  Result<void> create_all(const std::vector<RunRecord>& records,
                          const std::vector<std::vector<MetricPoint>>& histories);
  // Closes a run: end time, duration (from its start), exit code and status.
  Result<void> finish(std::string_view id, RunStatus status, std::optional<int> exit_code, std::int64_t end_ms);

  // Appends metric points (one transaction for all of them).
  Result<void> log_metrics(std::string_view id, const std::vector<MetricPoint>& points);
  // Sets params; a param already logged with a different value is bad input (as in MLflow),
  // and then none of `params` is stored. Credential-looking values are stored as [redacted]
  // (secrets.hpp), and the run's mlops.redacted tag says so.
  Result<void> log_params(std::string_view id, std::map<std::string, std::string> params);
  // Sets tags (a tag may change); redacted as log_params.
  Result<void> set_tags(std::string_view id, std::map<std::string, std::string> tags);
  // Adds to what the run's mlops.redacted tag says was redacted (a log scrubbed when it is stored).
  Result<void> add_redactions(std::string_view id, const Redactions& redactions);
  // Replaces the run's environment description (collected while its command ran).
  Result<void> set_environment(std::string_view id, const std::map<std::string, std::string>& environment);
  // Records an artifact whose content is already in the cache; same name replaces.
  Result<void> add_artifact(std::string_view id, const Artifact& artifact);
  // Marks as killed every running run whose watcher (`mlops run`) is certainly gone: it was
  // recorded on this host, and this machine has booted since or no process with its pid and start
  // time exists (SIGKILL, OOM killer, crash). Without this such a run would stay running forever.
  // Returns the ids of the runs marked; writes nothing when there are none.
  Result<std::vector<std::string>> mark_lost_runs();
  // Deletes a run and everything recorded with it (cache objects stay: gc's job).
  Result<void> remove(std::string_view id);

  // The history of one metric (or of all metrics when `key` is empty), by key, step, log order.
  Result<std::vector<MetricPoint>> history(std::string_view id, std::string_view key = {});

  // The rows `runs list` filters and sorts: runs newest first (at most `limit` of them, 0: all,
  // after skipping `offset`), with their attributes but without params, metrics, tags and
  // environment, which column_*() and visit_*() fetch. The command is left empty unless asked
  // for (parsing it is most of the cost).
  Result<std::vector<RunRecord>> list_runs(bool with_command = true, std::size_t limit = 0, std::size_t offset = 0);
  // How many runs the store has.
  Result<std::size_t> count_runs();
  // The ids of all runs, newest first (read from an index alone: cheaper than list_runs).
  Result<std::vector<std::string>> list_ids();
  // The rows of list_runs for the runs `ids` (full ids), in that order; an unknown id is skipped.
  Result<std::vector<RunRecord>> list_runs_of(const std::vector<std::string>& ids, bool with_command = true);
  // The value of `key` ("params.model", "tags.team"; column_metric takes a metric's name) for
  // every run that has it: run id -> value.
  Result<std::unordered_map<std::string, std::string>> column_text(std::string_view key);
  Result<std::unordered_map<std::string, double>> column_metric(std::string_view metric);
  // Hands every final metric (or param or tag: `kind` "params" | "tags") of the runs `ids` to
  // `visit(i, key, value)`, i the run's index in `ids`; only those of `key` when given. Reads
  // these runs' rows one by one when they are few, else the table once in key order, matched
  // against the sorted ids: a listing pays for the runs it lists, not for the whole store.
  using MetricVisitor = std::function<void(std::size_t run, std::string_view key, double value)>;
  using TextVisitor = std::function<void(std::size_t run, std::string_view key, std::string_view value)>;
  Result<void> visit_final_metrics(const std::vector<std::string>& ids, const MetricVisitor& visit,
                                   std::optional<std::string_view> key = std::nullopt);
  Result<void> visit_pairs(std::string_view kind, const std::vector<std::string>& ids, const TextVisitor& visit,
                           std::optional<std::string_view> key = std::nullopt);
  // The final metrics, params or tags of the runs `ids`: run id -> key -> value (built on visit_*()).
  Result<std::map<std::string, std::map<std::string, double>>> final_metrics_of(const std::vector<std::string>& ids);
  Result<std::map<std::string, std::map<std::string, std::string>>> pairs_of(std::string_view kind,
                                                                             const std::vector<std::string>& ids);
  // The distinct names of "metrics", "params" or "tags" over all runs, sorted (for completion).
  Result<std::vector<std::string>> keys(std::string_view kind);

 private:
  explicit RunStore(std::unique_ptr<sql::Database> db);
  Result<void> insert_run(const RunRecord& record, const std::vector<MetricPoint>& history);
  std::unique_ptr<sql::Database> db_;
};

}  // namespace mlops::tracking

// `fmt::format("{}", status)` prints the status's name.
template <>
struct fmt::formatter<mlops::tracking::RunStatus> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(mlops::tracking::RunStatus status, FormatContext& context) const {
    return fmt::formatter<std::string_view>::format(mlops::tracking::to_string(status), context);
  }
};
