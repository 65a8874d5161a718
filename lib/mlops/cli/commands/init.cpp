// `mlops init`: set up the store in the current git work tree.
#include <CLI/CLI.hpp>
#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/attributes.hpp"

namespace mlops::cli {

namespace {

// Everything in .mlops/ but the config (and this file) stays out of git.
constexpr std::string_view kStoreGitignore =
    "# Written by mlops init: only the config is committed; the cache and databases are local.\n"
    "/*\n"
    "!/.gitignore\n"
    "!/config.yaml\n";

int run_init() {
  Repo repo = require_git_repo();
  bool already = repo.initialised();
  if (!already) {
    std::error_code ec;
    for (const auto& dir : {repo.store(), repo.cache(), repo.tmp()}) {
      std::filesystem::create_directories(dir, ec);
      if (ec) throw Failure(system_error("create", dir, ec.value()));
    }
    unwrap(write_file_atomic(repo.store() / ".gitignore", kStoreGitignore, repo.tmp()));
    // The config is written last: its presence is what marks the store as initialised.
    unwrap(write_file_atomic(repo.config_file(), default_config_text(), repo.tmp()));
  }
  // How pointers and ignore lists merge (data/attributes.hpp); idempotent, so a second init adds
  // the lines to a repository set up before they existed.
  bool attributes = unwrap(data::ensure_gitattributes(repo));
  if (out::settings().json) {
    out::print_json({{"root", repo.root.string()}, {"store", repo.store().string()}, {"created", !already}});
    return 0;
  }
  if (already) {
    out::println("mlops is already initialised in {}", repo.store().string());
  } else {
    out::println("Initialised mlops in {}", repo.store().string());
    out::hint("commit the settings: git add .mlops/config.yaml .mlops/.gitignore .gitattributes");
  }
  if (already && attributes) out::hint("commit the merge rules: git add .gitattributes");
  return 0;
}

}  // namespace

void register_init(CLI::App& app) {
  auto* command = add_command(app, "init", "Set up mlops in this git repository (creates .mlops/)", run_init);
  add_json_flag(*command);
}

}  // namespace mlops::cli
