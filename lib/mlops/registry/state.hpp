#pragma once
// The registry state folded from its tags, the way GTO folds it (gto/base.py, gto/tag.py):
// events are applied in tagger-time order;
//  - a version is active when its latest registration/deregistration event is a registration;
//  - a stage tag names the version registered at the tag's commit (a commit with no registered
//    version becomes a version named by the commit id, as in GTO);
//  - a version is in a stage while its latest assignment/unassignment of that stage is an
//    assignment; the stage's holder is the active version whose live assignment is the newest;
//  - latest is the highest SemVer among active registered versions;
//  - a model is deprecated when its latest event is a deprecation.
// Tagger times have one-second resolution; ties are broken by the tag's "#N" counter, then by
// GTO's event priority (deprecation < registration < deregistration < assignment < unassignment).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/registry/metadata.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::registry {

// One annotated registry tag as read from git.
struct TagRecord {
  std::string tag;  // "churn#production#3"
  TagName name;
  std::string commit;     // the commit it points to (peeled)
  std::int64_t time = 0;  // tagger time, seconds since the epoch
  int offset = 0;         // tagger's UTC offset, minutes
  std::string author;
  std::string author_email;
  std::string message;
};

struct Event {
  Action action = Action::register_version;
  std::string version;  // for stage events: the version the commit resolved to
  std::string stage;
  const TagRecord* record = nullptr;  // owned by the State
};

struct StageTrack {
  bool active = false;
  std::size_t last_assignment = 0;  // index in Model::events of the newest assignment
};

struct Version {
  std::string name;  // "v1.2.3", or a commit id for an unregistered commit given a stage
  std::string commit;
  bool registered = false;
  bool active = false;
  std::optional<std::size_t> registration;  // index in Model::events of the newest registration
  std::map<std::string, StageTrack, std::less<>> stages;
  Message message;  // the registration's message: lineage and any malformed trailers
};

struct Model {
  std::string name;
  std::vector<Event> events;  // in the order applied
  std::vector<Version> versions;
  bool deprecated = false;

  const Version* find(std::string_view version) const;
  const Version* latest() const;
  const Version* in_stage(std::string_view stage) const;
  // Stages some version holds now, sorted by name.
  std::vector<std::string> stages() const;
  // The distinct versions that held `stage` over time, oldest first (the current one last).
  std::vector<std::string> stage_holders(std::string_view stage) const;

  // Applies one event (the fold's step).
  void apply(Event event);
};

struct State {
  State() = default;
  State(State&&) = default;
  State& operator=(State&&) = default;
  State(const State&) = delete;  // events point into records
  State& operator=(const State&) = delete;

  std::vector<TagRecord> records;  // stable storage the events point into
  std::map<std::string, Model, std::less<>> models;

  std::map<std::string, long long, std::less<>> counters;  // model -> highest "#N" of any of its tags
  // Every model with a tag in the repository, also those not loaded (load() of one model).
  std::set<std::string, std::less<>> names;

  const Model* find(std::string_view model) const;
  // The counter for a new tag of `model`: one more than the highest among all its tags.
  long long next_counter(std::string_view model) const;
};

// Orders the records by tagger time (ties as above) and folds them. `counters` holds the highest
// counter per model among tags that are not folded (lightweight ones), so new counters skip them.
State fold(std::vector<TagRecord> records, const std::map<std::string, long long, std::less<>>& counters = {});

}  // namespace mlops::registry
