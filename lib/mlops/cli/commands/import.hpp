#pragma once
// The `mlops import` group: history from other tools (DVC, MLflow) brought into the store.
#include <CLI/CLI.hpp>
#include <atomic>

namespace mlops::cli {
void add_import_dvc(CLI::App& group);
void add_import_mlflow(CLI::App& group);

// Ctrl-C (SIGINT) or SIGTERM sets the flag this returns, which the import reads at the points where
// it can stop with nothing half done; a second signal ends the process at once (SA_RESETHAND).
const std::atomic<bool>& stop_import_on_signals();
}  // namespace mlops::cli
