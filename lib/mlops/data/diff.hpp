#pragma once
// Comparing the data versions of two sides: two commits, or a commit and the workspace.
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::data {

class Cache;
class StatCache;

// One side's version of a tracked path.
struct Version {
  Kind kind = Kind::file;
  Hash hash;
  std::uint64_t size = 0;
  std::optional<Manifest> manifest;  // folders, when known (in the cache or read from the workspace)
  // Workspace sides only. stale: the data is another version the cache knows, not the pointer's
  // (behind it after `git pull`: out of date, not modified, as `data status` says). conflict: the
  // pointer is conflicted by a merge (the hash is our side's).
  bool stale = false;
  bool conflict = false;
};

struct PathDiff {
  std::string path;
  // out_of_date: the workspace holds another version the cache knows (data checkout updates it);
  // conflict: a merge left the pointer conflicted.
  enum class Change { added, deleted, modified, out_of_date, conflict } change = Change::modified;
  std::optional<Version> old_version, new_version;
  // Folder changes file by file, when both manifests are known.
  std::vector<std::string> files_added, files_modified, files_deleted;
};

using Side = std::vector<std::pair<std::string, Version>>;  // data path -> version, sorted

// The versions the pointers of a commit name (folder manifests from the cache when there).
Side side_at(const Cache& cache, const std::vector<TrackedData>& items);
// The versions the workspace holds for `items` (hashed through the stat cache); paths whose data
// is absent are left out.
Result<Side> side_in_workspace(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                               const std::vector<TrackedData>& items);

std::vector<PathDiff> diff_sides(const Side& a, const Side& b);

}  // namespace mlops::data
