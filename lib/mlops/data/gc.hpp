#pragma once
// Removing cache objects that nothing references any more.
#include <cstdint>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::data {

class Cache;

enum class GcScope { workspace_only, all_refs };

// The objects the data pointers reference: the workspace's, and with GcScope::all_refs those of
// HEAD, every local branch and every tag. Folder versions include their manifest's files.
Result<std::vector<Hash>> data_roots(const Repo& repo, const Cache& cache, GcScope scope);

struct GcResult {
  std::vector<Hash> removed;  // (or, in a dry run, would be removed)
  std::uint64_t bytes = 0;
};

// Removes every object not in `keep`; with dry_run, only reports. Stale temp files left in the
// store's tmp/ by killed processes (older than an hour) go too.
Result<GcResult> collect_garbage(const Repo& repo, const Cache& cache, const std::vector<Hash>& keep, bool dry_run);

}  // namespace mlops::data
