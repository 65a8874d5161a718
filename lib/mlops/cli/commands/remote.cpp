// `mlops remote`: where `mlops data push/pull`, `model get` and `runs push/pull` send and fetch.
#include "mlops/cli/commands/remote.hpp"

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/data/remote_settings.hpp"

namespace mlops::cli {

void check_remote_name(const std::string& name) {
  bool ok = !name.empty();
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) ok = false;
  }
  if (!ok) {
    throw Failure(bad_input(fmt::format("invalid remote name '{}'", name), "use letters, digits, '-', '_' and '.'"));
  }
}

const RemoteConfig& require_remote(const Config& config, const std::string& name) {
  if (const auto* remote = config.find_remote(name)) return *remote;
  std::vector<std::string> names;
  for (const auto& r : config.remotes) names.push_back(r.name);
  auto best = closest(name, names);
  throw Failure(bad_input(fmt::format("unknown remote '{}'", name),
                          best.empty() ? "see 'mlops remote list'" : fmt::format("did you mean '{}'?", best)));
}

void refuse_committed_secret(const std::string& remote, const std::string& key, const std::string& value) {
  const auto* spec = data::find_remote_key(key);
  if (!(spec && spec->secret) && !data::looks_like_secret(value)) return;
  throw Failure(bad_input(
      fmt::format("refusing to write a secret ({} of remote '{}') into the committed .mlops/config.yaml", key, remote),
      fmt::format("keep it on this machine with --local (.mlops/config.local.yaml, git-ignored), or in "
                  "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials or {}",
                  remote_env_name(remote, key))));
}

void register_remote(CLI::App& app) {
  auto* group = add_group(app, "remote", "Manage data remotes (a local or mounted path, or S3-compatible storage)");
  add_remote_add(*group);
  add_remote_modify(*group);
  add_remote_list(*group);
  add_remote_remove(*group);
}

}  // namespace mlops::cli
