#pragma once
// The `mlops drift` group's leaf commands.
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_drift_check(CLI::App& group);
}
