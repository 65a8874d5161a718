#pragma once
// Extra work trees of a repository (`git worktree`), for rebuilding a run at its commit without
// touching the user's own work tree and index. These run the git program rather than libgit2:
// libgit2 cannot create a detached worktree, and `git apply` is the reference for the patches
// that worktree_state.hpp writes.
#include <filesystem>
#include <string_view>

#include "mlops/core/error.hpp"

namespace mlops::git {

// Checks out `commit` in a new worktree at `dir` (which must not exist or be empty), detached
// from every branch. Exit 3 when git fails, with git's message.
Result<void> add_worktree(const std::filesystem::path& repo_root, const std::filesystem::path& dir,
                          std::string_view commit);

// Applies the patch in `patch_file` to the files of the work tree at `dir` (binary patches and
// new files included). Exit 2 when it does not apply, with git's message.
Result<void> apply_patch(const std::filesystem::path& dir, const std::filesystem::path& patch_file);

// Deletes the worktree at `dir` with everything in it, and git's record of it.
Result<void> remove_worktree(const std::filesystem::path& repo_root, const std::filesystem::path& dir);

}  // namespace mlops::git
