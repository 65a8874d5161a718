#pragma once
// `mlops import mlflow SOURCE`: MLflow runs as mlops runs, through the runs store's own calls
// (RunStore::create_all, all or none) and the cache (data::store_path for artifacts). Each run
// keeps its MLflow id as the tag `mlflow.run_id` (and its experiment as `mlflow.experiment`), so
// importing again adds only the runs not imported before, and links to MLflow ids survive. The
// registered models follow the runs (mlflow_registry.hpp).
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/interop/mlflow_registry.hpp"

namespace mlops::interop {

struct MlflowImportOptions {
  std::string source;                    // a folder (mlruns/), a file:// URI or sqlite:///mlflow.db
  std::vector<std::string> experiments;  // by name; empty: all
  bool dry_run = false;
  // Set by Ctrl-C / SIGTERM: the import stops before it writes the runs (all or none), or after
  // them and before the model registry. Once registering has begun it finishes: a registry left
  // half done (versions without their stages) could not be completed by importing again.
  const std::atomic<bool>* stop = nullptr;
};

struct MlflowImportedRun {
  std::string mlflow_id;
  std::string run_id;  // the mlops id (empty in a dry run)
  std::string experiment;
  std::string name;
  std::size_t metric_points = 0;
  std::size_t artifacts = 0;
};

struct MlflowImportReport {
  std::vector<std::string> experiments;
  std::vector<MlflowImportedRun> imported;
  std::vector<MlflowImportedRun> already;  // imported before (by their mlflow.run_id tag)
  MlflowRegistryReport registry;           // the registered models' versions (mlflow_registry.hpp)
  // New runs whose artifacts are on a server (artifact_uri mlflow-artifacts:/, s3://, ...) and not
  // here: imported without them. Their MLflow ids, and one such URI.
  std::vector<std::string> without_remote_artifacts;
  std::string remote_artifacts_example;
};

Result<MlflowImportReport> import_mlflow(const Repo& repo, const MlflowImportOptions& options);

}  // namespace mlops::interop
