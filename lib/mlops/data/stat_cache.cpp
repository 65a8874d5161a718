#include "mlops/data/stat_cache.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <string_view>

namespace mlops::data {

namespace {
// A file whose mtime is this close to the moment it was recorded may have changed again within
// the same timestamp tick; such entries are hashed again rather than trusted.
constexpr std::int64_t kRacyWindowNs = 20'000'000;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Version 1 of the schema; PRAGMA user_version says it is there, so that an open need not
// parse these statements again.
constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS stat_cache ("
    "  path TEXT PRIMARY KEY, inode INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
    "  hash_high INTEGER, hash_low INTEGER, recorded_ns INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS folder_memo ("
    "  path TEXT PRIMARY KEY, digest_high INTEGER, digest_low INTEGER,"
    "  manifest_high INTEGER, manifest_low INTEGER, recorded_ns INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS complete_memo ("
    "  manifest TEXT PRIMARY KEY, cache_high INTEGER, cache_low INTEGER, recorded_ns INTEGER) WITHOUT ROWID;"
    "PRAGMA user_version=1;";

int user_version(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) != SQLITE_OK) return -1;
  int version = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  return version;
}

sqlite3* open_db(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  // No SQLite mutexes: StatCache serialises every use of the connection with its own.
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 10000);
  int version = user_version(db);
  if (version < 0 || sqlite3_exec(db, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr) != SQLITE_OK ||
      (version < 1 && sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK)) {
    sqlite3_close(db);
    return nullptr;
  }
  return db;
}
}  // namespace

Fingerprint Fingerprint::of(const struct stat& st) {
  return Fingerprint{static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size),
                     st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec,
                     st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec};
}

Result<std::unique_ptr<StatCache>> StatCache::open(const Repo& repo) {
  auto path = repo.state_db();
  sqlite3* db = open_db(path);
  if (!db) {
    // The stat cache is disposable: a damaged one is replaced, not repaired.
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix, ec);
    db = open_db(path);
    if (!db) return std::unexpected(environment_error(fmt::format("cannot open the stat cache '{}'", path.string())));
  }
  return std::unique_ptr<StatCache>(new StatCache(db, path));
}

StatCache::~StatCache() {
  sqlite3_finalize(select_one_);
  sqlite3_close(db_);
}

namespace {
// The columns every entry query reads, in the order read_entry expects.
constexpr const char* kEntryColumns = "inode, size, mtime_ns, ctime_ns, hash_high, hash_low, recorded_ns";

// Reads kEntryColumns from `stmt`, starting at column `first`.
void read_entry(sqlite3_stmt* stmt, int first, Fingerprint& fp, Hash& hash, std::int64_t& recorded_ns) {
  fp.inode = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, first));
  fp.size = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, first + 1));
  fp.mtime_ns = sqlite3_column_int64(stmt, first + 2);
  fp.ctime_ns = sqlite3_column_int64(stmt, first + 3);
  hash.high = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, first + 4));
  hash.low = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, first + 5));
  recorded_ns = sqlite3_column_int64(stmt, first + 6);
}
}  // namespace

void StatCache::preload() {
  std::lock_guard lock(mutex_);
  if (preloaded_) return;
  preloaded_ = true;
  sqlite3_stmt* stmt = nullptr;
  std::string sql = fmt::format("SELECT path, {} FROM stat_cache", kEntryColumns);
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    Loaded item;
    read_entry(stmt, 1, item.entry.fp, item.entry.hash, item.entry.recorded_ns);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    item.length = static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0));
    item.offset = paths_.size();
    paths_.append(text ? text : "", item.length);
    loaded_.push_back(item);
  }
  sqlite3_finalize(stmt);
  auto path_of = [this](const Loaded& item) { return std::string_view(paths_).substr(item.offset, item.length); };
  // The rows come in primary key order (bytewise, as string_view compares); sort only if not.
  auto by_path = [&](const Loaded& a, const Loaded& b) { return path_of(a) < path_of(b); };
  if (!std::is_sorted(loaded_.begin(), loaded_.end(), by_path)) std::sort(loaded_.begin(), loaded_.end(), by_path);
}

std::optional<StatCache::Entry> StatCache::find(const std::string& path) {
  if (auto it = recorded_.find(path); it != recorded_.end()) return it->second;
  if (preloaded_) {
    std::string_view all(paths_);
    auto it = std::lower_bound(
        loaded_.begin(), loaded_.end(), std::string_view(path),
        [&](const Loaded& item, std::string_view key) { return all.substr(item.offset, item.length) < key; });
    if (it == loaded_.end() || all.substr(it->offset, it->length) != path) return std::nullopt;
    return it->entry;
  }
  if (!select_one_) {
    std::string sql = fmt::format("SELECT {} FROM stat_cache WHERE path = ?", kEntryColumns);
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &select_one_, nullptr) != SQLITE_OK) {
      select_one_ = nullptr;
      return std::nullopt;
    }
  }
  sqlite3_bind_text(select_one_, 1, path.data(), static_cast<int>(path.size()), SQLITE_STATIC);
  std::optional<Entry> found;
  if (sqlite3_step(select_one_) == SQLITE_ROW) {
    found.emplace();
    read_entry(select_one_, 0, found->fp, found->hash, found->recorded_ns);
  }
  sqlite3_reset(select_one_);
  return found;
}

std::optional<Hash> StatCache::lookup(const std::string& path, const Fingerprint& fp) {
  std::lock_guard lock(mutex_);
  auto entry = find(path);
  if (!entry || entry->fp != fp) return std::nullopt;
  if (fp.mtime_ns + kRacyWindowNs >= entry->recorded_ns || fp.ctime_ns + kRacyWindowNs >= entry->recorded_ns) {
    return std::nullopt;
  }
  return entry->hash;
}

void StatCache::record(const std::string& path, const Fingerprint& fp, const Hash& hash) {
  Entry e{fp, hash, now_ns()};
  std::lock_guard lock(mutex_);
  pending_.emplace_back(path, e);
  recorded_[path] = e;
}

std::optional<Hash> StatCache::lookup_folder(const std::string& path, const Hash& digest,
                                             std::int64_t newest_change_ns) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(
          db_,
          "SELECT digest_high, digest_low, manifest_high, manifest_low, recorded_ns FROM folder_memo WHERE path = ?",
          -1, &stmt, nullptr) != SQLITE_OK) {
    return std::nullopt;
  }
  sqlite3_bind_text(stmt, 1, path.data(), static_cast<int>(path.size()), SQLITE_STATIC);
  std::optional<Hash> found;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    Hash d{static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 0)),
           static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 1))};
    Hash m{static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 2)),
           static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 3))};
    std::int64_t recorded = sqlite3_column_int64(stmt, 4);
    if (d == digest && newest_change_ns + kRacyWindowNs < recorded) found = m;
  }
  sqlite3_finalize(stmt);
  return found;
}

void StatCache::record_folder(const std::string& path, const Hash& digest, const Hash& manifest_hash) {
  std::lock_guard lock(mutex_);
  pending_folders_.emplace_back(path, std::pair{digest, manifest_hash});
}

bool StatCache::known_complete(const Hash& manifest, const Hash& cache_digest, std::int64_t cache_newest_ns) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT cache_high, cache_low, recorded_ns FROM complete_memo WHERE manifest = ?", -1,
                         &stmt, nullptr) != SQLITE_OK) {
    return false;
  }
  std::string key = manifest.hex();
  sqlite3_bind_text(stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  bool known = false;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    Hash d{static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 0)),
           static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 1))};
    known = d == cache_digest && cache_newest_ns + kRacyWindowNs < sqlite3_column_int64(stmt, 2);
  }
  sqlite3_finalize(stmt);
  return known;
}

void StatCache::record_complete(const Hash& manifest, const Hash& cache_digest) {
  std::lock_guard lock(mutex_);
  pending_complete_.emplace_back(manifest, cache_digest);
}

Result<void> StatCache::save() {
  std::lock_guard lock(mutex_);
  if (pending_.empty() && pending_folders_.empty() && pending_complete_.empty()) return {};
  auto fail = [&] {
    return std::unexpected(
        environment_error(fmt::format("cannot update the stat cache '{}': {}", path_.string(), sqlite3_errmsg(db_))));
  };
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO stat_cache VALUES (?,?,?,?,?,?,?,?)", -1, &stmt, nullptr) !=
      SQLITE_OK) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail();
  }
  for (const auto& [path, e] : pending_) {
    sqlite3_bind_text(stmt, 1, path.data(), static_cast<int>(path.size()), SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, static_cast<sqlite3_int64>(e.fp.inode));
    sqlite3_bind_int64(stmt, 3, static_cast<sqlite3_int64>(e.fp.size));
    sqlite3_bind_int64(stmt, 4, e.fp.mtime_ns);
    sqlite3_bind_int64(stmt, 5, e.fp.ctime_ns);
    sqlite3_bind_int64(stmt, 6, static_cast<sqlite3_int64>(e.hash.high));
    sqlite3_bind_int64(stmt, 7, static_cast<sqlite3_int64>(e.hash.low));
    sqlite3_bind_int64(stmt, 8, e.recorded_ns);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      sqlite3_finalize(stmt);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return fail();
    }
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO folder_memo VALUES (?,?,?,?,?,?)", -1, &stmt, nullptr) !=
      SQLITE_OK) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail();
  }
  std::int64_t now = now_ns();
  for (const auto& [path, hashes] : pending_folders_) {
    sqlite3_bind_text(stmt, 1, path.data(), static_cast<int>(path.size()), SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, static_cast<sqlite3_int64>(hashes.first.high));
    sqlite3_bind_int64(stmt, 3, static_cast<sqlite3_int64>(hashes.first.low));
    sqlite3_bind_int64(stmt, 4, static_cast<sqlite3_int64>(hashes.second.high));
    sqlite3_bind_int64(stmt, 5, static_cast<sqlite3_int64>(hashes.second.low));
    sqlite3_bind_int64(stmt, 6, now);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      sqlite3_finalize(stmt);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return fail();
    }
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO complete_memo VALUES (?,?,?,?)", -1, &stmt, nullptr) !=
      SQLITE_OK) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail();
  }
  for (const auto& [manifest, digest] : pending_complete_) {
    std::string key = manifest.hex();
    sqlite3_bind_text(stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 2, static_cast<sqlite3_int64>(digest.high));
    sqlite3_bind_int64(stmt, 3, static_cast<sqlite3_int64>(digest.low));
    sqlite3_bind_int64(stmt, 4, now);
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      sqlite3_finalize(stmt);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return fail();
    }
    sqlite3_reset(stmt);
  }
  sqlite3_finalize(stmt);
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  pending_.clear();
  pending_folders_.clear();
  pending_complete_.clear();
  return {};
}

}  // namespace mlops::data
