#pragma once
// Finding the repository and the paths of the store inside it (DESIGN.md, "The store").
#include <filesystem>
#include <string>

#include "mlops/core/error.hpp"

namespace mlops {

struct Repo {
  std::filesystem::path root;  // the git work tree's top folder (absolute, canonical)
  // Where the store is when it is not `root/.mlops`: set from MLOPS_STORE_DIR, so that several
  // git worktrees (and `mlops repro`'s temporary one) share one cache and one runs database.
  std::filesystem::path store_dir;

  std::filesystem::path store() const { return store_dir.empty() ? root / ".mlops" : store_dir; }
  std::filesystem::path config_file() const { return store() / "config.yaml"; }
  std::filesystem::path cache() const { return store() / "cache"; }
  std::filesystem::path tmp() const { return store() / "tmp"; }
  std::filesystem::path state_db() const { return store() / "state.db"; }
  std::filesystem::path runs_db() const { return store() / "runs.db"; }
  bool initialised() const;

  // `path` (absolute, or relative to the current folder) as a path relative to root, in generic
  // form ("data/train.csv"). Fails when it is outside the work tree.
  Result<std::string> relative(const std::filesystem::path& path) const;
};

// The git work tree containing `start` (default: the current folder), found the way git finds
// it: walking up to the first folder that has a `.git` entry. Exit 2 when there is none.
Result<Repo> find_git_repo(const std::filesystem::path& start = {});

// As find_git_repo, and the repository must have been set up with `mlops init`.
Result<Repo> find_store(const std::filesystem::path& start = {});

}  // namespace mlops
