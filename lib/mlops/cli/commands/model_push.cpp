// `mlops model push [NAME] [--remote R]`: upload the artifacts the registry's tags name to the
// default data remote, then push the tags with libgit2 (registry/publish.hpp).
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/publish.hpp"

namespace mlops::cli {

namespace {

struct ModelPushOptions {
  std::string name;
  std::string remote = "origin";
};

int run_model_push(const ModelPushOptions& options) {
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
    out::print_json({{"remote", options.remote},
                     {"tags", tags},
                     {"data_remote", published.data_remote.empty() ? nlohmann::ordered_json(nullptr)
                                                                   : nlohmann::ordered_json(published.data_remote)},
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
  command->add_option("--remote", options->remote, "Git remote (default: origin)")->option_text("REMOTE");
  add_json_flag(*command);
}

}  // namespace mlops::cli
