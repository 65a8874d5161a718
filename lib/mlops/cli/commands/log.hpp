#pragma once
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_log_metric(CLI::App& group);
void add_log_param(CLI::App& group);
void add_log_tag(CLI::App& group);
void add_log_artifact(CLI::App& group);
}  // namespace mlops::cli
