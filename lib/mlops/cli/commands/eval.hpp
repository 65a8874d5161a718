#pragma once
// The `mlops eval` group's leaf commands: golden sets, evaluations, gates and comparisons.
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_eval_check(CLI::App& group);
void add_eval_run(CLI::App& group);
void add_eval_gate(CLI::App& group);
void add_eval_compare(CLI::App& group);
}  // namespace mlops::cli
