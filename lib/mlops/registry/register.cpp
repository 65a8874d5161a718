#include "mlops/registry/register.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "mlops/core/output.hpp"
#include "mlops/data/store.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/tags.hpp"
#include "mlops/git/worktree_state.hpp"
#include "mlops/registry/tag_name.hpp"
#include "mlops/tracking/recorder.hpp"

namespace mlops::registry {

namespace {

// Artifacts every run records on its own; they are never the model.
bool is_run_bookkeeping(std::string_view name) { return name == "git.diff" || name == "output.log"; }

std::string short_id(std::string_view commit) { return std::string(commit.substr(0, 7)); }

// "'a.py', 'b.py' and 3 more": the first few of `paths`, for a message.
std::string some_paths(const std::vector<std::string>& paths) {
  constexpr std::size_t kShown = 5;
  std::string text;
  for (std::size_t i = 0; i < paths.size() && i < kShown; ++i) text += fmt::format("{}'{}'", i ? ", " : "", paths[i]);
  if (paths.size() > kShown) text += fmt::format(" and {} more", paths.size() - kShown);
  return text;
}

// Whether `path` (relative to the root, '/'-separated) is one of `untracked` or inside one of its
// folders ("scratch/").
bool among_untracked(std::string_view path, const std::vector<std::string>& untracked) {
  return std::any_of(untracked.begin(), untracked.end(),
                     [&](const std::string& u) { return path == u || (u.ends_with('/') && path.starts_with(u)); });
}

Error not_finished(const tracking::RunRecord& run) {
  return bad_input(run.status == tracking::kFailed
                       ? fmt::format("run '{}' failed (exit code {}); only a finished run can be registered", run.id,
                                     run.exit_code ? std::to_string(*run.exit_code) : "unknown")
                       : fmt::format("run '{}' is {}; only a finished run can be registered", run.id, run.status),
                   "see it with 'mlops runs show " + run.id + "'");
}

}  // namespace

Result<std::pair<std::string, double>> parse_metric_assignment(std::string_view text) {
  auto eq = text.rfind('=');
  double value = 0;
  if (eq != std::string_view::npos && eq > 0) {
    std::string_view number = text.substr(eq + 1);
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec == std::errc() && end == number.data() + number.size() && !number.empty()) {
      return std::pair{std::string(text.substr(0, eq)), value};
    }
  }
  return std::unexpected(
      bad_input(fmt::format("malformed metric '{}'", text), "write NAME=VALUE, e.g. --metric auc=0.93"));
}

Result<const tracking::Artifact*> pick_artifact(const tracking::RunRecord& run, std::string_view wanted) {
  std::vector<const tracking::Artifact*> candidates;
  for (const auto& a : run.artifacts) {
    if (wanted.empty() ? !is_run_bookkeeping(a.name)
                       : (a.name == wanted || std::filesystem::path(a.name).filename() == wanted)) {
      candidates.push_back(&a);
    }
  }
  std::string names;
  for (const auto& a : run.artifacts) {
    if (!is_run_bookkeeping(a.name)) names += (names.empty() ? "" : ", ") + a.name;
  }
  if (candidates.size() == 1) return candidates.front();
  if (!wanted.empty() && candidates.empty()) {
    return std::unexpected(
        bad_input(fmt::format("run '{}' has no artifact '{}'", run.id, wanted),
                  names.empty() ? "the run logged no artifacts" : fmt::format("its artifacts: {}", names)));
  }
  if (candidates.empty()) {
    return std::unexpected(
        bad_input(fmt::format("run '{}' logged no artifact to register", run.id),
                  "log the model in the run ('mlops log artifact PATH'), or register a file with --path"));
  }
  return std::unexpected(bad_input(fmt::format("run '{}' logged several artifacts: {}", run.id, names),
                                   "choose one with --artifact NAME"));
}

Result<Lineage> lineage_of_run(const Repo& repo, std::string_view run_id, std::string_view wanted, AllowDirty allow) {
  auto store = tracking::RunStore::open(repo);
  if (!store) return std::unexpected(store.error());
  auto id = store->resolve(run_id);
  if (!id) return std::unexpected(id.error());
  auto run = store->get(*id);
  if (!run) return std::unexpected(run.error());
  if (run->status != tracking::kFinished) return std::unexpected(not_finished(*run));
  if (run->git_commit.empty()) return std::unexpected(bad_input(fmt::format("run '{}' has no git commit", run->id)));
  auto artifact = pick_artifact(*run, wanted);
  if (!artifact) return std::unexpected(artifact.error());
  auto hash = Hash::parse((*artifact)->hash);
  if (!hash) {
    return std::unexpected(
        bad_input(fmt::format("run '{}' recorded a malformed hash for '{}'", run->id, (*artifact)->name)));
  }
  Lineage lineage;
  Metadata& meta = lineage.meta;
  meta.artifact = *hash;
  meta.kind = (*artifact)->kind;
  meta.size = (*artifact)->size;
  meta.files = (*artifact)->files;
  meta.path = (*artifact)->name;
  meta.run = run->id;
  for (const auto& d : run->data) {
    if (auto h = Hash::parse(d.hash)) meta.data.emplace_back(d.path, *h);
  }
  for (const auto& [key, point] : run->metrics) meta.metrics.emplace_back(key, point.value);
  lineage.commit = run->git_commit;
  lineage.dirty = run->git_dirty;
  lineage.code_dirty = run->git_dirty;
  if (lineage.dirty && allow == AllowDirty::no) {
    return std::unexpected(
        bad_input(fmt::format("run '{}' ran on uncommitted changes", run->id),
                  "commit and rerun, or pass --allow-dirty (the version then cannot be rebuilt from git)"));
  }
  // A run on data that its pointers do not describe is refused the same way (its data versions
  // above are what it really read, so --allow-dirty registers a true lineage).
  if (allow == AllowDirty::no) MLOPS_TRY(tracking::check_data_clean(*run));
  lineage.dirty = lineage.dirty || run->data_dirty;
  meta.dirty = lineage.dirty;
  return lineage;
}

Result<Lineage> lineage_of_path(const Repo& repo, const git::Repository& git_repo, const std::filesystem::path& path,
                                const std::vector<std::pair<std::string, double>>& metrics, AllowDirty allow) {
  auto head = git_repo.head_commit();
  if (!head) {
    return std::unexpected(
        bad_input("the repository has no commits yet", "commit your code first: the version is tied to a commit"));
  }
  Lineage lineage;
  lineage.commit = *head;
  // Changes to tracked files make the commit a false lineage; untracked files do not (git tag and
  // GTO ignore them too): HEAD's tree is what a rebuild checks out either way. Only names are
  // read, no content (a big untracked file once cost seconds for a diff nobody read).
  auto changes = git::changed_files(git_repo);
  if (!changes) return std::unexpected(changes.error());
  std::vector<std::string> changed;
  for (auto& change : *changes) {
    if (change.untracked) {
      lineage.untracked.push_back(std::move(change.path));
    } else {
      changed.push_back(std::move(change.path));
    }
  }
  lineage.dirty = !changed.empty();
  lineage.code_dirty = lineage.dirty;
  if (lineage.dirty && allow == AllowDirty::no) {
    return std::unexpected(
        bad_input(fmt::format("the work tree has uncommitted changes to tracked files: {}", some_paths(changed)),
                  "commit them first (untracked files do not count), or pass --allow-dirty (the version then cannot be "
                  "rebuilt from git)"));
  }
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::unexpected(bad_input(fmt::format("no file or folder '{}'", path.string())));
  }
  auto stored = data::store_path(repo, path);
  if (!stored) return std::unexpected(stored.error());
  Metadata& meta = lineage.meta;
  meta.artifact = stored->hash;
  meta.kind = stored->kind == data::Kind::dir ? "dir" : "file";
  meta.size = stored->size;
  meta.files = stored->files;
  auto relative = repo.relative(std::filesystem::absolute(path));
  meta.path = relative ? *relative : path.filename().string();
  auto tracked = data::list_tracked_at(repo, lineage.commit);
  if (!tracked) return std::unexpected(tracked.error());
  for (const auto& t : *tracked) meta.data.emplace_back(t.data_path, t.pointer.hash);
  meta.metrics = metrics;
  meta.dirty = lineage.dirty;
  return lineage;
}

Result<SemVer> next_version(const Model* model, const std::optional<SemVer>& wanted,
                            const std::optional<SemVer::Part>& bump, std::string_view model_name,
                            const std::function<bool(const std::string&)>& taken) {
  if (wanted) return *wanted;
  // The highest version ever registered, deregistered ones included: a number once given is
  // never given again (GTO's and git's rule: a published tag name means one thing for good).
  std::optional<SemVer> highest;
  if (model) {
    for (const auto& v : model->versions) {
      if (!v.registered) continue;
      auto semver = SemVer::parse(v.name);
      if (semver && (!highest || *highest < *semver)) highest = std::move(semver);
    }
  }
  SemVer next;
  if (highest) {
    next = highest->bump(bump.value_or(SemVer::Part::patch));
  } else if (bump) {
    return std::unexpected(bad_input(fmt::format("'{}' has no version to bump yet", model_name),
                                     "the first version is v0.0.1; or give one with --version"));
  } else {
    next = *SemVer::parse("v0.0.1");
  }
  // A tag of that name that the fold does not count (a lightweight one) still takes the name.
  while (taken(next.str())) next = next.bump(bump.value_or(SemVer::Part::patch));
  return next;
}

Result<NewTag> plan_registration(const State& state, const git::Repository& git_repo, const RegisterRequest& request,
                                 const Lineage& lineage, std::string& version) {
  const Model* m = state.find(request.model);
  if (m) {
    // GTO finds the version a stage tag means by its commit: one active version per commit.
    for (const auto& v : m->versions) {
      if (v.registered && v.active && v.commit == lineage.commit) {
        return std::unexpected(bad_input(
            fmt::format("'{}' {} is already registered at commit {}", request.model, v.name, short_id(lineage.commit)),
            "each version needs its own commit: commit your changes, then register"));
      }
    }
  }
  auto taken = [&](const std::string& name) {
    TagName tag{request.model, Action::register_version, name, {}, std::nullopt};
    return (m && m->find(name)) || git::tag_exists(git_repo, tag.str());
  };
  auto next = next_version(m, request.version, request.bump, request.model, taken);
  if (!next) return std::unexpected(next.error());
  version = next->str();
  if (taken(version)) {
    return std::unexpected(
        bad_input(fmt::format("version '{}' of '{}' exists already", version, request.model),
                  fmt::format("see 'mlops model show {}'; give another with --version", request.model)));
  }
  TagName tag{request.model, Action::register_version, version, {}, std::nullopt};
  return NewTag{tag.str(), lineage.commit,
                format_message(register_subject(request.model, version), request.message, lineage.meta)};
}

Result<Registration> register_version(const Repo& repo, const git::Repository& git_repo,
                                      const RegisterRequest& request) {
  if (auto checked = check_model_name(request.model); !checked) return std::unexpected(checked.error());
  auto lineage = request.run.empty()
                     ? lineage_of_path(repo, git_repo, request.path, request.metrics, request.allow_dirty)
                     : lineage_of_run(repo, request.run, request.artifact, request.allow_dirty);
  if (!lineage) return std::unexpected(lineage.error());
  lineage->meta.type = request.type;
  // A prompt's file is its source, not a build output: the commit it is tagged on must hold it.
  if (request.run.empty() && request.type == "prompt" && among_untracked(lineage->meta.path, lineage->untracked)) {
    if (request.allow_dirty == AllowDirty::no) {
      return std::unexpected(bad_input(
          fmt::format("'{}' is not committed: a prompt is registered as its commit holds it", lineage->meta.path),
          fmt::format("commit it first (git add {} && git commit), or pass --allow-dirty (the version then cannot "
                      "be rebuilt from git)",
                      lineage->meta.path)));
    }
    lineage->dirty = lineage->code_dirty = lineage->meta.dirty = true;
  }
  if (lineage->code_dirty) {
    out::warn("registering from uncommitted changes: this version cannot be rebuilt from git alone");
  } else if (lineage->dirty) {
    out::warn(
        "registering a run that ran on data its pointers did not describe: the version records the data "
        "it really used, which 'mlops repro' puts back from the cache or the remote");
  }
  Registration registration;
  auto written = write_tag(repo, git_repo, request.model, [&](const State& state) {
    return plan_registration(state, git_repo, request, *lineage, registration.version);
  });
  if (!written) return std::unexpected(written.error());
  registration.tag = std::move(*written);
  registration.lineage = std::move(*lineage);
  return registration;
}

}  // namespace mlops::registry
