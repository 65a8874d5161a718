#include "mlops/registry/promote.hpp"

#include "mlops/registry/tag_name.hpp"

namespace mlops::registry {

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
    return promotion;
  }
  if (promotion.outcome != Promotion::Outcome::promoted) return promotion;
  return std::unexpected(written.error());
}

}  // namespace mlops::registry
