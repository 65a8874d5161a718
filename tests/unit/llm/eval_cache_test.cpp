// The response cache's key: what a provider's answers depend on, including the content of the
// files its command names (its script), so that editing the script invalidates its answers.
#include "mlops/llm/eval_cache.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

using mlops::llm::cache_key;
using mlops::llm::provider_fingerprint;
using mlops::llm::ProviderSpec;

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

std::string fingerprint_of(const ProviderSpec& provider) {
  auto fingerprint = provider_fingerprint(provider);
  if (!fingerprint) FAIL(fingerprint.error().message);
  return *fingerprint;
}

}  // namespace

TEST_CASE("llm eval cache: the key changes with the provider's script, and only with what it depends on") {
  CacheTestDir dir;
  std::filesystem::create_directory("bot");
  CacheTestDir::write("bot/answer.py", "print('a')\n");
  CacheTestDir::write("other.py", "print('b')\n");
  auto shell = provider_of({"sh", "-c", "python3 'bot/answer.py' --fast missing.py | cat"});
  auto list = provider_of({"python3", "bot/answer.py"});

  auto before_shell = fingerprint_of(shell);
  auto before_list = fingerprint_of(list);
  CHECK(before_shell.find("bot/answer.py") != std::string::npos);
  CHECK(before_shell.find("missing.py") == std::string::npos);
  CHECK(before_shell.find("python3") == std::string::npos);
  CHECK(before_list == before_shell);
  auto key = cache_key(shell, before_shell, "question 1", {{"temperature", 0}});
  CHECK(key == cache_key(shell, fingerprint_of(shell), "question 1", {{"temperature", 0}}));
  CHECK(key != cache_key(shell, before_shell, "question 2", {{"temperature", 0}}));
  CHECK(key != cache_key(shell, before_shell, "question 1", {{"temperature", 1}}));

  CacheTestDir::write("other.py", "print('c')\n");  // a file the command does not name
  CHECK(fingerprint_of(shell) == before_shell);
  CacheTestDir::write("bot/answer.py", "print('changed')\n");
  CHECK(fingerprint_of(shell) != before_shell);
  CHECK(fingerprint_of(list) != before_list);
  CHECK(cache_key(shell, fingerprint_of(shell), "question 1", {{"temperature", 0}}) != key);

  // A command that names no file depends on its words alone.
  CHECK(fingerprint_of(provider_of({"cat"})) == "{}");
}
