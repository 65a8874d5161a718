#pragma once
// The environment a run ran in: OS, kernel, CPU, versions of the compilers and interpreters on
// PATH, hashes of lockfiles, the container image; and the environment variables, with secrets
// redacted before anything is stored or printed.
#include <filesystem>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/repo.hpp"

namespace mlops::tracking {

// Whether `program` (a path or a name) is a Python interpreter: python, python3, python3.11.
bool is_python(std::string_view program);
// Parses what the interpreter's listing script prints ("@version 3.11.7", "@executable PATH",
// "@package NAME==VERSION" lines among any other output) into python.* keys; "" gives none.
std::map<std::string, std::string> parse_python_report(std::string_view report);

// The current process's environment variables, secrets redacted: a variable whose name suggests
// a secret (is_secret_name) is [redacted] whole, others as text (redact_text: a password in a
// URL, an API key of a known shape).
std::map<std::string, std::string> environment_variables();

// Collects the environment. Tool versions are probed in parallel in the background (each
// `python3 --version` is a process), so start() returns at once and collect() waits; a run
// starts its command in between, which hides the cost. Versions are cached per binary in
// `.mlops/tool-versions.json` (keyed by path, size and mtime), so later runs only stat them.
//
// When the command is a Python interpreter (`python3 train.py`, `.venv/bin/python -m x`), the
// distributions installed for it are listed too, as `pip freeze` would (name and version), read
// by that interpreter's importlib.metadata in the command's environment, without pip.
class EnvironmentProbe {
 public:
  static EnvironmentProbe start(const Repo& repo, const std::vector<std::string>& command = {});
  // Keys: os, kernel, machine, cpu, cpus, tool.<name> (first line of its version output),
  // lockfile.<file> (its hash), container.image; for a Python command: python.version,
  // python.executable and python.package.<name> (its version) for each installed distribution.
  // A probe that did not answer in time (a busy machine, a slow interpreter shim) leaves
  // unprobed.<what> saying so, with a warning, rather than a record that only looks complete;
  // it is not cached, so the next run asks again.
  std::map<std::string, std::string> collect();

  // What a probe printed, or why it gave nothing.
  struct Answer {
    std::string output;
    std::string failure;  // empty when the program answered
  };

 private:
  struct Tool {
    std::string name;
    std::string fingerprint;  // path:size:mtime of the binary, the cache key
    std::future<Answer> version;
  };
  std::map<std::string, std::string> known_;
  std::vector<Tool> tools_;
  std::optional<std::future<Answer>> python_;  // the interpreter's report (python_packages)
  std::string python_program_;
  nlohmann::json cache_ = nlohmann::json::object();
  bool cache_dirty_ = false;
  std::filesystem::path cache_path_;
  std::filesystem::path tmp_dir_;
};

}  // namespace mlops::tracking
