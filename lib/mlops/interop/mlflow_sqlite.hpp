#pragma once
// Reading an MLflow tracking database on SQLite (`sqlite:///mlflow.db`): experiments, runs,
// params, tags, metric histories and the model registry, as the same records the file store
// gives (mlflow_store.hpp), so that both import alike. The database is only read.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/interop/mlflow_store.hpp"

namespace mlops::interop {

// Whether SOURCE names a database (sqlite://...) rather than a file store.
bool is_mlflow_sqlite_uri(std::string_view source);
// The file of a SQLAlchemy SQLite URI: sqlite:///rel.db -> rel.db, sqlite:////abs.db -> /abs.db.
std::filesystem::path mlflow_sqlite_path(std::string_view uri);

// Reads the database; with `experiments` non-empty, only those (by name). A database without an
// alembic_version table, or with a schema revision not among MLflow 2.x's known ones, is bad input
// (exit 2) naming the revisions supported. Nothing is written to it.
Result<MlflowStore> read_mlflow_sqlite(const std::filesystem::path& path, const std::vector<std::string>& experiments);

}  // namespace mlops::interop
