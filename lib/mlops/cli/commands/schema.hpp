#pragma once
// The `mlops schema` group's leaf commands, and what they share.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "mlops/drift/buffer.hpp"
#include "mlops/schema/schema.hpp"

namespace mlops::cli {
void add_schema_infer(CLI::App& group);
void add_schema_check(CLI::App& group);
void add_schema_diff(CLI::App& group);

// The parts of DATA: a path, a folder, PATH@REV or PATH@MODEL#STAGE (as in `drift check`).
std::vector<drift::Part> open_schema_data(const std::string& given);
// A schema argument: a file, or FILE@REV (REV may be a registry reference).
schema::Schema load_schema_arg(const std::string& given);
}  // namespace mlops::cli
