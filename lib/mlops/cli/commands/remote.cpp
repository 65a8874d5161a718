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

void check_remote_choice(const Config& config, const std::string& name) {
  if (!name.empty()) {
    require_remote(config, name);
    return;
  }
  if (config.default_remote.empty() || config.find_remote(config.default_remote)) return;
  std::vector<std::string> names;
  for (const auto& r : config.remotes) names.push_back(r.name);
  auto best = closest(config.default_remote, names);
  throw Failure(bad_input(
      fmt::format("unknown remote '{}' (the default remote, from {})", config.default_remote, config.default_source),
      best.empty() ? "see 'mlops remote list'" : fmt::format("did you mean '{}'?", best)));
}

std::unique_ptr<data::Remote> open_chosen_remote(const Repo& repo, const Config& config, const std::string& name,
                                                 data::Verify verify, const data::RemoteOverrides& overrides) {
  check_remote_choice(config, name);
  return unwrap(data::open_named_remote(repo, config, name, verify, overrides));
}

void add_jobs_option(CLI::App& command, JobsOption& jobs) {
  command
      .add_option_function<int>(
          "-j,--jobs",
          [&jobs](const int& n) {
            jobs.value = n;
            jobs.given = true;
          },
          "Transfers in flight at once, 1 to 512 (default: the remote's jobs setting, else 32 for S3; a path "
          "remote copies one object at a time)")
      ->option_text("N");
}

data::RemoteOverrides jobs_override(const JobsOption& jobs) {
  if (!jobs.given) return {};
  if (jobs.value < 1 || jobs.value > 512) {
    throw Failure(bad_input(fmt::format("--jobs must be from 1 to 512, not {}", jobs.value),
                            "--jobs N sets how many transfers are in flight at once (32 by default for S3)"));
  }
  return data::RemoteOverrides{static_cast<unsigned>(jobs.value)};
}

void refuse_committed_secret(const std::string& remote, const std::string& key, const std::string& value) {
  const auto* spec = data::find_remote_key(key);
  if (!(spec && spec->secret) && !data::looks_like_secret(value)) return;
  // A URL that carries a secret moves to this machine's config or the environment as a whole;
  // keys have the AWS sources too.
  std::string elsewhere = fmt::format(
      "--local (.mlops/config.local.yaml, git-ignored), or in {}{}", key == "url" ? "the environment variable " : "",
      key == "url" ? remote_env_name(remote, key)
                   : "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials or " + remote_env_name(remote, key));
  throw Failure(bad_input(
      fmt::format("refusing to write a secret ({} of remote '{}') into the committed .mlops/config.yaml", key, remote),
      "keep it on this machine with " + elsewhere));
}

void register_remote(CLI::App& app) {
  auto* group = add_group(app, "remote", "Manage data remotes (a local or mounted path, or S3-compatible storage)");
  add_remote_add(*group);
  add_remote_modify(*group);
  add_remote_list(*group);
  add_remote_remove(*group);
}

}  // namespace mlops::cli
