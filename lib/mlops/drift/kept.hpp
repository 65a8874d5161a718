#pragma once
// Drift reports kept in the store (`mlops drift check --keep`): one JSON document each, in
// .mlops/drift/reports/ID.json, so that `mlops ui`'s Drift page can list them and draw their charts
// later. A kept document is the `--json` report with each column's histogram added (the shares
// the HTML report draws) and an envelope saying what it is, when it was made, and its id.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/drift/check.hpp"

namespace mlops::drift {

inline constexpr std::string_view kKeptFormat = "mlops-drift-report";

std::filesystem::path kept_reports_dir(const Repo& repo);

// The document stored for `report`: {"format", "version", "id", "created" (ISO 8601 UTC),
// "verdict" (the reports' heading: "Dataset drift detected", ...), "report": the --json document whose columns each
// have "histogram": {"labels", "reference", "current"}}.
nlohmann::ordered_json kept_document(const Report& report, std::string_view id, std::int64_t created_seconds);

// Writes `report` atomically as a new kept report made at `now_seconds`; returns its id
// ("20261201-221530-3f9a": the time in UTC, then four random hex digits, so ids sort by time).
Result<std::string> keep_report(const Repo& repo, const Report& report, std::int64_t now_seconds);

// Whether `id` can name a kept report (digits, letters and '-' only: never a path).
bool valid_kept_id(std::string_view id);

// The ids of the kept reports, newest first; none when the folder does not exist.
Result<std::vector<std::string>> list_kept_reports(const Repo& repo);

// A kept report's document. Unknown or malformed ids are bad input (exit 2); a file that is not
// a kept report (unreadable JSON, another format) is an environment error (exit 3) naming it.
Result<nlohmann::ordered_json> read_kept_report(const Repo& repo, std::string_view id);

}  // namespace mlops::drift
