#pragma once
// Variables for rendering a prompt from the command line: `--vars FILE` (a JSON or YAML object)
// and `--var NAME=VALUE` (a string; NAME may be a dotted path, `customer.name=Ada`).
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::llm {

// A JSON object read from `path`: JSON, or YAML when the name ends in .yaml or .yml. Anything but
// an object is bad input naming the file (and the line, for malformed text).
Result<nlohmann::json> load_vars_file(const std::filesystem::path& path);

// Sets each "NAME=VALUE" in `vars` (an object) as a string, creating objects along a dotted NAME
// and replacing what was there. "NAME" without '=' or with a bad name is bad input.
Result<void> apply_var_assignments(nlohmann::json& vars, const std::vector<std::string>& assignments);

}  // namespace mlops::llm
