#pragma once
// The `mlops trace` and `mlops monitor` groups' leaf commands.
#include <CLI/CLI.hpp>
#include <string>

#include "mlops/trace/monitor.hpp"

namespace mlops::cli {
void add_trace_stats(CLI::App& group);
void add_monitor_check(CLI::App& group);
void add_monitor_test(CLI::App& group);

// Before any input is read: `path` (given as `option`, --html or --prom) can be written — its
// folder exists (else bad input, as for every output) and is writable (else an environment error).
void check_output_path(const std::string& path, std::string_view option);
// Writes `text` to `path` atomically; an error names `path` (not the temporary file beside it).
void write_output(const std::string& path, std::string_view text);

// Runs the drift rules of the monitor file `rules_file` (monitor_drift.cpp).
trace::DriftRunner monitor_drift_runner(const std::string& rules_file);
}  // namespace mlops::cli
