#pragma once
// The state of the work tree a run starts from: HEAD's commit and branch, and whether anything
// differs from HEAD. When it does, `diff` is a patch that `git apply` on a checkout of `commit`
// turns into the work tree as it was: staged and unstaged changes and untracked files (binary
// ones included), but not files that git ignores.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {

struct WorktreeState {
  std::string commit;  // full id; empty in a repository without commits
  std::string branch;  // "main"; empty on a detached HEAD
  bool dirty = false;
  std::string diff;  // git's patch format, with binary patches; empty when clean
  // Changed or untracked files bigger than the limit, left out of `diff` (a dataset or model
  // that belongs in `mlops data add` or .gitignore, not in a patch kept with every run).
  std::vector<std::string> left_out;
  // Changed or untracked files that the caller's `exclude` filter kept out of `diff`.
  std::vector<std::string> excluded;
};

// Files over `max_file_size` bytes are listed in left_out instead of being put in the diff;
// files for which `exclude` (given a repo-relative path) is true are listed in excluded.
Result<WorktreeState> worktree_state(const Repository& repo, std::uint64_t max_file_size = 64ull << 20,
                                     const std::function<bool(std::string_view path)>& exclude = {});

}  // namespace mlops::git
