#pragma once
// Removing objects that nothing references any more, from the cache or from a remote, without
// ever deleting the only copy of committed data.
//
// Kept: every object that a version git still holds names (git/history.hpp: every ref and its
// history, the index, the stash, reflogs within git's expiry, every linked work tree and every
// work tree that shares the store), that the work trees' pointers name, and the extra roots the
// caller passes (run artifacts and data, registered model versions); objects newer than the grace
// period; and, in the cache, objects the default remote lacks (unless include_unpushed).
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::data {

class Cache;
class Remote;

enum class GcScope { workspace_only, all_refs };

// The objects the data pointers reference: the workspace's, and with GcScope::all_refs every
// version git still holds (see above). Folder versions include their manifest's files.
Result<std::vector<Hash>> data_roots(const Repo& repo, const Cache& cache, GcScope scope);

struct GcOptions {
  GcScope scope = GcScope::all_refs;
  std::chrono::seconds grace{24 * 3600};
  bool include_unpushed = false;
  std::vector<TrackedData> extra_roots;  // versions named outside git: run artifacts, registered models
};

struct GcPlan {
  std::vector<Hash> remove;          // sorted
  std::vector<std::uint64_t> sizes;  // of `remove`, in the same order
  std::uint64_t bytes = 0;           // their total
  std::size_t referenced = 0;        // objects kept because something references them
  std::vector<Hash> kept_recent;     // unreferenced but newer than the grace period
  std::vector<Hash> kept_unpushed;   // unreferenced but the default remote lacks them
  std::uint64_t bytes_recent = 0, bytes_unpushed = 0;
  std::string remote;  // the default remote that was asked; empty when there is none
};

// Decides what gc would remove from the cache. Hold the store lock (data/sharing.hpp) while
// planning and removing. Exit 3 when the default remote cannot be asked (nothing is decided).
Result<GcPlan> plan_gc(const Repo& repo, const Cache& cache, const GcOptions& options);

// Decides what `data gc --remote` would remove from `remote`: the same roots and grace period
// (by the remote objects' modification times). Folder manifests the cache lacks are fetched from
// the remote first, so that no referenced folder's files look unreferenced.
Result<GcPlan> plan_remote_gc(const Repo& repo, const Cache& cache, const Remote& remote, const GcOptions& options);

struct GcResult {
  std::vector<Hash> removed;
  std::uint64_t bytes = 0;
};

// Removes the objects of `plan` from the cache, only those in `confirmed` when given (what the
// user saw and agreed to), and stale temp files left in the store's tmp/ by killed processes
// (older than an hour).
Result<GcResult> remove_from_cache(const Repo& repo, const Cache& cache, const GcPlan& plan,
                                   const std::set<Hash>* confirmed = nullptr);
// The same for a remote.
Result<GcResult> remove_from_remote(const Remote& remote, const GcPlan& plan, const std::set<Hash>* confirmed);

// `data gc --remote` removes only what a dry run showed: the dry run records its plan in the
// store (`.mlops/gc/remote-NAME`), and the real run removes the objects that are in both that
// record and its own plan. No record, or one older than an hour: exit 2 asking for a dry run.
Result<void> save_remote_plan(const Repo& repo, const std::string& remote_name, const GcPlan& plan);
Result<std::set<Hash>> load_remote_plan(const Repo& repo, const std::string& remote_name);
void forget_remote_plan(const Repo& repo, const std::string& remote_name);

}  // namespace mlops::data
