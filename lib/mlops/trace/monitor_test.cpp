// Reading a monitor test file and running its cases.
#include "mlops/trace/monitor_test.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/trace/feedback.hpp"
#include "mlops/trace/monitor_run.hpp"
#include "mlops/trace/stats_report.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::trace {

namespace {

std::string relative_to(const std::string& file, const std::string& path) {
  std::filesystem::path p = path;
  if (p.is_relative()) p = std::filesystem::path(file).parent_path() / p;
  return p.string();
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (!n) return out;
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return out;
  }
  for (const auto& x : n) out.push_back(x.as<std::string>());
  return out;
}

std::string list(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "]";
}

}  // namespace

Result<MonitorTestFile> load_monitor_tests(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  const char* hint = "see docs/monitoring.md (\"mlops monitor test\") for the shape of a test file";
  MonitorTestFile file;
  file.path = path;
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root.IsMap() || !root["monitors"] || !root["tests"] || !root["tests"].IsSequence())
      return std::unexpected(
          bad_input(fmt::format("'{}' needs 'monitors' (the rules file) and a list 'tests'", path), hint));
    file.monitors = relative_to(path, root["monitors"].as<std::string>());
    for (const auto& t : root["tests"]) {
      std::string where = fmt::format("'{}', line {}", path, t.Mark().line + 1);
      static const std::vector<std::string> kKeys = {"name", "traces", "feedback", "at", "firing", "pending", "values"};
      for (const auto& kv : t) {
        auto key = kv.first.as<std::string>();
        if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
          std::string near = closest(key, kKeys);
          return std::unexpected(bad_input(fmt::format("{}: unknown key '{}' in a test", where, key),
                                           near.empty()
                                               ? "a test has name, traces, feedback, at, firing, pending and values"
                                               : fmt::format("did you mean '{}'?", near)));
        }
      }
      MonitorTestCase c;
      c.name = t["name"] ? t["name"].as<std::string>() : fmt::format("test {}", file.tests.size() + 1);
      for (const auto& tr : strings(t["traces"])) c.traces.push_back(relative_to(path, tr));
      for (const auto& fb : strings(t["feedback"])) c.feedback.push_back(relative_to(path, fb));
      if (c.traces.empty())
        return std::unexpected(bad_input(fmt::format("{}: test '{}' has no traces", where, c.name), hint));
      if (!t["at"])
        return std::unexpected(
            bad_input(fmt::format("{}: test '{}' has no 'at' (the evaluation time)", where, c.name), hint));
      c.at = t["at"].as<std::string>();
      c.firing = strings(t["firing"]);
      if (t["pending"]) c.pending = strings(t["pending"]);
      if (t["values"]) {
        for (const auto& kv : t["values"]) c.values.emplace_back(kv.first.as<std::string>(), kv.second.as<double>());
      }
      file.tests.push_back(std::move(c));
    }
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("'{}', line {}: {}", path, e.mark.line + 1, e.msg), hint));
  }
  return file;
}

Result<std::vector<MonitorTestResult>> run_monitor_tests(const MonitorTestFile& file, const DriftRunner& run_drift) {
  std::error_code ec;
  if (!std::filesystem::exists(file.monitors, ec)) {
    return std::unexpected(
        bad_input(fmt::format("'{}': its monitors: names '{}', which does not exist", file.path, file.monitors),
                  "paths in a test file are relative to the test file's folder"));
  }
  auto monitors = load_monitor_file(file.monitors);
  if (!monitors) return std::unexpected(monitors.error());
  std::vector<std::string> alerts;
  for (const auto& r : monitors->rules) alerts.push_back(r.alert);
  std::vector<MonitorTestResult> results;
  for (const auto& c : file.tests) {
    auto check_names = [&](const std::vector<std::string>& names) -> Result<void> {
      for (const auto& n : names) {
        if (std::find(alerts.begin(), alerts.end(), n) != alerts.end()) continue;
        std::string near = closest(n, alerts);
        return std::unexpected(bad_input(
            fmt::format("'{}': test '{}' names alert '{}', which '{}' does not define", file.path, c.name, n,
                        file.monitors),
            near.empty() ? fmt::format("the alerts: {}", list(alerts)) : fmt::format("did you mean '{}'?", near)));
      }
      return {};
    };
    MLOPS_TRY(check_names(c.firing));
    if (c.pending) MLOPS_TRY(check_names(*c.pending));
    std::vector<std::string> valued;
    for (const auto& [n, v] : c.values) valued.push_back(n);
    MLOPS_TRY(check_names(valued));
    auto at = parse_time(c.at, now_ns());
    if (!at)
      return std::unexpected(bad_input(fmt::format("'{}': test '{}': at '{}' is not a time", file.path, c.name, c.at),
                                       "give an ISO 8601 time: 2026-12-01T11:00:00Z"));
    std::vector<FeedbackEvent> feedback;
    for (const auto& f : c.feedback) {
      auto events = read_feedback_file(f);
      if (!events) return std::unexpected(events.error());
      feedback.insert(feedback.end(), events->begin(), events->end());
    }
    // A case's feedback is its feedback: files, never the store's (none given: no feedback at all).
    auto run = run_monitor(*monitors, c.traces, *at, SkipBad::no, run_drift, &feedback);
    if (!run) return std::unexpected(run.error());
    MonitorTestResult result;
    result.name = c.name;
    std::vector<std::string> firing, pending;
    for (const auto& r : run->report.results) {
      if (fails(r.state)) firing.push_back(r.rule->alert);
      if (r.state == AlertState::pending) pending.push_back(r.rule->alert);
    }
    if (list(firing) != list(c.firing))
      result.problems.push_back(fmt::format("expected firing {}, got {}", list(c.firing), list(firing)));
    // Why an expected alert did not fire (its value, or why it had none), and why one fired unexpected.
    for (const auto& r : run->report.results) {
      bool expected = std::find(c.firing.begin(), c.firing.end(), r.rule->alert) != c.firing.end();
      if (expected == fails(r.state)) continue;
      std::string line = fmt::format("{}: {}", r.rule->alert, r.reason);
      if (r.rule->expr.series.starts_with(kFeedbackSeries) && c.feedback.empty())
        line += "; the case has no 'feedback:' (a test reads feedback from its files, never from the store)";
      result.problems.push_back(line);
    }
    if (c.pending && list(pending) != list(*c.pending))
      result.problems.push_back(fmt::format("expected pending {}, got {}", list(*c.pending), list(pending)));
    for (const auto& [name, want] : c.values) {
      for (const auto& r : run->report.results) {
        if (r.rule->alert != name) continue;
        if (!r.value) {
          result.problems.push_back(fmt::format("{}: expected value {}, got no data", name, short_number(want)));
        } else if (std::fabs(*r.value - want) > 1e-9 * std::max(1.0, std::fabs(want))) {
          result.problems.push_back(
              fmt::format("{}: expected value {}, got {}", name, short_number(want), short_number(*r.value)));
        }
      }
    }
    result.passed = result.problems.empty();
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace mlops::trace
