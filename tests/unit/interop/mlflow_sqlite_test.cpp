#include "mlops/interop/mlflow_sqlite.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "mlops/core/sqlite.hpp"

using namespace mlops;
using namespace mlops::interop;
namespace fs = std::filesystem;

namespace {

struct MlflowDbDir {
  fs::path path;
  MlflowDbDir() {
    char tmpl[] = "/tmp/mlops-unit-mlflow.XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~MlflowDbDir() { fs::remove_all(path); }
};

// The tables the reader reads, with one experiment, two runs, a deleted run and a registry.
void write_mlflow_db(const fs::path& file, std::string_view revision) {
  auto db = sql::Database::open(file, "test", sql::Database::Close::checkpoint);
  REQUIRE(db);
  REQUIRE(db->exec(
      "CREATE TABLE alembic_version (version_num VARCHAR(32));"
      "CREATE TABLE experiments (experiment_id INTEGER, name TEXT, artifact_location TEXT, lifecycle_stage TEXT);"
      "CREATE TABLE runs (run_uuid TEXT, name TEXT, user_id TEXT, status TEXT, start_time BIGINT, end_time BIGINT,"
      " lifecycle_stage TEXT, artifact_uri TEXT, experiment_id INTEGER);"
      "CREATE TABLE metrics (key TEXT, value FLOAT, timestamp BIGINT, run_uuid TEXT, step BIGINT, is_nan BOOLEAN);"
      "CREATE TABLE params (key TEXT, value TEXT, run_uuid TEXT);"
      "CREATE TABLE tags (key TEXT, value TEXT, run_uuid TEXT);"
      "CREATE TABLE model_versions (name TEXT, version INTEGER, current_stage TEXT, source TEXT, run_id TEXT,"
      " status TEXT);"
      "CREATE TABLE registered_model_aliases (alias TEXT, version INTEGER, name TEXT);"
      "INSERT INTO experiments VALUES (0, 'Default', '', 'active'), (7, 'gone', '', 'deleted');"
      "INSERT INTO runs VALUES ('b', '', 'bob', 'FAILED', 2000, NULL, 'active', 'mlruns/0/b/artifacts', 0),"
      " ('a', 'first', 'alice', 'FINISHED', 1000, 1500, 'active', 'mlflow-artifacts:/0/a/artifacts', 0),"
      " ('d', 'deleted', '', 'FINISHED', 500, 600, 'deleted', '', 0), ('g', 'other', '', 'KILLED', 1, 2, 'active',"
      " '', 7);"
      "INSERT INTO metrics VALUES ('loss', 0.5, 10, 'a', 1, 0), ('loss', 0, 11, 'a', 2, 1),"
      " ('loss', 1.7976931348623157e308, 12, 'a', 3, 0), ('loss', -1.7976931348623157e308, 13, 'a', 4, 0);"
      "INSERT INTO params VALUES ('lr', '0.1', 'a');"
      "INSERT INTO tags VALUES ('mlflow.runName', 'second', 'b');"
      "INSERT INTO model_versions VALUES ('churn', 2, 'Production', 'runs:/a/model', 'a', 'READY'),"
      " ('churn', 1, 'None', 'runs:/b/model', 'b', 'READY'), ('churn', 3, 'Deleted_Internal', '', 'a', 'READY');"
      "INSERT INTO registered_model_aliases VALUES ('champion', 2, 'churn');"));
  auto st = db->prepare("INSERT INTO alembic_version VALUES (?)");
  REQUIRE(st);
  st->bind(1, revision);
  REQUIRE(st->run());
}

}  // namespace

TEST_CASE("an MLflow SQLite URI names its file as SQLAlchemy does") {
  CHECK(is_mlflow_sqlite_uri("sqlite:///mlflow.db"));
  CHECK_FALSE(is_mlflow_sqlite_uri("mlruns"));
  CHECK(mlflow_sqlite_path("sqlite:///mlflow.db") == "mlflow.db");
  CHECK(mlflow_sqlite_path("sqlite:////srv/mlflow.db") == "/srv/mlflow.db");
}

TEST_CASE("an MLflow 2.x database is read as the file store's records") {
  MlflowDbDir dir;
  fs::path file = dir.path / "mlflow.db";
  write_mlflow_db(file, "0584bdc529eb");
  auto store = read_mlflow_sqlite(file, {});
  REQUIRE(store);
  REQUIRE(store->experiments.size() == 1);
  CHECK(store->experiments[0].name == "Default");
  REQUIRE(store->runs.size() == 2);  // the deleted run and the deleted experiment's are left out
  const MlflowRun& a = store->runs[0];
  CHECK(a.run_id == "a");
  CHECK(a.name == "first");
  CHECK(a.status == 3);
  CHECK(a.end_ms == 1500);
  CHECK(a.params.at("lr") == "0.1");
  CHECK(a.artifacts.empty());  // a remote artifact URI: nothing local
  REQUIRE(a.history.size() == 4);
  CHECK(a.history[0].value == 0.5);
  CHECK(std::isnan(a.history[1].value));
  CHECK(a.history[2].value == INFINITY);
  CHECK(a.history[3].value == -INFINITY);
  CHECK(a.history[3].step == 4);
  CHECK(a.history[3].timestamp_ms == 13);
  const MlflowRun& b = store->runs[1];
  CHECK(b.name == "second");  // from mlflow.runName
  CHECK(b.status == 4);
  CHECK_FALSE(b.end_ms);
  CHECK(b.artifacts == dir.path / "mlruns/0/b/artifacts");  // relative: from the database's folder
  REQUIRE(store->model_versions.size() == 2);
  CHECK(store->model_versions[0].version == 1);
  CHECK(store->model_versions[1].stage == "Production");
  CHECK(store->model_versions[1].aliases == std::vector<std::string>{"champion"});
}

TEST_CASE("an MLflow database of an unknown schema revision is refused with the ones supported") {
  MlflowDbDir dir;
  fs::path file = dir.path / "mlflow.db";
  write_mlflow_db(file, "400f98739977");
  auto store = read_mlflow_sqlite(file, {});
  REQUIRE_FALSE(store);
  CHECK(store.error().exit == Exit::bad_input);
  CHECK(store.error().message.find("unknown schema revision '400f98739977'") != std::string::npos);
  CHECK(store.error().hint.find("0584bdc529eb") != std::string::npos);
  auto missing = read_mlflow_sqlite(dir.path / "none.db", {});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().exit == Exit::bad_input);
  CHECK_FALSE(fs::exists(dir.path / "none.db"));
}

TEST_CASE("an experiment not in the MLflow database is refused with the nearest name") {
  MlflowDbDir dir;
  fs::path file = dir.path / "mlflow.db";
  write_mlflow_db(file, "3500859a5d39");
  auto store = read_mlflow_sqlite(file, {"Defualt"});
  REQUIRE_FALSE(store);
  CHECK(store.error().hint == "did you mean 'Default'?");
}
