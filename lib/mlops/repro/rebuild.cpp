#include "mlops/repro/rebuild.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/settings.hpp"
#include "mlops/data/store.hpp"
#include "mlops/git/worktree.hpp"

namespace mlops::repro {

namespace {

namespace fs = std::filesystem;

Result<void> fetch_missing(const Repo& repo, const Plan& plan) {
  for (const auto& input : plan.data) {
    if (input.source != Source::remote) continue;
    out::note(fmt::format("fetching {} from '{}'", input.version.path, plan.remote));
    auto kind = input.version.kind == "dir" ? data::Kind::dir : data::Kind::file;
    auto hash = Hash::parse(input.version.hash);
    if (!hash) return std::unexpected(bad_input(fmt::format("malformed hash '{}'", input.version.hash)));
    auto fetched = data::fetch_version(repo, *hash, kind, plan.remote);
    if (!fetched) return std::unexpected(fetched.error());
  }
  if (plan.diff && plan.diff_source == Source::remote) {
    auto fetched = data::fetch_version(repo, *plan.diff, data::Kind::file, plan.remote);
    if (!fetched) return std::unexpected(fetched.error());
  }
  return {};
}

Result<fs::path> make_temp_workdir(const Repo& repo, const std::string& id) {
  std::error_code ec;
  fs::create_directories(repo.tmp(), ec);
  std::string pattern = (repo.tmp() / fmt::format("repro-{}-XXXXXX", id)).string();
  if (!::mkdtemp(pattern.data())) return std::unexpected(system_error("create", repo.tmp(), errno));
  return fs::path(pattern);
}

// Removes the worktree on every way out (an error included) unless it is to be kept.
class WorktreeGuard {
 public:
  WorktreeGuard(fs::path repo_root, fs::path dir, bool keep)
      : repo_root_(std::move(repo_root)), dir_(std::move(dir)), keep_(keep) {}
  WorktreeGuard(const WorktreeGuard&) = delete;
  WorktreeGuard& operator=(const WorktreeGuard&) = delete;
  ~WorktreeGuard() {
    if (keep_) return;
    if (auto removed = git::remove_worktree(repo_root_, dir_); !removed) out::print_error(removed.error());
  }

 private:
  fs::path repo_root_;
  fs::path dir_;
  bool keep_;
};

// Changes the current folder, and back when it goes out of scope.
class CurrentFolder {
 public:
  explicit CurrentFolder(const fs::path& dir) : previous_(fs::current_path()) { fs::current_path(dir); }
  CurrentFolder(const CurrentFolder&) = delete;
  CurrentFolder& operator=(const CurrentFolder&) = delete;
  ~CurrentFolder() {
    std::error_code ec;
    fs::current_path(previous_, ec);
  }

 private:
  fs::path previous_;
};

// The recorded commit, diff and data, laid out in `workdir`.
Result<void> prepare_worktree(const Repo& repo, const Plan& plan, const fs::path& workdir) {
  const auto& run = plan.run;
  MLOPS_TRY(git::add_worktree(repo.root, workdir, run.git_commit));
  if (plan.diff) {
    data::Cache cache(repo);
    auto patch = cache.read(*plan.diff);
    if (!patch) return std::unexpected(patch.error());
    auto patch_file = temp_path_in(repo.tmp(), "repro.diff");
    MLOPS_TRY(write_file_atomic(patch_file, *patch));
    auto applied = git::apply_patch(workdir, patch_file);
    std::error_code ec;
    fs::remove(patch_file, ec);
    MLOPS_TRY(std::move(applied));
  }
  auto settings = data::load_data_settings(repo);
  if (!settings) return std::unexpected(settings.error());
  for (const auto& input : plan.data) {
    auto kind = input.version.kind == "dir" ? data::Kind::dir : data::Kind::file;
    auto hash = Hash::parse(input.version.hash);
    if (!hash) return std::unexpected(bad_input(fmt::format("malformed hash '{}'", input.version.hash)));
    fs::path dest = workdir / input.version.path;
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);
    if (ec) return std::unexpected(system_error("create", dest.parent_path(), ec.value()));
    MLOPS_TRY(data::materialize(repo, *hash, kind, dest, settings->link));
  }
  return {};
}

Result<tracking::ExecutedRun> rerun(const Repo& repo, const Plan& plan, const fs::path& workdir,
                                    bool stdout_to_stderr) {
  const auto& run = plan.run;
  // The worktree is a repository of its own whose store is the user's: one cache, one runs database.
  std::error_code ec;
  fs::path root = fs::canonical(workdir, ec);
  if (ec) return std::unexpected(system_error("read", workdir, ec.value()));
  Repo worktree{root, repo.store()};
  fs::path folder = worktree.root / run.cwd;
  fs::create_directories(folder, ec);
  CurrentFolder in_folder(folder);

  tracking::RunSetup setup;
  setup.name = run.name;
  setup.command = run.command;
  setup.params = run.params;
  setup.tags = {{"repro_of", run.id}};
  tracking::RunOutputs outputs{plan.metrics_files, plan.artifacts};
  tracking::ExecuteOptions how;
  how.env = {{"MLOPS_STORE_DIR", repo.store().string()}};
  how.stdout_to_stderr = stdout_to_stderr;
  return tracking::execute_run(worktree, std::move(setup), outputs, how);
}

}  // namespace

Result<Rebuilt> rebuild(const Repo& repo, const Plan& plan, const RebuildOptions& options,
                        const std::function<void(const std::filesystem::path&)>& before_run) {
  MLOPS_TRY(fetch_missing(repo, plan));
  Rebuilt rebuilt;
  if (options.workdir.empty()) {
    auto made = make_temp_workdir(repo, plan.run.id);
    if (!made) return std::unexpected(made.error());
    rebuilt.workdir = std::move(*made);
  } else {
    rebuilt.workdir = options.workdir;
  }
  if (before_run) before_run(rebuilt.workdir);
  WorktreeGuard guard(repo.root, rebuilt.workdir, options.keep);
  MLOPS_TRY(prepare_worktree(repo, plan, rebuilt.workdir));
  auto executed = rerun(repo, plan, rebuilt.workdir, options.stdout_to_stderr);
  if (!executed) return std::unexpected(executed.error());
  rebuilt.executed = std::move(*executed);
  return rebuilt;
}

Result<std::optional<tracking::RunRecord>> run_recorded_inside(tracking::RunStore& store,
                                                               const tracking::RunRecord& outer,
                                                               const tracking::RunRecord& original) {
  auto ids = store.list_ids();  // newest first; an id starts with its start time (10 characters)
  if (!ids) return std::unexpected(ids.error());
  const std::string started = outer.id.substr(0, 10);
  std::optional<tracking::RunRecord> found;
  for (const auto& id : *ids) {
    if (id.substr(0, 10) < started) break;  // started before `outer`: not inside it
    if (id == outer.id) continue;
    auto run = store.get(id);
    if (!run) return std::unexpected(run.error());
    auto inside = run->variables.find("MLOPS_RUN_ID");
    if (inside == run->variables.end() || inside->second != outer.id || run->command != original.command) continue;
    if (found) return std::optional<tracking::RunRecord>();  // two candidates: neither is certain
    found = std::move(*run);
  }
  return found;
}

}  // namespace mlops::repro
