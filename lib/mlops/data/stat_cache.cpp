#include "mlops/data/stat_cache.hpp"

#include <fmt/format.h>

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
// parse these statements again. Written in one BEGIN IMMEDIATE transaction: many `data add`
// processes started at once on a new store all find no schema, and take turns creating it.
constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS stat_cache ("
    "  path TEXT PRIMARY KEY, inode INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,"
    "  hash_high INTEGER, hash_low INTEGER, recorded_ns INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS folder_memo ("
    "  path TEXT PRIMARY KEY, digest_high INTEGER, digest_low INTEGER,"
    "  manifest_high INTEGER, manifest_low INTEGER, recorded_ns INTEGER) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS complete_memo ("
    "  manifest TEXT PRIMARY KEY, cache_high INTEGER, cache_low INTEGER, recorded_ns INTEGER) WITHOUT ROWID;"
    "PRAGMA user_version=1;";

// Why open_db failed: the file is damaged (it may be thrown away: the stat cache is rebuilt by
// re-hashing), or anything else, such as a full disk, which deleting the file would not cure and
// which must not cost other processes the database they are using.
struct OpenFailure {
  Error error;
  bool corrupt;
};

// Opens the database and makes sure the schema is there.
std::expected<sql::Database, OpenFailure> open_db(const std::filesystem::path& path) {
  auto db = sql::Database::open(path, "the stat cache", sql::Database::Close::checkpoint);
  if (!db) return std::unexpected(OpenFailure{db.error(), false});
  auto failed = [&](Error error) {
    return std::unexpected(OpenFailure{std::move(error), db->last_error_is_corruption()});
  };
  auto version = db->prepare("PRAGMA user_version");
  if (!version) return failed(version.error());
  auto row = version->step();
  if (!row) return failed(row.error());
  bool has_schema = *row && version->integer(0) >= 1;
  version->reset();
  // The stat cache is rebuilt by re-hashing, so it need not survive a power cut intact.
  if (auto r = db->exec("PRAGMA synchronous=NORMAL"); !r) return failed(r.error());
  if (!has_schema) {
    if (auto r = db->use_wal(); !r) return failed(r.error());
    auto transaction = sql::Transaction::begin(*db);
    if (!transaction) return failed(transaction.error());
    if (auto r = db->exec(kSchema); !r) return failed(r.error());
    if (auto r = transaction->commit(); !r) return failed(r.error());
  }
  return std::move(*db);
}
}  // namespace

Fingerprint Fingerprint::of(const struct stat& st) {
  return Fingerprint{static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_size),
                     st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec,
                     st.st_ctim.tv_sec * 1'000'000'000LL + st.st_ctim.tv_nsec};
}

Result<std::unique_ptr<StatCache>> StatCache::open(const Repo& repo) {
  auto path = repo.state_db();
  if (auto db = open_db(path)) {
    return std::unique_ptr<StatCache>(new StatCache(std::move(*db)));
  } else if (!db.error().corrupt) {
    return std::unexpected(db.error().error);
  }
  // The stat cache is disposable: a damaged one is replaced, not repaired.
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix, ec);
  auto db = open_db(path);
  if (!db) return std::unexpected(db.error().error);
  return std::unique_ptr<StatCache>(new StatCache(std::move(*db)));
}

StatCache::~StatCache() = default;

namespace {
// The columns every entry query reads, in the order read_entry expects.
constexpr const char* kEntryColumns = "inode, size, mtime_ns, ctime_ns, hash_high, hash_low, recorded_ns";

std::uint64_t unsigned_at(const sql::Statement& stmt, int column) {
  return static_cast<std::uint64_t>(stmt.integer(column));
}

// Reads a hash stored as two integer columns, `first` and `first + 1`.
Hash hash_at(const sql::Statement& stmt, int first) {
  return Hash{unsigned_at(stmt, first), unsigned_at(stmt, first + 1)};
}

// Reads kEntryColumns from `stmt`, starting at column `first`.
void read_entry(const sql::Statement& stmt, int first, Fingerprint& fp, Hash& hash, std::int64_t& recorded_ns) {
  fp.inode = unsigned_at(stmt, first);
  fp.size = unsigned_at(stmt, first + 1);
  fp.mtime_ns = stmt.integer(first + 2);
  fp.ctime_ns = stmt.integer(first + 3);
  hash = hash_at(stmt, first + 4);
  recorded_ns = stmt.integer(first + 6);
}

std::int64_t as_integer(std::uint64_t value) { return static_cast<std::int64_t>(value); }
}  // namespace

void StatCache::preload() {
  std::lock_guard lock(mutex_);
  if (preloaded_) return;
  preloaded_ = true;
  auto stmt = db_.prepare(fmt::format("SELECT path, {} FROM stat_cache", kEntryColumns));
  if (!stmt) return;
  for (auto row = stmt->step(); row && *row; row = stmt->step()) {
    Loaded item;
    read_entry(*stmt, 1, item.entry.fp, item.entry.hash, item.entry.recorded_ns);
    std::string_view path = stmt->text_view(0);
    item.length = path.size();
    item.offset = paths_.size();
    paths_.append(path);
    loaded_.push_back(item);
  }
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
    auto stmt = db_.prepare(fmt::format("SELECT {} FROM stat_cache WHERE path = ?", kEntryColumns));
    if (!stmt) return std::nullopt;
    select_one_.emplace(std::move(*stmt));
  }
  select_one_->bind(1, path);
  std::optional<Entry> found;
  if (auto row = select_one_->step(); row && *row) {
    found.emplace();
    read_entry(*select_one_, 0, found->fp, found->hash, found->recorded_ns);
  }
  select_one_->reset();
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
  auto stmt = db_.prepare(
      "SELECT digest_high, digest_low, manifest_high, manifest_low, recorded_ns FROM folder_memo WHERE path = ?");
  if (!stmt) return std::nullopt;
  stmt->bind(1, path);
  auto row = stmt->step();
  if (!row || !*row) return std::nullopt;
  if (hash_at(*stmt, 0) != digest || newest_change_ns + kRacyWindowNs >= stmt->integer(4)) return std::nullopt;
  return hash_at(*stmt, 2);
}

void StatCache::record_folder(const std::string& path, const Hash& digest, const Hash& manifest_hash) {
  std::lock_guard lock(mutex_);
  pending_folders_.emplace_back(path, std::pair{digest, manifest_hash});
}

bool StatCache::known_complete(const Hash& manifest, const Hash& cache_digest, std::int64_t cache_newest_ns) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT cache_high, cache_low, recorded_ns FROM complete_memo WHERE manifest = ?");
  if (!stmt) return false;
  stmt->bind(1, manifest.hex());
  auto row = stmt->step();
  return row && *row && hash_at(*stmt, 0) == cache_digest && cache_newest_ns + kRacyWindowNs < stmt->integer(2);
}

void StatCache::record_complete(const Hash& manifest, const Hash& cache_digest) {
  std::lock_guard lock(mutex_);
  pending_complete_.emplace_back(manifest, cache_digest);
}

Result<void> StatCache::save() {
  std::lock_guard lock(mutex_);
  if (pending_.empty() && pending_folders_.empty() && pending_complete_.empty()) return {};
  auto transaction = sql::Transaction::begin(db_);
  if (!transaction) return std::unexpected(transaction.error());
  auto files = db_.prepare("INSERT OR REPLACE INTO stat_cache VALUES (?,?,?,?,?,?,?,?)");
  auto folders = db_.prepare("INSERT OR REPLACE INTO folder_memo VALUES (?,?,?,?,?,?)");
  auto complete = db_.prepare("INSERT OR REPLACE INTO complete_memo VALUES (?,?,?,?)");
  for (auto* stmt : {&files, &folders, &complete}) {
    if (!*stmt) return std::unexpected(stmt->error());
  }
  for (const auto& [path, e] : pending_) {
    files->bind(1, path).bind(2, as_integer(e.fp.inode)).bind(3, as_integer(e.fp.size)).bind(4, e.fp.mtime_ns);
    files->bind(5, e.fp.ctime_ns).bind(6, as_integer(e.hash.high)).bind(7, as_integer(e.hash.low));
    MLOPS_TRY(files->bind(8, e.recorded_ns).run());
  }
  std::int64_t now = now_ns();
  for (const auto& [path, hashes] : pending_folders_) {
    folders->bind(1, path).bind(2, as_integer(hashes.first.high)).bind(3, as_integer(hashes.first.low));
    folders->bind(4, as_integer(hashes.second.high)).bind(5, as_integer(hashes.second.low));
    MLOPS_TRY(folders->bind(6, now).run());
  }
  for (const auto& [manifest, digest] : pending_complete_) {
    complete->bind(1, manifest.hex()).bind(2, as_integer(digest.high)).bind(3, as_integer(digest.low));
    MLOPS_TRY(complete->bind(4, now).run());
  }
  MLOPS_TRY(transaction->commit());
  pending_.clear();
  pending_folders_.clear();
  pending_complete_.clear();
  return {};
}

}  // namespace mlops::data
