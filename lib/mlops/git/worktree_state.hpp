#pragma once
// The state of the work tree a run starts from: HEAD's commit and branch, and whether anything
// differs from HEAD. When it does, `diff` is a patch that `git apply` on a checkout of `commit`
// turns into the work tree as it was: staged and unstaged changes and untracked files (binary
// ones included), but not files that git ignores.
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {

struct WorktreeState {
  std::string commit;  // full id; empty in a repository without commits
  std::string branch;  // "main"; empty on a detached HEAD
  bool dirty = false;
  std::string diff;    // git's patch format, with binary patches; empty when clean
};

Result<WorktreeState> worktree_state(const Repository& repo);

}  // namespace mlops::git
