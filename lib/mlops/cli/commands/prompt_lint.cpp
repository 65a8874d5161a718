// `mlops prompt lint [PATH...]`: check prompt files against the rules of docs/prompts.md.
#include <fmt/format.h>

#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/prompt.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/lint_files.hpp"

namespace mlops::cli {

namespace {

struct PromptLintOptions {
  std::vector<std::string> paths;
  std::string fail_on = "error";
  std::size_t max_tokens = 4096;
  bool rules = false;
};

int print_rules() {
  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& rule : llm::lint_rules()) {
      list.push_back({{"code", rule.code}, {"severity", llm::to_string(rule.severity)}, {"summary", rule.summary}});
    }
    out::print_json(list);
    return 0;
  }
  out::Table table({"CODE", "SEVERITY", "RULE"});
  for (const auto& rule : llm::lint_rules()) {
    table.add_row({std::string(rule.code), std::string(llm::to_string(rule.severity)), std::string(rule.summary)});
  }
  out::print(table.render());
  return 0;
}

// Without PATHs: the repository's prompts/ folder, named relative to the current folder.
std::vector<std::filesystem::path> default_paths() {
  auto repo = find_git_repo();
  std::filesystem::path base = repo ? repo->root / "prompts" : std::filesystem::path("prompts");
  std::error_code ec;
  if (!std::filesystem::is_directory(base, ec)) {
    throw Failure(
        bad_input("no prompts/ folder to lint", "name the prompt files or folders: mlops prompt lint PATH..."));
  }
  return {std::filesystem::proximate(base, ec)};
}

int run_prompt_lint(const PromptLintOptions& options) {
  if (options.rules) return print_rules();
  std::vector<std::filesystem::path> paths(options.paths.begin(), options.paths.end());
  if (paths.empty()) paths = default_paths();
  auto files = unwrap(llm::find_prompt_files(paths));
  llm::LintOptions lint;
  lint.max_tokens = options.max_tokens;
  auto report = unwrap(llm::lint_files(files, lint));
  auto fail_on = *llm::parse_severity(options.fail_on);
  if (out::settings().json) {
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const auto& f : report.findings) {
      findings.push_back({{"path", f.path},
                          {"line", f.line},
                          {"column", f.column},
                          {"code", f.code},
                          {"severity", llm::to_string(f.severity)},
                          {"message", f.message}});
    }
    out::print_json({{"files", report.files},
                     {"errors", report.count(llm::Severity::error)},
                     {"warnings", report.count(llm::Severity::warning)},
                     {"fail_on", options.fail_on},
                     {"failed", report.fails(fail_on)},
                     {"findings", findings}});
  } else {
    for (const auto& finding : report.findings) out::print(finding.str() + "\n");
    std::size_t errors = report.count(llm::Severity::error), warnings = report.count(llm::Severity::warning);
    if (report.files == 0) {
      out::note("no prompt files (*.prompt) found");
    } else if (report.findings.empty()) {
      out::note(fmt::format("{} prompt file{}: no findings", report.files, report.files == 1 ? "" : "s"));
    } else {
      out::note(fmt::format("{} error{} and {} warning{} in {} prompt file{}", errors, errors == 1 ? "" : "s", warnings,
                            warnings == 1 ? "" : "s", report.files, report.files == 1 ? "" : "s"));
    }
  }
  return report.fails(fail_on) ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

void add_prompt_lint(CLI::App& group) {
  auto options = std::make_shared<PromptLintOptions>();
  auto* command = add_command(group, "lint", "Check prompt files: front matter, tags, variables, secrets, encoding",
                              [options] { return run_prompt_lint(*options); });
  command->add_option("paths", options->paths, "Prompt files, or folders searched for *.prompt (default: prompts/)");
  command->add_option("--fail-on", options->fail_on, "Exit 1 on findings of this severity or worse (default: error)")
      ->check(CLI::IsMember({"error", "warning"}))
      ->option_text("LEVEL");
  command
      ->add_option("--max-tokens", options->max_tokens,
                   "P501's limit on the estimated tokens of a template's own text (default: 4096)")
      ->check(CLI::PositiveNumber)
      ->option_text("N");
  command->add_flag("--rules", options->rules, "List the rules and their codes");
  add_json_flag(*command);
  command->footer(
      "Each finding is one line: path:line:col: CODE severity message. Silence a code on one line\n"
      "with a comment holding 'mlops-lint: disable=CODE' (docs/prompts.md lists every rule).\n"
      "Exit status: 0 clean, 1 findings at the --fail-on level, 2 bad input.\n"
      "Example: mlops prompt lint prompts/ --fail-on warning");
}

}  // namespace mlops::cli
