#pragma once
#include <filesystem>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {
// The folder git runs hooks from: core.hooksPath when set (relative to the work tree), else
// the repository's hooks folder (the common one, for a linked worktree).
Result<std::filesystem::path> hooks_path(const Repository& repo);
}  // namespace mlops::git
