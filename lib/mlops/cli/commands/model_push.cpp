// `mlops model push [NAME] [--remote R]`: push the registry's tags with libgit2.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/git/push.hpp"

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
  if (!tags.empty()) {
    std::vector<std::string> specs;
    for (const auto& t : tags) specs.push_back(fmt::format("refs/tags/{0}:refs/tags/{0}", t));
    unwrap(git::push_refs(git_repo, options.remote, specs));
  }
  if (out::settings().json) {
    out::print_json({{"remote", options.remote}, {"tags", tags}});
    return 0;
  }
  out::println("Pushed {} registry tag{} to '{}'", tags.size(), tags.size() == 1 ? "" : "s", options.remote);
  return 0;
}

}  // namespace

void add_model_push(CLI::App& group) {
  auto options = std::make_shared<ModelPushOptions>();
  auto* command = add_command(group, "push", "Push registry tags (of one model, or all) to a git remote",
                              [options] { return run_model_push(*options); });
  command->add_option("name", options->name, "Model name (default: all models)");
  command->add_option("--remote", options->remote, "Git remote (default: origin)")->option_text("REMOTE");
  add_json_flag(*command);
}

}  // namespace mlops::cli
