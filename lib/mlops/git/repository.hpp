#pragma once
// An open git repository (libgit2). This folder is the only code that includes <git2.h>; other
// modules ask it questions in mlops' own terms (hex ids, relative paths, Result errors).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"

struct git_repository;

namespace mlops::git {

class Repository {
 public:
  // Opens the repository whose work tree is `work_tree` (initialises libgit2 on first use).
  static Result<Repository> open(const std::filesystem::path& work_tree);

  git_repository* raw() const { return repo_.get(); }
  const std::filesystem::path& work_tree() const { return work_tree_; }

  // The full commit id that REV (a commit, branch, tag or expression like HEAD~2) names.
  // Bad input (exit 2) when it names no commit.
  Result<std::string> resolve_commit(std::string_view rev) const;
  // The HEAD commit id; nullopt in a repository with no commits yet.
  std::optional<std::string> head_commit() const;
  // The content of `path` (relative to the work tree, '/'-separated) in commit REV;
  // nullopt when that commit has no such file.
  Result<std::optional<std::string>> read_file_at(std::string_view rev, std::string_view path) const;
  // Whether `path` (relative) is in git's index, or, for a folder, whether anything below it is.
  Result<bool> is_tracked(std::string_view path) const;
  // The content of `path` as git's index holds it (what the next commit records); nullopt when
  // the index has no such file (stage 0: a conflicted path has none).
  Result<std::optional<std::string>> read_staged_file(std::string_view path) const;

 private:
  struct Deleter {
    void operator()(git_repository* repo) const;
  };
  Repository(std::unique_ptr<git_repository, Deleter> repo, std::filesystem::path work_tree)
      : repo_(std::move(repo)), work_tree_(std::move(work_tree)) {}
  std::unique_ptr<git_repository, Deleter> repo_;
  std::filesystem::path work_tree_;
};

// The last libgit2 error as an mlops Error: "cannot <action>: <libgit2 message>".
Error git_error(std::string_view action, Exit exit = Exit::environment);

}  // namespace mlops::git
