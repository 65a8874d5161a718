// `mlops eval check FILE... [--allow-personal-data] [--fail-on error|warning] [--json]`: validate golden sets.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/eval.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/golden.hpp"

namespace mlops::cli {

namespace {

struct EvalCheckOptions {
  std::vector<std::string> files;
  bool allow_personal_data = false;
  std::string fail_on = "error";
};

int run_eval_check(const EvalCheckOptions& options) {
  llm::GoldenCheckOptions check;
  check.allow_personal_data = options.allow_personal_data;
  // Every file is read before anything is printed: an unreadable one is exit 2 on its own.
  std::vector<llm::GoldenReport> reports;
  for (const auto& file : options.files) reports.push_back(unwrap(llm::check_golden(file, check)));
  bool fail_on_warning = options.fail_on == "warning";
  std::size_t errors = 0, warnings = 0, cases = 0, candidates = 0;
  for (const auto& report : reports) {
    errors += report.count(llm::GoldenSeverity::error);
    warnings += report.count(llm::GoldenSeverity::warning);
    cases += report.cases;
    candidates += report.candidates;
  }
  bool failed = errors > 0 || (fail_on_warning && warnings > 0);
  if (out::settings().json) {
    nlohmann::ordered_json files = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < reports.size(); ++i) {
      nlohmann::ordered_json findings = nlohmann::ordered_json::array();
      for (const auto& f : reports[i].findings) {
        findings.push_back(
            {{"line", f.line}, {"code", f.code}, {"severity", llm::to_string(f.severity)}, {"message", f.message}});
      }
      files.push_back({{"file", options.files[i]},
                       {"cases", reports[i].cases},
                       {"candidates", reports[i].candidates},
                       {"findings", findings}});
    }
    out::print_json({{"files", files}, {"errors", errors}, {"warnings", warnings}, {"passed", !failed}});
    return failed ? 1 : 0;
  }
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (const auto& f : reports[i].findings) {
      out::println("{}:{}:1: {} {} {}", options.files[i], f.line, f.code, llm::to_string(f.severity), f.message);
    }
  }
  out::note(fmt::format("{} case{} in {} file{}: {} error{}, {} warning{}", cases, cases == 1 ? "" : "s",
                        reports.size(), reports.size() == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
                        warnings == 1 ? "" : "s"));
  if (candidates)
    out::note(fmt::format("{} of them candidate{} (\"status\": \"candidate\"): eval run skips them until marked active",
                          candidates, candidates == 1 ? "" : "s"));
  if (failed && errors == 0) out::hint("warnings fail the check with --fail-on warning");
  return failed ? 1 : 0;
}

}  // namespace

void add_eval_check(CLI::App& group) {
  auto options = std::make_shared<EvalCheckOptions>();
  auto* command =
      add_command(group, "check", "Validate golden sets: JSON, ids, keys, referenced files, duplicates, personal data",
                  [options] { return run_eval_check(*options); });
  command->footer(
      "One line per finding: FILE:LINE:1: CODE severity message (codes G001-G010 in docs/eval.md).\n"
      "Exit status: 0 clean, 1 findings at the --fail-on level, 2 a file that cannot be read.\n"
      "Example: mlops eval check data/golden.jsonl");
  command->add_option("files", options->files, "Golden sets (JSONL)")->required()->option_text("FILE...");
  command->add_flag("--allow-personal-data", options->allow_personal_data,
                    "Do not report email addresses and card numbers (G009)");
  command->add_option("--fail-on", options->fail_on, "Severity that fails the check: error (default) or warning")
      ->check(CLI::IsMember({"error", "warning"}))
      ->option_text("LEVEL");
  add_json_flag(*command);
}

}  // namespace mlops::cli
