#pragma once
// The `runs` group, and the display helpers its commands share.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "mlops/core/repo.hpp"
#include "mlops/tracking/query.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {
void add_runs_list(CLI::App& group);
void add_runs_show(CLI::App& group);
void add_runs_compare(CLI::App& group);
void add_runs_diff(CLI::App& group);
void add_runs_delete(CLI::App& group);
void add_runs_export(CLI::App& group);
void add_runs_import(CLI::App& group);

// The runs store, with the runs whose `mlops run` died without closing them marked killed
// (a warning names each, the first time it is seen).
tracking::RunStore open_runs_store(const Repo& repo);

// "0.9312", "nan", "-inf": a metric value for a table (6 significant digits).
std::string display_number(double value);
std::string display_value(const std::optional<tracking::Value>& value);
// "12.3s", "4m05s", "1h02m"
std::string display_duration(std::optional<double> seconds);
// "2026-11-29 02:41:07" from an ISO 8601 time
std::string display_time(std::string_view iso);
// A sparkline of `values` (at most `width` characters, sampled evenly), "" for none.
std::string sparkline(const std::vector<double>& values, std::size_t width = 40);
}  // namespace mlops::cli
