// `mlops model push [NAME] [--git-remote R]`: upload the artifacts the registry's tags name to the
// default data remote, then push the tags with libgit2 (registry/publish.hpp). `--remote` names a
// data remote everywhere else, so here it is only a deprecated alias of --git-remote.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/publish.hpp"

namespace mlops::cli {

namespace {

struct ModelPushOptions {
  std::string name;
  std::string remote = "origin";   // the git remote
  bool deprecated_remote = false;  // given as --remote
};

int run_model_push(const ModelPushOptions& options) {
  if (options.deprecated_remote) {
    out::warn(
        "'--remote' of 'mlops model push' names a git remote and is deprecated: --remote names a data remote "
        "in every other command");
    out::hint(fmt::format("use --git-remote {}", options.remote));
  }
  Repo repo = require_git_repo();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  if (!options.name.empty()) unwrap(registry::check_model_name(options.name));
  auto loaded = model::load(git_repo, options.name);
  std::vector<std::string> tags;
  if (!options.name.empty()) {
    tags = registry::model_tags(*unwrap(registry::find_model(loaded.state, options.name)));
  } else {
    for (const auto& [name, m] : loaded.state.models) {
      auto some = registry::model_tags(m);
      tags.insert(tags.end(), some.begin(), some.end());
    }
  }
  registry::Publication published;
  if (!tags.empty()) published = unwrap(registry::publish(repo, git_repo, loaded.state, tags, options.remote));
  if (out::settings().json) {
    auto text_or_null = [](const std::string& text) {
      return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
    };
    out::print_json({{"git_remote", options.remote},
                     {"remote", options.remote},  // the former name of git_remote, kept for scripts
                     {"tags", tags},
                     {"data_remote", text_or_null(published.data_remote)},
                     {"data_remote_url", text_or_null(model::data_remote_url(repo, published.data_remote))},
                     {"artifacts", published.artifacts},
                     {"uploaded", published.uploaded},
                     {"bytes", published.bytes}});
    return 0;
  }
  if (published.artifacts > 0) {
    out::println("Uploaded {} object{} ({}) to data remote '{}' for {} artifact{}", published.uploaded,
                 published.uploaded == 1 ? "" : "s", out::human_bytes(published.bytes), published.data_remote,
                 published.artifacts, published.artifacts == 1 ? "" : "s");
  }
  out::println("Pushed {} registry tag{} to '{}'", tags.size(), tags.size() == 1 ? "" : "s", options.remote);
  return 0;
}

}  // namespace

void add_model_push(CLI::App& group) {
  auto options = std::make_shared<ModelPushOptions>();
  auto* command =
      add_command(group, "push",
                  "Push registry tags (of one model, or all) to a git remote, their artifacts to the data remote first",
                  [options] { return run_model_push(*options); });
  command->add_option("name", options->name, "Model name (default: all models)");
  auto* git_remote =
      command->add_option("--git-remote", options->remote, "Git remote to push the tags to (default: origin)")
          ->option_text("NAME");
  command
      ->add_option_function<std::string>(
          "--remote",
          [options](const std::string& remote) {
            options->remote = remote;
            options->deprecated_remote = true;
          },
          "Deprecated: the git remote; use --git-remote")
      ->option_text("NAME")
      ->excludes(git_remote);
  add_json_flag(*command);
}

}  // namespace mlops::cli
