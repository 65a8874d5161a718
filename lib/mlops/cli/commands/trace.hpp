#pragma once
// The `mlops trace` and `mlops monitor` groups' leaf commands.
#include <CLI/CLI.hpp>
#include <string>

#include "mlops/trace/monitor.hpp"

namespace mlops::cli {
void add_trace_stats(CLI::App& group);
void add_monitor_check(CLI::App& group);
void add_monitor_test(CLI::App& group);

// Runs the drift rules of the monitor file `rules_file` (monitor_drift.cpp).
trace::DriftRunner monitor_drift_runner(const std::string& rules_file);
}  // namespace mlops::cli
