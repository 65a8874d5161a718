// `mlops model deprecate NAME [VERSION [STAGE]]`: deprecate a model, deregister a version, or
// unassign a stage from a version (GTO's `deprecate`), each by writing a tag.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/deprecate.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::cli {

namespace {

struct ModelDeprecateOptions {
  std::string name;
  std::string version;
  std::string stage;
  model::WriteOptions write;
};

int run_model_deprecate(const ModelDeprecateOptions& options) {
  Repo repo = require_store();
  unwrap(registry::check_model_name(options.name));
  std::optional<registry::Reference> ref;
  if (!options.version.empty()) ref = unwrap(registry::parse_reference(options.name + "@" + options.version));
  if (!options.stage.empty() && !registry::valid_name(options.stage)) {
    throw Failure(bad_input(fmt::format("invalid stage name '{}'", options.stage)));
  }
  auto git_repo = unwrap(git::Repository::open(repo.root));
  model::load(git_repo, options.name);
  model::check_git_remote(git_repo, options.write.push);  // a deprecation names no artifact

  auto done = unwrap(registry::deprecate(repo, git_repo, {options.name, ref, options.stage, options.write.message}));
  const auto& written = done.tag;
  std::string what = done.action == registry::Action::deprecate ? fmt::format("Deprecated {}", options.name)
                     : done.action == registry::Action::deregister_version
                         ? fmt::format("Deregistered {} {}", options.name, done.version)
                         : fmt::format("Unassigned {} from {} {}", options.stage, options.name, done.version);
  // As in GTO, a stage the version held falls to the version assigned to it before: say so, since a
  // deploy of NAME#STAGE now gets that one.
  for (const auto& handover : done.handovers) {
    if (handover.now.empty()) {
      out::warn(fmt::format("'{}' {} held '{}': no version is in '{}' now", options.name, done.version, handover.stage,
                            handover.stage));
    } else {
      out::warn(fmt::format("'{}' {} held '{}': '{}' is back to {}, the version assigned to it before", options.name,
                            done.version, handover.stage, handover.stage, handover.now));
    }
    out::hint(fmt::format("'mlops model promote {} VERSION --to {}' puts another version there", options.name,
                          handover.stage));
  }
  auto pushed = model::publish(repo, git_repo, options.name, {written.name}, options.write.push);
  if (out::settings().json) {
    nlohmann::ordered_json stages = nlohmann::ordered_json::array();
    for (const auto& handover : done.handovers) {
      stages.push_back(
          {{"stage", handover.stage},
           {"now", handover.now.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(handover.now)}});
    }
    nlohmann::ordered_json doc = {{"model", options.name},
                                  {"tag", written.name},
                                  {"commit", written.commit},
                                  {"pushed", pushed.pushed},
                                  {"stages_handed_over", stages}};
    pushed.add_json(doc);
    out::print_json(doc);
    pushed.report();
    return 0;
  }
  out::println("{} (tag '{}')", what, written.name);
  pushed.report();
  return 0;
}

}  // namespace

void add_model_deprecate(CLI::App& group) {
  auto options = std::make_shared<ModelDeprecateOptions>();
  auto* command =
      add_command(group, "deprecate", "Deprecate a model, deregister VERSION, or unassign STAGE from VERSION",
                  [options] { return run_model_deprecate(*options); });
  command->add_option("name", options->name, "Model name")->required();
  command->add_option("version", options->version, "Version to deregister (vX.Y.Z)");
  command->add_option("stage", options->stage, "Stage to unassign from VERSION");
  model::add_write_options(*command, options->write);
  add_json_flag(*command);
}

}  // namespace mlops::cli
