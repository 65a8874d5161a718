#include "mlops/tracking/recorder.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"
#include "mlops/data/store.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/worktree_state.hpp"
#include "mlops/tracking/process.hpp"
#include "mlops/tracking/run_settings.hpp"
#include "mlops/tracking/secrets.hpp"

namespace mlops::tracking {

namespace {

std::string user_name() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* entry = ::getpwuid(::getuid())) return entry->pw_name;
  return std::to_string(::getuid());
}

bool is_interpreter(std::string_view program) {
  for (std::string_view name : {"python", "Rscript", "node", "bash", "sh", "julia", "ruby", "perl", "uv", "poetry"}) {
    if (program.starts_with(name)) return true;
  }
  return false;
}

std::string short_hash(const std::string& hash) { return hash.substr(0, 17); }

Result<std::vector<DataVersion>> data_in_workspace(const Repo& repo) {
  auto tracked = data::list_tracked(repo);
  if (!tracked) return std::unexpected(tracked.error());
  std::vector<DataVersion> versions;
  if (tracked->empty()) return versions;
  data::Cache cache(repo);
  auto stat_cache = data::StatCache::open(repo);
  if (!stat_cache) return std::unexpected(stat_cache.error());
  for (const auto& item : *tracked) {
    const data::Pointer& pointer = item.pointer;
    DataVersion version{item.data_path, item.pointer_file, pointer.hash.str(), pointer.size,
                        std::string(data::to_string(pointer.kind))};
    if (item.conflict) {
      version.state = DataState::conflict;
      versions.push_back(std::move(version));
      continue;
    }
    auto side = data::read_workspace(repo, cache, **stat_cache, item.data_path, data::NeedManifest::no);
    if (!side) return std::unexpected(side.error());
    if (!side->exists) {
      version.state = DataState::missing;
      versions.push_back(std::move(version));
      continue;
    }
    data::Pointer actual;
    actual.kind = side->is_dir ? data::Kind::dir : data::Kind::file;
    actual.hash = side->is_dir ? *side->folder_hash : *side->file_hash;
    if (actual.kind == pointer.kind && actual.hash == pointer.hash) {
      versions.push_back(std::move(version));
      continue;
    }
    // What the run will read is not what the pointer says: record what is there.
    version.pointer_hash = pointer.hash.str();
    version.hash = actual.hash.str();
    version.kind = std::string(data::to_string(actual.kind));
    bool cached = data::version_in_cache(cache, actual, stat_cache->get());
    version.state = cached ? DataState::other_version : DataState::modified;
    std::error_code ec;
    if (actual.kind == data::Kind::file) {
      version.size = std::filesystem::file_size(repo.root / item.data_path, ec);
    } else if (side->manifest) {
      version.size = data::total_size(*side->manifest);
    } else if (auto manifest = data::read_manifest(cache, actual.hash)) {
      version.size = data::total_size(*manifest);
    }
    versions.push_back(std::move(version));
  }
  // Remembering the hashes is an optimisation: a failure to save changes nothing else.
  (void)(*stat_cache)->save();
  return versions;
}

void warn_data_dirty(const std::vector<DataVersion>& data) {
  for (const auto& version : data) {
    switch (version.state) {
      case DataState::clean:
        break;
      case DataState::other_version:
        out::warn(fmt::format(
            "'{}' in the workspace is version {}, not {} as '{}' says: the run records what is "
            "there and is marked data-dirty",
            version.path, short_hash(version.hash), short_hash(version.pointer_hash), version.pointer_file));
        out::hint(
            fmt::format("'mlops data checkout {0}' puts back the pointer's version; 'mlops data add {0}' and "
                        "a commit make this one the pointer's",
                        version.path));
        break;
      case DataState::modified:
        out::warn(
            fmt::format("'{}' differs from its pointer and from every version in the cache: the run is "
                        "data-dirty and cannot be rebuilt with that data",
                        version.path));
        out::hint(
            fmt::format("'mlops data add {0}' and a commit version it; 'mlops data checkout {0}' puts back "
                        "the pointer's version",
                        version.path));
        break;
      case DataState::missing:
        out::warn(fmt::format("'{}' is missing from the workspace: the run is marked data-dirty", version.path));
        out::hint(fmt::format("'mlops data pull {}' fetches it", version.path));
        break;
      case DataState::conflict:
        out::warn(fmt::format("'{}' has a merge conflict in its pointer '{}': the run is marked data-dirty",
                              version.path, version.pointer_file));
        out::hint(fmt::format("'mlops data checkout {} --ours' (or --theirs) chooses a version", version.path));
        break;
    }
  }
}

// One warning for the files left out of the run's diff (the first few named), with the way out.
void warn_left_out(const std::vector<git::LeftOut>& left_out, std::uint64_t max_untracked) {
  constexpr std::size_t kNamed = 8;
  std::vector<std::string> named;
  bool binary = false;
  bool big = false;
  for (const auto& file : left_out) {
    (file.binary ? binary : big) = true;
    if (named.size() == kNamed) continue;
    if (file.binary) {
      named.push_back(fmt::format("'{}' (untracked binary file)", file.path));
    } else if (file.untracked) {
      named.push_back(fmt::format("'{}' ({}, over runs.diff_max_file_bytes = {})", file.path,
                                  out::human_bytes(file.size), out::human_bytes(max_untracked)));
    } else {
      named.push_back(fmt::format("'{}' ({})", file.path, out::human_bytes(file.size)));
    }
  }
  std::string more = left_out.size() > kNamed ? fmt::format(" and {} more", left_out.size() - kNamed) : "";
  out::warn(fmt::format("left out of the run's git.diff: {}{}: a rebuild of this run may not match it exactly",
                        fmt::join(named, ", "), more));
  std::string setting = big ? "; runs.diff_max_file_bytes in .mlops/config.yaml sets the size limit" : "";
  if (left_out.size() == 1) {
    out::hint(fmt::format("version it with 'mlops data add {}', commit it, or add it to .gitignore{}",
                          left_out.front().path, setting));
  } else {
    out::hint(
        fmt::format("version them with 'mlops data add PATH', commit them, or add them to .gitignore{}", setting));
  }
}

// The git state the run starts from; the diff is stored in the cache, with credential files
// left out and credential-looking values redacted.
Result<void> capture_git(const Repo& repo, RunRecord& record, Redactions& redactions) {
  auto patterns = credential_file_patterns(repo);
  if (!patterns) return std::unexpected(patterns.error());
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto max_untracked = diff_max_file_bytes(repo);
  if (!max_untracked) return std::unexpected(max_untracked.error());
  git::DiffLimits limits;
  limits.max_untracked_size = *max_untracked;
  limits.untracked_binary = false;
  auto state = git::worktree_state(*git_repo, limits,
                                   [&](std::string_view path) { return is_credential_file(path, *patterns); });
  if (!state) return std::unexpected(state.error());
  record.git_commit = state->commit;
  record.git_branch = state->branch;
  record.git_dirty = state->dirty;
  if (!state->left_out.empty()) {
    warn_left_out(state->left_out, *max_untracked);
    DiffLeftOut left_out{*max_untracked, {}, {}};
    for (const auto& file : state->left_out) (file.binary ? left_out.binary : left_out.too_big).push_back(file.path);
    record.tags[std::string(kDiffLeftOutTag)] = left_out.to_json();
  }
  for (const auto& path : state->excluded) {
    out::warn(fmt::format("'{}' looks like a credential file and is left out of the run's diff", path));
    out::hint("add it to .gitignore; the names left out are set by runs.secret_files in .mlops/config.yaml");
  }
  redactions.files = state->excluded;
  redactions.diff = redact_patch(state->diff);
  if (!state->diff.empty()) {
    data::Cache cache(repo);
    auto hash = cache.put_bytes(state->diff);
    if (!hash) return std::unexpected(hash.error());
    MLOPS_TRY(cache.flush());
    record.artifacts.push_back({std::string(kDiffArtifact), hash->str(), state->diff.size(), "file", 1});
  }
  return {};
}

}  // namespace

std::string DiffLeftOut::to_json() const {
  nlohmann::ordered_json json = {{"max_file_bytes", max_file_bytes}};
  if (!too_big.empty()) json["too_big"] = too_big;
  if (!binary.empty()) json["binary"] = binary;
  return json.dump();
}

DiffLeftOut DiffLeftOut::from_json(std::string_view text) {
  DiffLeftOut left_out;
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return left_out;
  if (auto it = json.find("max_file_bytes"); it != json.end() && it->is_number_unsigned()) {
    left_out.max_file_bytes = it->get<std::uint64_t>();
  }
  auto strings = [&](const char* key, std::vector<std::string>& into) {
    auto it = json.find(key);
    if (it == json.end() || !it->is_array()) return;
    for (const auto& item : *it) {
      if (item.is_string()) into.push_back(item.get<std::string>());
    }
  };
  strings("too_big", left_out.too_big);
  strings("binary", left_out.binary);
  return left_out;
}

DiffLeftOut DiffLeftOut::of(const RunRecord& run) {
  auto it = run.tags.find(std::string(kDiffLeftOutTag));
  return it == run.tags.end() ? DiffLeftOut{} : from_json(it->second);
}

std::string DiffLeftOut::describe() const {
  std::vector<std::string> parts;
  if (!too_big.empty()) {
    parts.push_back(fmt::format(
        "{} (too big{})", fmt::join(too_big, ", "),
        max_file_bytes ? fmt::format(": untracked over {}", out::human_bytes(max_file_bytes)) : std::string()));
  }
  if (!binary.empty()) parts.push_back(fmt::format("{} (untracked binary)", fmt::join(binary, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string default_run_name(const std::vector<std::string>& command) {
  if (command.empty()) return "run";
  std::string program = std::filesystem::path(command.front()).filename().string();
  if (is_interpreter(program)) {
    for (std::size_t i = 1; i < command.size(); ++i) {
      if (command[i].starts_with("-")) {
        if (command[i] == "-m" && i + 1 < command.size()) return command[i + 1];
        continue;
      }
      if (command[i] == "run") continue;  // uv run, poetry run
      return std::filesystem::path(command[i]).filename().string();
    }
  }
  return program;
}

Result<RunRecorder> RunRecorder::begin(const Repo& repo, RunSetup setup) {
  std::int64_t start = now_ms();
  // Tool versions are probed while the rest is captured and the command runs.
  EnvironmentProbe probe = EnvironmentProbe::start(repo, setup.command);

  RunRecord record;
  record.id = make_run_id(start);
  record.name = setup.name.empty() ? default_run_name(setup.command) : setup.name;
  record.user = user_name();
  record.host = host_name();
  record.start_time = format_time(start);
  // A run with a command is closed by this process when the command ends; if this process dies
  // first, its identity lets `runs list` see that the run will never be closed.
  if (!setup.command.empty()) record.watcher = current_process();
  record.command = std::move(setup.command);
  record.params = std::move(setup.params);
  record.tags = std::move(setup.tags);
  record.variables = environment_variables();
  if (auto relative = repo.relative(std::filesystem::current_path()); relative && *relative != ".") {
    record.cwd = *relative;
  }

  Redactions redactions;
  MLOPS_TRY(capture_git(repo, record, redactions));
  auto data = data_in_workspace(repo);
  if (!data) return std::unexpected(data.error());
  record.data = std::move(*data);
  record.data_dirty = std::any_of(record.data.begin(), record.data.end(),
                                  [](const DataVersion& version) { return version.state != DataState::clean; });
  warn_data_dirty(record.data);
  Redactions all = redact_record(record, redactions);
  if (auto values = all.describe_values(); !values.empty()) {
    out::warn(fmt::format("credential-looking values are recorded as [redacted]: {}", values));
  }

  auto store = RunStore::open(repo);
  if (!store) return std::unexpected(store.error());
  MLOPS_TRY(store->create(record));
  return RunRecorder(std::move(*store), record.id, std::move(probe));
}

Result<void> RunRecorder::record_environment() {
  if (environment_recorded_) return {};
  environment_recorded_ = true;
  return store_.set_environment(id_, probe_.collect());
}

Result<void> RunRecorder::end(RunStatus status, std::optional<int> exit_code, std::optional<std::int64_t> end_ms) {
  // The status matters most: it is written even when the environment could not be, and tried a
  // second time, so that a moment of a full disk does not leave the run "running" for ever.
  auto recorded = record_environment();
  const std::int64_t ended = end_ms.value_or(now_ms());
  auto finished = store_.finish(id_, status, exit_code, ended);
  if (!finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    finished = store_.finish(id_, status, exit_code, ended);
  }
  if (!finished) return finished;
  return recorded;
}

Result<void> check_data_clean(const RunRecord& run) {
  if (!run.data_dirty) return {};
  std::vector<std::string> names;
  for (const auto& version : run.data) {
    if (version.state != DataState::clean)
      names.push_back(fmt::format("'{}' ({})", version.path, to_string(version.state)));
  }
  return std::unexpected(bad_input(
      fmt::format("run '{}' ran on data that differs from its pointers: {}", run.id, fmt::join(names, ", ")),
      "put the pointers' data back ('mlops data checkout') or version what ran ('mlops data add' and a commit), and "
      "rerun; or pass --allow-dirty (the version then records the data the run really used)"));
}

Result<Artifact> store_artifact(const Repo& repo, RunStore& store, std::string_view id,
                                const std::filesystem::path& path, std::string name) {
  auto stored = data::store_path(repo, path);
  if (!stored) return std::unexpected(stored.error());
  Artifact artifact{std::move(name), stored->hash.str(), stored->size, stored->kind == data::Kind::dir ? "dir" : "file",
                    stored->files};
  if (auto added = store.add_artifact(id, artifact); !added) return std::unexpected(added.error());
  return artifact;
}

Result<Artifact> store_artifact_bytes(const Repo& repo, RunStore& store, std::string_view id, std::string_view content,
                                      std::string name) {
  data::Cache cache(repo);
  auto hash = cache.put_bytes(content);
  if (!hash) return std::unexpected(hash.error());
  if (auto flushed = cache.flush(); !flushed) return std::unexpected(flushed.error());
  Artifact artifact{std::move(name), hash->str(), content.size(), "file", 1};
  if (auto added = store.add_artifact(id, artifact); !added) return std::unexpected(added.error());
  return artifact;
}

}  // namespace mlops::tracking
