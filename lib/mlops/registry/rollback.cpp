#include "mlops/registry/rollback.hpp"

#include <fmt/format.h>

#include "mlops/registry/promote.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::registry {

namespace {

// The version to give the stage back to: the latest earlier holder that is still registered.
Result<const Version*> previous_holder(const Model& m, const Version& current, std::string_view stage) {
  auto holders = m.stage_holders(stage);
  for (auto it = holders.rbegin(); it != holders.rend(); ++it) {
    if (*it == current.name) continue;
    const Version* v = m.find(*it);
    if (v && v->active) return v;
  }
  return std::unexpected(
      bad_input(fmt::format("no earlier version of '{}' held '{}'", m.name, stage),
                fmt::format("name one: mlops model rollback {} --stage {} --to VERSION", m.name, stage)));
}

}  // namespace

Result<Rollback> rollback(const Repo& repo, const git::Repository& git_repo, const RollbackRequest& request) {
  Rollback result;
  auto written = write_tag(repo, git_repo, request.model, [&](const State& state) -> Result<NewTag> {
    auto found = find_model(state, request.model);
    if (!found) return std::unexpected(found.error());
    const Model& m = **found;
    const Version* current = m.in_stage(request.stage);
    const Version* target = nullptr;
    if (request.to) {
      auto v = resolve(state, *request.to);
      if (!v) return std::unexpected(v.error());
      target = *v;
    } else {
      if (!current) {
        return std::unexpected(bad_input(fmt::format("no version of '{}' is in '{}'", request.model, request.stage),
                                         "name the version: --to VERSION"));
      }
      auto v = previous_holder(m, *current, request.stage);
      if (!v) return std::unexpected(v.error());
      target = *v;
    }
    if (m.deprecated) {
      if (!request.force) return std::unexpected(deprecated_error(m, "roll back", request.stage, target->name));
      result.undeprecated = true;
    }
    if (target == current) {
      return std::unexpected(
          bad_input(fmt::format("'{}' {} is already in '{}'", request.model, target->name, request.stage)));
    }
    result.from = current ? current->name : "";
    result.to = target->name;
    Metadata meta;
    meta.reason = current ? fmt::format("rollback of {} from {}", request.stage, current->name)
                          : fmt::format("rollback of {}", request.stage);
    TagName tag{request.model, Action::assign, {}, request.stage, state.next_counter(request.model)};
    return NewTag{tag.str(), target->commit,
                  format_message(assign_subject(request.model, request.stage, target->name), request.message, meta)};
  });
  if (!written) return std::unexpected(written.error());
  result.tag = std::move(*written);
  if (auto took = check_took_effect(repo, git_repo, request.model, request.stage, result.to, result.tag.name); !took) {
    return std::unexpected(took.error());
  }
  return result;
}

}  // namespace mlops::registry
