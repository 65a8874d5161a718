#pragma once
// Bringing DVC objects into the mlops cache. Each candidate file is read once: its bytes are
// hashed with MD5 (to check them against the name DVC gave them) and XXH3 (the mlops name) while
// they are copied to a temp file in the cache, which is published only when the MD5 matches. A
// memo (`.mlops/dvc-import.db`: DVC hash -> mlops hash) remembers every object imported, so a
// second import, an interrupted one run again, or --all-commits never reads an object twice.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/core/sqlite.hpp"
#include "mlops/interop/dvc_config.hpp"

namespace mlops::data {
class Cache;
class StatCache;
}  // namespace mlops::data

namespace mlops::interop {

// Where DVC keeps object `md5`: DVC 3 under `files/md5/ab/cdef…`, DVC 2 under `ab/cdef…`, in the
// cache and in every remote on a path. `legacy` (a DVC 2 hash) tries the old layout first.
std::vector<std::filesystem::path> object_candidates(const DvcConfig& config, const std::string& md5, bool legacy,
                                                     std::string_view suffix = {});

struct ImportedObject {
  Hash hash;
  std::uint64_t size = 0;
};

// The outcome of reading one candidate file.
enum class Verdict { matched, corrupt, absent };

class DvcObjectImporter {
 public:
  // Opens the memo; with `dry_run` nothing is ever written (the memo is read if it exists).
  static Result<DvcObjectImporter> open(const Repo& repo, const data::Cache& cache, bool dry_run);

  // The mlops hash of DVC object `md5` when the memo knows it and the cache holds it.
  std::optional<ImportedObject> known(const std::string& md5, bool legacy);
  // Reads `file`, checks it against `md5` (for `legacy`, also against DVC 2's CRLF-to-LF MD5) and
  // stores it in the cache: matched (and `*stored` set), corrupt (nothing stored) or absent.
  Result<Verdict> import_file(const std::filesystem::path& file, const std::string& md5, bool legacy,
                              ImportedObject* stored);
  // Stores `file` whatever it holds, and returns its MD5s (plain and DVC 2's CRLF-to-LF) for the
  // caller to check against a `.dir` manifest it rebuilt; remember() what matched.
  struct Unverified {
    std::string md5;
    std::string md5_dos2unix;
    ImportedObject object;
  };
  Result<Unverified> store_file(const std::filesystem::path& file);
  void remember(const std::string& md5, bool legacy, const ImportedObject& object);
  // The DVC 3 MD5 the memo pairs with mlops object `hash` (what an export or import recorded).
  std::optional<std::string> md5_of(const Hash& hash);
  // Whether an import wrote a pointer to `hash` for `path` (a pointer naming another version was
  // then made with mlops, and a later import must not put DVC's back over it).
  bool wrote_pointer(const std::string& path, const Hash& hash);
  Result<void> record_pointer(const std::string& path, const Hash& hash);
  // Records in the memo what import_file stored since the last call; call after cache.flush().
  Result<void> commit();
  // Makes what was stored since the last commit durable and remembered (cache.flush(), then
  // commit()) when enough has gathered: 256 objects, 256 MB or 2 seconds. Called after each object,
  // so that an interrupted import loses at most that much, even inside one large folder.
  Result<void> checkpoint();
  std::uint64_t files_read() const { return files_read_; }
  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  DvcObjectImporter(const data::Cache& cache, std::optional<sql::Database> db) : cache_(&cache), db_(std::move(db)) {}
  const data::Cache* cache_;
  // Reads `file` into a temp file in the cache, hashing it; nullopt when it is not a regular file.
  struct Streamed {
    std::string md5;
    std::string md5_dos2unix;
    Hash hash;
    std::uint64_t size = 0;
  };
  Result<std::optional<Streamed>> stream(const std::filesystem::path& file, bool dos2unix,
                                         std::optional<AtomicFile>& temp);
  std::optional<sql::Database> db_;
  std::unordered_map<std::string, ImportedObject> pending_;  // memo key -> object, not yet committed
  std::map<Hash, std::string> pending_md5_;                  // object -> DVC 3 MD5, not yet committed
  std::uint64_t files_read_ = 0;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t pending_bytes_ = 0;
  std::chrono::steady_clock::time_point last_commit_ = std::chrono::steady_clock::now();
};

}  // namespace mlops::interop
