#include "mlops/tracking/run_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <nlohmann/json.hpp>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "mlops/core/sqlite.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/secrets.hpp"

namespace mlops::tracking {

namespace {

// 1: the first schema; 2: runs.watcher_* (the process that closes a run, see mark_lost_runs);
// 3: runs.data_dirty, data_versions.state and pointer_hash (what a run really ran on).
constexpr int kSchemaVersion = 3;

// Crockford's base 32 in lower case: no i, l, o, u, so ids read back unambiguously.
constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

constexpr std::string_view kSchema = R"sql(
CREATE TABLE runs (
  seq INTEGER PRIMARY KEY,      -- a compact key for the metrics table, which holds millions of rows
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  user TEXT NOT NULL,
  host TEXT NOT NULL,
  start_time TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_time TEXT,
  duration REAL,
  command TEXT NOT NULL,        -- JSON array of argv
  cwd TEXT NOT NULL,
  exit_code INTEGER,
  status TEXT NOT NULL,
  git_commit TEXT NOT NULL,
  git_branch TEXT NOT NULL,
  git_dirty INTEGER NOT NULL,
  environment TEXT NOT NULL,    -- JSON object
  variables TEXT NOT NULL       -- JSON object, secrets redacted before they get here
);
CREATE INDEX runs_start ON runs (start_ms, id);

CREATE TABLE params (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                     PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE INDEX params_key ON params (key);
CREATE TABLE tags (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                   PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE INDEX tags_key ON tags (key);
-- The history of every metric; `run` is runs.seq. value NULL stands for NaN (SQLite stores a
-- NaN REAL as NULL); infinities are stored as such. Indexed by run only: a run's points are
-- appended at the end of the index, which keeps a million-point ingest fast.
CREATE TABLE metrics (run INTEGER NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL,
                      value REAL, timestamp INTEGER NOT NULL);
CREATE INDEX metrics_run ON metrics (run);
-- Keyed by metric first: `runs list --where metrics.acc > 0.5` reads one contiguous range.
CREATE TABLE latest_metrics (run_id TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL,
                             value REAL, timestamp INTEGER NOT NULL,
                             PRIMARY KEY (key, run_id)) WITHOUT ROWID;
CREATE INDEX latest_metrics_run ON latest_metrics (run_id);
CREATE TABLE artifacts (run_id TEXT NOT NULL, name TEXT NOT NULL, hash TEXT NOT NULL,
                        size INTEGER NOT NULL, kind TEXT NOT NULL, files INTEGER NOT NULL,
                        PRIMARY KEY (run_id, name)) WITHOUT ROWID;
CREATE TABLE data_versions (run_id TEXT NOT NULL, path TEXT NOT NULL, pointer_file TEXT NOT NULL,
                            hash TEXT NOT NULL, size INTEGER NOT NULL, kind TEXT NOT NULL,
                            PRIMARY KEY (run_id, path)) WITHOUT ROWID;
)sql";

// Version 2, on top of version 1 (new databases run both): who closes a running run.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE runs ADD COLUMN watcher_pid INTEGER;    -- NULL: nobody watches (run start, import)
ALTER TABLE runs ADD COLUMN watcher_start INTEGER;  -- its start time in clock ticks after boot
ALTER TABLE runs ADD COLUMN watcher_boot TEXT;      -- the boot it ran in
CREATE INDEX runs_watched ON runs (id) WHERE status = 'running' AND watcher_pid IS NOT NULL;
)sql";

// Version 3: the data a run ran on, when it was not what its pointers say.
constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE runs ADD COLUMN data_dirty INTEGER NOT NULL DEFAULT 0;
ALTER TABLE data_versions ADD COLUMN state TEXT NOT NULL DEFAULT 'clean';
ALTER TABLE data_versions ADD COLUMN pointer_hash TEXT NOT NULL DEFAULT '';
)sql";

// Passes the error of a failed step on (`if (!x) return fail(x);`).
template <class T>
std::unexpected<Error> fail(Result<T>& result) {
  return std::unexpected(std::move(result.error()));
}

Error unknown_run(std::string_view id) {
  return bad_input(fmt::format("unknown run '{}'", id), "see 'mlops runs list' for the runs of this repository");
}

std::string to_json(const std::map<std::string, std::string>& map) { return nlohmann::json(map).dump(); }
std::map<std::string, std::string> map_from_json(const std::string& text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_object()) return {};
  std::map<std::string, std::string> map;
  for (auto& [key, value] : parsed.items()) map[key] = value.is_string() ? value.get<std::string>() : value.dump();
  return map;
}

double read_metric_value(const sql::Statement& stmt, int column) {
  return stmt.is_null(column) ? std::nan("") : stmt.real(column);
}

void bind_metric_value(sql::Statement& stmt, int index, double value) {
  if (std::isnan(value)) {
    stmt.bind_null(index);
  } else {
    stmt.bind(index, value);
  }
}

// The point of each key in `points` that wins as the final value: highest step, last logged.
std::map<std::string, const MetricPoint*> finals_of(const std::vector<MetricPoint>& points) {
  std::map<std::string, const MetricPoint*> finals;
  for (const auto& point : points) {
    auto [it, inserted] = finals.try_emplace(point.key, &point);
    if (!inserted && point.step >= it->second->step) it->second = &point;
  }
  return finals;
}

// The run's seq (its key in the metrics table); unknown run is bad input.
Result<std::int64_t> require_run(sql::Database& db, std::string_view id) {
  auto stmt = db.prepare("SELECT seq FROM runs WHERE id = ?");
  if (!stmt) return fail(stmt);
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) return fail(row);
  if (!*row) return std::unexpected(unknown_run(id));
  return stmt->integer(0);
}

// Rows per INSERT statement in bulk: fewer statement executions for a big metrics file.
constexpr std::size_t kBatch = 100;

std::string insert_metrics_sql(std::size_t rows) {
  std::string sql = "INSERT INTO metrics (run, key, step, value, timestamp) VALUES ";
  for (std::size_t i = 0; i < rows; ++i) sql += i ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
  return sql;
}

Result<void> insert_metrics(sql::Database& db, std::string_view id, const std::vector<MetricPoint>& points) {
  auto seq = require_run(db, id);
  if (!seq) return fail(seq);
  std::optional<sql::Statement> batch;
  if (points.size() >= kBatch) {
    auto prepared = db.prepare(insert_metrics_sql(kBatch));
    if (!prepared) return fail(prepared);
    batch.emplace(std::move(*prepared));
  }
  auto single = db.prepare(insert_metrics_sql(1));
  if (!single) return fail(single);
  std::size_t i = 0;
  for (; batch && i + kBatch <= points.size(); i += kBatch) {
    for (std::size_t j = 0; j < kBatch; ++j) {
      const auto& point = points[i + j];
      int base = static_cast<int>(j * 5);
      batch->bind(base + 1, *seq)
          .bind(base + 2, point.key)
          .bind(base + 3, point.step)
          .bind(base + 5, point.timestamp_ms);
      bind_metric_value(*batch, base + 4, point.value);
    }
    MLOPS_TRY(batch->run());
  }
  for (; i < points.size(); ++i) {
    const auto& point = points[i];
    single->bind(1, *seq).bind(2, point.key).bind(3, point.step).bind(5, point.timestamp_ms);
    bind_metric_value(*single, 4, point.value);
    MLOPS_TRY(single->run());
  }
  auto latest = db.prepare(
      "INSERT INTO latest_metrics (run_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (key, run_id) DO UPDATE SET step = excluded.step, value = excluded.value, "
      "timestamp = excluded.timestamp WHERE excluded.step >= latest_metrics.step");
  if (!latest) return fail(latest);
  for (const auto& [key, point] : finals_of(points)) {
    latest->bind(1, id).bind(2, key).bind(3, point->step).bind(5, point->timestamp_ms);
    bind_metric_value(*latest, 4, point->value);
    MLOPS_TRY(latest->run());
  }
  return {};
}

Result<void> upsert_pairs(sql::Database& db, std::string_view table, std::string_view id,
                          const std::map<std::string, std::string>& pairs) {
  auto stmt = db.prepare(fmt::format("INSERT OR REPLACE INTO {} (run_id, key, value) VALUES (?, ?, ?)", table));
  if (!stmt) return fail(stmt);
  for (const auto& [key, value] : pairs) MLOPS_TRY(stmt->bind(1, id).bind(2, key).bind(3, value).run());
  return {};
}

Result<void> upsert_artifact(sql::Database& db, std::string_view id, const Artifact& artifact) {
  auto stmt =
      db.prepare("INSERT OR REPLACE INTO artifacts (run_id, name, hash, size, kind, files) VALUES (?, ?, ?, ?, ?, ?)");
  if (!stmt) return fail(stmt);
  return stmt->bind(1, id)
      .bind(2, artifact.name)
      .bind(3, artifact.hash)
      .bind(4, static_cast<std::int64_t>(artifact.size))
      .bind(5, artifact.kind)
      .bind(6, static_cast<std::int64_t>(artifact.files))
      .run();
}

// Adds `more` to what the run's kRedactedTag tag says was redacted.
Result<void> note_redactions(sql::Database& db, std::string_view id, const Redactions& more) {
  auto current = db.prepare("SELECT value FROM tags WHERE run_id = ? AND key = ?");
  if (!current) return fail(current);
  current->bind(1, id).bind(2, kRedactedTag);
  auto row = current->step();
  if (!row) return fail(row);
  Redactions all = *row ? Redactions::from_json(current->text(0)) : Redactions{};
  current->reset();
  all.merge(more);
  return upsert_pairs(db, "tags", id, {{std::string(kRedactedTag), all.to_json()}});
}

// The run columns every listing reads, in the order read_run_row expects.
constexpr std::string_view kRunColumns =
    "id, name, user, host, start_time, end_time, duration, command, cwd, exit_code, status, "
    "git_commit, git_branch, git_dirty, data_dirty";

RunRecord read_run_row(const sql::Statement& stmt, bool with_command = true) {
  RunRecord run;
  run.id = stmt.text(0);
  run.name = stmt.text(1);
  run.user = stmt.text(2);
  run.host = stmt.text(3);
  run.start_time = stmt.text(4);
  if (!stmt.is_null(5)) run.end_time = stmt.text(5);
  if (!stmt.is_null(6)) run.duration = stmt.real(6);
  auto command = with_command ? nlohmann::json::parse(stmt.text(7), nullptr, false) : nlohmann::json();
  if (command.is_array()) {
    for (const auto& arg : command) {
      if (arg.is_string()) run.command.push_back(arg.get<std::string>());
    }
  }
  run.cwd = stmt.text(8);
  if (!stmt.is_null(9)) run.exit_code = static_cast<int>(stmt.integer(9));
  // A status this version does not know (a newer mlops wrote it) reads as running: unfinished.
  run.status = parse_status(stmt.text(10)).value_or(RunStatus::running);
  run.git_commit = stmt.text(11);
  run.git_branch = stmt.text(12);
  run.git_dirty = stmt.integer(13) != 0;
  run.data_dirty = stmt.integer(14) != 0;
  return run;
}

// Up to this many runs are read one by one, an index lookup each; more, and the table is read
// once in order (reading a run's rows costs about as much as scanning 30 runs' rows).
constexpr std::size_t kFewRuns = 256;

// The rows (run_id, key, value) of `table` (latest_metrics, params or tags) that belong to the
// runs `ids`, only those of `key` when given; `row(i, statement)` for each, i the run's index
// in `ids`. Few runs are looked up one by one; else the table is read in (key, run_id) order,
// which its primary key or key index gives without sorting, and matched against the sorted ids
// by a merge: no lookup per row.
template <class Row>
Result<void> rows_of_runs(sql::Database& db, std::string_view table, const std::vector<std::string>& ids,
                          std::optional<std::string_view> key, Row&& row) {
  std::string_view only_key = key ? " AND key = ?2" : "";
  if (ids.size() <= kFewRuns) {
    auto stmt = db.prepare(fmt::format("SELECT run_id, key, value FROM {} WHERE run_id = ?1{}", table, only_key));
    if (!stmt) return fail(stmt);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      stmt->bind(1, ids[i]);
      if (key) stmt->bind(2, *key);
      for (;;) {
        auto next = stmt->step();
        if (!next) return fail(next);
        if (!*next) break;
        row(i, *stmt);
      }
      stmt->reset();
    }
    return {};
  }
  std::vector<std::pair<std::string_view, std::size_t>> sorted;
  sorted.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) sorted.emplace_back(ids[i], i);
  std::sort(sorted.begin(), sorted.end());
  auto stmt = db.prepare(
      fmt::format("SELECT run_id, key, value FROM {}{} ORDER BY key, run_id", table, key ? " WHERE key = ?2" : ""));
  if (!stmt) return fail(stmt);
  if (key) stmt->bind(2, *key);
  std::string current_key;
  std::size_t cursor = 0;
  for (;;) {
    auto next = stmt->step();
    if (!next) return fail(next);
    if (!*next) break;
    std::string run = stmt->text(0);
    std::string row_key = stmt->text(1);
    if (row_key != current_key) {
      current_key = std::move(row_key);
      cursor = 0;
    }
    while (cursor < sorted.size() && sorted[cursor].first < run) ++cursor;
    if (cursor < sorted.size() && sorted[cursor].first == run) row(sorted[cursor].second, *stmt);
  }
  return {};
}

}  // namespace

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::running:
      return "running";
    case RunStatus::finished:
      return "finished";
    case RunStatus::failed:
      return "failed";
    case RunStatus::killed:
      return "killed";
  }
  return "running";
}

std::optional<RunStatus> parse_status(std::string_view text) {
  for (auto status : {RunStatus::running, RunStatus::finished, RunStatus::failed, RunStatus::killed}) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

std::string_view to_string(DataState state) {
  switch (state) {
    case DataState::clean:
      return "clean";
    case DataState::other_version:
      return "other-version";
    case DataState::modified:
      return "modified";
    case DataState::missing:
      return "missing";
    case DataState::conflict:
      return "conflict";
  }
  return "modified";
}

std::optional<DataState> parse_data_state(std::string_view text) {
  for (auto state :
       {DataState::clean, DataState::other_version, DataState::modified, DataState::missing, DataState::conflict}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_time(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

std::string make_run_id(std::int64_t start_ms) {
  std::string id(14, '0');
  auto time = static_cast<std::uint64_t>(start_ms);
  for (int i = 9; i >= 0; --i) {
    id[static_cast<std::size_t>(i)] = kAlphabet[time & 31];
    time >>= 5;
  }
  std::random_device random;
  std::uint32_t bits = random();
  for (std::size_t i = 10; i < 14; ++i) {
    id[i] = kAlphabet[bits & 31];
    bits >>= 5;
  }
  return id;
}

RunStore::RunStore(std::unique_ptr<sql::Database> db) : db_(std::move(db)) {}
RunStore::RunStore(RunStore&&) noexcept = default;
RunStore& RunStore::operator=(RunStore&&) noexcept = default;
RunStore::~RunStore() = default;

Result<RunStore> RunStore::open(const Repo& repo) {
  auto db = sql::Database::open(repo.runs_db());
  if (!db) return fail(db);
  auto owned = std::make_unique<sql::Database>(std::move(*db));
  // synchronous=NORMAL is durable in WAL mode except for the last commits on a power cut, and
  // keeps `mlops log metric` at a few milliseconds.
  // Up to 32 MiB of page cache (allocated only as used) for bulk metric ingests; reads through
  // a memory map rather than a read(2) per page, which halves the cost of listing many runs.
  // (The WAL is kept small by sql::Database's own checkpoints.)
  MLOPS_TRY(owned->exec("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA mmap_size = 1073741824"));
  auto version = owned->prepare("PRAGMA user_version");
  if (!version) return fail(version);
  auto row = version->step();
  if (!row) return fail(row);
  if (version->integer(0) < kSchemaVersion) {
    version->reset();
    // WAL lets readers and one writer work at once; the mode is stored in the file.
    MLOPS_TRY(owned->use_wal());
    auto transaction = sql::Transaction::begin(*owned);
    if (!transaction) return fail(transaction);
    // Another process may have created the tables while we waited for the lock.
    auto again = owned->prepare("PRAGMA user_version");
    if (!again) return fail(again);
    MLOPS_TRY(again->step());
    auto found = again->integer(0);
    again->reset();
    if (found < kSchemaVersion) {
      if (found < 1) MLOPS_TRY(owned->exec(kSchema));
      if (found < 2) MLOPS_TRY(owned->exec(kSchemaV2));
      MLOPS_TRY(owned->exec(kSchemaV3));
      MLOPS_TRY(owned->exec(fmt::format("PRAGMA user_version = {}", kSchemaVersion)));
    }
    MLOPS_TRY(transaction->commit());
  } else {
    version->reset();
  }
  return RunStore(std::move(owned));
}

Result<std::string> RunStore::resolve(std::string_view id_or_prefix) {
  std::string prefix(id_or_prefix);
  std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (prefix.empty() || prefix.find_first_not_of(kAlphabet) != std::string::npos) {
    return std::unexpected(unknown_run(id_or_prefix));
  }
  auto stmt = db_->prepare("SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 6");
  if (!stmt) return fail(stmt);
  stmt->bind(1, prefix).bind(2, prefix + "~");
  std::vector<std::string> found;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row);
    if (!*row) break;
    found.push_back(stmt->text(0));
  }
  if (found.empty()) return std::unexpected(unknown_run(id_or_prefix));
  if (found.size() == 1 || found.front() == prefix) return found.front();
  std::string listed =
      fmt::format("{}", fmt::join(found.begin(), found.begin() + std::min<std::size_t>(found.size(), 5), ", "));
  return std::unexpected(bad_input(fmt::format("run id prefix '{}' is ambiguous: it matches {}{}", id_or_prefix, listed,
                                               found.size() > 5 ? ", ..." : ""),
                                   "type more characters of the id"));
}

Result<bool> RunStore::exists(std::string_view id) {
  auto stmt = db_->prepare("SELECT 1 FROM runs WHERE id = ?");
  if (!stmt) return fail(stmt);
  stmt->bind(1, id);
  return stmt->step();
}

Result<RunRecord> RunStore::get(std::string_view id) {
  auto stmt = db_->prepare(fmt::format("SELECT {}, environment, variables FROM runs WHERE id = ?", kRunColumns));
  if (!stmt) return fail(stmt);
  stmt->bind(1, id);
  auto row = stmt->step();
  if (!row) return fail(row);
  if (!*row) return std::unexpected(unknown_run(id));
  RunRecord run = read_run_row(*stmt);
  run.environment = map_from_json(stmt->text(15));
  run.variables = map_from_json(stmt->text(16));

  for (auto [table, target] : {std::pair{"params", &run.params}, std::pair{"tags", &run.tags}}) {
    auto pairs = db_->prepare(fmt::format("SELECT key, value FROM {} WHERE run_id = ? ORDER BY key", table));
    if (!pairs) return fail(pairs);
    pairs->bind(1, id);
    for (;;) {
      auto next = pairs->step();
      if (!next) return fail(next);
      if (!*next) break;
      (*target)[pairs->text(0)] = pairs->text(1);
    }
  }
  auto metrics = db_->prepare("SELECT key, step, value, timestamp FROM latest_metrics WHERE run_id = ? ORDER BY key");
  if (!metrics) return fail(metrics);
  metrics->bind(1, id);
  for (;;) {
    auto next = metrics->step();
    if (!next) return fail(next);
    if (!*next) break;
    MetricPoint point{metrics->text(0), read_metric_value(*metrics, 2), metrics->integer(1), metrics->integer(3)};
    run.metrics[point.key] = point;
  }
  auto data = db_->prepare(
      "SELECT path, pointer_file, hash, size, kind, state, pointer_hash FROM data_versions WHERE run_id = ? "
      "ORDER BY path");
  if (!data) return fail(data);
  data->bind(1, id);
  for (;;) {
    auto next = data->step();
    if (!next) return fail(next);
    if (!*next) break;
    run.data.push_back({data->text(0), data->text(1), data->text(2), static_cast<std::uint64_t>(data->integer(3)),
                        data->text(4), parse_data_state(data->text(5)).value_or(DataState::modified), data->text(6)});
  }
  auto artifacts = db_->prepare("SELECT name, hash, size, kind, files FROM artifacts WHERE run_id = ? ORDER BY name");
  if (!artifacts) return fail(artifacts);
  artifacts->bind(1, id);
  for (;;) {
    auto next = artifacts->step();
    if (!next) return fail(next);
    if (!*next) break;
    run.artifacts.push_back({artifacts->text(0), artifacts->text(1), static_cast<std::uint64_t>(artifacts->integer(2)),
                             artifacts->text(3), static_cast<std::uint64_t>(artifacts->integer(4))});
  }
  return run;
}

Result<void> RunStore::create(const RunRecord& record, const std::vector<MetricPoint>& history) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  MLOPS_TRY(insert_run(record, history));
  return transaction->commit();
}

Result<void> RunStore::create_all(const std::vector<RunRecord>& records,
                                  const std::vector<std::vector<MetricPoint>>& histories) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  for (std::size_t i = 0; i < records.size(); ++i) {
    MLOPS_TRY(insert_run(records[i], i < histories.size() ? histories[i] : std::vector<MetricPoint>{}));
  }
  return transaction->commit();
}

Result<void> RunStore::insert_run(const RunRecord& record, const std::vector<MetricPoint>& history) {
  auto present = exists(record.id);
  if (!present) return fail(present);
  if (*present) {
    return std::unexpected(bad_input(fmt::format("run '{}' already exists", record.id),
                                     "delete it first with 'mlops runs delete' to replace it"));
  }
  auto insert = db_->prepare(
      "INSERT INTO runs (id, name, user, host, start_time, start_ms, end_time, duration, command, cwd, exit_code, "
      "status, git_commit, git_branch, git_dirty, environment, variables, watcher_pid, watcher_start, watcher_boot, "
      "data_dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return fail(insert);
  // start_ms orders runs made elsewhere (imported) by their start, whatever their id.
  std::tm tm{};
  std::int64_t start_ms = 0;
  if (strptime(record.start_time.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) {
    start_ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
    if (record.start_time.size() >= 23 && record.start_time[19] == '.') {
      start_ms += std::atoi(record.start_time.substr(20, 3).c_str());
    }
  }
  insert->bind(1, record.id)
      .bind(2, record.name)
      .bind(3, record.user)
      .bind(4, record.host)
      .bind(5, record.start_time)
      .bind(6, start_ms)
      .bind(7, record.end_time)
      .bind(8, record.duration)
      .bind(9, nlohmann::json(record.command).dump())
      .bind(10, record.cwd)
      .bind(11, record.exit_code)
      .bind(12, to_string(record.status))
      .bind(13, record.git_commit)
      .bind(14, record.git_branch)
      .bind(15, static_cast<std::int64_t>(record.git_dirty))
      .bind(16, to_json(record.environment))
      .bind(17, to_json(record.variables))
      .bind(21, static_cast<std::int64_t>(record.data_dirty));
  if (record.watcher) {
    insert->bind(18, record.watcher->pid).bind(19, record.watcher->start_ticks).bind(20, record.watcher->boot_id);
  }
  MLOPS_TRY(insert->run());
  MLOPS_TRY(upsert_pairs(*db_, "params", record.id, record.params));
  MLOPS_TRY(upsert_pairs(*db_, "tags", record.id, record.tags));
  auto data = db_->prepare(
      "INSERT OR REPLACE INTO data_versions (run_id, path, pointer_file, hash, size, kind, state, pointer_hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!data) return fail(data);
  for (const auto& version : record.data) {
    MLOPS_TRY(data->bind(1, record.id)
                  .bind(2, version.path)
                  .bind(3, version.pointer_file)
                  .bind(4, version.hash)
                  .bind(5, static_cast<std::int64_t>(version.size))
                  .bind(6, version.kind)
                  .bind(7, to_string(version.state))
                  .bind(8, version.pointer_hash)
                  .run());
  }
  for (const auto& artifact : record.artifacts) MLOPS_TRY(upsert_artifact(*db_, record.id, artifact));
  if (!history.empty()) {
    MLOPS_TRY(insert_metrics(*db_, record.id, history));
  } else if (!record.metrics.empty()) {
    std::vector<MetricPoint> finals;
    for (const auto& [key, point] : record.metrics) finals.push_back(point);
    MLOPS_TRY(insert_metrics(*db_, record.id, finals));
  }
  return {};
}

Result<void> RunStore::finish(std::string_view id, RunStatus status, std::optional<int> exit_code,
                              std::int64_t end_ms) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  auto stmt = db_->prepare(
      "UPDATE runs SET status = ?, exit_code = ?, end_time = ?, duration = MAX(0, (? - start_ms) / 1000.0) "
      "WHERE id = ?");
  if (!stmt) return fail(stmt);
  MLOPS_TRY(stmt->bind(1, to_string(status))
                .bind(2, exit_code)
                .bind(3, format_time(end_ms))
                .bind(4, end_ms)
                .bind(5, id)
                .run());
  if (db_->changes() == 0) return std::unexpected(unknown_run(id));
  return transaction->commit();
}

Result<void> RunStore::log_metrics(std::string_view id, const std::vector<MetricPoint>& points) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  MLOPS_TRY(insert_metrics(*db_, id, points));
  return transaction->commit();
}

Result<void> RunStore::log_params(std::string_view id, std::map<std::string, std::string> params) {
  Redactions redactions;
  redactions.params = redact_pairs(params);
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  MLOPS_TRY(require_run(*db_, id));
  auto existing = db_->prepare("SELECT value FROM params WHERE run_id = ? AND key = ?");
  if (!existing) return fail(existing);
  for (const auto& [key, value] : params) {
    existing->bind(1, id).bind(2, key);
    auto row = existing->step();
    if (!row) return fail(row);
    if (*row && existing->text(0) != value) {
      return std::unexpected(bad_input(
          fmt::format("param '{}' of run '{}' is already '{}': params cannot change", key, id, existing->text(0)),
          "log the changing value as a metric or a tag, or start a new run"));
    }
    existing->reset();
  }
  MLOPS_TRY(upsert_pairs(*db_, "params", id, params));
  if (!redactions.empty()) MLOPS_TRY(note_redactions(*db_, id, redactions));
  return transaction->commit();
}

Result<void> RunStore::set_tags(std::string_view id, std::map<std::string, std::string> tags) {
  // The tool's own records (redactions, what a diff left out) are not set from outside.
  tags.erase(std::string(kRedactedTag));
  tags.erase(std::string(kDiffLeftOutTag));
  Redactions redactions;
  redactions.tags = redact_pairs(tags);
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  MLOPS_TRY(require_run(*db_, id));
  MLOPS_TRY(upsert_pairs(*db_, "tags", id, tags));
  if (!redactions.empty()) MLOPS_TRY(note_redactions(*db_, id, redactions));
  return transaction->commit();
}

Result<void> RunStore::add_redactions(std::string_view id, const Redactions& redactions) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  MLOPS_TRY(require_run(*db_, id));
  MLOPS_TRY(note_redactions(*db_, id, redactions));
  return transaction->commit();
}

Result<void> RunStore::set_environment(std::string_view id, const std::map<std::string, std::string>& environment) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  auto stmt = db_->prepare("UPDATE runs SET environment = ? WHERE id = ?");
  if (!stmt) return fail(stmt);
  MLOPS_TRY(stmt->bind(1, to_json(environment)).bind(2, id).run());
  if (db_->changes() == 0) return std::unexpected(unknown_run(id));
  return transaction->commit();
}

Result<void> RunStore::add_artifact(std::string_view id, const Artifact& artifact) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  MLOPS_TRY(require_run(*db_, id));
  MLOPS_TRY(upsert_artifact(*db_, id, artifact));
  return transaction->commit();
}

Result<std::vector<std::string>> RunStore::mark_lost_runs() {
  std::vector<std::string> lost;
  {
    auto running = db_->prepare(
        "SELECT id, host, watcher_pid, watcher_start, watcher_boot FROM runs "
        "WHERE status = 'running' AND watcher_pid IS NOT NULL");
    if (!running) return fail(running);
    std::string host;
    for (;;) {
      auto row = running->step();
      if (!row) return fail(row);
      if (!*row) break;
      // A watcher on another machine (a shared repository) cannot be checked from here.
      if (host.empty()) host = host_name();
      if (running->text(1) != host) continue;
      ProcessIdentity watcher{running->integer(2), running->integer(3), running->text(4)};
      if (is_gone(watcher)) lost.push_back(running->text(0));
    }
  }
  if (lost.empty()) return lost;
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  // When the watcher died is unknown: the end time stays unset. The status condition keeps a
  // run that its watcher closed meanwhile as it closed it.
  auto mark = db_->prepare("UPDATE runs SET status = 'killed' WHERE id = ? AND status = 'running'");
  if (!mark) return fail(mark);
  for (const auto& id : lost) MLOPS_TRY(mark->bind(1, id).run());
  MLOPS_TRY(transaction->commit());
  return lost;
}

Result<void> RunStore::remove(std::string_view id) {
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return fail(transaction);
  auto seq = require_run(*db_, id);
  if (!seq) return fail(seq);
  auto metrics = db_->prepare("DELETE FROM metrics WHERE run = ?");
  if (!metrics) return fail(metrics);
  MLOPS_TRY(metrics->bind(1, *seq).run());
  for (std::string_view table : {"params", "tags", "latest_metrics", "artifacts", "data_versions"}) {
    auto stmt = db_->prepare(fmt::format("DELETE FROM {} WHERE run_id = ?", table));
    if (!stmt) return fail(stmt);
    MLOPS_TRY(stmt->bind(1, id).run());
  }
  auto stmt = db_->prepare("DELETE FROM runs WHERE id = ?");
  if (!stmt) return fail(stmt);
  MLOPS_TRY(stmt->bind(1, id).run());
  return transaction->commit();
}

Result<std::vector<MetricPoint>> RunStore::history(std::string_view id, std::string_view key) {
  // Read in log order and sorted here: cheaper than SQLite sorting a million rows.
  auto stmt = db_->prepare(key.empty() ? "SELECT key, step, value, timestamp FROM metrics "
                                         "WHERE run = (SELECT seq FROM runs WHERE id = ?) ORDER BY rowid"
                                       : "SELECT key, step, value, timestamp FROM metrics "
                                         "WHERE run = (SELECT seq FROM runs WHERE id = ?) AND key = ? ORDER BY rowid");
  if (!stmt) return fail(stmt);
  stmt->bind(1, id);
  if (!key.empty()) stmt->bind(2, key);
  std::vector<MetricPoint> points;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row);
    if (!*row) break;
    points.push_back({stmt->text(0), read_metric_value(*stmt, 2), stmt->integer(1), stmt->integer(3)});
  }
  auto by_key_then_step = [](const MetricPoint& a, const MetricPoint& b) {
    return a.key != b.key ? a.key < b.key : a.step < b.step;
  };
  // One metric logged step by step is in order already, and checking costs less than sorting:
  // `runs report` of a run of 1,000,000 points took 464 ms instead of 766 ms (bench/report.sh).
  if (!std::is_sorted(points.begin(), points.end(), by_key_then_step)) {
    std::stable_sort(points.begin(), points.end(), by_key_then_step);
  }
  return points;
}

Result<std::vector<RunRecord>> RunStore::list_runs(bool with_command, std::size_t limit, std::size_t offset) {
  // LIMIT -1: no limit, as SQLite needs a LIMIT before an OFFSET.
  std::string window =
      limit > 0 || offset > 0 ? fmt::format(" LIMIT {}", limit > 0 ? std::to_string(limit) : "-1") : "";
  if (offset > 0) window += fmt::format(" OFFSET {}", offset);
  auto stmt = db_->prepare(fmt::format("SELECT {} FROM runs ORDER BY start_ms DESC, id DESC{}", kRunColumns, window));
  if (!stmt) return fail(stmt);
  std::vector<RunRecord> runs;
  runs.reserve(limit > 0 ? limit : 1024);
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row);
    if (!*row) break;
    runs.push_back(read_run_row(*stmt, with_command));
  }
  return runs;
}

Result<std::size_t> RunStore::count_runs() {
  auto stmt = db_->prepare("SELECT COUNT(*) FROM runs");
  if (!stmt) return fail(stmt);
  auto row = stmt->step();
  if (!row) return fail(row);
  return static_cast<std::size_t>(stmt->integer(0));
}

Result<std::vector<std::string>> RunStore::list_ids() {
  auto stmt = db_->prepare("SELECT id FROM runs ORDER BY start_ms DESC, id DESC");
  if (!stmt) return fail(stmt);
  std::vector<std::string> ids;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row);
    if (!*row) break;
    ids.push_back(stmt->text(0));
  }
  return ids;
}

Result<std::vector<RunRecord>> RunStore::list_runs_of(const std::vector<std::string>& ids, bool with_command) {
  std::vector<RunRecord> runs;
  runs.reserve(ids.size());
  if (ids.size() <= kFewRuns) {
    auto stmt = db_->prepare(fmt::format("SELECT {} FROM runs WHERE id = ?", kRunColumns));
    if (!stmt) return fail(stmt);
    for (const auto& id : ids) {
      stmt->bind(1, id);
      auto row = stmt->step();
      if (!row) return fail(row);
      if (*row) runs.push_back(read_run_row(*stmt, with_command));
      stmt->reset();
    }
    return runs;
  }
  auto all = list_runs(with_command);
  if (!all) return fail(all);
  std::unordered_map<std::string_view, RunRecord*> by_id;
  by_id.reserve(all->size());
  for (auto& run : *all) by_id.emplace(run.id, &run);
  for (const auto& id : ids) {
    if (auto it = by_id.find(id); it != by_id.end()) runs.push_back(std::move(*it->second));
  }
  return runs;
}

Result<std::unordered_map<std::string, std::string>> RunStore::column_text(std::string_view key) {
  std::string_view table;
  if (key.starts_with("params.")) {
    table = "params";
  } else if (key.starts_with("tags.")) {
    table = "tags";
  } else {
    return std::unexpected(bad_input(fmt::format("'{}' is not a params. or tags. key", key)));
  }
  auto stmt = db_->prepare(fmt::format("SELECT run_id, value FROM {} WHERE key = ?", table));
  if (!stmt) return fail(stmt);
  stmt->bind(1, key.substr(key.find('.') + 1));
  std::unordered_map<std::string, std::string> values;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row);
    if (!*row) break;
    values.emplace(stmt->text(0), stmt->text(1));
  }
  return values;
}

Result<std::unordered_map<std::string, double>> RunStore::column_metric(std::string_view metric) {
  auto stmt = db_->prepare("SELECT run_id, value FROM latest_metrics WHERE key = ?");
  if (!stmt) return fail(stmt);
  stmt->bind(1, metric);
  std::unordered_map<std::string, double> values;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row);
    if (!*row) break;
    values.emplace(stmt->text(0), read_metric_value(*stmt, 1));
  }
  return values;
}

Result<void> RunStore::visit_final_metrics(const std::vector<std::string>& ids, const MetricVisitor& visit,
                                           std::optional<std::string_view> key) {
  auto pass = [&](std::size_t run, const sql::Statement& stmt) {
    visit(run, stmt.text(1), read_metric_value(stmt, 2));
  };
  return rows_of_runs(*db_, "latest_metrics", ids, key, pass);
}

Result<void> RunStore::visit_pairs(std::string_view kind, const std::vector<std::string>& ids, const TextVisitor& visit,
                                   std::optional<std::string_view> key) {
  if (kind != "params" && kind != "tags") return std::unexpected(bad_input(fmt::format("unknown kind '{}'", kind)));
  auto pass = [&](std::size_t run, const sql::Statement& stmt) { visit(run, stmt.text(1), stmt.text(2)); };
  return rows_of_runs(*db_, kind, ids, key, pass);
}

Result<std::map<std::string, std::map<std::string, double>>> RunStore::final_metrics_of(
    const std::vector<std::string>& ids) {
  std::map<std::string, std::map<std::string, double>> values;
  MLOPS_TRY(visit_final_metrics(
      ids, [&](std::size_t run, std::string_view key, double value) { values[ids[run]][std::string(key)] = value; }));
  return values;
}

Result<std::map<std::string, std::map<std::string, std::string>>> RunStore::pairs_of(
    std::string_view kind, const std::vector<std::string>& ids) {
  std::map<std::string, std::map<std::string, std::string>> values;
  MLOPS_TRY(visit_pairs(kind, ids, [&](std::size_t run, std::string_view key, std::string_view value) {
    values[ids[run]][std::string(key)] = std::string(value);
  }));
  return values;
}

Result<std::vector<std::string>> RunStore::keys(std::string_view kind) {
  if (kind != "metrics" && kind != "params" && kind != "tags")
    return std::unexpected(bad_input(fmt::format("unknown kind '{}'", kind)));
  // latest_metrics has one row per run and metric: the names without the whole history.
  auto stmt = db_->prepare(
      fmt::format("SELECT DISTINCT key FROM {} ORDER BY key", kind == "metrics" ? "latest_metrics" : kind));
  if (!stmt) return fail(stmt);
  std::vector<std::string> names;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row);
    if (!*row) break;
    names.push_back(stmt->text(0));
  }
  return names;
}

}  // namespace mlops::tracking
