// The response cache: its key, and the provider files kept with each answer, so that editing the
// provider's script makes its answers stale.
#include "mlops/llm/eval_cache.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using mlops::llm::cache_key;
using mlops::llm::provider_files;
using mlops::llm::ProviderSpec;
using mlops::llm::Response;
using mlops::llm::ResponseCache;

namespace {

// Runs the test in a fresh folder (providers' files are relative to the working directory).
struct CacheTestDir {
  std::filesystem::path path, previous = std::filesystem::current_path();
  CacheTestDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mlops-eval-cache-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
    std::filesystem::current_path(path);
  }
  ~CacheTestDir() {
    std::filesystem::current_path(previous);
    std::filesystem::remove_all(path);
  }
  static void write(const std::string& name, const std::string& text) { std::ofstream(name) << text; }
};

ProviderSpec provider_of(std::vector<std::string> argv) {
  ProviderSpec provider;
  provider.id = "bot";
  provider.argv = std::move(argv);
  return provider;
}

nlohmann::json files_of(const ProviderSpec& provider) {
  auto files = provider_files(provider);
  if (!files) FAIL(files.error().message);
  return *files;
}

}  // namespace

TEST_CASE("llm eval cache: the files a provider's command names, by content") {
  CacheTestDir dir;
  std::filesystem::create_directory("bot");
  CacheTestDir::write("bot/answer.py", "print('a')\n");
  CacheTestDir::write("other.py", "print('b')\n");
  auto shell = provider_of({"sh", "-c", "python3 'bot/answer.py' --fast missing.py | cat"});
  auto list = provider_of({"python3", "bot/answer.py"});
  auto before = files_of(shell);
  CHECK(before.size() == 1);
  CHECK(before.contains("bot/answer.py"));
  CHECK(files_of(list) == before);
  CacheTestDir::write("other.py", "print('c')\n");  // a file the command does not name
  CHECK(files_of(shell) == before);
  CacheTestDir::write("bot/answer.py", "print('changed')\n");
  CHECK(files_of(shell) != before);
  CHECK(files_of(provider_of({"cat"})).empty());
  // The key is the call's: the command, the prompt and the config.
  auto key = cache_key(shell, "question 1", {{"temperature", 0}});
  CHECK(key != cache_key(shell, "question 2", {{"temperature", 0}}));
  CHECK(key != cache_key(shell, "question 1", {{"temperature", 1}}));
  CHECK(key != cache_key(list, "question 1", {{"temperature", 0}}));
}

TEST_CASE("llm eval cache: an answer recorded with another version of the script is stale") {
  CacheTestDir dir;
  CacheTestDir::write("answer.sh", "echo a\n");
  auto provider = provider_of({"sh", "answer.sh"});
  auto cache = ResponseCache::open("cache.db");
  REQUIRE(cache);
  Response response;
  response.output = "a";
  cache->put("k", response, files_of(provider));
  REQUIRE(cache->flush());
  auto found = cache->find("k", files_of(provider));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->output == "a");
  CacheTestDir::write("answer.sh", "echo b\n");
  found = cache->find("k", files_of(provider));
  REQUIRE(found);
  CHECK_FALSE(*found);
  // A script that is gone is not compared: a replay needs no provider.
  std::filesystem::remove("answer.sh");
  found = cache->find("k", files_of(provider));
  REQUIRE(found);
  CHECK(*found);
}
