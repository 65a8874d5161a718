#pragma once
// Publishing registry tags (`--push` on every writing command, `mlops model push`): a tag is only
// worth pushing when whoever fetches it can get what it names. So the artifacts of the versions the
// tags name go to the default data remote first (as the pre-push hook does for data), a stage tag
// travels with the tag of the version it assigns, and only then are the tags pushed to git.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/state.hpp"

namespace mlops::registry {

// A version's artifact, as its registration tag records it.
struct ArtifactRef {
  std::string model;
  std::string version;
  Hash hash;
  data::Kind kind = data::Kind::file;
};

// The tags to push for `tags` (in order, without repeats): each one, preceded by the registration
// tag of the version a stage assignment names (the remote must never hold a stage tag whose
// version tag it lacks). Tags that are not in `state` are kept as they are.
std::vector<std::string> tags_to_push(const State& state, const std::vector<std::string>& tags);

// The artifacts that the versions named by `tags` (registrations and stage assignments) record,
// one per hash. Deprecations, deregistrations and unassignments name no artifact.
std::vector<ArtifactRef> artifacts_named(const State& state, const std::vector<std::string>& tags);

// Before a writing command with --push writes anything: exit 2 when `model` has a version with an
// artifact (or `registering` says one is being added) and no default data remote is set, since
// its tags could not be pushed.
Result<void> check_publishable(const Repo& repo, const State& state, std::string_view model, bool registering = false);

struct Publication {
  std::vector<std::string> tags;  // pushed, in order
  std::string data_remote;        // where the artifacts went; empty when none was needed
  std::size_t artifacts = 0;      // artifacts the tags name
  std::size_t uploaded = 0;       // objects uploaded (the rest were there already)
  std::uint64_t bytes = 0;
  std::size_t runs = 0;  // runs of the versions named, published on the data remote (runs push)
};

// Uploads the artifacts `tags` name to the default data remote, and the runs of those versions
// that this clone holds (tracking/share.hpp), then pushes the tags (and the
// version tags their stage tags need, tags_to_push) to git remote `git_remote`. Nothing is pushed
// to git when an artifact cannot be made available: no default data remote (exit 2), an artifact
// that is neither in the local cache nor on the data remote (exit 2, naming the model and version
// and the command that fixes it), or a data remote that fails (exit 3).
Result<Publication> publish(const Repo& repo, const git::Repository& git_repo, const State& state,
                            const std::vector<std::string>& tags, std::string_view git_remote);

// The first of `tags` that remote `git_remote` holds as another tag of the same name than ours
// (two clones registered the same version, or wrote the same stage counter), if any.
Result<std::optional<std::string>> diverged_tag(const git::Repository& git_repo, const std::vector<std::string>& tags,
                                                std::string_view git_remote);

// Takes the remote's side of a diverged tag: deletes our `tag` and fetches the remote's registry
// tags of `model` that we lack (that one included), so the next version or stage counter derived
// here is free on the remote too. Only for a tag this very command created.
Result<void> take_remote_tags(const git::Repository& git_repo, std::string_view model, std::string_view tag,
                              std::string_view git_remote);

}  // namespace mlops::registry
