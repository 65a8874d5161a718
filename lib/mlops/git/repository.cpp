#include "mlops/git/repository.hpp"

#include <fmt/format.h>
#include <git2.h>

#include "mlops/git/libgit2_lazy.hpp"
#include "mlops/git/owned.hpp"

namespace mlops::git {

namespace {

// Loads libgit2 when it is loaded lazily (a missing library is exit 3 here, before any call) and
// initialises it, once; a failure is remembered.
Result<void> ensure_initialised() {
  static const Result<void> initialised = []() -> Result<void> {
    MLOPS_TRY(load_libgit2());
    git_libgit2_init();
    return {};
  }();
  return initialised;
}

}  // namespace

void Repository::Deleter::operator()(git_repository* repo) const { git_repository_free(repo); }

Error git_error(std::string_view action, Exit exit) {
  const ::git_error* e = git_error_last();
  std::string detail = e && e->message ? e->message : "unknown libgit2 error";
  return Error{exit, fmt::format("cannot {}: {}", action, detail), {}};
}

Result<Repository> Repository::open(const std::filesystem::path& work_tree) {
  MLOPS_TRY(ensure_initialised());
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, work_tree.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return std::unexpected(git_error(fmt::format("open the git repository '{}'", work_tree.string()), Exit::bad_input));
  }
  return Repository(std::unique_ptr<git_repository, Deleter>(raw), work_tree);
}

Result<std::string> Repository::resolve_commit(std::string_view rev) const {
  Owned<git_object, git_object_free> object;
  std::string spec(rev);
  if (git_revparse_single(&object.ptr, repo_.get(), spec.c_str()) != 0) {
    return std::unexpected(
        bad_input(fmt::format("unknown revision '{}'", rev), "name a commit, branch or tag that 'git log' shows"));
  }
  Owned<git_object, git_object_free> commit;
  if (git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) {
    return std::unexpected(bad_input(fmt::format("'{}' does not name a commit", rev)));
  }
  return oid_hex(git_object_id(commit.ptr));
}

std::optional<std::string> Repository::head_commit() const {
  git_oid oid;
  if (git_reference_name_to_id(&oid, repo_.get(), "HEAD") != 0) return std::nullopt;
  return oid_hex(&oid);
}

Result<std::optional<std::string>> Repository::read_file_at(std::string_view rev, std::string_view path) const {
  auto id = resolve_commit(rev);
  if (!id) return std::unexpected(id.error());
  git_oid oid;
  git_oid_fromstr(&oid, id->c_str());
  Owned<git_commit, git_commit_free> commit;
  Owned<git_tree, git_tree_free> tree;
  if (git_commit_lookup(&commit.ptr, repo_.get(), &oid) != 0 || git_commit_tree(&tree.ptr, commit.ptr) != 0) {
    return std::unexpected(git_error(fmt::format("read commit '{}'", rev)));
  }
  Owned<git_tree_entry, git_tree_entry_free> entry;
  std::string p(path);
  if (git_tree_entry_bypath(&entry.ptr, tree.ptr, p.c_str()) != 0) return std::optional<std::string>{};
  if (git_tree_entry_type(entry.ptr) != GIT_OBJECT_BLOB) return std::optional<std::string>{};
  Owned<git_blob, git_blob_free> blob;
  if (git_blob_lookup(&blob.ptr, repo_.get(), git_tree_entry_id(entry.ptr)) != 0) {
    return std::unexpected(git_error(fmt::format("read '{}' at '{}'", path, rev)));
  }
  auto size = static_cast<std::size_t>(git_blob_rawsize(blob.ptr));
  return std::optional<std::string>(std::string(static_cast<const char*>(git_blob_rawcontent(blob.ptr)), size));
}

Result<bool> Repository::is_tracked(std::string_view path) const {
  Owned<git_index, git_index_free> index;
  if (git_repository_index(&index.ptr, repo_.get()) != 0) return std::unexpected(git_error("read the git index"));
  std::string p(path);
  if (git_index_get_bypath(index.ptr, p.c_str(), 0) != nullptr) return true;
  // A folder is tracked when any entry lies below it.
  std::string prefix = p + "/";
  std::size_t at = 0;
  if (git_index_find_prefix(&at, index.ptr, prefix.c_str()) == 0) return true;
  return false;
}

Result<std::optional<std::string>> Repository::read_staged_file(std::string_view path) const {
  Owned<git_index, git_index_free> index;
  if (git_repository_index(&index.ptr, repo_.get()) != 0) return std::unexpected(git_error("read the git index"));
  std::string p(path);
  const git_index_entry* entry = git_index_get_bypath(index.ptr, p.c_str(), 0);
  if (!entry) return std::optional<std::string>{};
  Owned<git_blob, git_blob_free> blob;
  if (git_blob_lookup(&blob.ptr, repo_.get(), &entry->id) != 0) {
    return std::unexpected(git_error(fmt::format("read the staged '{}'", path)));
  }
  auto size = static_cast<std::size_t>(git_blob_rawsize(blob.ptr));
  return std::optional<std::string>(std::string(static_cast<const char*>(git_blob_rawcontent(blob.ptr)), size));
}

}  // namespace mlops::git
