// `mlops remote remove NAME`: forgets a remote (from both config files); its data stays.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

int run_remote_remove(const std::string& name) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  require_remote(config, name);
  if (!unwrap(remove_remote_entry(repo, name))) {
    throw Failure(bad_input(
        fmt::format("remote '{}' is defined only by the environment ({})", name, remote_env_name(name, "url")),
        "unset the variable"));
  }
  out::note(fmt::format("removed remote '{}' (its data is left where it is)", name));
  return 0;
}

}  // namespace

void add_remote_remove(CLI::App& group) {
  auto name = std::make_shared<std::string>();
  auto* command = add_command(group, "remove", "Remove a remote from the config (its data is left where it is)",
                              [name] { return run_remote_remove(*name); });
  command->add_option("name", *name, "Remote name")->required();
  command->footer("Example: mlops remote remove shared");
}

}  // namespace mlops::cli
