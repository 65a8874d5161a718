#pragma once
// The response cache of `eval run`: `.mlops/eval-cache.db` (SQLite), one response per key, the
// key being the hash of (provider command and output format, rendered prompt, config). A run
// reads what it needs before it starts and writes what it got in one transaction at the end, so
// 10,000 cases cost two passes over the database, not 10,000 commits.
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/llm/provider.hpp"

namespace mlops::sql {
class Database;
}

namespace mlops::llm {

// The cache key of calling `provider` with `prompt` under `config`.
std::string cache_key(const ProviderSpec& provider, std::string_view prompt, const nlohmann::json& config);

class ResponseCache {
 public:
  // Opens (creating) the cache database at `path`.
  static Result<ResponseCache> open(const std::filesystem::path& path);
  ResponseCache(ResponseCache&&) noexcept;
  ~ResponseCache();

  // The recorded response for `key`, if any.
  Result<std::optional<Response>> find(const std::string& key);
  // Queues a response; thread-safe. Written by flush().
  void put(std::string key, const Response& response);
  // Writes the queued responses in one transaction.
  Result<void> flush();

 private:
  explicit ResponseCache(std::unique_ptr<sql::Database> db);
  std::unique_ptr<sql::Database> db_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> pending_;
};

}  // namespace mlops::llm
