#pragma once
// `.mlops/state.db`: remembers the hash of each workspace file by its stat fingerprint (inode,
// size, mtime, ctime), so that unchanged data is never read twice. Disposable: deleting it only
// costs a re-hash. A file modified within the timestamp granularity of its recording is not
// trusted ("racily clean", as git calls it) and is hashed again.
#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/core/sqlite.hpp"

namespace mlops::data {

struct Fingerprint {
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  static Fingerprint of(const struct stat& st);
  bool operator==(const Fingerprint&) const = default;
};

class StatCache {
 public:
  // Opens (or re-creates, when damaged) the state database.
  static Result<std::unique_ptr<StatCache>> open(const Repo& repo);
  ~StatCache();

  // Loads every entry in one scan, for callers about to look up many files (a folder that the
  // folder memo does not answer): far cheaper than one query per file. Without it, each lookup
  // is one query by primary key, which is what a status of a few files wants. Thread-safe.
  void preload();
  // The remembered hash of `path` (repo-relative) if its fingerprint still matches. Thread-safe.
  std::optional<Hash> lookup(const std::string& path, const Fingerprint& fp);
  // Remembers a hash; written by save(). Thread-safe.
  void record(const std::string& path, const Fingerprint& fp, const Hash& hash);
  // Writes the recorded entries in one transaction. Failure is reported but harmless.
  Result<void> save();

  // The folder memo: the manifest hash of folder `path` when the digest of its files' paths and
  // fingerprints is `digest` and none changed within the racy window of the recording. One row
  // answers for a whole unchanged folder, so its files' entries need not even be loaded.
  std::optional<Hash> lookup_folder(const std::string& path, const Hash& digest, std::int64_t newest_change_ns);
  void record_folder(const std::string& path, const Hash& digest, const Hash& manifest_hash);

  // The completeness memo: version `manifest` had every object in the cache when the cache's
  // fingerprint was `cache_digest`. Adding or removing any object changes the fingerprint.
  bool known_complete(const Hash& manifest, const Hash& cache_digest, std::int64_t cache_newest_ns);
  void record_complete(const Hash& manifest, const Hash& cache_digest);

  // How many files were read for their content, and how many were known by their fingerprint
  // (shown by `-v`, so a user can see that unchanged data was not read again).
  std::size_t files_read() const { return files_read_; }
  std::size_t files_known() const { return files_known_; }
  void count_read() { ++files_read_; }
  void count_known() { ++files_known_; }

 private:
  struct Entry {
    Fingerprint fp;
    Hash hash;
    std::int64_t recorded_ns = 0;
  };
  // A preloaded entry: its path is paths_[offset, offset + length).
  struct Loaded {
    std::size_t offset = 0;
    std::size_t length = 0;
    Entry entry;
  };
  explicit StatCache(sql::Database db) : db_(std::move(db)) {}
  std::optional<Entry> find(const std::string& path);  // with mutex_ held
  sql::Database db_;
  std::mutex mutex_;
  std::optional<sql::Statement> select_one_;  // prepared on the first lookup without preload
  bool preloaded_ = false;
  std::string paths_;                                // the preloaded paths, back to back
  std::vector<Loaded> loaded_;                       // sorted by path, as the table's primary key is
  std::unordered_map<std::string, Entry> recorded_;  // recorded in this process: they win
  std::vector<std::pair<std::string, Entry>> pending_;
  std::vector<std::pair<std::string, std::pair<Hash, Hash>>> pending_folders_;  // path -> (digest, manifest)
  std::vector<std::pair<Hash, Hash>> pending_complete_;                         // manifest, cache digest
  std::atomic<std::size_t> files_read_{0};
  std::atomic<std::size_t> files_known_{0};
};

}  // namespace mlops::data
