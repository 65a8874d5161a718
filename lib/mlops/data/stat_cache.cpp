#include "mlops/data/stat_cache.hpp"

#include <sqlite3.h>

#include <chrono>

#include <fmt/format.h>

namespace mlops::data {

namespace {
// A file whose mtime is this close to the moment it was recorded may have changed again within
// the same timestamp tick; such entries are hashed again rather than trusted.
constexpr std::int64_t kRacyWindowNs = 20'000'000;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr const char* kSchema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS stat_cache ("
    "  path TEXT PRIMARY KEY, inode INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
    "  hash_high INTEGER, hash_low INTEGER, recorded_ns INTEGER) WITHOUT ROWID;";

sqlite3* open_db(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 10000);
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
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

StatCache::~StatCache() { sqlite3_close(db_); }

void StatCache::load() {
  loaded_ = true;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT path, inode, size, mtime_ns, ctime_ns, hash_high, hash_low, recorded_ns FROM stat_cache",
                         -1, &stmt, nullptr) != SQLITE_OK) {
    return;
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    Entry e;
    e.fp.inode = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 1));
    e.fp.size = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 2));
    e.fp.mtime_ns = sqlite3_column_int64(stmt, 3);
    e.fp.ctime_ns = sqlite3_column_int64(stmt, 4);
    e.hash.high = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 5));
    e.hash.low = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 6));
    e.recorded_ns = sqlite3_column_int64(stmt, 7);
    entries_.emplace(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), e);
  }
  sqlite3_finalize(stmt);
}

std::optional<Hash> StatCache::lookup(const std::string& path, const Fingerprint& fp) {
  std::lock_guard lock(mutex_);
  if (!loaded_) load();
  auto it = entries_.find(path);
  if (it == entries_.end() || it->second.fp != fp) return std::nullopt;
  if (fp.mtime_ns + kRacyWindowNs >= it->second.recorded_ns || fp.ctime_ns + kRacyWindowNs >= it->second.recorded_ns) {
    return std::nullopt;
  }
  return it->second.hash;
}

void StatCache::record(const std::string& path, const Fingerprint& fp, const Hash& hash) {
  Entry e{fp, hash, now_ns()};
  std::lock_guard lock(mutex_);
  pending_.emplace_back(path, e);
  entries_[path] = e;
}

Result<void> StatCache::save() {
  std::lock_guard lock(mutex_);
  if (pending_.empty()) return {};
  auto fail = [&] {
    return std::unexpected(environment_error(fmt::format("cannot update the stat cache '{}': {}", path_.string(), sqlite3_errmsg(db_))));
  };
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO stat_cache VALUES (?,?,?,?,?,?,?,?)", -1, &stmt, nullptr) != SQLITE_OK) {
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
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail();
  pending_.clear();
  return {};
}

}  // namespace mlops::data
