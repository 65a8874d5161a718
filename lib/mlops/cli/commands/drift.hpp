#pragma once
// The `mlops drift` group's leaf commands.
#include <CLI/CLI.hpp>
#include <string>

namespace mlops::drift {
struct Dataset;
struct ReadOptions;
}  // namespace mlops::drift

namespace mlops::cli {
void add_drift_check(CLI::App& group);
void add_drift_profile(CLI::App& group);

// Shared by check and profile: --delimiter's value (0: detect), and the dataset a REFERENCE or
// CURRENT argument names (a path, PATH@REV or PATH@MODEL#STAGE).
char parse_delimiter(const std::string& text);
drift::Dataset load_drift_data(const std::string& given, const drift::ReadOptions& read);
}  // namespace mlops::cli
