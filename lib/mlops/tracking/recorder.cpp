#include "mlops/tracking/recorder.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/store.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/worktree_state.hpp"
#include "mlops/tracking/process.hpp"

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

}  // namespace

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
  EnvironmentProbe probe = EnvironmentProbe::start(repo);

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

  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto state = git::worktree_state(*git_repo);
  if (!state) return std::unexpected(state.error());
  record.git_commit = state->commit;
  record.git_branch = state->branch;
  record.git_dirty = state->dirty;
  for (const auto& path : state->left_out) {
    out::warn(
        fmt::format("'{}' is too big for the run's diff and is left out: the run cannot be rebuilt "
                    "from the diff alone",
                    path));
    out::hint(fmt::format("version it with 'mlops data add {}', or add it to .gitignore", path));
  }
  if (!state->diff.empty()) {
    data::Cache cache(repo);
    auto hash = cache.put_bytes(state->diff);
    if (!hash) return std::unexpected(hash.error());
    if (auto flushed = cache.flush(); !flushed) return std::unexpected(flushed.error());
    record.artifacts.push_back({std::string(kDiffArtifact), hash->str(), state->diff.size(), "file", 1});
  }

  auto tracked = data::list_tracked(repo);
  if (!tracked) return std::unexpected(tracked.error());
  for (const auto& item : *tracked) {
    record.data.push_back({item.data_path, item.pointer_file, item.pointer.hash.str(), item.pointer.size,
                           item.pointer.kind == data::Kind::dir ? "dir" : "file"});
  }

  auto store = RunStore::open(repo);
  if (!store) return std::unexpected(store.error());
  if (auto created = store->create(record); !created) return std::unexpected(created.error());
  return RunRecorder(std::move(*store), record.id, std::move(probe));
}

Result<void> RunRecorder::record_environment() {
  if (environment_recorded_) return {};
  environment_recorded_ = true;
  return store_.set_environment(id_, probe_.collect());
}

Result<void> RunRecorder::end(std::string_view status, std::optional<int> exit_code) {
  if (auto recorded = record_environment(); !recorded) return recorded;
  return store_.finish(id_, status, exit_code, now_ms());
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
