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

// A file changed or untracked that is not in the diff, and why.
struct LeftOut {
  std::string path;
  std::uint64_t size = 0;
  bool untracked = false;
  bool binary = false;  // an untracked binary file (else: too big)
};

// What goes into the diff. A file over `max_file_size` bytes never does; an untracked one also
// not over `max_untracked_size` bytes, nor when binary unless `untracked_binary`: an untracked
// dataset, model or archive belongs in `mlops data add` or .gitignore, not in a patch kept with
// every run (a 20 MB file cost 1.4 s and 20 MB per run).
struct DiffLimits {
  std::uint64_t max_file_size = 64ull << 20;
  std::uint64_t max_untracked_size = 64ull << 20;
  bool untracked_binary = true;
};

struct WorktreeState {
  std::string commit;  // full id; empty in a repository without commits
  std::string branch;  // "main"; empty on a detached HEAD
  bool dirty = false;
  std::string diff;  // git's patch format, with binary patches; empty when clean
  // Changed or untracked files that DiffLimits kept out of `diff`.
  std::vector<LeftOut> left_out;
  // Changed or untracked files that the caller's `exclude` filter kept out of `diff`.
  std::vector<std::string> excluded;
};

// Files for which `exclude` (given a repo-relative path) is true are listed in excluded; files
// that `limits` keep out, in left_out.
Result<WorktreeState> worktree_state(const Repository& repo, const DiffLimits& limits = {},
                                     const std::function<bool(std::string_view path)>& exclude = {});

// A file that differs from HEAD: changed in the index or the work tree (modified, added,
// deleted, renamed), or untracked (an untracked folder is one entry, "scratch/", as `git status`
// shows it). Ignored files are not listed.
struct ChangedFile {
  std::string path;
  bool untracked = false;
};
// Every file that differs from HEAD, in git's order; reads no file's content.
Result<std::vector<ChangedFile>> changed_files(const Repository& repo);

}  // namespace mlops::git
