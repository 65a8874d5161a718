#include "mlops/interop/mlflow_import.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>
#include <set>
#include <unordered_map>

#include "mlops/data/sharing.hpp"
#include "mlops/data/store.hpp"
#include "mlops/interop/mlflow_sqlite.hpp"
#include "mlops/interop/mlflow_store.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

namespace {

// An artifact that is a symbolic link leaving the run's artifact folder would import a file from
// anywhere: refused.
Result<void> check_artifacts_inside(const MlflowRun& run) {
  std::error_code ec;
  if (!fs::is_directory(run.artifacts, ec)) return {};
  fs::path root = fs::weakly_canonical(run.artifacts, ec);
  for (fs::recursive_directory_iterator it(run.artifacts, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_symlink(ec)) continue;
    fs::path target = fs::weakly_canonical(it->path(), ec);
    std::string rel = target.lexically_relative(root).generic_string();
    if (ec || rel.empty() || rel == ".." || rel.starts_with("../")) {
      return std::unexpected(
          bad_input(fmt::format("artifact '{}' of run '{}' climbs out of its folder",
                                it->path().lexically_relative(run.artifacts).generic_string(), run.run_id),
                    "remove the link from the run's artifacts, or leave its experiment out with --experiment"));
    }
  }
  return {};
}

tracking::RunRecord record_of(const MlflowRun& run) {
  tracking::RunRecord record;
  record.id = tracking::make_run_id(run.start_ms);
  record.name = run.name;
  record.user = run.user;
  record.start_time = tracking::format_time(run.start_ms);
  if (run.end_ms) {
    record.end_time = tracking::format_time(*run.end_ms);
    record.duration = static_cast<double>(*run.end_ms - run.start_ms) / 1000.0;
  }
  record.status = status_from_mlflow(run.status);
  record.params = run.params;
  record.tags = run.tags;
  record.tags["mlflow.run_id"] = run.run_id;
  record.tags["mlflow.experiment"] = run.experiment_name;
  if (auto it = run.tags.find("mlflow.source.git.commit"); it != run.tags.end()) record.git_commit = it->second;
  if (auto it = run.tags.find("mlflow.source.git.branch"); it != run.tags.end()) record.git_branch = it->second;
  return record;
}

}  // namespace

Result<MlflowImportReport> import_mlflow(const Repo& repo, const MlflowImportOptions& options) {
  auto source = [&]() -> Result<MlflowStore> {
    if (is_mlflow_sqlite_uri(options.source)) {
      return read_mlflow_sqlite(mlflow_sqlite_path(options.source), options.experiments);
    }
    fs::path root =
        options.source.starts_with("file://") ? fs::path(options.source.substr(7)) : fs::path(options.source);
    return read_mlflow_file_store(root, options.experiments);
  }();
  if (!source) return std::unexpected(source.error());
  for (const auto& run : source->runs) MLOPS_TRY(check_artifacts_inside(run));

  // A dry run into a store without runs opens nothing (opening creates the database).
  std::optional<tracking::RunStore> store;
  std::set<std::string> imported_ids;
  std::unordered_map<std::string, std::string> run_ids;  // MLflow id -> mlops id
  if (!options.dry_run || fs::exists(repo.runs_db())) {
    auto opened = tracking::RunStore::open(repo);
    if (!opened) return std::unexpected(opened.error());
    store.emplace(std::move(*opened));
    auto known = store->column_text("tags.mlflow.run_id");
    if (!known) return std::unexpected(known.error());
    for (const auto& [id, mlflow_id] : *known) {
      imported_ids.insert(mlflow_id);
      run_ids.emplace(mlflow_id, id);
    }
  }

  MlflowImportReport report;
  for (const auto& e : source->experiments) report.experiments.push_back(e.name);
  std::vector<tracking::RunRecord> records;
  std::vector<std::vector<tracking::MetricPoint>> histories;
  std::optional<FileLock> store_lock;
  for (const auto& run : source->runs) {
    MlflowImportedRun item{run.run_id, {}, run.experiment_name, run.name, run.history.size(), 0};
    if (imported_ids.count(run.run_id)) {
      report.already.push_back(std::move(item));
      continue;
    }
    tracking::RunRecord record = record_of(run);
    std::error_code ec;
    if (fs::is_directory(run.artifacts, ec)) {
      for (const auto& entry : fs::directory_iterator(run.artifacts, ec)) {
        ++item.artifacts;
        if (options.dry_run) continue;
        if (!store_lock) {
          auto lock = data::lock_store(repo, LockKind::shared);
          if (!lock) return std::unexpected(lock.error());
          store_lock.emplace(std::move(*lock));
        }
        auto stored = data::store_path(repo, entry.path());
        if (!stored) return std::unexpected(stored.error());
        record.artifacts.push_back({entry.path().filename().string(), stored->hash.str(), stored->size,
                                    std::string(data::to_string(stored->kind)), stored->files});
      }
    }
    item.run_id = options.dry_run ? "" : record.id;
    if (!options.dry_run) run_ids.emplace(run.run_id, record.id);
    records.push_back(std::move(record));
    histories.push_back(run.history);
    report.imported.push_back(std::move(item));
  }
  if (!options.dry_run && !records.empty()) MLOPS_TRY(store->create_all(records, histories));
  store_lock.reset();  // registering takes the cache's lock itself
  auto registered = import_mlflow_registry(repo, *source, run_ids, options.dry_run);
  if (!registered) return std::unexpected(registered.error());
  report.registry = std::move(*registered);
  return report;
}

}  // namespace mlops::interop
