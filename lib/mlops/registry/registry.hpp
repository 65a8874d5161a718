#pragma once
// The model registry on git tags: reading its state, naming versions and stages, and writing a
// new tag safely. Tag names and folding: tag_name.hpp and state.hpp; lineage: metadata.hpp.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/state.hpp"

namespace mlops::registry {

struct Loaded {
  State state;
  std::vector<std::string> lightweight;  // registry-looking tags that are not annotated (ignored)
  std::vector<std::string> unreadable;   // registry-looking tags whose objects cannot be read
};

// Reads the registry from the repository's tags; only the tags of `model` when it is given.
// With `store` (a repository set up with mlops init), parsed tag objects are kept in
// .mlops/registry-tags.cache (tag_cache.hpp), which a full read brings up to date.
Result<Loaded> load(const git::Repository& repo, std::string_view model = {}, const Repo* store = nullptr);

// NAME, NAME@vX.Y.Z, NAME@latest or NAME#STAGE (GTO's shortcuts).
struct Reference {
  std::string model;
  std::string version;  // "v1.2.3"; empty for latest or a stage
  std::string stage;
  bool latest = false;
  std::string str() const;
};
Result<Reference> parse_reference(std::string_view text);

// The model `name`, or exit 2 naming the models there are.
Result<const Model*> find_model(const State& state, std::string_view name);
// The version a reference names (NAME alone means latest); exit 2 when there is none.
Result<const Version*> resolve(const State& state, const Reference& ref);

// Checks a stage against the allow-list in .mlops/config.yaml (registry.stages).
Result<void> check_stage(std::string_view stage, const std::vector<std::string>& allowed);
// Checks a model name against GTO's rule.
Result<void> check_model_name(std::string_view name);

// A tag to write: its name, the commit it goes on, its message.
struct NewTag {
  std::string name;
  std::string commit;
  std::string message;
};

// Writes one registry tag for `model`. Under an exclusive lock on .mlops/registry.lock, the
// model's tags are read again and `plan` decides the tag from that fresh state (so counters and
// checks see every tag written before), then the tag is created; git refuses to replace an
// existing tag, so a racing writer outside mlops makes this fail cleanly instead of overwriting.
// Returns the tag that was written.
Result<NewTag> write_tag(const Repo& repo, const git::Repository& git_repo, std::string_view model,
                         const std::function<Result<NewTag>(const State&)>& plan);

// GTO's default sentences, the first line of every tag message.
std::string register_subject(std::string_view model, std::string_view version);
std::string deregister_subject(std::string_view model, std::string_view version);
std::string assign_subject(std::string_view model, std::string_view stage, std::string_view version);
std::string unassign_subject(std::string_view model, std::string_view stage, std::string_view version);
std::string deprecate_subject(std::string_view model);

// What one registry tag means (`mlops model check-ref`, GTO's check-ref), for CD jobs that run on
// a tag push.
struct TagMeaning {
  std::string tag;
  std::string model;
  Action action = Action::register_version;
  std::string version;                // the version registered, deregistered, or given or taken the stage; empty
                                      // for a deprecation
  std::string stage;                  // for assignments and unassignments
  std::string stage_holder;           // for those: the version in the stage now ("" when none)
  const TagRecord* record = nullptr;  // owned by the state it was read from
};
// `tag` (with or without refs/tags/) as the registry read it: exit 2 when it is not a registry
// tag's name, not annotated, or not in the repository (the hint says to fetch the tags).
Result<TagMeaning> describe_tag(const Loaded& loaded, std::string_view tag);

// The tags that make up `model` (every event's tag), for `mlops model push`.
std::vector<std::string> model_tags(const Model& model);

}  // namespace mlops::registry
