// `mlops model check-ref TAG`: what a registry tag means (model, event, version, stage, commit), for
// CD jobs triggered by a tag push (GTO's `check-ref`), so they never parse tag names in shell.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/metadata.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::cli {

namespace {

struct ModelCheckRefOptions {
  std::string tag;
};

int run_model_check_ref(const ModelCheckRefOptions& options) {
  Repo repo = require_git_repo();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  std::string_view tag = options.tag;
  if (tag.starts_with("refs/tags/")) tag.remove_prefix(10);
  auto name = registry::parse_tag_name(tag);
  auto loaded = model::load(git_repo, name ? std::string_view(name->model) : std::string_view());
  auto meaning = unwrap(registry::describe_tag(loaded, tag));
  const auto& record = *meaning.record;
  auto message = registry::parse_message(record.message);
  bool rollback = meaning.action == registry::Action::assign && message.meta.rollback();
  using json = nlohmann::ordered_json;
  auto or_null = [](const std::string& text) { return text.empty() ? json(nullptr) : json(text); };
  if (out::settings().json) {
    out::print_json({{"tag", meaning.tag},
                     {"model", meaning.model},
                     {"event", registry::to_string(meaning.action)},
                     {"version", or_null(meaning.version)},
                     {"stage", or_null(meaning.stage)},
                     {"stage_holder", or_null(meaning.stage_holder)},
                     {"rollback", rollback},
                     {"reason", or_null(message.meta.reason)},
                     {"commit", record.commit},
                     {"time", out::iso_utc(record.time)},
                     {"author", record.author}});
    return 0;
  }
  using registry::Action;
  switch (meaning.action) {
    case Action::register_version:
      out::println("{}: {} {} registered on {}", meaning.tag, meaning.model, meaning.version,
                   model::short_commit(record.commit));
      break;
    case Action::deregister_version:
      out::println("{}: {} {} deregistered", meaning.tag, meaning.model, meaning.version);
      break;
    case Action::assign:
    case Action::unassign:
      out::println("{}: {} {} {} '{}' (on {}); '{}' is now held by {}", meaning.tag, meaning.model, meaning.version,
                   rollback                           ? "got back"
                   : meaning.action == Action::assign ? "promoted to"
                                                      : "taken out of",
                   meaning.stage, model::short_commit(record.commit), meaning.stage,
                   meaning.stage_holder.empty() ? "no version" : meaning.stage_holder);
      break;
    case Action::deprecate:
    case Action::create:
      out::println("{}: {} deprecated", meaning.tag, meaning.model);
      break;
  }
  return 0;
}

}  // namespace

void add_model_check_ref(CLI::App& group) {
  auto options = std::make_shared<ModelCheckRefOptions>();
  auto* command = add_command(group, "check-ref", "Say what a registry tag means: model, event, version, stage, commit",
                              [options] { return run_model_check_ref(*options); });
  command->add_option("tag", options->tag, "A registry tag, with or without refs/tags/")->required()->type_name("TAG");
  add_json_flag(*command);
  command->footer(
      "For CD jobs triggered by a tag push (GTO's check-ref); exit 2 when the tag is not a registry tag.\n"
      "Example: mlops model check-ref \"$CI_COMMIT_TAG\" --json");
}

}  // namespace mlops::cli
