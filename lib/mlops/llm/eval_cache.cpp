#include "mlops/llm/eval_cache.hpp"

#include "mlops/core/hash.hpp"
#include "mlops/core/sqlite.hpp"

namespace mlops::llm {

std::string cache_key(const ProviderSpec& provider, std::string_view prompt, const nlohmann::json& config) {
  nlohmann::json key{provider.argv, static_cast<int>(provider.format), prompt, config};
  return hash_bytes(key.dump()).hex();
}

ResponseCache::ResponseCache(std::unique_ptr<sql::Database> db) : db_(std::move(db)) {}
ResponseCache::ResponseCache(ResponseCache&& other) noexcept
    : db_(std::move(other.db_)), pending_(std::move(other.pending_)) {}
ResponseCache::~ResponseCache() = default;

Result<ResponseCache> ResponseCache::open(const std::filesystem::path& path) {
  auto db = sql::Database::open(path, "the eval response cache", sql::Database::Close::checkpoint);
  if (!db) return std::unexpected(db.error());
  MLOPS_TRY(db->exec("CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, response TEXT NOT NULL)"));
  return ResponseCache(std::make_unique<sql::Database>(std::move(*db)));
}

Result<std::optional<Response>> ResponseCache::find(const std::string& key) {
  auto statement = db_->prepare("SELECT response FROM responses WHERE key = ?");
  if (!statement) return std::unexpected(statement.error());
  statement->bind(1, key);
  auto row = statement->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Response>();
  auto value = nlohmann::json::parse(statement->text_view(0), nullptr, false);
  return Response::from_json(value);  // a damaged entry reads as missing
}

void ResponseCache::put(std::string key, const Response& response) {
  std::string text = response.to_json().dump();
  std::lock_guard lock(mutex_);
  pending_.emplace_back(std::move(key), std::move(text));
}

Result<void> ResponseCache::flush() {
  std::lock_guard lock(mutex_);
  if (pending_.empty()) return {};
  auto transaction = sql::Transaction::begin(*db_);
  if (!transaction) return std::unexpected(transaction.error());
  auto statement = db_->prepare("INSERT OR REPLACE INTO responses (key, response) VALUES (?, ?)");
  if (!statement) return std::unexpected(statement.error());
  for (const auto& [key, text] : pending_) {
    statement->bind(1, key).bind(2, text);
    MLOPS_TRY(statement->run());
  }
  MLOPS_TRY(transaction->commit());
  pending_.clear();
  return {};
}

}  // namespace mlops::llm
