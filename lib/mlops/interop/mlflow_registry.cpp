#include "mlops/interop/mlflow_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/store.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/deprecate.hpp"
#include "mlops/registry/promote.hpp"
#include "mlops/registry/register.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/registry/settings.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

namespace {

using Kind = MlflowVersionOutcome::Kind;

std::string short_commit(std::string_view commit) { return std::string(commit.substr(0, 7)); }

// The mlops stage of an MLflow stage; empty for None and Archived.
std::string stage_of_mlflow(std::string_view stage) {
  if (stage == "Staging") return "staging";
  if (stage == "Production") return "production";
  return {};
}

bool path_climbs(const std::string& rel) {
  return rel.empty() || rel == ".." || rel.starts_with("../") || rel.front() == '/' ||
         rel.find("/../") != std::string::npos || rel.ends_with("/..");
}

// Why `v` cannot be registered from what the MLflow store says (empty: it can); `rel` gets the
// artifact path inside the run.
std::string check_source(const MlflowModelVersion& v, const MlflowRun* run, std::string& rel) {
  if (!v.status.empty() && v.status != "READY") return fmt::format("its registration is {} in MLflow", v.status);
  if (v.run_id.empty()) return fmt::format("it names no run (source '{}')", v.source);
  if (!run) {
    return fmt::format("its run '{}' is not among the runs imported (deleted, or its experiment was left out)",
                       v.run_id);
  }
  if (run->status != 3) {
    return fmt::format("its run '{}' is {}: only a finished run's artifact is registered", v.run_id,
                       to_string(status_from_mlflow(run->status)));
  }
  rel = artifact_path_in_run(v.source, *run);
  if (rel.empty()) return fmt::format("its source '{}' is not among the artifacts of run '{}'", v.source, v.run_id);
  std::error_code ec;
  if (!fs::exists(run->artifacts / rel, ec)) {
    return fmt::format("its files '{}' are not in the artifacts of run '{}'", rel, v.run_id);
  }
  return {};
}

// The highest version registered now that MLflow has in `stage` (or whose alias it is).
std::map<std::string, std::size_t> stage_holders(const std::vector<MlflowVersionOutcome>& outcomes,
                                                 const std::vector<const MlflowModelVersion*>& versions,
                                                 std::size_t first, std::size_t last) {
  std::map<std::string, std::size_t> holders;
  for (std::size_t i = first; i < last; ++i) {
    if (outcomes[i].kind != Kind::registered || outcomes[i].deregistered) continue;
    std::vector<std::string> names = versions[i]->aliases;
    if (auto stage = stage_of_mlflow(versions[i]->stage); !stage.empty()) names.push_back(stage);
    for (const auto& name : names) holders[name] = i;  // by version order: the highest wins
  }
  return holders;
}

// How strongly MLflow says a version is the one in use: Production, then Staging, then an alias,
// then none; Archived last.
int standing(const MlflowModelVersion& v) {
  if (v.stage == "Production") return 4;
  if (v.stage == "Staging") return 3;
  if (!v.aliases.empty()) return 2;
  if (v.stage == "Archived") return 0;
  return 1;
}

// For each model and run commit (as the run recorded it), the MLflow version the registry's one
// version of that commit should be: among those that could be registered, the one MLflow holds in
// the highest standing, the newest on a tie. MLflow often registers several versions of one
// commit (a retrain on new data); taking the first would let an archived version hide the
// production one.
std::map<std::pair<std::string, std::string>, int> preferred_versions(
    const std::vector<const MlflowModelVersion*>& versions,
    const std::unordered_map<std::string, const MlflowRun*>& runs) {
  std::map<std::pair<std::string, std::string>, const MlflowModelVersion*> best;
  for (const auto* v : versions) {
    auto it = runs.find(v->run_id);
    const MlflowRun* run = it == runs.end() ? nullptr : it->second;
    std::string rel;
    if (!check_source(*v, run, rel).empty()) continue;
    auto tag = run->tags.find("mlflow.source.git.commit");
    if (tag == run->tags.end() || tag->second.empty()) continue;
    auto& holder = best[{v->model, tag->second}];
    if (!holder || standing(*v) > standing(*holder) ||
        (standing(*v) == standing(*holder) && v->version > holder->version))
      holder = v;
  }
  std::map<std::pair<std::string, std::string>, int> preferred;
  for (const auto& [key, v] : best) preferred[key] = v->version;
  return preferred;
}

}  // namespace

std::string version_name_of_mlflow(int n) { return fmt::format("v0.0.{}", n); }

std::string artifact_path_in_run(const std::string& source, const MlflowRun& run) {
  std::string rel;
  std::string runs_prefix = "runs:/" + run.run_id + "/";
  std::string marker = "/" + run.run_id + "/artifacts/";
  if (source.starts_with(runs_prefix)) {
    rel = source.substr(runs_prefix.size());
  } else if (fs::path local = local_path_of_uri(source, {}); !local.empty() && !run.artifacts.empty()) {
    rel = local.lexically_normal().lexically_relative(run.artifacts.lexically_normal()).generic_string();
  }
  if (rel.empty() || path_climbs(rel)) {
    auto at = source.find(marker);
    rel = at == std::string::npos ? std::string() : source.substr(at + marker.size());
  }
  while (rel.ends_with('/')) rel.pop_back();
  if (rel == "." || path_climbs(rel)) return {};
  return fs::path(rel).lexically_normal().generic_string();
}

Result<MlflowRegistryReport> import_mlflow_registry(const Repo& repo, const MlflowStore& source,
                                                    const std::unordered_map<std::string, std::string>& run_ids,
                                                    bool dry_run, const std::atomic<bool>* stop) {
  MlflowRegistryReport report;
  bool told = false;  // of a signal that arrived while registering
  if (source.model_versions.empty()) return report;
  std::unordered_map<std::string, const MlflowRun*> runs;
  for (const auto& run : source.runs) runs.emplace(run.run_id, &run);
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  // A dry run writes nothing, not even the registry's tag cache.
  auto loaded = registry::load(*git_repo, {}, dry_run ? nullptr : &repo);
  if (!loaded) return std::unexpected(loaded.error());
  auto stages = registry::load_stages(repo);
  if (!stages) return std::unexpected(stages.error());

  std::vector<const MlflowModelVersion*> versions;
  for (const auto& v : source.model_versions) versions.push_back(&v);
  std::optional<FileLock> store_lock;
  // Commits given a version of a model by this import (the registry's rule, one version per commit,
  // holds for those of a dry run too).
  std::map<std::string, std::map<std::string, std::string>> taken;
  auto preferred = preferred_versions(versions, runs);
  for (const auto* v : versions) {
    if (stop && stop->load() && !told) {
      told = true;
      out::warn(
          "interrupted: finishing the model registry first, so that no version is left without its stage; a second "
          "Ctrl-C stops at once, which can leave some without it");
    }
    MlflowVersionOutcome outcome;
    outcome.model = v->model;
    outcome.mlflow_version = v->version;
    outcome.version = version_name_of_mlflow(v->version);
    auto skip = [&](std::string reason) {
      outcome.kind = Kind::skipped;
      outcome.reason = std::move(reason);
    };
    const MlflowRun* run = runs.count(v->run_id) ? runs.at(v->run_id) : nullptr;
    if (auto id = run_ids.find(v->run_id); id != run_ids.end()) outcome.run_id = id->second;
    const registry::Model* model = loaded->state.find(v->model);
    std::string rel;
    std::string commit;
    if (!registry::valid_model_name(v->model)) {
      skip(fmt::format("'{}' is not a valid mlops model name (letters, digits, '-', '_' and '/')", v->model));
    } else if (model && model->find(outcome.version)) {
      outcome.kind = Kind::already;
    } else if (auto why = check_source(*v, run, rel); !why.empty()) {
      skip(std::move(why));
    } else if (outcome.run_id.empty() && !dry_run) {
      skip(fmt::format("its run '{}' is not in the runs store", v->run_id));
    } else {
      auto tag = run->tags.find("mlflow.source.git.commit");
      commit = tag == run->tags.end() ? std::string() : tag->second;
      auto chosen = preferred.find({v->model, commit});
      int chosen_version = chosen == preferred.end() ? v->version : chosen->second;
      auto resolved = commit.empty() ? Result<std::string>() : git_repo->resolve_commit(commit);
      if (commit.empty()) {
        skip(fmt::format("its run '{}' recorded no git commit (mlflow.source.git.commit)", v->run_id));
      } else if (!resolved) {
        skip(fmt::format("its run's commit {} is not in this repository (fetch it, or import where the run was made)",
                         short_commit(commit)));
      } else {
        commit = *resolved;
        std::string holder;
        if (model) {
          for (const auto& existing : model->versions) {
            if (existing.registered && existing.commit == commit) holder = existing.name;
          }
        }
        if (auto it = taken[v->model].find(commit); holder.empty() && it != taken[v->model].end()) holder = it->second;
        if (!holder.empty()) {
          skip(fmt::format("{} of '{}' is registered at the same commit {}: the registry holds one version per commit",
                           holder, v->model, short_commit(commit)));
        } else if (chosen_version != v->version) {
          skip(
              fmt::format("{} of '{}' (MLflow version {}) is registered at the same commit {} instead: the registry "
                          "holds one version per commit, and that one is in a higher stage or newer",
                          version_name_of_mlflow(chosen_version), v->model, chosen_version, short_commit(commit)));
        } else {
          outcome.kind = Kind::registered;
          outcome.artifact = rel;
        }
      }
    }
    if (outcome.kind == Kind::registered) taken[v->model][commit] = outcome.version;
    if (outcome.kind != Kind::registered || dry_run) {
      if (outcome.kind == Kind::registered && v->stage == "Archived") outcome.deregistered = true;
      report.versions.push_back(std::move(outcome));
      continue;
    }
    std::string top = rel.substr(0, rel.find('/'));
    auto lineage = registry::lineage_of_run(repo, outcome.run_id, top, registry::AllowDirty::no);
    if (!lineage) {
      if (lineage.error().exit != Exit::bad_input) return std::unexpected(lineage.error());
      skip(lineage.error().message);
      report.versions.push_back(std::move(outcome));
      continue;
    }
    lineage->commit = commit;
    // MLflow records no data versions; those the run's commit names (its pointers, or the history
    // `mlops import dvc --all-commits` recorded) are what it trained on, as far as git knows.
    if (lineage->meta.data.empty()) {
      auto tracked = data::list_tracked_at(repo, commit);
      if (!tracked && tracked.error().exit != Exit::bad_input) return std::unexpected(tracked.error());
      if (tracked) {
        for (const auto& t : *tracked) {
          if (!t.conflict) lineage->meta.data.emplace_back(t.data_path, t.pointer.hash);
        }
      }
    }
    if (rel != top) {
      // A path inside one of the run's artifacts: that file or folder itself is the model.
      if (!store_lock) {
        auto lock = data::lock_store(repo, LockKind::shared);
        if (!lock) return std::unexpected(lock.error());
        store_lock.emplace(std::move(*lock));
      }
      std::error_code ec;
      auto stored = data::store_path(repo, run->artifacts / rel, fs::weakly_canonical(run->artifacts, ec));
      if (!stored) return std::unexpected(stored.error());
      lineage->meta.artifact = stored->hash;
      lineage->meta.kind = stored->kind == data::Kind::dir ? "dir" : "file";
      lineage->meta.size = stored->size;
      lineage->meta.files = stored->files;
      lineage->meta.path = rel;
    }
    registry::RegisterRequest request;
    request.model = v->model;
    request.run = outcome.run_id;
    request.version = registry::SemVer::parse(outcome.version);
    request.message = fmt::format("imported from MLflow: {} version {} (run {})", v->model, v->version, v->run_id);
    std::string version;
    auto written = registry::write_tag(repo, *git_repo, v->model, [&](const registry::State& state) {
      return registry::plan_registration(state, *git_repo, request, *lineage, version);
    });
    if (!written) {
      if (written.error().exit != Exit::bad_input) return std::unexpected(written.error());
      skip(written.error().message);
      report.versions.push_back(std::move(outcome));
      continue;
    }
    if (v->stage == "Archived") {
      registry::DeprecateRequest retire{
          v->model, registry::Reference{v->model, outcome.version, {}, false}, {}, "archived in MLflow"};
      auto retired = registry::deprecate(repo, *git_repo, retire);
      if (!retired) return std::unexpected(retired.error());
      outcome.deregistered = true;
    }
    report.versions.push_back(std::move(outcome));
  }

  // Stages, model by model, once its versions are in.
  for (std::size_t first = 0; first < versions.size();) {
    std::size_t last = first;
    while (last < versions.size() && versions[last]->model == versions[first]->model) ++last;
    for (const auto& [stage, i] : stage_holders(report.versions, versions, first, last)) {
      auto& outcome = report.versions[i];
      if (!registry::check_stage(stage, *stages)) {
        report.notes.push_back(fmt::format(
            "'{}' {} (MLflow version {}) was not given the stage '{}': not in registry.stages of .mlops/config.yaml; "
            "add it, then: mlops model promote {} {} --to {}",
            outcome.model, outcome.version, outcome.mlflow_version, stage, outcome.model, outcome.version, stage));
        continue;
      }
      if (!dry_run) {
        registry::PromoteRequest request;
        request.version = registry::Reference{outcome.model, outcome.version, {}, false};
        request.stage = stage;
        request.message = fmt::format("imported from MLflow: {} of version {}", stage, outcome.mlflow_version);
        auto promoted = registry::promote(repo, *git_repo, request);
        if (!promoted) {
          if (promoted.error().exit != Exit::bad_input) return std::unexpected(promoted.error());
          report.notes.push_back(fmt::format("'{}' {} was not given the stage '{}': {}", outcome.model, outcome.version,
                                             stage, promoted.error().message));
          continue;
        }
      }
      outcome.stages.push_back(stage);
    }
    first = last;
  }
  return report;
}

}  // namespace mlops::interop
