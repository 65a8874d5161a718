#pragma once
// The `mlops trace` and `mlops monitor` groups' leaf commands.
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_trace_stats(CLI::App& group);
void add_monitor_check(CLI::App& group);
void add_monitor_test(CLI::App& group);
}  // namespace mlops::cli
