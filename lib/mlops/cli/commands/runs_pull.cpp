// `mlops runs pull [ID...] [--remote NAME]`: add the runs pushed to a data remote (and their
// artifacts) to this repository's runs (tracking/share.hpp).
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/tracking/share.hpp"

namespace mlops::cli {

namespace {

struct RunsPullOptions {
  std::vector<std::string> ids;
  std::string remote;
};

int run_runs_pull(const RunsPullOptions& options) {
  Repo repo = require_store();
  auto store = open_runs_store(repo);
  Config config = unwrap(load_config(repo));
  auto remote = open_chosen_remote(repo, config, options.remote);
  auto result = unwrap(tracking::pull_runs(repo, store, *remote, options.ids));
  if (out::settings().json) {
    auto list = [](const std::vector<std::string>& ids) {
      nlohmann::ordered_json l = nlohmann::ordered_json::array();
      for (const auto& id : ids) l.push_back(id);
      return l;
    };
    out::print_json({{"remote", remote->describe()},
                     {"pulled", list(result.pulled)},
                     {"already", list(result.already)},
                     {"artifact_objects", result.artifact_objects},
                     {"artifact_bytes", result.artifact_bytes}});
    return 0;
  }
  out::println("{} run{} pulled from {} ({} artifact object{}, {}), {} already here", result.pulled.size(),
               result.pulled.size() == 1 ? "" : "s", remote->describe(), result.artifact_objects,
               result.artifact_objects == 1 ? "" : "s", out::human_bytes(result.artifact_bytes), result.already.size());
  return 0;
}

}  // namespace

void add_runs_pull(CLI::App& group) {
  auto options = std::make_shared<RunsPullOptions>();
  auto* command =
      add_command(group, "pull", "Add the runs pushed to a data remote, with their artifacts (all when no id is given)",
                  [options] { return run_runs_pull(*options); });
  command->add_option("ids", options->ids, "The runs (ids or unambiguous prefixes, as the remote lists them)")
      ->option_text("ID...");
  command->add_option("-r,--remote", options->remote, "Remote to use (default: the default remote)")->type_name("NAME");
  add_json_flag(*command);
  command->footer("Example: mlops runs pull && mlops runs list --where \"tags.sweep = 'lr'\"");
}

}  // namespace mlops::cli
