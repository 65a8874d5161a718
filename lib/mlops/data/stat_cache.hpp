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

struct sqlite3;

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
  // Opens (or re-creates, when damaged) the state database. Entries are loaded on first lookup.
  static Result<std::unique_ptr<StatCache>> open(const Repo& repo);
  ~StatCache();

  // The remembered hash of `path` (repo-relative) if its fingerprint still matches. Thread-safe.
  std::optional<Hash> lookup(const std::string& path, const Fingerprint& fp);
  // Remembers a hash; written by save(). Thread-safe.
  void record(const std::string& path, const Fingerprint& fp, const Hash& hash);
  // Writes the recorded entries in one transaction. Failure is reported but harmless.
  Result<void> save();

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
  StatCache(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  void load();
  sqlite3* db_;
  std::filesystem::path path_;
  std::mutex mutex_;
  bool loaded_ = false;
  std::unordered_map<std::string, Entry> entries_;
  std::vector<std::pair<std::string, Entry>> pending_;
  std::atomic<std::size_t> files_read_{0};
  std::atomic<std::size_t> files_known_{0};
};

}  // namespace mlops::data
