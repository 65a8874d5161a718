#include "mlops/repro/plan.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "mlops/core/config.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/status.hpp"
#include "mlops/tracking/recorder.hpp"

namespace mlops::repro {

namespace {

std::string short_hash(const std::string& hash) { return hash.substr(0, 17); }

// Finds where the objects of version `hash` are: the cache, else the default remote.
class Locator {
 public:
  explicit Locator(const Repo& repo) : repo_(repo), cache_(repo) {}

  Result<Source> locate(const Hash& hash, data::Kind kind, const std::string& what) {
    data::Pointer pointer;
    pointer.hash = hash;
    pointer.kind = kind;
    if (data::version_in_cache(cache_, pointer)) return Source::cache;
    auto remote = open_remote(what);
    if (!remote) return std::unexpected(remote.error());
    auto found = (*remote)->contains({hash});
    if (!found) return std::unexpected(found.error());
    if (!found->front()) {
      return std::unexpected(bad_input(fmt::format("{} ({}) is in neither the cache nor the remote '{}'", what,
                                                   short_hash(hash.str()), remote_name_),
                                       "push it from the machine where the run was made: mlops data push"));
    }
    return Source::remote;
  }
  const std::string& remote_name() const { return remote_name_; }

 private:
  Result<const data::Remote*> open_remote(const std::string& what) {
    if (remote_) return remote_.get();
    auto config = load_config(repo_);
    if (!config) return std::unexpected(config.error());
    if (config->default_remote.empty()) {
      return std::unexpected(
          bad_input(fmt::format("{} is not in the cache, and there is no default remote to fetch it from", what),
                    "add the remote that holds it: mlops remote add NAME URL --default"));
    }
    auto remote = data::open_named_remote(repo_, *config, {});
    if (!remote) return std::unexpected(remote.error());
    remote_ = std::move(*remote);
    remote_name_ = config->default_remote;
    return remote_.get();
  }

  const Repo& repo_;
  data::Cache cache_;
  std::unique_ptr<data::Remote> remote_;
  std::string remote_name_;
};

Result<Hash> parse_recorded_hash(const std::string& text, const tracking::RunRecord& run, const std::string& what) {
  auto hash = Hash::parse(text);
  if (!hash) return std::unexpected(bad_input(fmt::format("run '{}' recorded a malformed hash for {}", run.id, what)));
  return *hash;
}

// The --artifact and --metrics-file paths `mlops run` kept in the run's mlops.outputs tag.
Result<void> read_outputs(const tracking::RunRecord& run, Plan& plan) {
  auto tag = run.tags.find(std::string(tracking::kOutputsTag));
  if (tag == run.tags.end()) return {};
  auto json = nlohmann::json::parse(tag->second, nullptr, false);
  auto strings = [&](const char* key, std::vector<std::string>& into) {
    auto it = json.find(key);
    if (it == json.end()) return true;
    if (!it->is_array()) return false;
    for (const auto& item : *it) {
      if (!item.is_string()) return false;
      into.push_back(item.get<std::string>());
    }
    return true;
  };
  if (!json.is_object() || !strings("artifacts", plan.artifacts) || !strings("metrics_files", plan.metrics_files)) {
    return std::unexpected(bad_input(fmt::format("run '{}' has a malformed '{}' tag", run.id, tracking::kOutputsTag),
                                     "it should be {\"artifacts\": [...], \"metrics_files\": [...]}"));
  }
  return {};
}

}  // namespace

const char* to_string(Source source) { return source == Source::cache ? "cache" : "remote"; }

bool is_bookkeeping(const tracking::Artifact& artifact) {
  return artifact.name == tracking::kLogArtifact || artifact.name == tracking::kDiffArtifact;
}

Result<Plan> make_plan(const Repo& repo, const git::Repository& git_repo, tracking::RunRecord run) {
  if (run.command.empty()) {
    // An imported run names its tool's source, not a command mlops ran: say where it came from.
    auto imported = run.tags.find("mlflow.run_id");
    std::string hint = imported != run.tags.end()
                           ? fmt::format(
                                 "it was imported from MLflow (run {}), which records no command line; rerun "
                                 "its training with 'mlops run -- CMD' to make a version that can be rebuilt",
                                 imported->second)
                           : "runs opened with 'mlops run start' cannot be rebuilt; record training with "
                             "'mlops run -- CMD'";
    return std::unexpected(
        bad_input(fmt::format("run '{}' recorded no command, so there is nothing to rerun", run.id), hint));
  }
  if (run.git_commit.empty()) {
    return std::unexpected(bad_input(fmt::format("run '{}' was made before the repository had a commit", run.id),
                                     "only runs made on a commit can be rebuilt"));
  }
  if (!git_repo.resolve_commit(run.git_commit)) {
    return std::unexpected(bad_input(
        fmt::format("commit {} of run '{}' is not in this repository", run.git_commit.substr(0, 12), run.id),
        "fetch it from where it was pushed (git fetch origin), or push it from the machine where the run was made"));
  }

  Plan plan;
  Locator locator(repo);
  bool from_remote = false;
  for (const auto& artifact : run.artifacts) {
    if (artifact.name == tracking::kDiffArtifact) {
      auto hash = parse_recorded_hash(artifact.hash, run, "its diff");
      if (!hash) return std::unexpected(hash.error());
      auto source = locator.locate(*hash, data::Kind::file, "the run's recorded diff");
      if (!source) return std::unexpected(source.error());
      plan.diff = *hash;
      plan.diff_source = *source;
      from_remote |= *source == Source::remote;
    } else if (!is_bookkeeping(artifact)) {
      plan.compared.push_back(artifact);
    }
  }
  if (run.git_dirty && !plan.diff) {
    return std::unexpected(bad_input(fmt::format("run '{}' was made on a dirty tree but recorded no diff", run.id),
                                     "it cannot be rebuilt from its commit alone"));
  }
  for (const auto& version : run.data) {
    auto hash = parse_recorded_hash(version.hash, run, fmt::format("'{}'", version.path));
    if (!hash) return std::unexpected(hash.error());
    auto kind = version.kind == "dir" ? data::Kind::dir : data::Kind::file;
    auto source = locator.locate(*hash, kind, fmt::format("data '{}'", version.path));
    if (!source && version.state == tracking::DataState::modified) {
      // The run was data-dirty: what it read was never versioned, so nothing anywhere holds it.
      return std::unexpected(bad_input(
          fmt::format("run '{}' cannot be rebuilt: data '{}' ({}) was modified in the workspace and never added "
                      "when the run was made",
                      run.id, version.path, short_hash(version.hash)),
          fmt::format("if that content still exists, 'mlops data add {}' stores it; else rerun on versioned data",
                      version.path)));
    }
    if (!source) return std::unexpected(source.error());
    from_remote |= *source == Source::remote;
    plan.data.push_back({version, *source});
  }
  if (auto outputs = read_outputs(run, plan); !outputs) return std::unexpected(outputs.error());
  if (from_remote) plan.remote = locator.remote_name();
  plan.run = std::move(run);
  return plan;
}

}  // namespace mlops::repro
