#include "mlops/registry/deprecate.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <ctime>

#include "mlops/git/tags.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::registry {

Result<Deprecation> deprecate(const Repo& repo, const git::Repository& git_repo, const DeprecateRequest& request) {
  Deprecation result;
  const std::string& name = request.model;
  std::vector<std::string> held;  // the stages the version holds before the tag
  auto written = write_tag(repo, git_repo, name, [&](const State& state) -> Result<NewTag> {
    auto found = find_model(state, name);
    if (!found) return std::unexpected(found.error());
    const Model& m = **found;
    if (!request.version) {
      if (m.deprecated) return std::unexpected(bad_input(fmt::format("'{}' is deprecated already", name)));
      TagName tag{name, Action::deprecate, {}, {}, std::nullopt};
      // A plain "@deprecated" is ordered by time alone: when the model has a tag from this very
      // second (or an old "@deprecated"), a counter keeps the order unambiguous.
      bool same_second =
          !m.events.empty() && m.events.back().record->time >= static_cast<std::int64_t>(std::time(nullptr));
      if (same_second || git::tag_exists(git_repo, tag.str())) tag.counter = state.next_counter(name);
      result.action = Action::deprecate;
      return NewTag{tag.str(), m.events.back().record->commit,
                    format_message(deprecate_subject(name), request.message, {})};
    }
    auto version = resolve(state, *request.version);
    if (!version) return std::unexpected(version.error());
    const Version& v = **version;
    result.version = v.name;
    held.clear();
    for (const auto& stage : m.stages()) {
      if (m.in_stage(stage) == &v && (request.stage.empty() || stage == request.stage)) held.push_back(stage);
    }
    if (request.stage.empty()) {
      TagName tag{name, Action::deregister_version, v.name, {}, std::nullopt};
      if (git::tag_exists(git_repo, tag.str())) tag.counter = state.next_counter(name);
      result.action = Action::deregister_version;
      return NewTag{tag.str(), v.commit, format_message(deregister_subject(name, v.name), request.message, {})};
    }
    auto track = v.stages.find(request.stage);
    if (track == v.stages.end() || !track->second.active) {
      return std::unexpected(bad_input(fmt::format("'{}' {} is not in stage '{}'", name, v.name, request.stage),
                                       fmt::format("see 'mlops model show {}'", name)));
    }
    TagName tag{name, Action::unassign, {}, request.stage, state.next_counter(name)};
    result.action = Action::unassign;
    return NewTag{tag.str(), v.commit,
                  format_message(unassign_subject(name, request.stage, v.name), request.message, {})};
  });
  if (!written) return std::unexpected(written.error());
  result.tag = std::move(*written);
  if (!held.empty()) {
    auto after = load(git_repo, name, &repo);
    if (!after) return std::unexpected(after.error());
    const Model* m = after->state.find(name);
    for (const auto& stage : held) {
      const Version* holder = m ? m->in_stage(stage) : nullptr;
      result.handovers.push_back({stage, holder ? holder->name : std::string()});
    }
  }
  return result;
}

}  // namespace mlops::registry
