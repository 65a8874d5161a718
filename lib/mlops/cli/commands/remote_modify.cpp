// `mlops remote modify NAME KEY VALUE [--local] [--unset]`: one setting of a remote.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/remote_settings.hpp"

namespace mlops::cli {

namespace {

struct RemoteModifyOptions {
  std::string name;
  std::string key;
  std::string value;
  bool local = false;
  bool unset = false;
};

int run_remote_modify(const RemoteModifyOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  const RemoteConfig& remote = require_remote(config, options.name);
  const data::RemoteKey* spec = data::find_remote_key(options.key);
  if (!spec) {
    std::vector<std::string> keys;
    for (const auto& k : data::remote_keys()) keys.emplace_back(k.name);
    auto best = closest(options.key, keys);
    std::string all;
    for (const auto& k : keys) all += (all.empty() ? "" : ", ") + k;
    throw Failure(bad_input(fmt::format("unknown remote setting '{}'", options.key),
                            best.empty() ? "settings: " + all : fmt::format("did you mean '{}'?", best)));
  }
  auto file = options.local ? ConfigFile::local : ConfigFile::committed;
  if (options.unset) {
    if (!options.value.empty())
      throw Failure(bad_input("--unset takes no VALUE", "mlops remote modify NAME KEY --unset"));
    if (options.key == "url") {
      // Only this machine's override may go, and only when the committed url is there to apply.
      auto committed = unwrap(data::remote_value_in(repo, ConfigFile::committed, options.name, "url"));
      if (!options.local || !committed) {
        throw Failure(bad_input(
            fmt::format("a remote cannot lose its url{}",
                        options.local ? fmt::format(" (remote '{}' has no url in {})", options.name,
                                                    config_label(ConfigFile::committed))
                                      : ""),
            fmt::format("give it another with 'mlops remote modify {} url URL', or remove it with 'mlops remote "
                        "remove {}'",
                        options.name, options.name)));
      }
      if (!unwrap(data::remote_value_in(repo, ConfigFile::local, options.name, "url"))) {
        throw Failure(bad_input(
            fmt::format("remote '{}' has no url in {} to unset", options.name, config_label(ConfigFile::local)),
            fmt::format("its url '{}' is the committed one", *committed)));
      }
      unwrap(set_remote_value(repo, file, options.name, options.key, std::nullopt));
      out::note(fmt::format("unset url of remote '{}' in {}: the committed url '{}' applies again", options.name,
                            config_label(file), *committed));
      return 0;
    }
    unwrap(set_remote_value(repo, file, options.name, options.key, std::nullopt));
    out::note(fmt::format("unset {} of remote '{}' in {}", options.key, options.name, config_label(file)));
    return 0;
  }
  if (options.value.empty()) {
    throw Failure(bad_input(fmt::format("no value given for '{}'", options.key),
                            fmt::format("{} takes {}; --unset removes it", options.key, spec->values)));
  }
  std::string value = unwrap(data::check_remote_value(options.key, options.value));
  if (!options.local) refuse_committed_secret(options.name, options.key, value);
  auto kind = data::remote_kind(options.key == "url" ? value : remote.url);
  if ((spec->s3 && kind != data::RemoteKind::s3) || (spec->path && kind != data::RemoteKind::path)) {
    throw Failure(bad_input(fmt::format("'{}' is a setting of {} remotes; remote '{}' is a {} remote", options.key,
                                        spec->s3 ? "S3" : "path", options.name, data::to_string(kind))));
  }
  if (options.key == "url") unwrap(data::prepare_remote_location(repo, value, data::CreateRemote::no));
  unwrap(set_remote_value(repo, file, options.name, options.key, value));
  out::note(fmt::format("set {} of remote '{}' to {} in {}", options.key, options.name, spec->secret ? "****" : value,
                        config_label(file)));
  if (!options.local) out::hint("commit the setting: git add .mlops/config.yaml");
  return 0;
}

}  // namespace

void add_remote_modify(CLI::App& group) {
  auto options = std::make_shared<RemoteModifyOptions>();
  auto* command = add_command(group, "modify", "Change one setting of a remote (docs/remotes.md lists them)",
                              [options] { return run_remote_modify(*options); });
  command->add_option("name", options->name, "Remote name")->required();
  command
      ->add_option("key", options->key,
                   "Setting: url, endpoint_url, region, profile, addressing, ssl_verify, jobs, ...")
      ->required();
  command->add_option("value", options->value, "New value (omit with --unset)");
  command->add_flag("--local", options->local,
                    "Write to .mlops/config.local.yaml (this machine only, git-ignored; the place for secrets)");
  command->add_flag("--unset", options->unset, "Remove the setting from the file (the default applies again)");
  command->footer("Example: mlops remote modify storage endpoint_url http://127.0.0.1:9000 --local");
}

}  // namespace mlops::cli
