#include "mlops/git/worktree_state.hpp"

#include <git2.h>

namespace mlops::git {

namespace {

template <class T, void (*Free)(T*)>
struct Owned {
  T* ptr = nullptr;
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    if (ptr) Free(ptr);
  }
};

struct Buf {
  git_buf buf = GIT_BUF_INIT;
  ~Buf() { git_buf_dispose(&buf); }
};

}  // namespace

Result<WorktreeState> worktree_state(const Repository& repo) {
  WorktreeState state;
  git_repository* raw = repo.raw();

  // The branch comes from HEAD's symbolic target, which exists even before the first commit.
  Owned<git_reference, git_reference_free> head_ref;
  if (git_reference_lookup(&head_ref.ptr, raw, "HEAD") == 0 && git_reference_type(head_ref.ptr) == GIT_REFERENCE_SYMBOLIC) {
    std::string target = git_reference_symbolic_target(head_ref.ptr);
    constexpr std::string_view kHeads = "refs/heads/";
    if (target.starts_with(kHeads)) state.branch = target.substr(kHeads.size());
  }

  Owned<git_tree, git_tree_free> tree;
  if (auto commit = repo.head_commit()) {
    state.commit = *commit;
    git_oid oid;
    Owned<git_commit, git_commit_free> head;
    if (git_oid_fromstr(&oid, commit->c_str()) != 0 || git_commit_lookup(&head.ptr, raw, &oid) != 0 ||
        git_commit_tree(&tree.ptr, head.ptr) != 0) {
      return std::unexpected(git_error("read the HEAD commit"));
    }
  }

  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  // Untracked files are part of the work tree a run saw; ignored files are not (outputs, caches).
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT |
                  GIT_DIFF_SHOW_BINARY | GIT_DIFF_IGNORE_SUBMODULES;
  Owned<git_diff, git_diff_free> diff;
  if (git_diff_tree_to_workdir_with_index(&diff.ptr, raw, tree.ptr, &options) != 0) {
    return std::unexpected(git_error("compare the work tree with HEAD"));
  }
  if (git_diff_num_deltas(diff.ptr) == 0) return state;
  Buf patch;
  if (git_diff_to_buf(&patch.buf, diff.ptr, GIT_DIFF_FORMAT_PATCH) != 0) {
    return std::unexpected(git_error("write the work tree's diff"));
  }
  state.diff.assign(patch.buf.ptr, patch.buf.size);
  state.dirty = !state.diff.empty();
  return state;
}

}  // namespace mlops::git
