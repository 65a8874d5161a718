#pragma once
// Reading an MLflow file store (`mlruns/`), as MLflow's FileStore lays it out:
//   <root>/<experiment id>/meta.yaml            experiment_id, name, artifact_location, lifecycle_stage
//   <root>/<experiment id>/<run id>/meta.yaml   run_id, run_name, experiment_id, user_id, status (1-5),
//                                               start_time, end_time (ms), lifecycle_stage, artifact_uri
//   .../<run id>/metrics/<key>                  one "timestamp value [step]" line per point
//   .../<run id>/params/<key>, tags/<key>       the value is the file's content
//   .../<run id>/artifacts/                     the files the run logged
// Keys may contain '/', which makes folders. `.trash/` (deleted) and `models/` (the registry) are
// not experiments. The registry (mlflow_models.cpp):
//   <root>/models/<name>/meta.yaml                    name, creation_timestamp, description
//   <root>/models/<name>/version-<N>/meta.yaml        version, current_stage, source, run_id, status
//   <root>/models/<name>/aliases/<alias>              the version number the alias points to
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::interop {

struct MlflowRun {
  std::string run_id;
  std::string experiment_id;
  std::string experiment_name;
  std::string name;
  std::string user;
  int status = 1;  // MLflow's RunStatus: 1 running, 2 scheduled, 3 finished, 4 failed, 5 killed
  std::int64_t start_ms = 0;
  std::optional<std::int64_t> end_ms;
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> tags;
  std::vector<tracking::MetricPoint> history;
  std::filesystem::path artifacts;  // the run's artifact folder (may not exist)
  std::string remote_artifacts;     // artifact_uri when it names a server (mlflow-artifacts:/, s3://, ...)
  bool deleted = false;             // lifecycle_stage: deleted (not imported)
};

struct MlflowExperiment {
  std::string id;
  std::string name;
};

// One version of a registered model.
struct MlflowModelVersion {
  std::string model;
  int version = 0;
  std::string stage;                 // current_stage: None, Staging, Production, Archived
  std::string source;                // where the model's files are: runs:/<run id>/<path>, a file URI or path
  std::string run_id;                // the MLflow run that logged it (may be empty)
  std::string status;                // READY, PENDING_REGISTRATION, FAILED_REGISTRATION
  std::vector<std::string> aliases;  // MLflow 2.3+: names pointing at this version, sorted
};

// An MLflow tracking store as read from a file store or a SQLite database (mlflow_sqlite.cpp).
struct MlflowStore {
  std::vector<MlflowExperiment> experiments;
  std::vector<MlflowRun> runs;                     // active runs of active experiments, by experiment then start time
  std::vector<MlflowModelVersion> model_versions;  // by model name, then version; deleted ones left out
};

// Reads the store at `root` (its registry too); with `experiments` non-empty, only those (by name; an unknown one is
// bad input with the names there are). A layout it does not know (no meta.yaml, a missing field,
// a status out of 1-5, a malformed metric line) is bad input naming the file.
Result<MlflowStore> read_mlflow_file_store(const std::filesystem::path& root,
                                           const std::vector<std::string>& experiments);

// The registry of the file store at `root` (`models/`; none: an empty list). A version folder
// without its fields is bad input naming the file.
Result<std::vector<MlflowModelVersion>> read_mlflow_file_registry(const std::filesystem::path& root);

// Parses number text as Python's float() does for what MLflow writes ("nan", "inf", ...).
std::optional<double> parse_mlflow_double(std::string_view text);
// The local folder of an artifact URI (file:// or an absolute path); `fallback` for any other.
std::filesystem::path local_path_of_uri(const std::string& uri, const std::filesystem::path& fallback);
// Whether an artifact_uri names a server (mlflow-artifacts:/, s3://, gs://, ...) rather than this machine.
bool is_remote_uri(const std::string& uri);
// Refuses an artifact URI with a '..' part: it could point anywhere.
Result<void> check_artifact_uri(const std::string& run_id, const std::string& uri);

// The mlops status of MLflow's RunStatus number.
tracking::RunStatus status_from_mlflow(int status);
int status_to_mlflow(tracking::RunStatus status);

}  // namespace mlops::interop
