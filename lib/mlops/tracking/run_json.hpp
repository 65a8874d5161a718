#pragma once
// The JSON document of a run: what `runs show --json` prints and `runs export` / `runs import`
// carry, so that runs made in CI can travel. Shape (docs/runs.md, the export document):
//   {"id", "name", "status", "exit_code", "user", "host", "start_time", "end_time", "duration",
//    "command": [...], "cwd", "git": {"commit", "branch", "dirty"}, "data_dirty", "params": {},
//    "tags": {}, "metrics": {NAME: {"value", "step", "timestamp"}}, "metric_history": [{"key",
//    "step", "value", "timestamp"}], "data": [{"path", "pointer_file", "hash", "size", "kind",
//    "state", "pointer_hash"}],
//    "artifacts": [{"name", "hash", "size", "kind", "files"}], "environment": {}, "variables": {}}
// JSON has no NaN or infinity: such metric values are written as the strings "NaN", "Infinity"
// and "-Infinity" (as Python's json module reads them) and read back as numbers.
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// The export file: {"format": "mlops-runs", "version": 1, "runs": [RUN...]}.
inline constexpr std::string_view kExportFormat = "mlops-runs";
inline constexpr int kExportVersion = 1;

nlohmann::ordered_json metric_value_json(double value);
// The reverse: a number, null (NaN), or one of the strings above; nullopt for anything else.
std::optional<double> metric_value_from(const nlohmann::json& value);
nlohmann::ordered_json run_to_json(const RunRecord& run, const std::vector<MetricPoint>& history);

struct ImportedRun {
  RunRecord record;
  std::vector<MetricPoint> history;
};
// Reads one run document; `where` names it in errors ("runs.json, run 3").
Result<ImportedRun> run_from_json(const nlohmann::json& document, std::string_view where);

// Where an export document came from, for its errors: "malformed {kind} '{name}': ...", with `hint`.
struct ExportSource {
  std::string kind;  // "runs file", "run document"
  std::string name;
  std::string hint;
};
// Every run of an export document (a `runs export` file, or a run document on a remote, written
// by any clone): the format, the version and each run are checked; anything else, whatever its
// JSON types, is bad input naming the source and the run.
Result<std::vector<ImportedRun>> parse_export_document(std::string_view text, const ExportSource& source);

}  // namespace mlops::tracking
