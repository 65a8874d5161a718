#include "mlops/core/sqlite.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace mlops::sql {

namespace {
// Long enough for a sweep of many processes logging at once; each write holds the lock briefly.
constexpr int kBusyTimeoutMs = 60'000;

// The WAL is not checkpointed on close (see open()), and each process that opens the database
// first reads and checksums the whole WAL to rebuild its index. SQLite's own automatic
// checkpoint does not help here: it copies the WAL into the database but leaves it in place, and
// the next process, rebuilding the index, counts every frame as new again, so the WAL only grows
// (and every commit past 1,000 pages copied all of it again). So a commit that leaves the WAL at
// this many pages (512 KiB) checkpoints it and truncates it to nothing: an open reads ~64 pages on
// average, and one `mlops log metric` in ~40 pays for a checkpoint. Readers and writers that hold
// the database meanwhile are waited for (the busy timeout); failing to checkpoint is harmless.
constexpr int kWalCheckpointPages = 128;

int checkpoint_large_wal(void*, sqlite3* db, const char* schema, int pages) {
  if (pages >= kWalCheckpointPages) sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  return SQLITE_OK;
}
}  // namespace

Result<Database> Database::open(const std::filesystem::path& path, std::string_view name, Close close) {
  // Memory statistics take a global mutex on every allocation; we never read them.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return std::unexpected(environment_error(fmt::format("cannot open {} '{}': {}", name, path.string(), detail)));
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  // Each `mlops log` is a short-lived process: without this, the last connection to close
  // checkpoints the WAL (four fsyncs) and deletes it, on every call. The WAL is checkpointed
  // by checkpoint_large_wal as it grows instead.
  if (close == Close::keep_wal) {
    sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    sqlite3_wal_hook(db, checkpoint_large_wal, nullptr);
  }
  return Database(db, path, std::string(name));
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Error Database::error(std::string_view action) const {
  return environment_error(fmt::format("cannot {} in '{}': {}", action, path_.string(), sqlite3_errmsg(db_)),
                           "check that the disk is not full and the file is writable");
}

bool Database::last_error_is_corruption() const {
  int code = sqlite3_errcode(db_) & 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

Result<void> Database::exec(std::string_view sql) {
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return std::unexpected(error(fmt::format("update {}", name_)));
  }
  return {};
}

// Entering WAL mode takes an exclusive lock, and SQLite answers SQLITE_BUSY at once, without the
// busy handler, when another connection holds even a read lock: eight `mlops data add` started
// together on a new store failed that way about once in fifty. No lock is held between tries, so
// retrying for as long as the busy timeout waits out the others.
Result<void> Database::use_wal() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return {};
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
      return std::unexpected(error(fmt::format("update {}", name_)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
      SQLITE_OK) {
    return std::unexpected(error(fmt::format("read {}", name_)));
  }
  return Statement(stmt, this);
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::bind(int index, std::int64_t number) {
  sqlite3_bind_int64(stmt_, index, number);
  return *this;
}
Statement& Statement::bind(int index, double number) {
  sqlite3_bind_double(stmt_, index, number);
  return *this;
}
Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = db_->error(fmt::format("query {}", db_->name()));
  sqlite3_reset(stmt_);
  return std::unexpected(std::move(e));
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
  }
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}
std::string_view Statement::text_view(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return data ? std::string_view(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string_view();
}
std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

Result<Transaction> Transaction::begin(Database& db) {
  // The busy timeout covers BEGIN IMMEDIATE: a writer waits its turn rather than failing.
  if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) return std::unexpected(begun.error());
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (db_) sqlite3_exec(db_->raw(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::commit() {
  auto done = db_->exec("COMMIT");
  if (done) db_ = nullptr;
  return done;
}

}  // namespace mlops::sql
