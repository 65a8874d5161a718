// `mlops monitor test FILE...`: replay fixture traces against monitor rules.
#include "mlops/trace/monitor_test.hpp"

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/trace.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

int run_monitor_test(const std::vector<std::string>& files) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  std::size_t passed = 0, failed = 0;
  // Every file is read and run before anything is printed: bad input in any is exit 2 alone.
  std::vector<std::pair<std::string, std::vector<trace::MonitorTestResult>>> runs;
  for (const auto& f : files) {
    auto tests = unwrap(trace::load_monitor_tests(f));
    runs.emplace_back(f, unwrap(trace::run_monitor_tests(tests, monitor_drift_runner(tests.monitors))));
  }
  for (const auto& [file, results] : runs) {
    for (const auto& r : results) {
      (r.passed ? passed : failed) += 1;
      if (out::settings().json) {
        all.push_back({{"file", file}, {"test", r.name}, {"passed", r.passed}, {"problems", r.problems}});
        continue;
      }
      out::println("{} {}: {}", r.passed ? out::paint("ok", out::Style::green) : out::paint("FAIL", out::Style::red),
                   file, r.name);
      for (const auto& p : r.problems) out::println("    {}", p);
    }
  }
  if (out::settings().json) {
    out::print_json({{"tests", all}, {"passed", passed}, {"failed", failed}});
  } else {
    out::println("{} passed, {} failed", passed, failed);
  }
  return failed ? 1 : 0;
}

}  // namespace

void add_monitor_test(CLI::App& group) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* command = add_command(group, "test", "Replay fixture traces against monitor rules and check which alerts fire",
                              [files] { return run_monitor_test(*files); });
  command->footer(
      "A test file names the rules file (monitors:) and cases, each with traces, an evaluation time (at),\n"
      "the alerts expected to fire (exactly those), optionally the pending ones and rule values; like\n"
      "'promtool test rules'. Shape and examples: docs/monitoring.md (\"mlops monitor test\").\n"
      "Exit status: 0 every case passed, 1 a case failed, 2 bad input (an unknown alert, a malformed file).\n"
      "Example: mlops monitor test tests/monitors.test.yaml");
  command->add_option("files", *files, "Monitor test files (YAML)")->required()->option_text("FILE...");
  add_json_flag(*command);
}

}  // namespace mlops::cli
