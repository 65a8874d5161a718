#pragma once
#include <filesystem>
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {
// The folder git runs hooks from: core.hooksPath when set (relative to the work tree), else
// the repository's hooks folder (the common one, for a linked worktree).
Result<std::filesystem::path> hooks_path(const Repository& repo);
// Sets `name` to `value` in the repository's own config (.git/config), as `git config` does.
Result<void> set_local_config(const Repository& repo, const std::string& name, const std::string& value);
}  // namespace mlops::git
