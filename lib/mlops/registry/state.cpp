#include "mlops/registry/state.hpp"

#include <algorithm>
#include <tuple>

#include "mlops/registry/semver.hpp"

namespace mlops::registry {

namespace {

// GTO's event priorities (gto/base.py), used only to order events within one second.
int priority(Action action) {
  switch (action) {
    case Action::create:
      return 1;
    case Action::deprecate:
      return 2;
    case Action::register_version:
      return 3;
    case Action::deregister_version:
      return 4;
    case Action::assign:
      return 5;
    case Action::unassign:
      return 6;
  }
  return 0;
}

auto order_key(const TagRecord& r) {
  return std::make_tuple(r.time, r.name.counter.value_or(0), priority(r.name.action), std::string_view(r.tag));
}

}  // namespace

const Version* Model::find(std::string_view version) const {
  for (const auto& v : versions) {
    if (v.name == version) return &v;
  }
  return nullptr;
}

const Version* Model::latest() const {
  const Version* best = nullptr;
  std::optional<SemVer> best_semver;
  for (const auto& v : versions) {
    if (!v.active || !v.registered) continue;
    auto semver = SemVer::parse(v.name);
    if (!semver) continue;
    if (!best || compare(*best_semver, *semver) < 0) {
      best = &v;
      best_semver = std::move(semver);
    }
  }
  return best;
}

const Version* Model::in_stage(std::string_view stage) const {
  const Version* holder = nullptr;
  std::size_t newest = 0;
  for (const auto& v : versions) {
    if (!v.active) continue;
    auto it = v.stages.find(stage);
    if (it == v.stages.end() || !it->second.active) continue;
    if (!holder || it->second.last_assignment > newest) {
      holder = &v;
      newest = it->second.last_assignment;
    }
  }
  return holder;
}

std::vector<std::string> Model::stages() const {
  std::vector<std::string> names;
  for (const auto& v : versions) {
    for (const auto& [stage, track] : v.stages) {
      if (std::find(names.begin(), names.end(), stage) == names.end() && in_stage(stage)) names.push_back(stage);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Model::stage_holders(std::string_view stage) const {
  Model replay;
  replay.name = name;
  std::vector<std::string> holders;
  for (const auto& event : events) {
    replay.apply(event);
    const Version* holder = replay.in_stage(stage);
    std::string now = holder ? holder->name : std::string();
    if (!now.empty() && (holders.empty() || holders.back() != now)) holders.push_back(now);
  }
  return holders;
}

void Model::apply(Event event) {
  const TagRecord& record = *event.record;
  std::size_t index = events.size();
  auto version_named = [&](const std::string& name) -> Version& {
    for (auto& v : versions) {
      if (v.name == name) return v;
    }
    Version& v = versions.emplace_back();
    v.name = name;
    v.commit = record.commit;
    return v;
  };
  switch (event.action) {
    case Action::create:
      return;  // GTO reserves the tag but gives it no meaning
    case Action::deprecate:
      break;
    case Action::register_version:
    case Action::deregister_version: {
      Version& v = version_named(event.version);
      if (event.action == Action::register_version) {
        v.registered = true;
        v.commit = record.commit;
        v.registration = index;
      }
      v.active = event.action == Action::register_version;
      break;
    }
    case Action::assign:
    case Action::unassign: {
      if (event.version.empty()) {
        // The version registered at the tag's commit; the newest one when there are several.
        for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
          if (it->registered && it->commit == record.commit) {
            event.version = it->name;
            break;
          }
        }
        if (event.version.empty()) event.version = record.commit;
      }
      Version& v = version_named(event.version);
      if (!v.registered) v.active = true;  // GTO: an unregistered version lives through its stages
      StageTrack& track = v.stages[event.stage];
      track.active = event.action == Action::assign;
      if (track.active) track.last_assignment = index;
      break;
    }
  }
  // The model is deprecated exactly when its latest event is a deprecation.
  deprecated = event.action == Action::deprecate;
  events.push_back(std::move(event));
}

const Model* State::find(std::string_view model) const {
  auto it = models.find(model);
  return it == models.end() ? nullptr : &it->second;
}

State fold(std::vector<TagRecord> records, const std::map<std::string, long long, std::less<>>& counters) {
  State state;
  std::stable_sort(records.begin(), records.end(),
                   [](const TagRecord& a, const TagRecord& b) { return order_key(a) < order_key(b); });
  state.records = std::move(records);
  state.counters = counters;
  for (const auto& record : state.records) {
    if (record.name.counter) {
      long long& highest = state.counters[record.name.model];
      highest = std::max(highest, *record.name.counter);
    }
    if (record.name.action == Action::create) continue;
    Model& m = state.models[record.name.model];
    m.name = record.name.model;
    m.apply(Event{record.name.action, record.name.version, record.name.stage, &record});
  }
  // Lineage is read once, from each version's newest registration.
  for (auto& [name, model] : state.models) {
    for (auto& v : model.versions) {
      if (v.registration) v.message = parse_message(model.events[*v.registration].record->message);
    }
  }
  return state;
}

long long State::next_counter(std::string_view model) const {
  auto it = counters.find(model);
  return (it == counters.end() ? 0 : it->second) + 1;
}

}  // namespace mlops::registry
