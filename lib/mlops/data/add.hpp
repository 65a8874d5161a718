#pragma once
// `mlops data add`: store a file or folder in the cache and write its pointer.
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/link_mode.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::git {
class Repository;
}

namespace mlops::data {

class Cache;
class StatCache;

struct AddResult {
  TrackedData tracked;
  bool changed = false;     // the pointer is new or names a new version
  bool gitignored = false;  // an entry was added to a .gitignore
};

// Checks that `path` may be tracked: inside the work tree, not in .git or .mlops, not a pointer,
// not a symlink leaving the repository, not already tracked by git. Returns the repo-relative path.
Result<std::string> check_addable(const Repo& repo, const git::Repository& git_repo, const std::string& path);

// Stores `rel` (checked by check_addable) and returns what its pointer will say. Reads only the
// files whose stat fingerprint changed. With `link` hardlink or symlink, files are linked into the
// cache rather than copied where they can be (Cache::put_file_linked). Call cache.flush() before
// write_pointer().
Result<Pointer> stage_path(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& rel,
                           LinkMode link = LinkMode::copy);

// Writes the pointer `rel`.mlops (if it changed), the .gitignore entry, and applies the link mode
// to the workspace copy.
Result<AddResult> write_pointer(const Repo& repo, const Cache& cache, StatCache& stat_cache, const std::string& rel,
                                const Pointer& pointer, LinkMode link);

// write_pointer() for every one of `rels`, all or nothing: when one fails, the pointers and
// .gitignore files the others changed get their old text back, so that an add of several paths
// that meets a full disk leaves the workspace as it was (the objects stay in the cache for gc).
Result<std::vector<AddResult>> write_pointers(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                                              const std::vector<std::string>& rels,
                                              const std::vector<Pointer>& pointers, LinkMode link);

// Adds `/name` to the .gitignore in the folder of `rel`; false when it was already there.
Result<bool> ensure_gitignored(const Repo& repo, const std::string& rel);

}  // namespace mlops::data
