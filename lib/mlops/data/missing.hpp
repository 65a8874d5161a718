#pragma once
// Fetching what exists and naming what does not: `data fetch` and `data pull` fetch every version
// on its own, so that one dataset nobody pushed never keeps the others from arriving, and report
// the missing ones at the end with the commit and author that introduced them (who to ask).
#include <optional>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/history.hpp"

namespace mlops::data {

struct MissingVersion {
  TrackedData item;
  Error error;                            // what the remote said (not there, corrupt)
  std::optional<git::CommitInfo> commit;  // that introduced the pointer's version, when known
};

struct FetchOutcome {
  TransferResult fetched;
  std::vector<TrackedData> ready;  // every object is in the cache now
  std::vector<MissingVersion> missing;
};

// Fetches each item; a version the remote lacks (bad input) is recorded and the rest go on. A
// failing remote (exit 3) stops with its error.
Result<FetchOutcome> fetch_each(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items);

// Fills in MissingVersion::commit from the history of `from` (items without a pointer file, such
// as model artifacts, have none). Failures leave it empty: the report goes on without it.
void find_introducing_commits(const Repo& repo, std::string_view from, std::vector<MissingVersion>& missing);

// "2 datasets are not on remote 'store' and not in the cache:" with a line per version (path,
// commit, author, summary), exit 2, hint: who must push; `what_worked` ends the hint.
Error missing_error(const std::vector<MissingVersion>& missing, std::string_view remote, std::string_view what_worked);

}  // namespace mlops::data
