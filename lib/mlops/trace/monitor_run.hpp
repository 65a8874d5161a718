#pragma once
// What `monitor check` and `monitor test` share: reading the inputs a monitor file and the command
// line name, with the file's price table, and evaluating the rules at a time.
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/trace/collect.hpp"
#include "mlops/trace/monitor.hpp"
#include "mlops/trace/rules.hpp"

namespace mlops::trace {

struct MonitorRun {
  Collection collection;
  MonitorReport report;
  std::vector<std::string> inputs;
  std::vector<std::string> unmatched_patterns;  // of the file's traces:, when the inputs come from it
  bool priced = false;                          // a price table was read
};

// Reads `files` (or, when empty, the file's `traces:`), joins `feedback` (none: feedback series
// do not exist) to their spans, then evaluates the rules at `at_ns`.
Result<MonitorRun> run_monitor(const MonitorFile& file, const std::vector<std::string>& files, std::uint64_t at_ns,
                               SkipBad skip_bad, const DriftRunner& run_drift,
                               const std::vector<FeedbackEvent>* feedback = nullptr);

// The warnings of a run: models without a price (when a price table or a cost rule is in play),
// skipped lines, spans without timing.
std::vector<std::string> monitor_warnings(const MonitorFile& file, const MonitorRun& run);

}  // namespace mlops::trace
