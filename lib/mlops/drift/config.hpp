#pragma once
// The drift config file (`--config drift.yaml`):
//   drift_share: 0.3            # share of drifted columns that makes the dataset drift
//   thresholds: {psi: 0.2}      # per method
//   columns:
//     age: {method: ks, threshold: 0.01}
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/drift/check.hpp"

namespace mlops::drift {

struct DriftConfig {
  std::optional<double> drift_share;
  std::map<Method, double> thresholds;
  std::map<std::string, ColumnSettings> columns;
};

// Bad input naming the file and line for malformed YAML, unknown keys or methods, and
// thresholds or shares that are not numbers in range.
Result<DriftConfig> load_drift_config(const std::filesystem::path& path);
Result<DriftConfig> parse_drift_config(const std::string& text, const std::string& name);

}  // namespace mlops::drift
