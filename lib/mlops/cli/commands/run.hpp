#pragma once
// The `run` command: `mlops run [OPTIONS] -- CMD ...` itself, and its subcommands.
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_run_start(CLI::App& run);
void add_run_end(CLI::App& run);
}  // namespace mlops::cli
