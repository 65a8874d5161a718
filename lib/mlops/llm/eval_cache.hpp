#pragma once
// The response cache of `eval run`: `.mlops/eval-cache.db` (SQLite), one response per key, the
// key being the hash of (provider command and output format, rendered prompt, config); each
// response is kept with the content hashes of the files the command names (its script). A run
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

// What the provider's answers depend on besides its command line: every word of its command (an
// argv item, or a word of a `sh -c` string) that names a regular file, relative to the folder the
// provider runs in (ProviderSpec::folder: eval.yaml's), with the hash of that file's content
// ({"bot/answer.py": "xxh3:..."}). A file that cannot be read is an error.
Result<nlohmann::json> provider_files(const ProviderSpec& provider);

// The cache key of calling `provider` with `prompt` under `config`.
std::string cache_key(const ProviderSpec& provider, std::string_view prompt, const nlohmann::json& config);

class ResponseCache {
 public:
  // Opens (creating) the cache database at `path`.
  static Result<ResponseCache> open(const std::filesystem::path& path);
  ResponseCache(ResponseCache&&) noexcept;
  ~ResponseCache();

  // The recorded response for `key`, if any is fresh: recorded when each of `files`
  // (provider_files) had the content it has now, so that editing the provider's script makes its
  // answers stale. A file that is gone is not compared: a replay needs no provider.
  Result<std::optional<Response>> find(const std::string& key, const nlohmann::json& files);
  // Queues a response, recorded with the provider's `files`; thread-safe. Written by flush().
  void put(std::string key, const Response& response, const nlohmann::json& files);
  // Writes the queued responses in one transaction.
  Result<void> flush();

 private:
  explicit ResponseCache(std::unique_ptr<sql::Database> db);
  std::unique_ptr<sql::Database> db_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> pending_;
};

}  // namespace mlops::llm
