// `mlops model deprecate NAME [VERSION [STAGE]]`: deprecate a model, deregister a version, or
// unassign a stage from a version (GTO's `deprecate`), each by writing a tag.
#include <ctime>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/git/tags.hpp"
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

  std::string what;
  auto written = unwrap(
      registry::write_tag(repo, git_repo, options.name, [&](const registry::State& state) -> Result<registry::NewTag> {
        auto found = registry::find_model(state, options.name);
        if (!found) return std::unexpected(found.error());
        const registry::Model& m = **found;
        std::string message = options.write.message;
        if (!ref) {
          if (m.deprecated) return std::unexpected(bad_input(fmt::format("'{}' is deprecated already", options.name)));
          registry::TagName tag{options.name, registry::Action::deprecate, {}, {}, std::nullopt};
          // A plain "@deprecated" is ordered by time alone: when the model has a tag from this very
          // second (or an old "@deprecated"), a counter keeps the order unambiguous.
          bool same_second =
              !m.events.empty() && m.events.back().record->time >= static_cast<std::int64_t>(std::time(nullptr));
          if (same_second || git::tag_exists(git_repo, tag.str())) tag.counter = state.next_counter(options.name);
          what = fmt::format("Deprecated {}", options.name);
          return registry::NewTag{tag.str(), m.events.back().record->commit,
                                  registry::format_message(registry::deprecate_subject(options.name), message, {})};
        }
        auto version = registry::resolve(state, *ref);
        if (!version) return std::unexpected(version.error());
        const registry::Version& v = **version;
        if (options.stage.empty()) {
          registry::TagName tag{options.name, registry::Action::deregister_version, v.name, {}, std::nullopt};
          if (git::tag_exists(git_repo, tag.str())) tag.counter = state.next_counter(options.name);
          what = fmt::format("Deregistered {} {}", options.name, v.name);
          return registry::NewTag{
              tag.str(), v.commit,
              registry::format_message(registry::deregister_subject(options.name, v.name), message, {})};
        }
        auto track = v.stages.find(options.stage);
        if (track == v.stages.end() || !track->second.active) {
          return std::unexpected(
              bad_input(fmt::format("'{}' {} is not in stage '{}'", options.name, v.name, options.stage),
                        fmt::format("see 'mlops model show {}'", options.name)));
        }
        registry::TagName tag{
            options.name, registry::Action::unassign, {}, options.stage, state.next_counter(options.name)};
        what = fmt::format("Unassigned {} from {} {}", options.stage, options.name, v.name);
        return registry::NewTag{
            tag.str(), v.commit,
            registry::format_message(registry::unassign_subject(options.name, options.stage, v.name), message, {})};
      }));
  bool pushed = model::publish(git_repo, {written.name}, options.write.push);
  if (out::settings().json) {
    out::print_json({{"model", options.name}, {"tag", written.name}, {"commit", written.commit}, {"pushed", pushed}});
    return 0;
  }
  out::println("{} (tag '{}')", what, written.name);
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
