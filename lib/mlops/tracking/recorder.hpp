#pragma once
// Starting and ending a run: what `mlops run`, `mlops run start/end` and repro share.
// begin() captures the state the run starts from — git commit, branch, dirty flag (the diff
// goes into the cache as the artifact "git.diff"), the version of every tracked dataset, the
// environment — and creates the run with status "running".
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/tracking/environment.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// The artifact name of the work tree's diff in a dirty run, and of a command's output log.
inline constexpr std::string_view kDiffArtifact = "git.diff";
inline constexpr std::string_view kLogArtifact = "output.log";
// The tag that keeps a run's --artifact and --metrics-file paths (relative to its folder), so
// that repro can collect the same outputs: {"artifacts": [...], "metrics_files": [...]}. Like
// MLflow's mlflow.* tags, mlops.* tags are the tool's own.
inline constexpr std::string_view kOutputsTag = "mlops.outputs";
// The tag that names the files left out of a dirty run's git.diff (set by mlops alone, as
// mlops.redacted): {"max_file_bytes": N, "too_big": [...], "binary": [...]}.
inline constexpr std::string_view kDiffLeftOutTag = "mlops.diff_left_out";

// What a run's kDiffLeftOutTag says: its git.diff is incomplete, so a rebuild may differ.
struct DiffLeftOut {
  std::uint64_t max_file_bytes = 0;  // runs.diff_max_file_bytes when the run was recorded
  std::vector<std::string> too_big;  // over that limit (untracked) or over 64 MiB (changed)
  std::vector<std::string> binary;   // untracked binary files
  bool empty() const { return too_big.empty() && binary.empty(); }
  std::string to_json() const;
  // A malformed tag reads as empty.
  static DiffLeftOut from_json(std::string_view text);
  static DiffLeftOut of(const RunRecord& run);  // from the run's tag; empty without one
  // "big.csv, data.zip (over 1 MiB); logo.png (binary)"
  std::string describe() const;
};

struct RunSetup {
  std::string name;                  // empty: named after the command's script or program
  std::vector<std::string> command;  // argv; empty for a run opened with `mlops run start`
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;  // repro sets repro_of=ID here
};

// A short default name for a run of `command`: the script an interpreter runs ("train.py"
// for python train.py), else the program's file name.
std::string default_run_name(const std::vector<std::string>& command);

class RunRecorder {
 public:
  static Result<RunRecorder> begin(const Repo& repo, RunSetup setup);

  const std::string& id() const { return id_; }
  RunStore& store() { return store_; }
  // Waits for the environment probes and stores what they found (idempotent).
  Result<void> record_environment();
  // Sets the end time (`end_ms`, when the command ended; now when unset), exit code and status;
  // records the environment first if not yet done. The duration is the command's: waiting for
  // the environment probes and storing outputs afterwards are not part of it.
  Result<void> end(RunStatus status, std::optional<int> exit_code, std::optional<std::int64_t> end_ms = std::nullopt);

 private:
  RunRecorder(RunStore store, std::string id, EnvironmentProbe probe)
      : store_(std::move(store)), id_(std::move(id)), probe_(std::move(probe)) {}
  RunStore store_;
  std::string id_;
  EnvironmentProbe probe_;
  bool environment_recorded_ = false;
};

// Bad input naming the datasets when `run` is data-dirty (it ran on data that its pointers do not
// describe), for the commands that must not trust its lineage without --allow-dirty.
Result<void> check_data_clean(const RunRecord& run);

// Stores the file or folder at `path` in the cache and records it as artifact `name` of run `id`.
Result<Artifact> store_artifact(const Repo& repo, RunStore& store, std::string_view id,
                                const std::filesystem::path& path, std::string name);
// Stores `content` in the cache and records it as artifact `name` of run `id`.
Result<Artifact> store_artifact_bytes(const Repo& repo, RunStore& store, std::string_view id, std::string_view content,
                                      std::string name);

}  // namespace mlops::tracking
