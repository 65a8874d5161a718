#pragma once
// What the last `monitor check` in a repository found, kept in `.mlops/monitor-check.json` so that
// `mlops ready` can say whether the alerts were checked recently and passed:
//   {"checked_at": "2026-12-01T11:02:13Z", "at": "2026-12-01T11:00:00Z", "rules_file": "monitors.yaml",
//    "rules": 4, "with_data": 3, "failed": ["ChatLatencyP95"], "passed": false}
// `monitor check` keeps only the checks of the repository's monitors.yaml (the file `ready` judges).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/trace/monitor.hpp"

namespace mlops::trace {

// The rules file of a repository, at its root: the one `monitor check` reads by default.
inline constexpr std::string_view kRepositoryMonitors = "monitors.yaml";

struct MonitorCheckRecord {
  std::uint64_t checked_ns = 0;  // when the check ran (the clock)
  std::uint64_t at_ns = 0;       // the time it evaluated the rules at (--at)
  std::string rules_file;        // relative to the repository's root when inside it
  std::size_t rules = 0;
  // Rules evaluated over at least one sample (neither no data nor under min_count); nullopt in a record written
  // before mlops kept it.
  std::optional<std::size_t> with_data;
  std::vector<std::string> failed;  // alerts that fired or were incomplete
  bool passed() const { return failed.empty(); }
};

MonitorCheckRecord make_record(const MonitorReport& report, std::string rules_file, std::uint64_t checked_ns);
// Writes the record atomically to `path`.
Result<void> write_record(const std::filesystem::path& path, const MonitorCheckRecord& record);
// The record at `path`; nullopt when there is none (or it cannot be read as one: it is only a hint).
std::optional<MonitorCheckRecord> read_record(const std::filesystem::path& path);

}  // namespace mlops::trace
