#include "mlops/git/tree.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <set>

#include "mlops/git/owned.hpp"

namespace mlops::git {

namespace {

struct WalkState {
  git_repository* repo;
  std::string_view suffix;
  std::vector<CommittedFile>* files;
  bool failed = false;
};

int collect(const char* root, const git_tree_entry* entry, void* payload) {
  auto* state = static_cast<WalkState*>(payload);
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  std::string_view name = git_tree_entry_name(entry);
  if (!name.ends_with(state->suffix)) return 0;
  Owned<git_blob, git_blob_free> blob;
  if (git_blob_lookup(&blob.ptr, state->repo, git_tree_entry_id(entry)) != 0) {
    state->failed = true;
    return -1;
  }
  auto size = static_cast<std::size_t>(git_blob_rawsize(blob.ptr));
  state->files->push_back(CommittedFile{std::string(root) + std::string(name),
                                        std::string(static_cast<const char*>(git_blob_rawcontent(blob.ptr)), size)});
  return 0;
}

// The blob id of `path` in `commit`, or nullopt.
std::optional<git_oid> blob_at(git_commit* commit, const std::string& path) {
  Owned<git_tree, git_tree_free> tree;
  if (git_commit_tree(&tree.ptr, commit) != 0) return std::nullopt;
  Owned<git_tree_entry, git_tree_entry_free> entry;
  if (git_tree_entry_bypath(&entry.ptr, tree.ptr, path.c_str()) != 0) return std::nullopt;
  if (git_tree_entry_type(entry.ptr) != GIT_OBJECT_BLOB) return std::nullopt;
  return *git_tree_entry_id(entry.ptr);
}

}  // namespace

Result<std::vector<CommittedFile>> files_with_suffix_at(const Repository& repo, std::string_view rev,
                                                        std::string_view suffix) {
  auto id = repo.resolve_commit(rev);
  if (!id) return std::unexpected(id.error());
  git_oid oid;
  git_oid_fromstr(&oid, id->c_str());
  Owned<git_commit, git_commit_free> commit;
  Owned<git_tree, git_tree_free> tree;
  if (git_commit_lookup(&commit.ptr, repo.raw(), &oid) != 0 || git_commit_tree(&tree.ptr, commit.ptr) != 0) {
    return std::unexpected(git_error(fmt::format("read commit '{}'", rev)));
  }
  std::vector<CommittedFile> files;
  WalkState state{repo.raw(), suffix, &files};
  git_tree_walk(tree.ptr, GIT_TREEWALK_PRE, collect, &state);
  if (state.failed) return std::unexpected(git_error(fmt::format("read the files of '{}'", rev)));
  return files;
}

Result<std::vector<FileVersion>> file_history(const Repository& repo, std::string_view path) {
  std::vector<FileVersion> versions;
  Owned<git_revwalk, git_revwalk_free> walk;
  if (git_revwalk_new(&walk.ptr, repo.raw()) != 0) return std::unexpected(git_error("walk the history"));
  git_revwalk_sorting(walk.ptr, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (git_revwalk_push_head(walk.ptr) != 0) return versions;  // no commits yet
  std::string p(path);
  git_oid oid;
  while (git_revwalk_next(&oid, walk.ptr) == 0) {
    Owned<git_commit, git_commit_free> commit;
    if (git_commit_lookup(&commit.ptr, repo.raw(), &oid) != 0) return std::unexpected(git_error("read a commit"));
    auto mine = blob_at(commit.ptr, p);
    std::optional<git_oid> parents;
    if (git_commit_parentcount(commit.ptr) > 0) {
      Owned<git_commit, git_commit_free> parent;
      if (git_commit_parent(&parent.ptr, commit.ptr, 0) == 0) parents = blob_at(parent.ptr, p);
    }
    bool same = (mine.has_value() == parents.has_value()) && (!mine || git_oid_equal(&*mine, &*parents));
    if (same) continue;
    FileVersion v;
    v.commit = oid_hex(&oid);
    v.time = static_cast<std::int64_t>(git_commit_time(commit.ptr));
    const git_signature* author = git_commit_author(commit.ptr);
    v.author = fmt::format("{} <{}>", author->name, author->email);
    const char* summary = git_commit_summary(commit.ptr);
    v.summary = summary ? summary : "";
    if (mine) {
      Owned<git_blob, git_blob_free> blob;
      if (git_blob_lookup(&blob.ptr, repo.raw(), &*mine) != 0) return std::unexpected(git_error("read a file"));
      v.content = std::string(static_cast<const char*>(git_blob_rawcontent(blob.ptr)),
                              static_cast<std::size_t>(git_blob_rawsize(blob.ptr)));
    }
    versions.push_back(std::move(v));
  }
  return versions;
}

Result<std::vector<std::string>> all_ref_commits(const Repository& repo) {
  std::set<std::string> seen;
  std::vector<std::string> commits;
  auto add = [&](const std::string& id) {
    if (seen.insert(id).second) commits.push_back(id);
  };
  if (auto head = repo.head_commit()) add(*head);
  Owned<git_reference_iterator, git_reference_iterator_free> it;
  if (git_reference_iterator_glob_new(&it.ptr, repo.raw(), "refs/*") != 0)
    return std::unexpected(git_error("list references"));
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it.ptr) == 0) {
    Owned<git_reference, git_reference_free> owned;
    owned.ptr = ref;
    std::string_view name = git_reference_name(ref);
    if (!name.starts_with("refs/heads/") && !name.starts_with("refs/tags/")) continue;
    Owned<git_object, git_object_free> target;
    if (git_reference_peel(&target.ptr, ref, GIT_OBJECT_COMMIT) != 0) continue;  // a tag of a blob, say
    add(oid_hex(git_object_id(target.ptr)));
  }
  return commits;
}

}  // namespace mlops::git
