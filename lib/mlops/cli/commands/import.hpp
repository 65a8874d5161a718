#pragma once
// The `mlops import` group: history from other tools (DVC, MLflow) brought into the store.
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_import_dvc(CLI::App& group);
void add_import_mlflow(CLI::App& group);
}  // namespace mlops::cli
