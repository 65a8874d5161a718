#pragma once
#include <CLI/CLI.hpp>

namespace mlops::cli {
void add_hooks_install(CLI::App& group);
void add_hooks_run(CLI::App& group);
void add_hooks_merge_driver(CLI::App& group);
}  // namespace mlops::cli
