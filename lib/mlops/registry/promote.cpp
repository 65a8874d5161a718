#include "mlops/registry/promote.hpp"

#include <fmt/format.h>

#include "mlops/core/output.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::registry {

Error deprecated_error(const Model& model, std::string_view verb, std::string_view stage, std::string_view version) {
  return bad_input(fmt::format("'{}' is deprecated; giving '{}' to {} would bring it back", model.name, stage, version),
                   fmt::format("pass --force to {} anyway (the model is then no longer deprecated), or register "
                               "a new model name",
                               verb));
}

Result<void> check_took_effect(const Repo& repo, const git::Repository& git_repo, std::string_view model,
                               std::string_view stage, std::string_view version, std::string_view tag) {
  auto loaded = load(git_repo, model, &repo);
  if (!loaded) return std::unexpected(loaded.error());
  const Model* m = loaded->state.find(model);
  const Version* holder = m ? m->in_stage(stage) : nullptr;
  if (holder && holder->name == version) return {};
  // A tag of this stage that orders after ours: dated later than now.
  const TagRecord* later = nullptr;
  if (m) {
    for (const auto& event : m->events) {
      if (event.stage == stage && event.record->tag != tag) later = event.record;
    }
  }
  return std::unexpected(environment_error(
      fmt::format("tag '{}' was written, but it did not take effect: '{}' is still held by {}{}", tag, stage,
                  holder ? holder->name : "no version",
                  later ? fmt::format(", because tag '{}' is dated later ({}; a clock running ahead where it was "
                                      "written?)",
                                      later->tag, out::iso_utc(later->time))
                        : ""),
      "tags apply in the order of their dates; once the clocks agree, run the command again"));
}

Result<Promotion> promote(const Repo& repo, const git::Repository& git_repo, const PromoteRequest& request) {
  const std::string& model = request.version.model;
  Promotion promotion;
  auto written = write_tag(repo, git_repo, model, [&](const State& state) -> Result<NewTag> {
    auto version = resolve(state, request.version);
    if (!version) return std::unexpected(version.error());
    const Version& v = **version;
    const Model& m = *state.find(model);
    promotion.version = v.name;
    promotion.commit = v.commit;
    if (m.in_stage(request.stage) == &v) {
      // Nothing to write: stop here without a tag.
      promotion.outcome = Promotion::Outcome::already_there;
      return std::unexpected(Error{Exit::ok, "", ""});
    }
    if (m.deprecated) {
      if (!request.force) return std::unexpected(deprecated_error(m, "promote", request.stage, v.name));
      promotion.undeprecated = true;
    }
    if (auto checked = check_gates(m, v, request.requires_, request.champion); !checked) {
      return std::unexpected(checked.error());
    }
    promotion.report = evaluate_gates(m, v, request.requires_, request.champion);
    if (!promotion.report.passed) {
      promotion.outcome = Promotion::Outcome::gates_failed;
      return std::unexpected(Error{Exit::check_failed, "", ""});
    }
    Metadata meta;
    meta.gates = promotion.report.trailers();
    TagName tag{model, Action::assign, {}, request.stage, state.next_counter(model)};
    return NewTag{tag.str(), v.commit,
                  format_message(assign_subject(model, request.stage, v.name), request.message, meta)};
  });
  if (written) {
    promotion.tag = std::move(*written);
    if (auto took = check_took_effect(repo, git_repo, model, request.stage, promotion.version, promotion.tag.name);
        !took) {
      return std::unexpected(took.error());
    }
    return promotion;
  }
  if (promotion.outcome != Promotion::Outcome::promoted) return promotion;
  return std::unexpected(written.error());
}

}  // namespace mlops::registry
