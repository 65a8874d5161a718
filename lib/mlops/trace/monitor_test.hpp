#pragma once
// `monitor test`: replaying fixture traces against monitor rules, as `promtool test rules` does.
//   monitors: monitors.yaml           # the rules under test (relative to this file)
//   tests:
//     - name: latency regression pages
//       traces: [ramp.jsonl, ramp-evals.jsonl]
//       feedback: [ramp-feedback.jsonl]  # optional: feedback events (not the store's)
//       at: 2026-12-01T11:00:00Z
//       firing: [ChatLatencyP95]      # exactly these fire (and fail: incomplete counts too)
//       pending: [ChatErrors]         # optional: exactly these are pending
//       values: {ChatLatencyP95: 5000}  # optional: a rule's value (relative tolerance 1e-9)
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/trace/monitor.hpp"

namespace mlops::trace {

struct MonitorTestCase {
  std::string name;
  std::vector<std::string> traces;
  std::vector<std::string> feedback;
  std::string at;
  std::vector<std::string> firing;
  std::optional<std::vector<std::string>> pending;
  std::vector<std::pair<std::string, double>> values;
};

struct MonitorTestFile {
  std::string path;
  std::string monitors;  // resolved against the test file's folder
  std::vector<MonitorTestCase> tests;
};

Result<MonitorTestFile> load_monitor_tests(const std::string& path);

struct MonitorTestResult {
  std::string name;
  bool passed = true;
  std::vector<std::string> problems;  // "expected firing [A], got [A, B]"
};

// Runs every case; bad input (a missing file, an unknown alert in the expectations) is an error.
Result<std::vector<MonitorTestResult>> run_monitor_tests(const MonitorTestFile& file, const DriftRunner& run_drift);

}  // namespace mlops::trace
