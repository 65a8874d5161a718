#pragma once
// How the workspace compares with what the pointers say.
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::data {

class Cache;
class StatCache;

// stale: the workspace holds another version that the cache knows (checked out or added before:
// an older one after `git pull` or a branch switch), so `data checkout` loses nothing; modified:
// content no version has, which only `data add` keeps; conflict: a merge left the pointer with two
// versions (TrackedData::conflict), so the data has none to compare with until one is chosen.
enum class State { unchanged, modified, stale, missing, conflict };
std::string_view to_string(State state);

// The workspace side of one tracked path, read through the stat cache.
struct WorkspaceSide {
  bool exists = false;
  bool is_dir = false;
  std::optional<Hash> file_hash;     // a file: its content hash
  std::optional<Hash> folder_hash;   // a folder: the hash of its manifest
  std::optional<Manifest> manifest;  // a folder, with NeedManifest::yes: its files and hashes
};

enum class NeedManifest { no, yes };

struct DataStatus {
  TrackedData tracked;
  State state = State::unchanged;
  bool in_cache = true;  // the version's objects (and a folder's files) are all in the cache
  // For folders whose manifest is in the cache: the files added, modified and deleted in the
  // workspace relative to the version (paths relative to the folder).
  std::vector<std::string> added, modified, deleted;
  // Half written by a checkout or pull that was interrupted (data/checkout.hpp); set by the caller.
  bool incomplete = false;
  bool differs() const { return state != State::unchanged || !in_cache || incomplete; }
};

// With NeedManifest::no, an unchanged folder is answered by the stat cache's folder memo
// (folder_hash only); with ::yes the manifest is always filled in.
Result<WorkspaceSide> read_workspace(const Repo& repo, const Cache& cache, StatCache& stat_cache,
                                     const std::string& data_path, NeedManifest need = NeedManifest::yes);

// Whether every object of a version is in the cache. With a stat cache, a folder version found
// complete is remembered until an object is added to or removed from the cache.
bool version_in_cache(const Cache& cache, const Pointer& pointer, StatCache* stat_cache = nullptr);

Result<DataStatus> status_of(const Repo& repo, const Cache& cache, StatCache& stat_cache, const TrackedData& tracked);

struct ManifestDiff {
  std::vector<std::string> added, modified, deleted;
};
// Files of `to` that `from` lacks (added), has with other content (modified), and files of
// `from` that `to` lacks (deleted).
ManifestDiff diff_manifests(const Manifest& from, const Manifest& to);

}  // namespace mlops::data
