#pragma once
// The environment a run ran in: OS, kernel, CPU, versions of the compilers and interpreters on
// PATH, hashes of lockfiles, the container image; and the environment variables, with secrets
// redacted before anything is stored or printed.
#include <filesystem>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/repo.hpp"

namespace mlops::tracking {

// What redacted variables hold in the store; their real values are never kept.
inline constexpr std::string_view kRedacted = "[redacted]";

// Whether a variable's name suggests a secret: it contains TOKEN, SECRET, PASSWORD, PASSWD,
// KEY, CREDENTIAL or AUTH (any case).
bool is_secret_name(std::string_view name);
// `value` with any password in a URL ("https://user:pass@host") replaced by [redacted].
std::string redact_url_password(std::string_view value);
// The current process's environment variables, secrets redacted.
std::map<std::string, std::string> environment_variables();

// Collects the environment. Tool versions are probed in parallel in the background (each
// `python3 --version` is a process), so start() returns at once and collect() waits; a run
// starts its command in between, which hides the cost. Versions are cached per binary in
// `.mlops/tool-versions.json` (keyed by path, size and mtime), so later runs only stat them.
class EnvironmentProbe {
 public:
  static EnvironmentProbe start(const Repo& repo);
  // Keys: os, kernel, machine, cpu, cpus, tool.<name> (first line of its version output),
  // lockfile.<file> (its hash), container.image.
  std::map<std::string, std::string> collect();

 private:
  struct Tool {
    std::string name;
    std::string fingerprint;  // path:size:mtime of the binary, the cache key
    std::future<std::string> version;
  };
  std::map<std::string, std::string> known_;
  std::vector<Tool> tools_;
  nlohmann::json cache_ = nlohmann::json::object();
  bool cache_dirty_ = false;
  std::filesystem::path cache_path_;
  std::filesystem::path tmp_dir_;
};

}  // namespace mlops::tracking
