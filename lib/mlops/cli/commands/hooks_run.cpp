// `mlops hooks run pre-commit` and `mlops hooks run pre-push [REMOTE URL]`: what the installed
// hooks (and the pre-commit framework's hooks in .pre-commit-hooks.yaml) run. `schema-check`
// checks staged datasets against their schemas; the installed pre-commit hook runs it too, and
// lints the staged prompt files.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/hooks.hpp"
#include "mlops/core/output.hpp"
#include "mlops/hooks/framework.hpp"
#include "mlops/hooks/hooks.hpp"
#include "mlops/llm/lint_files.hpp"
#include "mlops/schema/staged.hpp"

namespace mlops::cli {

namespace {

struct HooksRunOptions {
  std::string hook;
  std::vector<std::string> args;  // what git passes (pre-push: remote name and URL)
};

// The prompt linter on the staged .prompt files (docs/prompts.md): errors block the commit,
// warnings are shown.
int lint_staged_prompts(const Repo& repo) {
  if (hooks::framework_not_committing()) return 0;
  auto report = unwrap(llm::lint_staged_prompts(repo, {}));
  for (const auto& finding : report.findings) out::print(finding.str() + "\n");
  if (!report.fails(llm::Severity::error)) return 0;
  std::size_t errors = report.count(llm::Severity::error);
  out::println("commit blocked: {} prompt lint error{} in the staged prompt files", errors, errors == 1 ? "" : "s");
  out::hint("fix them and stage the files again; 'mlops prompt lint' checks the work tree");
  return static_cast<int>(Exit::check_failed);
}

int run_hooks_run(const HooksRunOptions& options) {
  Repo repo = require_store();
  if (options.hook == "pre-commit") {
    int rc = unwrap(hooks::pre_commit(repo));
    if (hooks::framework_not_committing()) return rc;
    if (rc == 0) rc = unwrap(schema::check_staged(repo));
    return std::max(rc, lint_staged_prompts(repo));
  }
  if (options.hook == "schema-check") {
    if (hooks::framework_not_committing()) return 0;
    return unwrap(schema::check_staged(repo));
  }
  if (options.hook == "pre-push") {
    return unwrap(hooks::pre_push(repo, options.args, std::cin, [&] { return model_artifacts(repo); }));
  }
  return unwrap(hooks::sync_workspace(repo, options.hook, options.args));
}

}  // namespace

void add_hooks_run(CLI::App& group) {
  auto options = std::make_shared<HooksRunOptions>();
  auto* command = add_command(group, "run", "Run a hook's checks now (what the installed hooks call)",
                              [options] { return run_hooks_run(*options); });
  command->add_option("hook", options->hook, "pre-commit, pre-push, post-checkout, post-merge or schema-check")
      ->required()
      ->check(CLI::IsMember({"pre-commit", "pre-push", "post-checkout", "post-merge", "schema-check"}));
  command->add_option("args", options->args, "Arguments git passes to the hook (ignored by pre-commit)");
  command->footer("Example: mlops hooks run pre-commit");
}

}  // namespace mlops::cli
