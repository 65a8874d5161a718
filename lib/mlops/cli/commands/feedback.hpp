#pragma once
// The `mlops feedback` group's leaf commands.
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_feedback_import(CLI::App& group);
void add_feedback_to_golden(CLI::App& group);
}  // namespace mlops::cli
