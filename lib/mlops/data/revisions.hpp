#pragma once
// The data versions that git revisions name, for `data push|fetch|gc --all-commits|--all-tags|
// --all-branches`: old versions published or kept on purpose, read from git without a checkout.
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/history.hpp"

namespace mlops::data {

class Cache;
class Remote;

struct HistoryVersions {
  std::vector<TrackedData> versions;    // one per distinct pointer text the revisions hold
  std::vector<TrackedData> unreadable;  // pointers that do not parse: every hash their text mentions
  std::size_t revisions = 0;            // commits named (walked, with all_commits)
};

// The pointer versions of the revisions `scope` names, restricted to `paths` (data paths or
// pointer files, repo-relative; a folder selects what lies below it) when not empty. A path
// that no revision and no workspace pointer names is bad input (exit 2).
Result<HistoryVersions> versions_in_revisions(const Repo& repo, const Cache& cache, const git::RevisionScope& scope,
                                              const std::vector<std::string>& paths);

// Splits `items` into the versions whose every object is in the cache or on `remote`, and those
// with an object that is in neither (lost, or never pushed by the clone that made it): history
// can hold such versions, and they must not stop the others from moving.
struct Availability {
  std::vector<TrackedData> available;
  std::vector<TrackedData> lost;
};
Result<Availability> split_by_availability(const Cache& cache, const Remote& remote,
                                           const std::vector<TrackedData>& items);

}  // namespace mlops::data
