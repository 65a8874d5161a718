// `mlops init`: set up the store in the current git work tree.
#include <CLI/CLI.hpp>
#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/dvc_history.hpp"

namespace mlops::cli {

namespace {

// Everything in .mlops/ but the config (and this file) stays out of git.
constexpr std::string_view kStoreGitignore =
    "# Written by mlops init: only the config is committed; the cache and databases are local.\n"
    "/*\n"
    "!/.gitignore\n"
    "!/config.yaml\n";

// A new repository's config.yaml: every module's settings with their defaults, so a user sees
// what can be set (docs/store.md).
constexpr std::string_view kDefaultConfig = R"(# mlops settings for this repository; commit this file.
version: 1
cache:
  # How data reaches the workspace from the cache: copy, reflink, hardlink or symlink.
  # With links, workspace files are made read-only so an edit cannot corrupt the cache.
  link: copy
# Data remotes: `mlops remote add NAME URL [--default]`.
remotes: {}
registry:
  # Stages a model version may be promoted to.
  stages: [dev, staging, production]
drift:
  # Share of drifted columns at which a dataset counts as drifted.
  drift_share: 0.5
)";

int run_init() {
  Repo repo = require_git_repo();
  bool already = repo.initialised();
  if (!already) {
    std::error_code ec;
    for (const auto& dir : {repo.store(), repo.cache(), repo.tmp()}) {
      std::filesystem::create_directories(dir, ec);
      if (ec) throw Failure(system_error("create", dir, ec.value()));
    }
    // A committed one (a clone whose config.yaml was never committed) is kept as it is: it may
    // let git see more than the config (.mlops/dvc-history.jsonl).
    if (!std::filesystem::exists(repo.store() / ".gitignore", ec))
      unwrap(write_file_atomic(repo.store() / ".gitignore", kStoreGitignore, repo.tmp()));
    // The config is written last: its presence is what marks the store as initialised.
    unwrap(write_file_atomic(repo.config_file(), kDefaultConfig, repo.tmp()));
  }
  if (out::settings().json) {
    out::print_json({{"root", repo.root.string()}, {"store", repo.store().string()}, {"created", !already}});
    return 0;
  }
  if (already) {
    out::println("mlops is already initialised in {}", repo.store().string());
  } else {
    out::println("Initialised mlops in {}", repo.store().string());
    out::hint("commit the settings: git add .mlops/config.yaml .mlops/.gitignore");
  }
  // A DVC project whose history no one has imported yet (a clone of one that was has the file).
  std::error_code ec;
  if (!already && std::filesystem::is_directory(repo.root / ".dvc", ec) &&
      !std::filesystem::exists(data::dvc_history_file(repo), ec)) {
    out::hint(
        "this is a DVC project: bring its data and history in with 'mlops import dvc --all-commits' "
        "(docs/from-dvc.md)");
  }
  return 0;
}

}  // namespace

void register_init(CLI::App& app) {
  auto* command = add_command(app, "init", "Set up mlops in this git repository (creates .mlops/)", run_init);
  add_json_flag(*command);
}

}  // namespace mlops::cli
