#pragma once
// `mlops runs export --format mlflow DIR`: runs written as an MLflow file store, the layout
// mlflow_store.hpp reads (and MLflow's FileStore writes): one experiment folder per
// `mlflow.experiment` tag ("Default", id 0, for runs without one), a run folder named by the
// run's `mlflow.run_id` tag (or the MD5 of its mlops id: 32 hex digits, stable across exports)
// with meta.yaml, metrics/, params/, tags/ and its artifacts materialised from the cache.
// Exporting into a store that has a run already skips it, so an export can be repeated.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::interop {

struct MlflowExportedRun {
  std::string run_id;  // mlops
  std::string mlflow_id;
  std::string experiment;
  bool written = false;                        // false: the store had it already
  std::vector<std::string> missing_artifacts;  // not in the cache: not written
};

struct MlflowExportReport {
  std::vector<MlflowExportedRun> runs;
};

Result<MlflowExportReport> export_mlflow(const Repo& repo, tracking::RunStore& store,
                                         const std::vector<std::string>& ids, const std::filesystem::path& dir);

// Milliseconds since the epoch of an ISO 8601 UTC time as format_time writes it; nullopt if malformed.
std::optional<std::int64_t> parse_time_ms(std::string_view text);

}  // namespace mlops::interop
