#include "mlops/interop/mlflow_import.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <unordered_map>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
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

Result<FileLock> lock_mlflow_import(const Repo& repo) {
  fs::path path = repo.store() / "import-mlflow.lock";
  auto now = FileLock::try_acquire(path);
  if (!now) return std::unexpected(now.error());
  if (*now) return std::move(**now);
  out::note("mlops: waiting for another 'mlops import mlflow' to finish...");
  auto lock = FileLock::acquire(path, std::chrono::minutes(30));
  if (!lock) {
    return std::unexpected(
        environment_error(fmt::format("another 'mlops import mlflow' is still running: {}", lock.error().message),
                          "run the import again once it has finished; it imports only what the other did not"));
  }
  return lock;
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

namespace {

// A SOURCE mlops cannot read, said as what it is: another kind of tracking store, a malformed
// SQLite URI, a SQLite file named as a folder, one experiment's or run's folder of a file store.
Result<void> check_mlflow_source(const std::string& source) {
  if (source.starts_with("sqlite://") && !source.starts_with("sqlite:///")) {
    return std::unexpected(bad_input(
        fmt::format("'{}' is not a SQLite URI: SQLAlchemy's form has three slashes before a relative path", source),
        fmt::format("write sqlite:///{} (or sqlite:////absolute/path.db)", source.substr(9))));
  }
  for (std::string_view scheme :
       {"postgresql", "postgres", "mysql", "mssql", "oracle", "http", "https", "databricks"}) {
    if (!source.starts_with(std::string(scheme) + ":")) continue;
    bool server = scheme == "http" || scheme == "https" || scheme == "databricks";
    return std::unexpected(bad_input(
        server ? fmt::format("'{}' is a tracking server: mlops reads an MLflow store, not the server's API", source)
               : fmt::format("'{}' is a {} database: mlops reads MLflow's SQLite databases and file stores only",
                             source, scheme),
        server ? "point at the server's backend store instead (its --backend-store-uri: a folder or sqlite:///...)"
               : "copy the runs into a file store or a SQLite database with MLflow, then import that"));
  }
  if (is_mlflow_sqlite_uri(source)) return {};
  fs::path root = source.starts_with("file://") ? fs::path(source.substr(7)) : fs::path(source);
  std::error_code ec;
  if (fs::is_regular_file(root, ec)) {
    std::string head(16, '\0');
    if (auto file = std::fopen(root.c_str(), "rb")) {
      head.resize(std::fread(head.data(), 1, head.size(), file));
      std::fclose(file);
    }
    if (head == std::string("SQLite format 3\0", 16)) {
      return std::unexpected(bad_input(fmt::format("'{}' is a SQLite file, not a folder", source),
                                       fmt::format("name it as a database: sqlite:///{}", root.string())));
    }
    return {};
  }
  auto meta = read_file(root / "meta.yaml");
  if (meta) {
    auto has = [&](std::string_view key) {
      return meta->starts_with(key) || meta->find("\n" + std::string(key)) != std::string::npos;
    };
    bool run = has("run_id:"), experiment = !run && has("experiment_id:");
    if (run || experiment) {
      fs::path store = run ? root.parent_path().parent_path() : root.parent_path();
      return std::unexpected(
          bad_input(fmt::format("'{}' is one {} folder of an MLflow file store, not the store", source,
                                run ? "run's" : "experiment's"),
                    fmt::format("name the store, '{}'{}", store.string(),
                                run ? "" : ", with --experiment NAME to import only this experiment")));
    }
  }
  return {};
}

}  // namespace

Result<MlflowImportReport> import_mlflow(const Repo& repo, const MlflowImportOptions& options) {
  MLOPS_TRY(check_mlflow_source(options.source));
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
  // Two imports at once would both find a run not imported yet and both write it: the check and
  // the write are one critical section, under a lock of their own (not runs.db's transaction,
  // which must not be held while artifacts are stored). The second import waits, then finds
  // every run the first one wrote.
  std::optional<FileLock> import_lock;
  if (!options.dry_run) {
    auto lock = lock_mlflow_import(repo);
    if (!lock) return std::unexpected(lock.error());
    import_lock.emplace(std::move(*lock));
  }
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
    if (options.stop && options.stop->load()) break;  // nothing is written: refused below
    MlflowImportedRun item{run.run_id, {}, run.experiment_name, run.name, run.history.size(), 0};
    if (imported_ids.count(run.run_id)) {
      report.already.push_back(std::move(item));
      continue;
    }
    tracking::RunRecord record = record_of(run);
    std::error_code ec;
    if (fs::is_directory(run.artifacts, ec)) {
      // Links inside the folder (checked above: none leaves it) are stored as what they point to.
      fs::path links_within = fs::weakly_canonical(run.artifacts, ec);
      for (const auto& entry : fs::directory_iterator(run.artifacts, ec)) {
        ++item.artifacts;
        if (options.dry_run) continue;
        if (!store_lock) {
          auto lock = data::lock_store(repo, LockKind::shared);
          if (!lock) return std::unexpected(lock.error());
          store_lock.emplace(std::move(*lock));
        }
        auto stored = data::store_path(repo, entry.path(), links_within);
        if (!stored) return std::unexpected(stored.error());
        record.artifacts.push_back({entry.path().filename().string(), stored->hash.str(), stored->size,
                                    std::string(data::to_string(stored->kind)), stored->files});
      }
    }
    if (!run.remote_artifacts.empty() && !fs::is_directory(run.artifacts, ec)) {
      report.without_remote_artifacts.push_back(run.run_id);
      if (report.remote_artifacts_example.empty()) report.remote_artifacts_example = run.remote_artifacts;
    }
    item.run_id = options.dry_run ? "" : record.id;
    if (!options.dry_run) run_ids.emplace(run.run_id, record.id);
    records.push_back(std::move(record));
    histories.push_back(run.history);
    report.imported.push_back(std::move(item));
  }
  auto stopped = [&] { return options.stop && options.stop->load(); };
  if (stopped()) {
    return std::unexpected(environment_error("interrupted before any run was written: nothing was imported",
                                             "run 'mlops import mlflow' again"));
  }
  if (!options.dry_run && !records.empty()) MLOPS_TRY(store->create_all(records, histories));
  store_lock.reset();  // registering takes the cache's lock itself
  if (stopped() && !source->model_versions.empty()) {
    return std::unexpected(environment_error(
        fmt::format("interrupted after the runs were imported ({} new), before the model registry", records.size()),
        "run 'mlops import mlflow' again to register the model versions (the runs are not imported twice)"));
  }
  auto registered = import_mlflow_registry(repo, *source, run_ids, options.dry_run, options.stop);
  if (!registered) return std::unexpected(registered.error());
  report.registry = std::move(*registered);
  return report;
}

}  // namespace mlops::interop
