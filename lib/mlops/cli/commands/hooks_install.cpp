// `mlops hooks install [--force]`: write .git/hooks/pre-commit, pre-push, post-checkout and
// post-merge that call mlops.
#include <fmt/format.h>
#include <sys/stat.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/hooks.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/attributes.hpp"
#include "mlops/git/hooks.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::cli {

namespace {

constexpr std::string_view kMarker = "# Installed by `mlops hooks install`";

std::string hook_script(std::string_view hook, std::string_view purpose, std::string_view args) {
  return fmt::format(R"(#!/bin/sh
{}: {}
# Remove this file (or run `git commit --no-verify` / `git push --no-verify`) to skip it once.
command -v mlops >/dev/null 2>&1 || {{
  echo "mlops: '{}' hook: mlops is not on PATH; install it or remove .git/hooks/{}" >&2
  exit 1
}}
exec mlops hooks run {}{}
)",
                     kMarker, purpose, hook, hook, hook, args);
}

int run_hooks_install(bool force) {
  Repo repo = require_store();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  std::filesystem::path hooks_dir = unwrap(git::hooks_path(git_repo));
  std::error_code ec;
  std::filesystem::create_directories(hooks_dir, ec);
  if (ec) throw Failure(system_error("create", hooks_dir, ec.value()));

  struct Hook {
    std::string name, script;
  };
  std::vector<Hook> hooks{
      {"pre-commit", hook_script("pre-commit",
                                 "refuse a commit when tracked data changed but its pointer was not\n"
                                 "# updated, or when a pointer names data that is in no cache or remote.",
                                 "")},
      {"pre-push",
       hook_script("pre-push",
                   "push the data the pushed commits point to, before git pushes the\n"
                   "# pointers (as git-lfs does), so that nobody receives a pointer to data they cannot pull.",
                   " \"$@\"")},
      {"post-checkout",
       hook_script("post-checkout",
                   "after a branch switch, bring data that is out of date or missing up to\n"
                   "# date, fetching it from the default remote (as git-lfs does); hooks.checkout: false turns it off.",
                   " \"$@\"")},
      {"post-merge",
       hook_script("post-merge",
                   "after git pull or git merge, bring data that is out of date or missing\n"
                   "# up to date, fetching it from the default remote; hooks.checkout: false turns it off.",
                   " \"$@\"")},
  };
  // Someone else's hook is never overwritten without --force: check them all before writing any.
  for (const auto& hook : hooks) {
    auto existing = read_file(hooks_dir / hook.name);
    if (existing && existing->find(kMarker) == std::string::npos && !force) {
      throw Failure(
          bad_input(fmt::format("'{}' already exists and was not written by mlops", (hooks_dir / hook.name).string()),
                    "add 'mlops hooks run " + hook.name + "' to it by hand, or replace it with --force"));
    }
  }
  for (const auto& hook : hooks) {
    auto file = unwrap(AtomicFile::create(hooks_dir / hook.name));
    unwrap(file.write(hook.script));
    unwrap(file.set_mode(0755));
    unwrap(file.commit());
    out::println("installed {}", (hooks_dir / hook.name).string());
  }
  // The merge driver for pointers: git runs it for files with `merge=mlops` (.gitattributes).
  unwrap(git::set_local_config(git_repo, "merge.mlops.name", data::kMergeDriverName));
  unwrap(git::set_local_config(git_repo, "merge.mlops.driver", data::kMergeDriverCommand));
  out::println("installed the merge driver for *.mlops pointers (merge.mlops in .git/config)");
  if (unwrap(data::ensure_gitattributes(repo))) {
    out::println("declared the merge rules in .gitattributes");
    out::hint("commit them so every clone merges pointers the same way: git add .gitattributes");
  }
  return 0;
}

}  // namespace

void add_hooks_install(CLI::App& group) {
  auto force = std::make_shared<bool>(false);
  auto* command =
      add_command(group, "install",
                  "Install the pre-commit, pre-push, post-checkout and post-merge hooks and the pointer merge driver",
                  [force] { return run_hooks_install(*force); });
  command->add_flag("-f,--force", *force, "Replace hooks that were not written by mlops");
  command->footer("Example: mlops hooks install");
}

}  // namespace mlops::cli
