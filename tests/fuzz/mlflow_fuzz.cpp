// What `mlops import mlflow` reads from a store somebody else's MLflow wrote. The first byte picks:
// 0, a file store (`mlruns/`) built from the NUL-separated parts of the input (experiment and run
// meta.yaml, a metric file, a param, a tag, a registered model's meta.yaml, a version's meta.yaml,
// an alias); 1, a SQLite database whose rows hold values of any type SQLite allows (MLflow's
// columns are typed only by convention); 2, the small parsers of values and URIs.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>

#include "fuzz.hpp"
#include "mlops/core/sqlite.hpp"
#include "mlops/interop/mlflow_export.hpp"
#include "mlops/interop/mlflow_sqlite.hpp"
#include "mlops/interop/mlflow_store.hpp"

namespace {

namespace fs = std::filesystem;
using namespace mlops::interop;

void file_store(std::string_view text) {
  static const std::array<const char*, 8> files = {"0/meta.yaml",
                                                   "0/r1/meta.yaml",
                                                   "0/r1/metrics/loss",
                                                   "0/r1/params/lr",
                                                   "0/r1/tags/mlflow.runName",
                                                   "models/churn/meta.yaml",
                                                   "models/churn/version-1/meta.yaml",
                                                   "models/churn/aliases/champion"};
  std::error_code ignored;
  fs::remove_all(mlops::fuzz::scratch() / "mlruns", ignored);
  for (const char* name : files) {
    auto nul = text.find('\0');
    mlops::fuzz::write_scratch(fs::path("mlruns") / name, text.substr(0, nul));
    if (nul == std::string_view::npos) break;
    text.remove_prefix(nul + 1);
  }
  auto root = mlops::fuzz::scratch() / "mlruns";
  (void)read_mlflow_file_store(root, {});
  (void)read_mlflow_file_store(root, {"Default"});
  (void)read_mlflow_file_registry(root);
}

// The columns the reader selects, without MLflow's constraints: a database written by another
// version or by hand need not keep them.
constexpr const char* schema =
    "CREATE TABLE alembic_version (version_num);"
    "CREATE TABLE experiments (experiment_id, name, lifecycle_stage);"
    "CREATE TABLE runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage,"
    " artifact_uri);"
    "CREATE TABLE metrics (run_uuid, key, value, timestamp, step, is_nan);"
    "CREATE TABLE params (run_uuid, key, value);"
    "CREATE TABLE tags (run_uuid, key, value);"
    "CREATE TABLE model_versions (name, version, current_stage, source, run_id, status);"
    "CREATE TABLE registered_model_aliases (name, version, alias);";
struct Table {
  const char* insert;
  int columns;
};
constexpr std::array<Table, 8> tables = {{{"INSERT INTO alembic_version VALUES (?)", 1},
                                          {"INSERT INTO experiments VALUES (?, ?, ?)", 3},
                                          {"INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", 9},
                                          {"INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)", 6},
                                          {"INSERT INTO params VALUES (?, ?, ?)", 3},
                                          {"INSERT INTO tags VALUES (?, ?, ?)", 3},
                                          {"INSERT INTO model_versions VALUES (?, ?, ?, ?, ?, ?)", 6},
                                          {"INSERT INTO registered_model_aliases VALUES (?, ?, ?)", 3}}};
// Values that make rows meet each other (a run of an experiment, a metric of a run, ...).
constexpr std::array<const char*, 12> words = {"0",        "r1",          "Default",    "active",         "deleted",
                                               "FINISHED", "RUNNING",     "Production", "runs:/r1/model", "churn",
                                               "READY",    "0584bdc529eb"};

void bind_value(mlops::sql::Statement& st, int index, FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0:
      st.bind_null(index);
      break;
    case 1:
      st.bind(index, in.ConsumeIntegral<std::int64_t>());
      break;
    case 2:
      st.bind(index, in.ConsumeFloatingPoint<double>());
      break;
    case 3:
      st.bind(index, std::string_view(in.ConsumeRandomLengthString(64)));
      break;
    default:
      st.bind(index, std::string_view(words[in.ConsumeIntegralInRange<std::size_t>(0, words.size() - 1)]));
  }
}

void sqlite_store(const std::uint8_t* data, std::size_t size) {
  auto path = mlops::fuzz::scratch() / "mlflow.db";
  std::error_code ignored;
  fs::remove(path, ignored);
  {
    auto db = mlops::sql::Database::open(path, "fuzz", mlops::sql::Database::Close::checkpoint);
    if (!db || !db->exec(schema)) return;
    FuzzedDataProvider in(data, size);
    // Most inputs get a revision the reader knows, so that they reach the rows.
    if (in.ConsumeBool()) (void)db->exec("INSERT INTO alembic_version VALUES ('0584bdc529eb')");
    while (in.remaining_bytes() > 0) {
      const Table& table = tables[in.ConsumeIntegralInRange<std::size_t>(0, tables.size() - 1)];
      auto st = db->prepare(table.insert);
      if (!st) return;
      for (int i = 1; i <= table.columns; ++i) bind_value(*st, i, in);
      (void)st->run();
    }
  }
  (void)read_mlflow_sqlite(path, {});
  (void)read_mlflow_sqlite(path, {"Default"});
}

void values(std::string_view text) {
  (void)parse_mlflow_double(text);
  (void)parse_time_ms(text);
  (void)check_artifact_uri("r1", std::string(text));
  (void)local_path_of_uri(std::string(text), "/fallback");
  if (is_mlflow_sqlite_uri(text)) (void)mlflow_sqlite_path(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  switch (data[0] % 3) {
    case 0:
      file_store(mlops::fuzz::text(data + 1, size - 1));
      break;
    case 1:
      sqlite_store(data + 1, size - 1);
      break;
    default:
      values(mlops::fuzz::text(data + 1, size - 1));
  }
  return 0;
}
