// `mlops prompt diff A [B]`: what changed between two versions of a prompt.
#include "mlops/llm/prompt_diff.hpp"

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/prompt.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

struct PromptDiffOptions {
  std::string a;
  std::string b;
  bool exit_code = false;
};

// Without B: NAME@REV or NAME#STAGE against the work tree's file; a bare NAME against HEAD's.
std::pair<std::string, std::string> sides(const PromptDiffOptions& options) {
  if (!options.b.empty()) return {options.a, options.b};
  std::size_t cut = options.a.find_first_of("@#");
  if (cut == std::string::npos) {
    if (options.a.ends_with(".prompt")) {
      throw Failure(
          bad_input("a .prompt file needs a second prompt to compare with", "mlops prompt diff A.prompt B.prompt"));
    }
    return {options.a + "@HEAD", options.a};
  }
  return {options.a, options.a.substr(0, cut)};
}

int run_prompt_diff(const PromptDiffOptions& options) {
  Repo repo = require_git_repo();
  auto [a_ref, b_ref] = sides(options);
  auto a = prompt::load(repo, a_ref);
  auto b = prompt::load(repo, b_ref);
  auto diff = llm::diff_prompts(a.prompt, a.source.text, a.source.label, b.prompt, b.source.text, b.source.label);
  if (out::settings().json) {
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const auto& c : diff.changes) {
      changes.push_back(
          {{"field", c.field},
           {"before", c.before.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.before)},
           {"after", c.after.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.after)}});
    }
    out::print_json({{"a", {{"source", a.source.label}, {"version", a.prompt.version_string()}}},
                     {"b", {{"source", b.source.label}, {"version", b.prompt.version_string()}}},
                     {"same", diff.same},
                     {"changes", changes},
                     {"diff", diff.unified}});
  } else if (diff.same) {
    out::note(
        fmt::format("{} and {} are the same version ({})", a.source.label, b.source.label, a.prompt.short_version()));
  } else {
    out::println("version: {} -> {}", a.prompt.short_version(), b.prompt.short_version());
    for (const auto& c : diff.changes) out::println("{}", c.str());
    out::print("\n" + diff.unified);
  }
  return options.exit_code && !diff.same ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

void add_prompt_diff(CLI::App& group) {
  auto options = std::make_shared<PromptDiffOptions>();
  auto* command = add_command(group, "diff", "Show what changed between two versions of a prompt",
                              [options] { return run_prompt_diff(*options); });
  command->add_option("a", options->a, prompt::kReferenceHelp)->required();
  command->add_option("b", options->b,
                      "The other version (default: the work tree's file; for a bare NAME, A is NAME@HEAD)");
  command->add_flag("--exit-code", options->exit_code, "Exit 1 when the versions differ");
  add_json_flag(*command);
  command->footer(
      "The changes of the front matter come first (model, config, variables, output), then a unified\n"
      "diff of the normalised files.\n"
      "Example: mlops prompt diff support#production support");
}

}  // namespace mlops::cli
