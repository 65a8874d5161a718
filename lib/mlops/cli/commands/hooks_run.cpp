// `mlops hooks run pre-commit` and `mlops hooks run pre-push [REMOTE URL]`: what the installed
// hooks (and the pre-commit framework's hooks in .pre-commit-hooks.yaml) run. `schema-check`
// checks staged datasets against their schemas; the installed pre-commit hook runs it too.
#include <iostream>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/hooks.hpp"
#include "mlops/hooks/framework.hpp"
#include "mlops/hooks/hooks.hpp"
#include "mlops/schema/staged.hpp"

namespace mlops::cli {

namespace {

struct HooksRunOptions {
  std::string hook;
  std::vector<std::string> args;  // what git passes (pre-push: remote name and URL)
};

int run_hooks_run(const HooksRunOptions& options) {
  Repo repo = require_store();
  if (options.hook == "pre-commit") {
    const int rc = unwrap(hooks::pre_commit(repo));
    if (rc != 0 || hooks::framework_not_committing()) return rc;
    return unwrap(schema::check_staged(repo));
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
