#pragma once
// The `runs` group, and the display helpers its commands share.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "mlops/core/repo.hpp"
#include "mlops/tracking/display.hpp"
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
void add_runs_push(CLI::App& group);
void add_runs_pull(CLI::App& group);
void add_runs_report(CLI::App& group);
void add_runs_plot(CLI::App& group);

// The runs store, with the runs whose `mlops run` died without closing them marked killed
// (a warning names each, the first time it is seen).
tracking::RunStore open_runs_store(const Repo& repo);

// How values read in the runs commands' tables (tracking/display.hpp).
using tracking::display_duration;
using tracking::display_number;
using tracking::display_time;
using tracking::display_value;
using tracking::sparkline;
}  // namespace mlops::cli
