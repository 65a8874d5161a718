#pragma once
// Registering a new version of a model (`mlops model register`): the lineage of what is
// registered (a finished run's artifact, or a file or folder stored in the cache), the version
// number, and the registration tag, written through write_tag (registry.hpp).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/metadata.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/registry/semver.hpp"
#include "mlops/registry/state.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::registry {

enum class AllowDirty { no, yes };

struct RegisterRequest {
  std::string model;
  std::string run;                                      // a run id or unique prefix; or
  std::filesystem::path path;                           // a file or folder to store in the cache
  std::string artifact;                                 // with `run`: which artifact (default: its only model-like one)
  std::optional<SemVer> version;                        // the version to give; default: bump the highest one taken
  std::optional<SemVer::Part> bump;                     // the part to bump (default: patch)
  std::vector<std::pair<std::string, double>> metrics;  // with `path`: the model's metrics
  AllowDirty allow_dirty = AllowDirty::no;
  std::string message;  // the user's text for the tag message
  std::string type;     // GTO's artifact type ("prompt"), written as the Type trailer; empty: a model
};

// What a registration records, and where the tag goes.
struct Lineage {
  Metadata meta;
  std::string commit;
  bool dirty = false;
  bool code_dirty = false;             // the code was uncommitted (dirty may also mean the data differed)
  std::vector<std::string> untracked;  // lineage_of_path: the work tree's untracked files (not dirty)
};

struct Registration {
  std::string version;  // "v0.0.2"
  NewTag tag;
  Lineage lineage;
};

// "auc=0.93" as a metric; exit 2 for anything else.
Result<std::pair<std::string, double>> parse_metric_assignment(std::string_view text);

// The artifact of `run` that `wanted` names (by name, or by file name), or the run's only
// artifact that is not its own bookkeeping (git.diff, output.log); exit 2 naming the candidates.
Result<const tracking::Artifact*> pick_artifact(const tracking::RunRecord& run, std::string_view wanted);

// The lineage of a finished run's artifact: its hash, the run's commit, final metrics and data
// versions. A run that did not finish, or ran on uncommitted changes (unless allowed), is exit 2.
Result<Lineage> lineage_of_run(const Repo& repo, std::string_view run, std::string_view artifact, AllowDirty allow);
// The lineage of a file or folder: stored in the cache, tied to HEAD (whose tracked files must be
// unchanged unless allowed: untracked files do not count, and a refusal names the changed files),
// with the data versions of HEAD's pointers and the given metrics.
Result<Lineage> lineage_of_path(const Repo& repo, const git::Repository& git_repo, const std::filesystem::path& path,
                                const std::vector<std::pair<std::string, double>>& metrics, AllowDirty allow);

// The version a new registration of `model` gets: `wanted` as it is, or the highest version ever
// registered (deregistered ones included) bumped by `bump` (default patch), bumped again while
// `taken` says the name is in use (a lightweight tag holds it); the first is v0.0.1.
Result<SemVer> next_version(const Model* model, const std::optional<SemVer>& wanted,
                            const std::optional<SemVer::Part>& bump, std::string_view model_name,
                            const std::function<bool(const std::string&)>& taken);

// The registration tag for `lineage`, planned on `state` (the refusals: a second version on one
// commit, a version that exists).
Result<NewTag> plan_registration(const State& state, const git::Repository& git_repo, const RegisterRequest& request,
                                 const Lineage& lineage, std::string& version);

// Registers a version: the lineage, then the tag (under the registry lock). A prompt registered
// from a file (`type` "prompt") must be committed: untracked, it is refused unless allowed. Warns on stderr when
// registering from uncommitted changes.
Result<Registration> register_version(const Repo& repo, const git::Repository& git_repo,
                                      const RegisterRequest& request);

}  // namespace mlops::registry
