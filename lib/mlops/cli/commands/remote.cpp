// `mlops remote add|list|remove`: where `mlops data push/pull` send and fetch data.
#include "mlops/data/remote.hpp"

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

struct RemoteAddOptions {
  std::string name;
  std::string url;
  bool make_default = false;
  bool create = false;
};

bool valid_remote_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

int run_remote_add(const RemoteAddOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  if (!valid_remote_name(options.name)) {
    throw Failure(
        bad_input(fmt::format("invalid remote name '{}'", options.name), "use letters, digits, '-', '_' and '.'"));
  }
  if (config.find_remote(options.name)) {
    throw Failure(bad_input(fmt::format("remote '{}' already exists", options.name),
                            fmt::format("remove it first with 'mlops remote remove {}'", options.name)));
  }
  unwrap(data::prepare_remote_location(repo, options.url,
                                       options.create ? data::CreateRemote::yes : data::CreateRemote::no));
  config.remotes.push_back(RemoteConfig{options.name, options.url});
  if (options.make_default || config.remotes.size() == 1) config.default_remote = options.name;
  unwrap(save_config(repo, config));
  out::note(fmt::format("added remote '{}' ({}){}", options.name, options.url,
                        config.default_remote == options.name ? " as the default" : ""));
  out::hint("commit the setting: git add .mlops/config.yaml");
  return 0;
}

int run_remote_list() {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : config.remotes)
      list.push_back({{"name", r.name}, {"url", r.url}, {"default", r.name == config.default_remote}});
    out::print_json({{"remotes", list}});
    return 0;
  }
  for (const auto& r : config.remotes) {
    out::println("{}\t{}{}", r.name, r.url, r.name == config.default_remote ? "\t(default)" : "");
  }
  return 0;
}

int run_remote_remove(const std::string& name) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  auto it = std::find_if(config.remotes.begin(), config.remotes.end(), [&](const auto& r) { return r.name == name; });
  if (it == config.remotes.end())
    throw Failure(bad_input(fmt::format("unknown remote '{}'", name), "see 'mlops remote list'"));
  config.remotes.erase(it);
  if (config.default_remote == name) config.default_remote.clear();
  unwrap(save_config(repo, config));
  out::note(fmt::format("removed remote '{}' (its data is left where it is)", name));
  return 0;
}

}  // namespace

void register_remote(CLI::App& app) {
  auto* group = add_group(app, "remote", "Manage data remotes (a local or mounted path)");

  auto add = std::make_shared<RemoteAddOptions>();
  auto* add_cmd = add_command(*group, "add", "Add a remote", [add] { return run_remote_add(*add); });
  add_cmd->add_option("name", add->name, "Remote name")->required();
  add_cmd->add_option("url", add->url, "A path (absolute, relative to the repository, or file://...)")->required();
  add_cmd->add_flag("-d,--default", add->make_default, "Make it the default remote (the first remote always is)");
  add_cmd->add_flag("--create", add->create, "Create the remote's folder (a path remote must exist otherwise)");

  auto* list_cmd = add_command(*group, "list", "List remotes", [] { return run_remote_list(); });
  add_json_flag(*list_cmd);

  auto name = std::make_shared<std::string>();
  auto* remove_cmd =
      add_command(*group, "remove", "Remove a remote from the config", [name] { return run_remote_remove(*name); });
  remove_cmd->add_option("name", *name, "Remote name")->required();
}

}  // namespace mlops::cli
