// `mlops hooks install|run`: git hooks that keep data and pointers honest (plain git, or the
// pre-commit framework through .pre-commit-hooks.yaml).
#include "mlops/cli/commands/hooks.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_hooks(CLI::App& app) {
  auto* group = add_group(app, "hooks", "Git hooks: check pointers before a commit, push data before a git push");
  add_hooks_install(*group);
  add_hooks_run(*group);
  add_hooks_merge_driver(*group);
}

}  // namespace mlops::cli
