// `mlops model rollback NAME --stage STAGE [--to VERSION]`: give a stage back to the version that
// held it before (or to VERSION), by writing a new assignment tag.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::cli {

namespace {

struct ModelRollbackOptions {
  std::string name;
  std::string stage;
  std::string to;
  model::WriteOptions write;
};

// The version to give the stage back to: the latest earlier holder that is still registered.
Result<const registry::Version*> previous_holder(const registry::Model& m, const registry::Version& current,
                                                 std::string_view stage) {
  auto holders = m.stage_holders(stage);
  for (auto it = holders.rbegin(); it != holders.rend(); ++it) {
    if (*it == current.name) continue;
    const registry::Version* v = m.find(*it);
    if (v && v->active) return v;
  }
  return std::unexpected(
      bad_input(fmt::format("no earlier version of '{}' held '{}'", m.name, stage),
                fmt::format("name one: mlops model rollback {} --stage {} --to VERSION", m.name, stage)));
}

int run_model_rollback(const ModelRollbackOptions& options) {
  Repo repo = require_store();
  unwrap(registry::check_model_name(options.name));
  unwrap(registry::check_stage(options.stage, unwrap(load_config(repo)).stages));
  std::optional<registry::Reference> to;
  if (!options.to.empty()) to = unwrap(registry::parse_reference(options.name + "@" + options.to));
  auto git_repo = unwrap(git::Repository::open(repo.root));
  model::load(git_repo, options.name);

  std::string from_version, to_version;
  auto written = unwrap(
      registry::write_tag(repo, git_repo, options.name, [&](const registry::State& state) -> Result<registry::NewTag> {
        auto found = registry::find_model(state, options.name);
        if (!found) return std::unexpected(found.error());
        const registry::Model& m = **found;
        const registry::Version* current = m.in_stage(options.stage);
        const registry::Version* target = nullptr;
        if (to) {
          auto v = registry::resolve(state, *to);
          if (!v) return std::unexpected(v.error());
          target = *v;
        } else {
          if (!current) {
            return std::unexpected(bad_input(fmt::format("no version of '{}' is in '{}'", options.name, options.stage),
                                             "name the version: --to VERSION"));
          }
          auto v = previous_holder(m, *current, options.stage);
          if (!v) return std::unexpected(v.error());
          target = *v;
        }
        if (target == current) {
          return std::unexpected(
              bad_input(fmt::format("'{}' {} is already in '{}'", options.name, target->name, options.stage)));
        }
        from_version = current ? current->name : "";
        to_version = target->name;
        registry::Metadata meta;
        meta.reason = current ? fmt::format("rollback of {} from {}", options.stage, current->name)
                              : fmt::format("rollback of {}", options.stage);
        registry::TagName tag{
            options.name, registry::Action::assign, {}, options.stage, state.next_counter(options.name)};
        return registry::NewTag{
            tag.str(), target->commit,
            registry::format_message(registry::assign_subject(options.name, options.stage, target->name),
                                     options.write.message, meta)};
      }));
  bool pushed = model::publish(git_repo, {written.name}, options.write.push);
  if (out::settings().json) {
    out::print_json(
        {{"model", options.name},
         {"stage", options.stage},
         {"from", from_version.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(from_version)},
         {"to", to_version},
         {"tag", written.name},
         {"commit", written.commit},
         {"pushed", pushed}});
    return 0;
  }
  out::println("Rolled back {} {}: {} -> {} (tag '{}')", options.name, options.stage,
               from_version.empty() ? "-" : from_version, to_version, written.name);
  return 0;
}

}  // namespace

void add_model_rollback(CLI::App& group) {
  auto options = std::make_shared<ModelRollbackOptions>();
  auto* command = add_command(group, "rollback", "Give a stage back to the version that held it before (or to --to)",
                              [options] { return run_model_rollback(*options); });
  command->add_option("name", options->name, "Model name")->required();
  command->add_option("--stage", options->stage, "Stage to roll back")->required()->option_text("STAGE");
  command->add_option("--to", options->to, "Version to give the stage to (default: the previous holder)")
      ->option_text("VERSION");
  model::add_write_options(*command, options->write);
  add_json_flag(*command);
}

}  // namespace mlops::cli
