#pragma once
// Params and metrics files: what `mlops run --params-file` and `--metrics-file` read.
//  - Params (YAML or JSON, the way Hydra and DVC keep them): nested maps flatten to dotted keys
//    ({model: {lr: 0.1}} gives model.lr = "0.1"); a scalar keeps its text as written; a list is
//    kept whole in flow form ("[64, 32]").
//  - Metrics: JSON or YAML, a map of name to number (nested maps flatten to dotted names; a list
//    of numbers is a history, step 0, 1, ...), or CSV of step,name,value (a header line is
//    optional). Values may be NaN or infinite (.nan/.inf in YAML, nan/inf in CSV).
// Errors name the file and, where there is one, the line; they are bad input (exit 2).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

Result<std::map<std::string, std::string>> read_params_file(const std::filesystem::path& path);

// Points are stamped with `timestamp_ms`.
Result<std::vector<MetricPoint>> read_metrics_file(const std::filesystem::path& path, std::int64_t timestamp_ms);
Result<std::vector<MetricPoint>> parse_metrics_csv(std::string_view text, const std::filesystem::path& source,
                                                   std::int64_t timestamp_ms);

// Parses a metric value as the command line gives it: a decimal number, nan, inf or -inf.
std::optional<double> parse_metric_value(std::string_view text);

}  // namespace mlops::tracking
