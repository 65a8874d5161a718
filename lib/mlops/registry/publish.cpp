#include "mlops/registry/publish.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "mlops/core/config.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/status.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/push.hpp"
#include "mlops/tracking/run_store.hpp"
#include "mlops/tracking/share.hpp"

namespace mlops::registry {

namespace {

struct TagEvent {
  const Model* model = nullptr;
  const Event* event = nullptr;
};

std::map<std::string, TagEvent, std::less<>> events_by_tag(const State& state) {
  std::map<std::string, TagEvent, std::less<>> by_tag;
  for (const auto& [name, model] : state.models) {
    for (const auto& event : model.events) by_tag[event.record->tag] = {&model, &event};
  }
  return by_tag;
}

// The version an event makes fetchable: the one it registers or assigns a stage to.
const Version* version_named(const TagEvent& found) {
  auto action = found.event->action;
  if (action != Action::register_version && action != Action::assign) return nullptr;
  return found.model->find(found.event->version);
}

std::string abbreviated_id(std::string_view id) { return std::string(id.substr(0, 7)); }

// Exit 3 when the remote holds a tag of the same name as one to push, but another one: two clones
// registered the same version, or wrote the same stage counter. The remote's wins (whoever
// fetched the registry sees it); nothing is pushed, and the message says what each side has.
Result<void> check_not_diverged(const git::Repository& git_repo, const State& state,
                                const std::vector<std::string>& tags, std::string_view git_remote) {
  auto theirs = git::remote_tags(git_repo, git_remote);
  if (!theirs) return std::unexpected(theirs.error());
  auto by_tag = events_by_tag(state);
  for (const auto& tag : tags) {
    auto remote = theirs->find(tag);
    if (remote == theirs->end()) continue;
    std::string mine = git::local_tag_id(git_repo, tag);
    if (mine.empty() || remote->second.id == mine) continue;
    auto it = by_tag.find(tag);
    std::string my_commit = it != by_tag.end() ? it->second.event->record->commit : "";
    std::string what = it != by_tag.end() && it->second.event->action == Action::register_version
                           ? "register again (it takes the next free version)"
                           : "run the command again (it takes the next counter)";
    return std::unexpected(environment_error(
        fmt::format("'{}' diverged: remote '{}' has another tag of that name (on commit {}), yours is on commit {}; "
                    "the remote's wins, so nothing was pushed",
                    tag, git_remote, remote->second.commit.empty() ? "?" : abbreviated_id(remote->second.commit),
                    my_commit.empty() ? "?" : abbreviated_id(my_commit)),
        fmt::format("take the remote's: git tag -d '{}' && git fetch --tags {}; then {}", tag, git_remote, what)));
  }
  return {};
}

const char* const kAddRemoteHint = "add one with 'mlops remote add NAME URL --default'";

// Pushes the runs of the versions `tags` name to the default data remote; how many it published.
Result<std::size_t> push_named_runs(const Repo& repo, const State& state, const std::vector<std::string>& tags) {
  auto by_tag = events_by_tag(state);
  std::vector<std::string> ids;
  for (const auto& tag : tags) {
    auto it = by_tag.find(tag);
    if (it == by_tag.end()) continue;
    const Version* version = version_named(it->second);
    if (version && !version->message.meta.run.empty()) ids.push_back(version->message.meta.run);
  }
  if (ids.empty() || !std::filesystem::exists(repo.runs_db())) return 0;
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  if (config->default_remote.empty()) return 0;  // nothing to push to; the artifacts' check says so when it matters
  auto store = tracking::RunStore::open(repo);
  if (!store) return std::unexpected(store.error());
  std::vector<std::string> here;
  for (const auto& id : ids) {
    auto exists = store->exists(id);
    if (!exists) return std::unexpected(exists.error());
    if (*exists) here.push_back(id);
  }
  if (here.empty()) return 0;
  auto remote = data::open_named_remote(repo, *config, config->default_remote);
  if (!remote) return std::unexpected(remote.error());
  auto pushed = tracking::push_runs(repo, *store, **remote, here);
  if (!pushed) return std::unexpected(pushed.error());
  return pushed->pushed.size();
}

}  // namespace

Result<std::optional<std::string>> diverged_tag(const git::Repository& git_repo, const std::vector<std::string>& tags,
                                                std::string_view git_remote) {
  auto theirs = git::remote_tags(git_repo, git_remote);
  if (!theirs) return std::unexpected(theirs.error());
  for (const auto& tag : tags) {
    auto remote = theirs->find(tag);
    if (remote == theirs->end()) continue;
    std::string mine = git::local_tag_id(git_repo, tag);
    if (!mine.empty() && remote->second.id != mine) return tag;
  }
  return std::nullopt;
}

Result<void> take_remote_tags(const git::Repository& git_repo, std::string_view model, std::string_view tag,
                              std::string_view git_remote) {
  auto theirs = git::remote_tags(git_repo, git_remote);
  if (!theirs) return std::unexpected(theirs.error());
  if (auto deleted = git::delete_tag(git_repo, tag); !deleted) return std::unexpected(deleted.error());
  std::vector<std::string> names;
  for (const auto& [name, remote] : *theirs) {
    if (name.size() <= model.size() || !name.starts_with(model)) continue;
    char after = name[model.size()];
    if (after != '@' && after != '#') continue;
    if (git::local_tag_id(git_repo, name).empty()) names.push_back(name);
  }
  return git::fetch_tags(git_repo, git_remote, names);
}

std::vector<std::string> tags_to_push(const State& state, const std::vector<std::string>& tags) {
  auto by_tag = events_by_tag(state);
  std::vector<std::string> out;
  std::set<std::string, std::less<>> seen;
  auto add = [&](const std::string& tag) {
    if (seen.insert(tag).second) out.push_back(tag);
  };
  for (const auto& tag : tags) {
    auto it = by_tag.find(tag);
    if (it != by_tag.end() && it->second.event->action == Action::assign) {
      const Version* version = version_named(it->second);
      if (version && version->registration) add(it->second.model->events[*version->registration].record->tag);
    }
    add(tag);
  }
  return out;
}

std::vector<ArtifactRef> artifacts_named(const State& state, const std::vector<std::string>& tags) {
  auto by_tag = events_by_tag(state);
  std::vector<ArtifactRef> out;
  std::set<Hash> seen;
  for (const auto& tag : tags) {
    auto it = by_tag.find(tag);
    if (it == by_tag.end()) continue;
    const Version* version = version_named(it->second);
    if (!version || !version->message.meta.artifact) continue;
    const auto& meta = version->message.meta;
    if (!seen.insert(*meta.artifact).second) continue;
    out.push_back({it->second.model->name, version->name, *meta.artifact,
                   meta.kind == "dir" ? data::Kind::dir : data::Kind::file});
  }
  return out;
}

Result<void> check_publishable(const Repo& repo, const State& state, std::string_view model, bool registering) {
  bool needs_remote = registering;
  if (const Model* m = state.find(model)) {
    needs_remote = needs_remote || std::any_of(m->versions.begin(), m->versions.end(),
                                               [](const Version& v) { return v.message.meta.artifact.has_value(); });
  }
  if (!needs_remote) return {};
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  if (!config->default_remote.empty()) return {};
  return std::unexpected(bad_input(
      fmt::format("--push needs a default data remote: the artifacts of '{}' must be fetchable by whoever "
                  "gets its tags, and there is none; nothing was written",
                  model),
      fmt::format("{}, or leave out --push and publish later with 'mlops model push {}'", kAddRemoteHint, model)));
}

Result<Publication> publish(const Repo& repo, const git::Repository& git_repo, const State& state,
                            const std::vector<std::string>& tags, std::string_view git_remote) {
  Publication publication;
  publication.tags = tags_to_push(state, tags);
  if (auto checked = check_not_diverged(git_repo, state, publication.tags, git_remote); !checked) {
    return std::unexpected(checked.error());
  }
  auto artifacts = artifacts_named(state, publication.tags);
  publication.artifacts = artifacts.size();
  if (!artifacts.empty()) {
    auto config = load_config(repo);
    if (!config) return std::unexpected(config.error());
    if (config->default_remote.empty()) {
      const auto& first = artifacts.front();
      return std::unexpected(bad_input(
          fmt::format("not pushing {}: the artifact of '{}' {} must reach a data remote first, and no default data "
                      "remote is set",
                      publication.tags.size() == 1 ? "'" + publication.tags.front() + "'"
                                                   : std::to_string(publication.tags.size()) + " tags",
                      first.model, first.version),
          fmt::format("{}, then run 'mlops model push {}'", kAddRemoteHint, first.model)));
    }
    auto remote = data::open_named_remote(repo, *config, config->default_remote);
    if (!remote) return std::unexpected(remote.error());
    publication.data_remote = config->default_remote;
    data::Cache cache(repo);
    std::vector<Hash> absent;
    for (const auto& artifact : artifacts) absent.push_back(artifact.hash);
    auto on_remote = (*remote)->contains(absent);
    if (!on_remote) return std::unexpected(on_remote.error());
    std::vector<data::TrackedData> items;
    for (std::size_t i = 0; i < artifacts.size(); ++i) {
      const auto& artifact = artifacts[i];
      data::TrackedData item;
      item.pointer.hash = artifact.hash;
      item.pointer.kind = artifact.kind;
      if (data::version_in_cache(cache, item.pointer)) {
        items.push_back(std::move(item));
      } else if (!(*on_remote)[i]) {
        return std::unexpected(bad_input(
            fmt::format("not pushing: the artifact of '{}' {} ({}) is neither in this clone's cache nor on data "
                        "remote '{}', so nobody could fetch it",
                        artifact.model, artifact.version, artifact.hash.str(), config->default_remote),
            fmt::format("run 'mlops model push {}' in the clone that registered it (it uploads the artifact first)",
                        artifact.model)));
      }
      // Else the remote has it already: a folder's files were pushed with its manifest.
    }
    auto pushed = data::push(cache, **remote, items);
    if (!pushed) return std::unexpected(pushed.error());
    publication.uploaded = pushed->objects;
    publication.bytes = pushed->bytes;
  }
  // The runs those versions were made by travel too (runs push), so that `repro` works from any
  // clone; a run this clone does not hold, or one still running, is not this clone's to push.
  if (auto runs = push_named_runs(repo, state, publication.tags); !runs) {
    return std::unexpected(runs.error());
  } else {
    publication.runs = *runs;
  }
  // Version tags (and deprecations) first, stage tags after: a stage tag never reaches the remote
  // when the tag of its version did not.
  auto by_tag = events_by_tag(state);
  std::vector<std::string> first, then;
  for (const auto& tag : publication.tags) {
    auto it = by_tag.find(tag);
    bool stage = it != by_tag.end() &&
                 (it->second.event->action == Action::assign || it->second.event->action == Action::unassign);
    (stage ? then : first).push_back(fmt::format("refs/tags/{0}:refs/tags/{0}", tag));
  }
  for (const auto* specs : {&first, &then}) {
    if (specs->empty()) continue;
    if (auto pushed = git::push_refs(git_repo, git_remote, *specs); !pushed) return std::unexpected(pushed.error());
  }
  return publication;
}

}  // namespace mlops::registry
