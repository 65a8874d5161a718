#pragma once
// Reading an MLflow file store (`mlruns/`), as MLflow's FileStore lays it out:
//   <root>/<experiment id>/meta.yaml            experiment_id, name, artifact_location, lifecycle_stage
//   <root>/<experiment id>/<run id>/meta.yaml   run_id, run_name, experiment_id, user_id, status (1-5),
//                                               start_time, end_time (ms), lifecycle_stage, artifact_uri
//   .../<run id>/metrics/<key>                  one "timestamp value [step]" line per point
//   .../<run id>/params/<key>, tags/<key>       the value is the file's content
//   .../<run id>/artifacts/                     the files the run logged
// Keys may contain '/', which makes folders. `.trash/` (deleted) and `models/` (the registry) are
// not experiments.
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
  bool deleted = false;             // lifecycle_stage: deleted (not imported)
};

struct MlflowExperiment {
  std::string id;
  std::string name;
};

struct MlflowFileStore {
  std::vector<MlflowExperiment> experiments;
  std::vector<MlflowRun> runs;  // active runs of active experiments, by experiment then start time
};

// Reads the store at `root`; with `experiments` non-empty, only those (by name; an unknown one is
// bad input with the names there are). A layout it does not know (no meta.yaml, a missing field,
// a status out of 1-5, a malformed metric line) is bad input naming the file.
Result<MlflowFileStore> read_mlflow_file_store(const std::filesystem::path& root,
                                               const std::vector<std::string>& experiments);

// The mlops status of MLflow's RunStatus number.
tracking::RunStatus status_from_mlflow(int status);
int status_to_mlflow(tracking::RunStatus status);

}  // namespace mlops::interop
