#include "mlops/registry/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <unordered_set>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/git/tags.hpp"
#include "mlops/registry/semver.hpp"
#include "mlops/registry/tag_cache.hpp"

namespace mlops::registry {

namespace {

TagRecord to_record(git::AnnotatedTag tag) {
  TagRecord record;
  record.name = *parse_tag_name(tag.name);
  record.tag = std::move(tag.name);
  record.commit = std::move(tag.commit);
  record.time = tag.time;
  record.offset = tag.offset;
  record.author = std::move(tag.tagger_name);
  record.author_email = std::move(tag.tagger_email);
  record.message = std::move(tag.message);
  return record;
}

}  // namespace

Result<Loaded> load(const git::Repository& repo, std::string_view model, const Repo* store) {
  // Every model's name, also when one model is loaded: "did you mean" for a mistyped one.
  std::set<std::string, std::less<>> names;
  auto select = [&](std::string_view tag) {
    auto parsed = parse_tag_name(tag);
    if (!parsed) return false;
    bool wanted = model.empty() || parsed->model == model;
    // A lookup, not an insert, for the many tags of a model already seen: no allocation per tag.
    if (!names.contains(parsed->model)) names.insert(std::move(parsed->model));
    return wanted;
  };
  auto refs = git::list_tag_refs(repo, select);
  if (!refs) return std::unexpected(refs.error());

  // Tags whose objects are cached need no object read; the rest are read from git.
  TagCache cache;
  if (store) cache = read_tag_cache(store->store() / "registry-tags.cache");
  std::vector<git::TagRef> misses;
  Loaded loaded;
  std::vector<TagRecord> records;
  records.reserve(refs->size());
  bool all_hits = std::all_of(refs->begin(), refs->end(), [&](const auto& ref) { return cache.contains(ref.target); });
  for (auto& ref : *refs) {
    auto hit = cache.find(ref.target);
    if (hit == cache.end()) {
      misses.push_back(std::move(ref));
    } else if (hit->second.lightweight) {
      loaded.lightweight.push_back(std::move(ref.name));
    } else {
      // The cache is rewritten only when something was missing; otherwise its entries can move.
      // (A second ref to the same tag object then finds no entry and reads it from git.)
      git::AnnotatedTag tag = all_hits ? std::move(hit->second.tag) : hit->second.tag;
      if (all_hits) cache.erase(hit);
      tag.name = std::move(ref.name);
      records.push_back(to_record(std::move(tag)));
    }
  }
  auto scan = git::read_tags(repo, misses);
  if (!scan) return std::unexpected(scan.error());
  if (store && model.empty() && !all_hits && (!scan->annotated.empty() || !scan->lightweight.empty())) {
    for (const auto& tag : scan->annotated) cache[tag.id] = CachedTag{false, tag};
    std::unordered_set<std::string_view> lightweight(scan->lightweight.begin(), scan->lightweight.end());
    for (const auto& ref : misses) {
      if (lightweight.contains(ref.name)) cache[ref.target] = CachedTag{true, {}};
    }
    // Entries of deleted tags stay until the file is rewritten from scratch; they cost only space.
    // The cache only saves time: a read never fails for want of it (a fresh clone has no
    // .mlops/tmp yet, a read-only checkout cannot write at all).
    std::error_code ignored;
    std::filesystem::create_directories(store->tmp(), ignored);
    (void)write_tag_cache(store->store() / "registry-tags.cache", store->tmp(), cache);
  }
  for (auto& tag : scan->annotated) records.push_back(to_record(std::move(tag)));
  loaded.lightweight.insert(loaded.lightweight.end(), scan->lightweight.begin(), scan->lightweight.end());
  loaded.unreadable = std::move(scan->unreadable);

  // Counters of lightweight tags still count: a new tag must not take their names.
  std::map<std::string, long long, std::less<>> counters;
  for (const auto& name : loaded.lightweight) {
    auto parsed = parse_tag_name(name);
    if (parsed && parsed->counter) {
      long long& c = counters[parsed->model];
      c = std::max(c, *parsed->counter);
    }
  }
  loaded.state = fold(std::move(records), counters);
  loaded.state.names = std::move(names);
  return loaded;
}

std::string Reference::str() const {
  if (!stage.empty()) return model + "#" + stage;
  if (latest) return model + "@latest";
  if (!version.empty()) return model + "@" + version;
  return model;
}

Result<Reference> parse_reference(std::string_view text) {
  Reference ref;
  auto sign = text.find_first_of("@#");
  ref.model = std::string(text.substr(0, sign));
  if (auto checked = check_model_name(ref.model); !checked) return std::unexpected(checked.error());
  if (sign == std::string_view::npos) {
    ref.latest = true;
    return ref;
  }
  auto rest = text.substr(sign + 1);
  if (text[sign] == '#') {
    if (!valid_name(rest)) {
      return std::unexpected(
          bad_input(fmt::format("'{}' is not a valid stage name", rest), "write NAME#STAGE, e.g. churn#production"));
    }
    ref.stage = std::string(rest);
    return ref;
  }
  if (rest == "latest" || rest == "greatest") {
    ref.latest = true;
    return ref;
  }
  if (!SemVer::parse(rest)) {
    return std::unexpected(bad_input(fmt::format("'{}' is not a version", rest),
                                     "versions are 'v' and a SemVer, e.g. NAME@v1.2.0, or NAME@latest"));
  }
  ref.version = std::string(rest);
  return ref;
}

Result<const Model*> find_model(const State& state, std::string_view name) {
  if (const Model* model = state.find(name)) return model;
  std::vector<std::string> names(state.names.begin(), state.names.end());
  for (const auto& [model, _] : state.models) names.push_back(model);
  std::string near = closest(name, names);
  return std::unexpected(bad_input(
      fmt::format("unknown model '{}'", name),
      near.empty() ? "see the registered models with 'mlops model list'" : fmt::format("did you mean '{}'?", near)));
}

Result<const Version*> resolve(const State& state, const Reference& ref) {
  auto model = find_model(state, ref.model);
  if (!model) return std::unexpected(model.error());
  const Model& m = **model;
  if (!ref.stage.empty()) {
    if (const Version* v = m.in_stage(ref.stage)) return v;
    auto stages = m.stages();
    std::string list;
    for (const auto& s : stages) list += (list.empty() ? "" : ", ") + s;
    return std::unexpected(bad_input(
        fmt::format("no version of '{}' is in stage '{}'", ref.model, ref.stage),
        list.empty() ? fmt::format("promote one: mlops model promote {} VERSION --to {}", ref.model, ref.stage)
                     : fmt::format("stages with a version: {}", list)));
  }
  if (!ref.version.empty()) {
    const Version* v = m.find(ref.version);
    if (v && v->registered) {
      if (!v->active) {
        return std::unexpected(bad_input(
            fmt::format("version '{}' of '{}' was deregistered", ref.version, ref.model),
            fmt::format("see the registered versions with 'mlops model show {0}' and when it was deregistered "
                        "with 'mlops model history {0}'",
                        ref.model)));
      }
      return v;
    }
    return std::unexpected(bad_input(fmt::format("unknown version '{}' of '{}'", ref.version, ref.model),
                                     fmt::format("see the versions with 'mlops model show {}'", ref.model)));
  }
  if (const Version* v = m.latest()) return v;
  return std::unexpected(bad_input(fmt::format("'{}' has no active version", ref.model),
                                   fmt::format("see its history with 'mlops model history {}'", ref.model)));
}

Result<void> check_stage(std::string_view stage, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), stage) != allowed.end()) return {};
  std::string list;
  for (const auto& s : allowed) list += (list.empty() ? "" : ", ") + s;
  std::string near = closest(stage, allowed);
  return std::unexpected(bad_input(fmt::format("unknown stage '{}'", stage),
                                   fmt::format("{}stages in .mlops/config.yaml (registry.stages): {}",
                                               near.empty() ? "" : fmt::format("did you mean '{}'? ", near), list)));
}

Result<void> check_model_name(std::string_view name) {
  if (valid_model_name(name)) return {};
  return std::unexpected(
      bad_input(fmt::format("invalid model name '{}'", name),
                "use letters, digits, '-', '_' and '/', starting and ending with a letter or digit"));
}

Result<NewTag> write_tag(const Repo& repo, const git::Repository& git_repo, std::string_view model,
                         const std::function<Result<NewTag>(const State&)>& plan) {
  auto who = git::tagger_identity(git_repo);
  if (!who) return std::unexpected(who.error());
  auto lock = FileLock::acquire(repo.store() / "registry.lock");
  if (!lock) return std::unexpected(lock.error());
  auto loaded = load(git_repo, model, &repo);
  if (!loaded) return std::unexpected(loaded.error());
  auto tag = plan(loaded->state);
  if (!tag) return std::unexpected(tag.error());
  if (auto created = git::create_annotated_tag(git_repo, tag->name, tag->commit, tag->message, *who); !created) {
    return std::unexpected(created.error());
  }
  return tag;
}

std::string register_subject(std::string_view model, std::string_view version) {
  return fmt::format("Registering artifact {} version {}", model, version);
}
std::string deregister_subject(std::string_view model, std::string_view version) {
  return fmt::format("Deregistering artifact {} version {}", model, version);
}
std::string assign_subject(std::string_view model, std::string_view stage, std::string_view version) {
  return fmt::format("Assigning stage {} to artifact {} version {}", stage, model, version);
}
std::string unassign_subject(std::string_view model, std::string_view stage, std::string_view version) {
  return fmt::format("Unassigning stage '{}' to artifact '{}' version '{}'", stage, model, version);
}
std::string deprecate_subject(std::string_view model) { return fmt::format("Deprecating artifact '{}'", model); }

Result<TagMeaning> describe_tag(const Loaded& loaded, std::string_view tag) {
  if (tag.starts_with("refs/tags/")) tag.remove_prefix(10);
  auto name = parse_tag_name(tag);
  if (!name) {
    return std::unexpected(bad_input(
        fmt::format("'{}' is not a registry tag", tag),
        "registry tags are NAME@vX.Y.Z, NAME@vX.Y.Z!, NAME#STAGE#N, NAME#STAGE!#N and NAME@deprecated (GTO's format)"));
  }
  if (const Model* model = loaded.state.find(name->model)) {
    for (const auto& event : model->events) {
      if (event.record->tag != tag) continue;
      TagMeaning meaning;
      meaning.tag = std::string(tag);
      meaning.model = model->name;
      meaning.action = event.action;
      meaning.version = event.version;
      meaning.stage = event.stage;
      meaning.record = event.record;
      if (event.action == Action::assign || event.action == Action::unassign) {
        const Version* holder = model->in_stage(event.stage);
        meaning.stage_holder = holder ? holder->name : "";
      }
      return meaning;
    }
  }
  if (std::find(loaded.lightweight.begin(), loaded.lightweight.end(), tag) != loaded.lightweight.end()) {
    return std::unexpected(bad_input(fmt::format("tag '{}' is not annotated, so it is not part of the registry", tag),
                                     "registry tags are annotated tags (git tag -a), as mlops and GTO write them"));
  }
  return std::unexpected(bad_input(fmt::format("no tag '{}' in this repository", tag),
                                   "fetch the registry's tags first: git fetch --tags"));
}

std::vector<std::string> model_tags(const Model& model) {
  std::vector<std::string> tags;
  for (const auto& e : model.events) tags.push_back(e.record->tag);
  return tags;
}

}  // namespace mlops::registry
