#include "mlops/llm/eval_cache.hpp"

#include <filesystem>
#include <system_error>

#include "mlops/core/hash.hpp"
#include "mlops/core/sqlite.hpp"

namespace mlops::llm {

namespace {

// The words of a `sh -c` command, split at blanks, with quotes removed: enough to find the script
// in "python3 bot/assistant.py --fast" (a word that names no file is simply not one).
std::vector<std::string> shell_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  char quote = 0;
  bool in_word = false;
  for (char c : text) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '|' || c == '&' || c == '<' || c == '>') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace

Result<nlohmann::json> provider_files(const ProviderSpec& provider) {
  std::vector<std::string> words = provider.argv;
  if (provider.argv.size() == 3 && provider.argv[0] == "sh" && provider.argv[1] == "-c") {
    auto split = shell_words(provider.argv[2]);
    words.insert(words.end(), split.begin(), split.end());
  }
  nlohmann::json files = nlohmann::json::object();
  for (const auto& word : words) {
    std::error_code ec;
    // Relative to where the command runs, as the command itself reads them.
    auto path = provider.folder / word;
    if (word.empty() || files.contains(word) || !std::filesystem::is_regular_file(path, ec)) continue;
    auto hash = hash_file(path);
    if (!hash) return std::unexpected(hash.error());
    files[word] = hash->str();
  }
  return files;
}

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

Result<std::optional<Response>> ResponseCache::find(const std::string& key, const nlohmann::json& files) {
  auto statement = db_->prepare("SELECT response FROM responses WHERE key = ?");
  if (!statement) return std::unexpected(statement.error());
  statement->bind(1, key);
  auto row = statement->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Response>();
  auto value = nlohmann::json::parse(statement->text_view(0), nullptr, false);
  if (!value.is_object()) return std::optional<Response>();  // a damaged entry reads as missing
  auto recorded = value.find("provider_files");
  for (const auto& [file, hash] : files.items()) {
    if (recorded == value.end() || !recorded->is_object() || !recorded->contains(file) || (*recorded)[file] != hash) {
      return std::optional<Response>();  // stale: recorded with another version of the file
    }
  }
  return Response::from_json(value);
}

void ResponseCache::put(std::string key, const Response& response, const nlohmann::json& files) {
  auto value = response.to_json();
  value["provider_files"] = files;
  std::string text = value.dump();
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
