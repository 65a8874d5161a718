#include "mlops/feedback/store.hpp"

#include <fmt/format.h>

#include <system_error>

#include "mlops/core/sqlite.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::feedback {

namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS events ("
    " key TEXT PRIMARY KEY,"
    " time_ns INTEGER NOT NULL,"
    " event TEXT NOT NULL,"  // FeedbackEvent::to_json()
    " source TEXT NOT NULL,"
    " imported_ns INTEGER NOT NULL)";

}  // namespace

std::filesystem::path store_path(const Repo& repo) { return repo.store() / "feedback.db"; }

FeedbackStore::FeedbackStore(std::unique_ptr<sql::Database> db) : db_(std::move(db)) {}
FeedbackStore::FeedbackStore(FeedbackStore&&) noexcept = default;
FeedbackStore::~FeedbackStore() = default;

Result<FeedbackStore> FeedbackStore::open(const Repo& repo) {
  auto db = sql::Database::open(store_path(repo), "the feedback store", sql::Database::Close::checkpoint);
  if (!db) return std::unexpected(db.error());
  MLOPS_TRY(db->exec(kSchema));
  return FeedbackStore(std::make_unique<sql::Database>(std::move(*db)));
}

Result<std::optional<FeedbackStore>> FeedbackStore::open_existing(const Repo& repo) {
  std::error_code ec;
  if (!std::filesystem::exists(store_path(repo), ec)) return std::optional<FeedbackStore>();
  auto store = open(repo);
  if (!store) return std::unexpected(store.error());
  return std::optional<FeedbackStore>(std::move(*store));
}

Result<ImportSummary> FeedbackStore::add(const std::vector<trace::FeedbackEvent>& events, const std::string& source) {
  ImportSummary summary;
  summary.events = events.size();
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return std::unexpected(transaction.error());
  auto insert =
      db_->prepare("INSERT OR IGNORE INTO events (key, time_ns, event, source, imported_ns) VALUES (?, ?, ?, ?, ?)");
  if (!insert) return std::unexpected(insert.error());
  auto stored = db_->prepare("SELECT event FROM events WHERE key = ?");
  if (!stored) return std::unexpected(stored.error());
  auto now = static_cast<std::int64_t>(trace::now_ns());
  for (const auto& e : events) {
    std::string text = e.to_json().dump();
    insert->bind(1, e.key()).bind(2, static_cast<std::int64_t>(e.time_ns)).bind(3, text).bind(4, source).bind(5, now);
    MLOPS_TRY(insert->run());
    if (db_->changes() > 0) {
      ++summary.added;
      continue;
    }
    ++summary.present;
    stored->bind(1, e.key());
    auto row = stored->step();
    if (!row) return std::unexpected(row.error());
    if (*row && stored->text_view(0) != text) summary.conflicting.push_back(e.id.empty() ? e.key() : e.id);
    stored->reset();
  }
  MLOPS_TRY(transaction->commit());
  return summary;
}

Result<std::vector<trace::FeedbackEvent>> FeedbackStore::all() {
  auto select = db_->prepare("SELECT key, time_ns, event FROM events ORDER BY time_ns, key");
  if (!select) return std::unexpected(select.error());
  std::vector<trace::FeedbackEvent> events;
  for (;;) {
    auto row = select->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto e = trace::parse_feedback_line(select->text_view(2),
                                        fmt::format("'{}', event '{}'", db_->path().string(), select->text(0)));
    if (!e) return std::unexpected(e.error());
    e->time_ns = static_cast<std::uint64_t>(select->integer(1));  // the JSON shows milliseconds
    events.push_back(std::move(*e));
  }
  return events;
}

Result<std::optional<std::vector<trace::FeedbackEvent>>> repository_feedback() {
  using Events = std::optional<std::vector<trace::FeedbackEvent>>;
  auto repo = find_store();
  if (!repo) return Events();  // not in a repository: there is no feedback to join
  auto store = FeedbackStore::open_existing(*repo);
  if (!store) return std::unexpected(store.error());
  if (!*store) return Events();
  auto events = (*store)->all();
  if (!events) return std::unexpected(events.error());
  return Events(std::move(*events));
}

}  // namespace mlops::feedback
