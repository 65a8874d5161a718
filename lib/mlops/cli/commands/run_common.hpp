#pragma once
// The options that `mlops run -- CMD`, `run start` and `run end` share: those that describe a
// run (tracking::SetupInput) and those that collect its outputs (tracking::RunOutputs).
#include <CLI/CLI.hpp>

#include "mlops/tracking/execute.hpp"

namespace mlops::cli {

void add_setup_options(CLI::App& command, tracking::SetupInput& options);
void add_output_options(CLI::App& command, tracking::RunOutputs& options);

}  // namespace mlops::cli
