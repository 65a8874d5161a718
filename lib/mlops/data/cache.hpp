#pragma once
// The content-addressed object cache, `.mlops/cache/ab/cdef…` (the first two hex digits name a
// folder). Objects are published once, atomically, under the hash of their bytes and made
// read-only; "already there" is success. Reads verify the hash, so a corrupt object is an error
// and is never served: it is moved aside to `.mlops/tmp/corrupt/` so a pull can fetch it again.
#include <atomic>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::data {

class Cache {
 public:
  explicit Cache(const Repo& repo) : Cache(repo.cache(), repo.tmp()) {}
  Cache(std::filesystem::path root, std::filesystem::path tmp) : root_(std::move(root)), tmp_(std::move(tmp)) {}

  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& tmp() const { return tmp_; }
  std::filesystem::path object_path(const Hash& hash) const;
  bool contains(const Hash& hash) const;
  // contains() for many objects at once, in the same order.
  std::vector<bool> contains_all(const std::vector<Hash>& hashes) const;

  // Stores the content of `source` in one pass (read, hash, write to a temp file), publishes it
  // under its hash unless already there, and returns the hash of the bytes stored. Objects are
  // not fsynced one by one: call flush() before writing anything that names them.
  Result<Hash> put_file(const std::filesystem::path& source) const;
  Result<Hash> put_bytes(std::string_view content) const;
  // Publishes a finished temp file (in tmp()) whose content hashes to `hash`.
  Result<void> publish(AtomicFile& temp, const Hash& hash) const;

  // The object's bytes, verified against `hash`. Missing: exit 2 with a hint to pull.
  Result<std::string> read(const Hash& hash) const;
  // Writes the object to `dest` atomically (temp beside it, verified while copying, rename).
  Result<void> copy_to(const Hash& hash, const std::filesystem::path& dest, unsigned mode = 0644) const;
  // Re-hashes the object: true when intact. Missing is an error.
  Result<bool> verify(const Hash& hash) const;
  // Moves a corrupt object aside so it is never served and can be fetched again.
  void quarantine(const Hash& hash) const;
  // The objects moved aside as corrupt, whether or not a good copy has replaced them since.
  std::vector<Hash> quarantined() const;
  // Forgets a moved-aside object (once a good copy is back).
  void forget_quarantined(const Hash& hash) const;
  // A fingerprint of which objects the cache holds: the inode and mtime of its 256 fan-out
  // folders, which change whenever an object is added or removed. `newest_ns` is the latest of
  // those mtimes (for the racy-timestamp rule).
  struct Fingerprint {
    Hash digest;
    std::int64_t newest_ns = 0;
  };
  Fingerprint fingerprint() const;
  // Every object in the cache.
  std::vector<Hash> list() const;
  Result<void> remove(const Hash& hash) const;
  // Makes every object this Cache wrote durable (one syncfs); nothing to do when it wrote none.
  Result<void> flush() const;

 private:
  std::string object_file(const Hash& hash) const;
  std::filesystem::path root_;
  std::filesystem::path tmp_;
  mutable std::atomic<bool> wrote_{false};
};

Error missing_object_error(const Hash& hash, std::string_view what = {});
Error corrupt_object_error(const Hash& hash);

}  // namespace mlops::data
