#include "mlops/tracking/environment.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/subprocess.hpp"
#include "mlops/tracking/secrets.hpp"

extern char** environ;

namespace mlops::tracking {

namespace {

struct ToolProbe {
  std::string_view name;
  std::string_view flag;
};

// Compilers and interpreters whose version decides what a run computes.
constexpr ToolProbe kTools[] = {{"python3", "--version"}, {"python", "--version"}, {"gcc", "--version"},
                                {"g++", "--version"},     {"clang", "--version"},  {"nvcc", "--version"},
                                {"node", "--version"},    {"R", "--version"},      {"java", "-version"},
                                {"julia", "--version"},   {"rustc", "--version"},  {"go", "version"},
                                {"conda", "--version"},   {"uv", "--version"},     {"poetry", "--version"}};

constexpr std::string_view kLockfiles[] = {
    "requirements.txt", "requirements-dev.txt", "poetry.lock",    "uv.lock",           "Pipfile.lock",
    "environment.yml",  "environment.yaml",     "conda-lock.yml", "package-lock.json", "yarn.lock",
    "pnpm-lock.yaml",   "Cargo.lock",           "renv.lock",      "Manifest.toml",     "go.sum"};

// Variables CI systems and container runtimes set to name the image a job runs in.
constexpr std::string_view kImageVariables[] = {"MLOPS_CONTAINER_IMAGE", "CI_JOB_IMAGE", "CONTAINER_IMAGE",
                                                "DOCKER_IMAGE",          "IMAGE_NAME",   "IMAGE"};

std::string first_line(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == '\r' || text.front() == ' ')) text.remove_prefix(1);
  auto end = text.find_first_of("\r\n");
  return std::string(text.substr(0, end));
}

std::string cpu_model() {
  auto info = read_file("/proc/cpuinfo");
  if (!info) return {};
  for (std::string_view field : {"model name", "Hardware", "cpu model"}) {
    auto pos = info->find(field);
    if (pos == std::string::npos) continue;
    auto colon = info->find(':', pos);
    if (colon == std::string::npos) continue;
    auto line = first_line(std::string_view(*info).substr(colon + 1));
    if (!line.empty()) return line;
  }
  return {};
}

std::string os_name() {
  auto release = read_file("/etc/os-release");
  if (!release) return {};
  auto pos = release->find("PRETTY_NAME=");
  if (pos == std::string::npos) return {};
  std::string value = first_line(std::string_view(*release).substr(pos + 12));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return value;
}

// Lists the interpreter's installed distributions the way `pip freeze` names them, with the
// standard library only (importlib.metadata, Python 3.8+); the first found of a name wins, as on
// sys.path.
constexpr std::string_view kListPackages = R"py(import sys
try:
    from importlib import metadata
except ImportError:
    sys.exit(0)
print("@version " + sys.version.split()[0])
print("@executable " + sys.executable)
seen = {}
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    if name and name.lower() not in seen:
        seen[name.lower()] = "@package %s==%s" % (name, dist.version)
for key in sorted(seen):
    print(seen[key])
)py";

}  // namespace

bool is_python(std::string_view program) {
  auto slash = program.rfind('/');
  std::string_view name = slash == std::string_view::npos ? program : program.substr(slash + 1);
  if (!name.starts_with("python")) return false;
  name.remove_prefix(6);
  // python, python3, python3.11
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

std::map<std::string, std::string> parse_python_report(std::string_view report) {
  std::map<std::string, std::string> keys;
  std::size_t pos = 0;
  while (pos < report.size()) {
    auto newline = report.find('\n', pos);
    std::string_view line =
        report.substr(pos, newline == std::string_view::npos ? std::string_view::npos : newline - pos);
    pos = newline == std::string_view::npos ? report.size() : newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Lines of ours start with '@'; anything else is the interpreter's own noise on stderr.
    if (line.starts_with("@version ")) {
      keys["python.version"] = std::string(line.substr(9));
    } else if (line.starts_with("@executable ")) {
      keys["python.executable"] = std::string(line.substr(12));
    } else if (line.starts_with("@package ")) {
      line.remove_prefix(9);
      if (auto equals = line.find("=="); equals != std::string_view::npos && equals > 0) {
        keys[fmt::format("python.package.{}", line.substr(0, equals))] = std::string(line.substr(equals + 2));
      }
    }
  }
  return keys;
}

std::map<std::string, std::string> environment_variables() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    std::string name(text.substr(0, equals));
    variables[name] = is_secret_name(name) ? std::string(kRedacted) : redact_text(text.substr(equals + 1));
  }
  return variables;
}

namespace {

// How long a probe may take. They run while the command runs, so only a command shorter than
// this waits for them; generous, because an interpreter behind a version manager's shim can
// take seconds to start on a loaded machine, and a record missing its environment is worse.
constexpr std::chrono::seconds kToolTimeout{15};
constexpr std::chrono::seconds kPythonTimeout{60};

EnvironmentProbe::Answer ask(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  auto captured = capture_output(argv, timeout);
  if (!captured) return {"", "could not be started"};
  if (captured->exit_code == -1) return {"", fmt::format("did not answer within {} s", timeout.count())};
  if (captured->exit_code != 0) return {"", fmt::format("exited with {}", captured->exit_code)};
  return {captured->output, ""};
}

}  // namespace

EnvironmentProbe EnvironmentProbe::start(const Repo& repo, const std::vector<std::string>& command) {
  EnvironmentProbe probe;
  if (!command.empty() && is_python(command.front())) {
    probe.python_program_ = command.front();
    std::vector<std::string> argv{command.front(), "-c", std::string(kListPackages)};
    probe.python_ = std::async(std::launch::async, [argv] { return ask(argv, kPythonTimeout); });
  }
  probe.cache_path_ = repo.store() / "tool-versions.json";
  probe.tmp_dir_ = repo.tmp();
  auto cached = read_file(probe.cache_path_);
  if (cached) {
    auto parsed = nlohmann::json::parse(*cached, nullptr, false);
    if (parsed.is_object()) probe.cache_ = std::move(parsed);
  }
  for (const auto& tool : kTools) {
    auto program = find_program(tool.name);
    if (!program) continue;
    // A version is probed once per binary: the cache entry is keyed by the resolved file's
    // path, size and modification time, so an upgrade is noticed and a rerun costs a stat.
    std::error_code ec;
    auto resolved = std::filesystem::canonical(*program, ec);
    if (ec) resolved = *program;
    struct stat info {};
    std::string fingerprint;
    if (::stat(resolved.c_str(), &info) == 0) {
      fingerprint =
          fmt::format("{}:{}:{}.{}", resolved.string(), info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec);
    }
    std::string name(tool.name);
    if (auto entry = probe.cache_.find(name); !fingerprint.empty() && entry != probe.cache_.end() &&
                                              entry->is_object() && entry->value("fingerprint", "") == fingerprint) {
      std::promise<Answer> ready;
      ready.set_value({entry->value("version", ""), ""});
      probe.tools_.push_back({name, fingerprint, ready.get_future()});
      continue;
    }
    probe.cache_dirty_ = true;
    std::vector<std::string> argv{program->string(), std::string(tool.flag)};
    probe.tools_.push_back({name, fingerprint, std::async(std::launch::async, [argv] {
                              auto answer = ask(argv, kToolTimeout);
                              answer.output = first_line(answer.output);
                              return answer;
                            })});
  }
  auto& known = probe.known_;
  utsname uts{};
  if (::uname(&uts) == 0) {
    known["kernel"] = fmt::format("{} {}", uts.sysname, uts.release);
    known["machine"] = uts.machine;
  }
  if (auto os = os_name(); !os.empty()) known["os"] = os;
  if (auto cpu = cpu_model(); !cpu.empty()) known["cpu"] = cpu;
  known["cpus"] = std::to_string(std::thread::hardware_concurrency());
  for (auto name : kLockfiles) {
    std::error_code ec;
    auto path = repo.root / name;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    if (auto hash = hash_file(path)) known[fmt::format("lockfile.{}", name)] = hash->str();
  }
  for (auto variable : kImageVariables) {
    if (const char* value = std::getenv(std::string(variable).c_str()); value && *value) {
      known["container.image"] = value;
      break;
    }
  }
  std::error_code ec;
  if (std::filesystem::exists("/.dockerenv", ec))
    known["container.runtime"] = "docker";
  else if (std::filesystem::exists("/run/.containerenv", ec))
    known["container.runtime"] = "podman";
  return probe;
}

std::map<std::string, std::string> EnvironmentProbe::collect() {
  // A tool that does not know --version answers the same way every time: that is cached as no
  // version. A timeout is the machine's state, not the tool's: asked again next time.
  auto unanswered = [&](const std::string& what, const std::string& program, const std::string& failure) {
    known_["unprobed." + what] = fmt::format("{} {}", program, failure);
    out::warn(fmt::format("the run's environment lacks {}: {} {}", what, program, failure));
  };
  for (auto& tool : tools_) {
    Answer answer = tool.version.get();
    if (!answer.output.empty()) known_["tool." + tool.name] = answer.output;
    bool timed_out = answer.failure.starts_with("did not answer");
    if (timed_out) unanswered("tool." + tool.name, tool.name, answer.failure);
    if (!tool.fingerprint.empty() && !timed_out) {
      cache_[tool.name] = {{"fingerprint", tool.fingerprint}, {"version", answer.output}};
    }
  }
  tools_.clear();
  if (python_) {
    Answer answer = python_->get();
    auto keys = parse_python_report(answer.output);
    if (!answer.failure.empty() || !keys.contains("python.version")) {
      unanswered("python.packages", python_program_,
                 answer.failure.empty() ? "did not list its packages" : answer.failure);
    }
    for (auto& [key, value] : keys) known_[key] = value;
    python_.reset();
  }
  // The cache is an optimisation: failing to write it changes nothing else.
  if (cache_dirty_) (void)write_file_atomic(cache_path_, cache_.dump(1) + "\n", tmp_dir_);
  cache_dirty_ = false;
  return known_;
}

}  // namespace mlops::tracking
