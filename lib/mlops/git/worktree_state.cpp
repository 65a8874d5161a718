#include "mlops/git/worktree_state.hpp"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "mlops/git/owned.hpp"

namespace mlops::git {

namespace {

struct Buf {
  git_buf buf = GIT_BUF_INIT;
  ~Buf() { git_buf_dispose(&buf); }
};

// Git's own test: a NUL byte in the first 8000 bytes makes a file binary.
bool looks_binary(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char head[8000];
  in.read(head, sizeof head);
  return std::memchr(head, 0, static_cast<std::size_t>(in.gcount())) != nullptr;
}

// Reads HEAD's tree into `tree`; leaves it empty before the first commit (then every file is new).
Result<void> read_head_tree(const Repository& repo, Owned<git_tree, git_tree_free>& tree) {
  auto commit = repo.head_commit();
  if (!commit) return {};
  git_oid oid;
  Owned<git_commit, git_commit_free> head;
  if (git_oid_fromstr(&oid, commit->c_str()) != 0 || git_commit_lookup(&head.ptr, repo.raw(), &oid) != 0 ||
      git_commit_tree(&tree.ptr, head.ptr) != 0) {
    return std::unexpected(git_error("read the HEAD commit"));
  }
  return {};
}

}  // namespace

Result<WorktreeState> worktree_state(const Repository& repo, const DiffLimits& limits,
                                     const std::function<bool(std::string_view path)>& exclude) {
  WorktreeState state;
  git_repository* raw = repo.raw();

  // The branch comes from HEAD's symbolic target, which exists even before the first commit.
  Owned<git_reference, git_reference_free> head_ref;
  if (git_reference_lookup(&head_ref.ptr, raw, "HEAD") == 0 &&
      git_reference_type(head_ref.ptr) == GIT_REFERENCE_SYMBOLIC) {
    std::string target = git_reference_symbolic_target(head_ref.ptr);
    constexpr std::string_view kHeads = "refs/heads/";
    if (target.starts_with(kHeads)) state.branch = target.substr(kHeads.size());
  }

  Owned<git_tree, git_tree_free> tree;
  if (auto commit = repo.head_commit()) state.commit = *commit;
  if (auto read = read_head_tree(repo, tree); !read) return std::unexpected(read.error());

  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  // Untracked files are part of the work tree a run saw; ignored files are not (outputs, caches).
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT |
                  GIT_DIFF_SHOW_BINARY | GIT_DIFF_IGNORE_SUBMODULES;
  Owned<git_diff, git_diff_free> diff;
  if (git_diff_tree_to_workdir_with_index(&diff.ptr, raw, tree.ptr, &options) != 0) {
    return std::unexpected(git_error("compare the work tree with HEAD"));
  }
  std::size_t deltas = git_diff_num_deltas(diff.ptr);
  const char* workdir = git_repository_workdir(raw);
  state.dirty = deltas > 0;
  // Patch by patch, so that an oversized file can be left out without reading it.
  for (std::size_t i = 0; i < deltas; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.ptr, i);
    const char* path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
    if (exclude && ((path && exclude(path)) || (delta->old_file.path && exclude(delta->old_file.path)))) {
      state.excluded.emplace_back(path);
      continue;
    }
    bool untracked = delta->status == GIT_DELTA_UNTRACKED;
    std::uint64_t size = std::max<std::uint64_t>(delta->new_file.size, delta->old_file.size);
    if (size > (untracked ? std::min(limits.max_untracked_size, limits.max_file_size) : limits.max_file_size)) {
      state.left_out.push_back({path, size, untracked, false});
      continue;
    }
    if (untracked && !limits.untracked_binary && workdir && looks_binary(std::filesystem::path(workdir) / path)) {
      state.left_out.push_back({path, size, true, true});
      continue;
    }
    Owned<git_patch, git_patch_free> patch;
    Buf text;
    if (git_patch_from_diff(&patch.ptr, diff.ptr, i) != 0 ||
        (patch.ptr && git_patch_to_buf(&text.buf, patch.ptr) != 0)) {
      return std::unexpected(git_error("write the work tree's diff"));
    }
    if (text.buf.size > 0) state.diff.append(text.buf.ptr, text.buf.size);
  }
  return state;
}

Result<std::vector<ChangedFile>> changed_files(const Repository& repo) {
  git_repository* raw = repo.raw();
  Owned<git_tree, git_tree_free> tree;
  if (auto read = read_head_tree(repo, tree); !read) return std::unexpected(read.error());
  git_diff_options options;
  git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
  options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_IGNORE_SUBMODULES;
  Owned<git_diff, git_diff_free> diff;
  if (git_diff_tree_to_workdir_with_index(&diff.ptr, raw, tree.ptr, &options) != 0) {
    return std::unexpected(git_error("compare the work tree with HEAD"));
  }
  std::vector<ChangedFile> out;
  for (std::size_t i = 0, n = git_diff_num_deltas(diff.ptr); i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.ptr, i);
    const char* path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
    out.push_back({path ? path : "", delta->status == GIT_DELTA_UNTRACKED});
  }
  return out;
}

}  // namespace mlops::git
