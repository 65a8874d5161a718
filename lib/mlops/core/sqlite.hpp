#pragma once
// A thin RAII layer over SQLite for mlops databases (runs.db, state.db): a connection and prepared statements
// whose failures come back as mlops Errors naming the database file.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace mlops::sql {

class Statement;

class Database {
 public:
  // Opens (creating when asked) the database at `path` with a busy timeout, so that concurrent
  // writers wait for each other instead of failing with "database is locked". `name` is what
  // error messages call it ("the runs database", "the stat cache"). With `Close::checkpoint` the
  // last connection to close folds the WAL into the database and deletes it (SQLite's default,
  // right for a database written once per command); `Close::keep_wal` leaves it for the next
  // process, for databases written by many short processes (see checkpoint_large_wal).
  enum class Close { keep_wal, checkpoint };
  static Result<Database> open(const std::filesystem::path& path, std::string_view name = "the runs database",
                               Close close = Close::keep_wal);
  Database(Database&& other) noexcept : db_(other.db_), path_(std::move(other.path_)), name_(std::move(other.name_)) {
    other.db_ = nullptr;
  }
  Database& operator=(Database&&) = delete;
  ~Database();

  Result<void> exec(std::string_view sql);
  // Puts the database in WAL mode (stored in the file; a no-op when it already is). Safe when
  // many processes open a new database at once: see the retry in sqlite.cpp.
  Result<void> use_wal();
  Result<Statement> prepare(std::string_view sql);
  std::int64_t changes() const;
  Error error(std::string_view action) const;
  // Whether the last failure said the file is damaged or not a database (as opposed to busy,
  // full or unwritable): only then may a disposable database be thrown away and rebuilt.
  bool last_error_is_corruption() const;
  const std::filesystem::path& path() const { return path_; }
  const std::string& name() const { return name_; }
  sqlite3* raw() const { return db_; }

 private:
  Database(sqlite3* db, std::filesystem::path path, std::string name)
      : db_(db), path_(std::move(path)), name_(std::move(name)) {}
  sqlite3* db_;
  std::filesystem::path path_;
  std::string name_;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binding: 1-based indexes, as in SQLite. A nullopt binds NULL.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t number);
  Statement& bind(int index, int number) { return bind(index, static_cast<std::int64_t>(number)); }
  Statement& bind(int index, double number);
  Statement& bind_null(int index);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Steps once: true when a row is ready, false when done.
  Result<bool> step();
  // Runs to completion, then resets so that the statement can be bound and run again.
  Result<void> run();
  void reset();

  bool is_null(int column) const;
  std::string text(int column) const;
  // The text without a copy; valid until the next step, reset or read of the same column.
  std::string_view text_view(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, const Database* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_;
  const Database* db_;
};

// A write transaction begun with BEGIN IMMEDIATE (the write lock is taken up front, so two
// writers never deadlock on a lock upgrade); rolled back unless committed.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace mlops::sql
