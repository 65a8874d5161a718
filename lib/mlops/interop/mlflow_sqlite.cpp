// Reading an MLflow tracking database (`sqlite:///mlflow.db`, MLflow's SQLAlchemyStore on
// SQLite) into the same records as a file store (mlflow_store.hpp). The schema is known by its
// alembic revision: only the MLflow 2.x revisions whose tables this reader knows are read.
#include "mlops/interop/mlflow_sqlite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "mlops/core/sqlite.hpp"
#include "mlops/core/suggest.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

namespace {

// Every revision from the one that gave experiments their times (97727af70f4d) to the last of the
// 2.x line (0584bdc529eb); the tables read here are the same in all of them (aliases from
// 3500859a5d39 on). A later revision (MLflow 3's logged models) is refused rather than guessed at.
constexpr std::array<std::string_view, 10> kRevisions = {"97727af70f4d", "3500859a5d39", "7f2a7d5fae7d", "2d6e25af4d3e",
                                                         "acf3f17fdcc7", "867495a8f9d4", "5b0e9adcef9c", "4465047574b1",
                                                         "f5a4f2784254", "0584bdc529eb"};

std::string supported_revisions() {
  std::string text;
  for (auto r : kRevisions) text += fmt::format("{}{}", text.empty() ? "" : ", ", r);
  return text;
}

Error schema_error(const fs::path& db, std::string_view what) {
  return bad_input(fmt::format("'{}' is not an MLflow 2.x database mlops can read: {}", db.string(), what),
                   "mlops reads the MLflow 2.x schema revisions (alembic_version) " + supported_revisions() +
                       "; upgrade an older database (a copy of it) with 'mlflow db upgrade sqlite:///COPY.db'; "
                       "MLflow 3's databases are not read");
}

// MLflow's RunStatus by name, as the database stores it.
std::optional<int> status_number(std::string_view name) {
  constexpr std::array<std::string_view, 5> kNames = {"RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

// The database keeps +-inf as +-DBL_MAX (SQL has no infinity) and NaN as is_nan with a 0.
double metric_value(double value, bool is_nan) {
  if (is_nan) return std::numeric_limits<double>::quiet_NaN();
  if (value == std::numeric_limits<double>::max()) return std::numeric_limits<double>::infinity();
  if (value == std::numeric_limits<double>::lowest()) return -std::numeric_limits<double>::infinity();
  return value;
}

Result<bool> has_table(sql::Database& db, std::string_view table) {
  auto st = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  if (!st) return std::unexpected(st.error());
  st->bind(1, table);
  return st->step();
}

Result<void> check_revision(sql::Database& db, const fs::path& path) {
  auto present = has_table(db, "alembic_version");
  if (!present) return std::unexpected(present.error());
  if (!*present) return std::unexpected(schema_error(path, "it has no alembic_version table"));
  auto st = db.prepare("SELECT version_num FROM alembic_version");
  if (!st) return std::unexpected(st.error());
  auto row = st->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::unexpected(schema_error(path, "its alembic_version table is empty"));
  std::string revision = st->text(0);
  if (std::find(kRevisions.begin(), kRevisions.end(), revision) == kRevisions.end()) {
    return std::unexpected(schema_error(path, fmt::format("unknown schema revision '{}'", revision)));
  }
  return {};
}

// The folder of a run's artifact URI: a file URI or absolute path as it is, a relative path from
// the database's folder (where MLflow ran with its default ./mlruns); none for a remote URI.
fs::path artifact_folder(const std::string& uri, const fs::path& db_folder) {
  fs::path local = local_path_of_uri(uri, {});
  if (!local.empty()) return local;
  if (uri.empty() || uri.find(":/") != std::string::npos) return {};
  return db_folder / uri;
}

Result<std::vector<MlflowExperiment>> read_experiments(sql::Database& db, const fs::path& path,
                                                       const std::vector<std::string>& wanted) {
  auto st = db.prepare("SELECT experiment_id, name, lifecycle_stage FROM experiments");
  if (!st) return std::unexpected(st.error());
  std::vector<MlflowExperiment> all;
  for (;;) {
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    if (st->text(2) == "deleted") continue;
    all.push_back({st->text(0), st->text(1)});
  }
  // As the file store's folders are listed: by id as text.
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<std::string> names;
  for (const auto& e : all) names.push_back(e.name);
  for (const auto& name : wanted) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string close = closest(name, names);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return std::unexpected(
        bad_input(fmt::format("no experiment named '{}' in '{}'", name, path.string()),
                  close.empty() ? "the database has: " + list : fmt::format("did you mean '{}'?", close)));
  }
  if (wanted.empty()) return all;
  std::vector<MlflowExperiment> chosen;
  for (const auto& e : all) {
    if (std::find(wanted.begin(), wanted.end(), e.name) != wanted.end()) chosen.push_back(e);
  }
  return chosen;
}

// key/value rows (params, tags) of `table`, by run.
Result<void> read_pairs(sql::Database& db, std::string_view table, std::unordered_map<std::string, MlflowRun*>& runs,
                        bool tags) {
  auto st = db.prepare(fmt::format("SELECT run_uuid, key, value FROM {}", table));
  if (!st) return std::unexpected(st.error());
  for (;;) {
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto it = runs.find(std::string(st->text_view(0)));
    if (it == runs.end()) continue;
    (tags ? it->second->tags : it->second->params).emplace(st->text(1), st->text(2));
  }
  return {};
}

Result<void> read_metric_rows(sql::Database& db, std::unordered_map<std::string, MlflowRun*>& runs) {
  // In the order a file store's metric files give them: by key, then as logged.
  auto st = db.prepare(
      "SELECT run_uuid, key, value, timestamp, step, is_nan FROM metrics ORDER BY run_uuid, key, timestamp, step");
  if (!st) return std::unexpected(st.error());
  MlflowRun* run = nullptr;
  std::string current;
  for (;;) {
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    std::string_view id = st->text_view(0);
    if (id != current) {
      current = std::string(id);
      auto it = runs.find(current);
      run = it == runs.end() ? nullptr : it->second;
    }
    if (!run) continue;
    run->history.push_back(
        {st->text(1), metric_value(st->real(2), st->integer(5) != 0), st->integer(4), st->integer(3)});
  }
  return {};
}

Result<std::vector<MlflowModelVersion>> read_registry(sql::Database& db) {
  std::vector<MlflowModelVersion> versions;
  auto present = has_table(db, "model_versions");
  if (!present) return std::unexpected(present.error());
  if (!*present) return versions;
  auto st = db.prepare(
      "SELECT name, version, current_stage, source, run_id, status FROM model_versions "
      "WHERE current_stage IS NULL OR current_stage != 'Deleted_Internal' ORDER BY name, version");
  if (!st) return std::unexpected(st.error());
  for (;;) {
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    versions.push_back(
        {st->text(0), static_cast<int>(st->integer(1)), st->text(2), st->text(3), st->text(4), st->text(5), {}});
  }
  auto aliases = has_table(db, "registered_model_aliases");
  if (!aliases) return std::unexpected(aliases.error());
  if (!*aliases) return versions;
  auto alias = db.prepare("SELECT name, version, alias FROM registered_model_aliases ORDER BY alias");
  if (!alias) return std::unexpected(alias.error());
  for (;;) {
    auto row = alias->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    for (auto& v : versions) {
      if (v.model == alias->text_view(0) && v.version == alias->integer(1)) v.aliases.push_back(alias->text(2));
    }
  }
  return versions;
}

}  // namespace

bool is_mlflow_sqlite_uri(std::string_view source) { return source.starts_with("sqlite://"); }

fs::path mlflow_sqlite_path(std::string_view uri) {
  // SQLAlchemy's form: sqlite:///relative.db, sqlite:////absolute.db.
  std::string_view rest = uri.substr(std::string_view("sqlite://").size());
  if (rest.starts_with("/")) rest.remove_prefix(1);
  return fs::path(std::string(rest));
}

Result<MlflowStore> read_mlflow_sqlite(const fs::path& path, const std::vector<std::string>& wanted) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return std::unexpected(bad_input(fmt::format("no MLflow database '{}'", path.string()),
                                     "write sqlite:///relative/path.db or sqlite:////absolute/path.db"));
  }
  auto db = sql::Database::open(path, "the MLflow database", sql::Database::Close::checkpoint);
  if (!db) return std::unexpected(db.error());
  // A file that is not a database fails on its first read: that is bad input, not the environment.
  auto checked = check_revision(*db, path);
  if (!checked) {
    if (checked.error().exit == Exit::bad_input) return std::unexpected(checked.error());
    // SQLite's own words ("file is not a database") say what is wrong; the revisions do not apply.
    std::string why = checked.error().message;
    if (auto colon = why.rfind(": "); colon != std::string::npos) why = why.substr(colon + 2);
    return std::unexpected(bad_input(fmt::format("'{}' is not an SQLite database: {}", path.string(), why),
                                     "name an MLflow SQLite database (sqlite:///mlflow.db) or file store (mlruns/)"));
  }
  auto experiments = read_experiments(*db, path, wanted);
  if (!experiments) return std::unexpected(experiments.error());
  MlflowStore store;
  store.experiments = *experiments;
  fs::path db_folder = fs::absolute(path).parent_path();
  std::unordered_map<std::string, std::string> names;
  for (const auto& e : store.experiments) names.emplace(e.id, e.name);
  auto st = db->prepare(
      "SELECT run_uuid, CAST(experiment_id AS TEXT), name, user_id, status, start_time, end_time, lifecycle_stage, "
      "artifact_uri FROM runs");
  if (!st) return std::unexpected(st.error());
  for (;;) {
    auto row = st->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto experiment = names.find(st->text(1));
    if (experiment == names.end() || st->text(7) == "deleted") continue;
    MlflowRun run;
    run.run_id = st->text(0);
    run.experiment_id = experiment->first;
    run.experiment_name = experiment->second;
    run.name = st->text(2);
    run.user = st->text(3);
    auto status = status_number(st->text_view(4));
    if (!status) {
      return std::unexpected(schema_error(path, fmt::format("run '{}' has the status '{}'", run.run_id, st->text(4))));
    }
    run.status = *status;
    if (st->is_null(5))
      return std::unexpected(schema_error(path, fmt::format("run '{}' has no start_time", run.run_id)));
    run.start_ms = st->integer(5);
    if (!st->is_null(6)) run.end_ms = st->integer(6);
    std::string uri = st->text(8);
    MLOPS_TRY(check_artifact_uri(run.run_id, uri));
    run.artifacts = artifact_folder(uri, db_folder);
    if (is_remote_uri(uri)) run.remote_artifacts = uri;
    store.runs.push_back(std::move(run));
  }
  std::unordered_map<std::string, MlflowRun*> by_id;
  for (auto& run : store.runs) by_id.emplace(run.run_id, &run);
  MLOPS_TRY(read_pairs(*db, "params", by_id, false));
  MLOPS_TRY(read_pairs(*db, "tags", by_id, true));
  MLOPS_TRY(read_metric_rows(*db, by_id));
  for (auto& run : store.runs) {
    if (run.name.empty()) {
      if (auto it = run.tags.find("mlflow.runName"); it != run.tags.end()) run.name = it->second;
    }
    if (run.user.empty()) {
      if (auto it = run.tags.find("mlflow.user"); it != run.tags.end()) run.user = it->second;
    }
  }
  // By experiment, then start time, as the file store gives them.
  std::unordered_map<std::string, std::size_t> order;
  for (std::size_t i = 0; i < store.experiments.size(); ++i) order.emplace(store.experiments[i].id, i);
  std::sort(store.runs.begin(), store.runs.end(), [&](const MlflowRun& a, const MlflowRun& b) {
    if (a.experiment_id != b.experiment_id) return order.at(a.experiment_id) < order.at(b.experiment_id);
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.run_id < b.run_id;
  });
  auto versions = read_registry(*db);
  if (!versions) return std::unexpected(versions.error());
  store.model_versions = std::move(*versions);
  return store;
}

}  // namespace mlops::interop
