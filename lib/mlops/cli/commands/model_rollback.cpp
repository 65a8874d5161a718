// `mlops model rollback NAME --stage STAGE [--to VERSION]`: give a stage back to the version that
// held it before (or to VERSION), by writing a new assignment tag.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/rollback.hpp"
#include "mlops/registry/settings.hpp"

namespace mlops::cli {

namespace {

struct ModelRollbackOptions {
  std::string name;
  std::string stage;
  std::string to;
  bool force = false;
  model::WriteOptions write;
};

int run_model_rollback(const ModelRollbackOptions& options) {
  Repo repo = require_store();
  unwrap(registry::check_model_name(options.name));
  unwrap(registry::check_stage(options.stage, unwrap(registry::load_stages(repo))));
  std::optional<registry::Reference> to;
  if (!options.to.empty()) to = unwrap(registry::parse_reference(options.name + "@" + options.to));
  auto git_repo = unwrap(git::Repository::open(repo.root));
  model::load(git_repo, options.name);
  model::check_publishable(repo, git_repo, options.name, options.write.push);

  registry::RollbackRequest request{options.name, options.stage, to, options.write.message, options.force};
  auto rolled = unwrap(registry::rollback(repo, git_repo, request));
  if (rolled.undeprecated) {
    out::warn(fmt::format("'{}' was deprecated; this rollback brings it back", options.name));
  }
  // A stage counter taken on the remote meanwhile is recomputed against the remote's tags.
  std::string tag = rolled.tag.name;
  auto pushed = model::publish_created(
      repo, git_repo, options.name, tag, options.write.push, /*retry=*/true,
      [&] {
        rolled = unwrap(registry::rollback(repo, git_repo, request));
        return rolled.tag.name;
      },
      "wrote");
  if (out::settings().json) {
    nlohmann::ordered_json doc = {
        {"model", options.name},
        {"stage", options.stage},
        {"from", rolled.from.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(rolled.from)},
        {"to", rolled.to},
        {"tag", rolled.tag.name},
        {"commit", rolled.tag.commit},
        {"pushed", pushed.pushed}};
    pushed.add_json(doc);
    out::print_json(doc);
    pushed.report();
    return 0;
  }
  out::println("Rolled back {} {}: {} -> {} (tag '{}')", options.name, options.stage,
               rolled.from.empty() ? "-" : rolled.from, rolled.to, rolled.tag.name);
  pushed.report();
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
  command->add_flag("--force", options->force, "Roll back a deprecated model (it is then no longer deprecated)");
  model::add_write_options(*command, options->write);
  add_json_flag(*command);
}

}  // namespace mlops::cli
