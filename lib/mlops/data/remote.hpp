#pragma once
// Remotes hold the cache's content-addressed layout (`ab/cdef…`) somewhere else. Only missing
// objects move, and every upload is atomic on the remote (temp + rename), so an interrupted push
// can simply be rerun. The interface is the seam for new kinds of storage (S3-compatible next).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/config.hpp"
#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::data {

class Cache;

// An object as a remote lists it.
struct RemoteObject {
  Hash hash;
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // last modification, seconds since the epoch
};

class Remote {
 public:
  virtual ~Remote() = default;
  virtual std::string describe() const = 0;
  // Which of `hashes` the remote has, in the same order.
  virtual Result<std::vector<bool>> contains(const std::vector<Hash>& hashes) const = 0;
  // Copies a local object file to the remote under `hash`, atomically.
  virtual Result<void> upload(const Hash& hash, const std::filesystem::path& object) const = 0;
  // Downloads `hash` into the cache; the bytes are verified before they are published.
  virtual Result<void> download(const Hash& hash, const Cache& cache) const = 0;
  // Every object on the remote (for `data gc --remote`). Kinds that cannot list: exit 2.
  virtual Result<std::vector<RemoteObject>> list() const;
  // Deletes object `hash`; "not there" is success. Kinds that cannot delete: exit 2.
  virtual Result<void> remove(const Hash& hash) const;
};

// Opens the remote a config entry describes. A local or mounted path (absolute, `file://`, or
// relative to the repository root) is the kind this version supports.
Result<std::unique_ptr<Remote>> open_remote(const Repo& repo, const RemoteConfig& config);
// The remote named `name`, or the default remote when `name` is empty; exit 2 when there is none.
Result<std::unique_ptr<Remote>> open_named_remote(const Repo& repo, const Config& config, std::string_view name);
// Validates a URL for `mlops remote add`.
Result<void> check_remote_url(std::string_view url);

struct TransferResult {
  std::size_t objects = 0;  // objects transferred
  std::size_t skipped = 0;  // already on the other side
  std::uint64_t bytes = 0;
};

// Every object that versions of `items` need. Folder manifests must be in the cache to be expanded;
// the manifests that are not are listed in `unexpanded`.
std::vector<Hash> objects_of(const Cache& cache, const std::vector<TrackedData>& items,
                             std::vector<Hash>* unexpanded = nullptr);

Result<TransferResult> push(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items);
Result<TransferResult> fetch(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items);
// Fetches specific objects (and, for folder versions, the manifest's files) that are missing
// locally, from the named remote or the default one.
Result<TransferResult> fetch_version(const Repo& repo, const Hash& hash, Kind kind, std::string_view remote = {});
Result<void> fetch_objects(const Repo& repo, const std::vector<Hash>& wanted, std::string_view remote = {});

}  // namespace mlops::data
