#pragma once
// MLflow's registered models as mlops registry versions (`mlops import mlflow`, after the runs).
// MLflow version N of a model becomes v0.0.N, so `mlops model register` continues MLflow's
// count. A version is registered when its run was imported, finished, on a commit this repository
// has, and its source is among the run's artifacts; the tag goes on that commit, with the run's
// lineage (registry::lineage_of_run). Stages: Staging -> staging, Production -> production (the
// highest version MLflow has in the stage, as its get_latest_versions answers), each alias -> the
// stage of that name; Archived -> registered, then deregistered. A stage the registry does not allow
// (registry.stages) is left out with a note. Stages are given only to versions registered by this
// import, so importing again writes nothing.
#include <atomic>
#include <string>
#include <unordered_map>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/interop/mlflow_store.hpp"

namespace mlops::interop {

struct MlflowVersionOutcome {
  enum class Kind { registered, already, skipped };
  Kind kind = Kind::skipped;
  std::string model;
  int mlflow_version = 0;
  std::string version;              // "v0.0.N"
  std::string run_id;               // the mlops run (empty when the run is not in the store)
  std::string artifact;             // the path registered, inside the run's artifacts
  std::vector<std::string> stages;  // stages given to it
  bool deregistered = false;        // Archived in MLflow
  std::string reason;               // why it was skipped
};

struct MlflowRegistryReport {
  std::vector<MlflowVersionOutcome> versions;
  std::vector<std::string> notes;  // stages left out, and why
};

// The mlops version name of MLflow version `n`.
std::string version_name_of_mlflow(int n);

// The path of `source` inside the artifacts of `run` ("model", "plots/loss.txt"); empty when
// it is not one of them (runs:/<run id>/<path>, a file URI or path under the run's artifact folder,
// or any URI with "/<run id>/artifacts/").
std::string artifact_path_in_run(const std::string& source, const MlflowRun& run);

// Registers the versions of `source` whose runs are known: `run_ids` maps MLflow run ids to mlops
// run ids (imported now or before). With `dry_run`, says what would happen and writes nothing.
// A `stop` seen while registering is said once, and the registering goes on to its end.
Result<MlflowRegistryReport> import_mlflow_registry(const Repo& repo, const MlflowStore& source,
                                                    const std::unordered_map<std::string, std::string>& run_ids,
                                                    bool dry_run, const std::atomic<bool>* stop = nullptr);

}  // namespace mlops::interop
