// `mlops remote add NAME URL [--default] [--local] [--create]`.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/remote_settings.hpp"

namespace mlops::cli {

namespace {

struct RemoteAddOptions {
  std::string name;
  std::string url;
  bool make_default = false;
  bool local = false;
  bool create = false;
};

int run_remote_add(const RemoteAddOptions& options) {
  Repo repo = require_store();
  Config config = unwrap(load_config(repo));
  check_remote_name(options.name);
  if (config.find_remote(options.name)) {
    throw Failure(bad_input(fmt::format("remote '{}' already exists", options.name),
                            fmt::format("change it with 'mlops remote modify {} url URL', or remove it first with "
                                        "'mlops remote remove {}'",
                                        options.name, options.name)));
  }
  if (!options.local) refuse_committed_secret(options.name, "url", options.url);
  if (options.create && data::remote_kind(options.url) == data::RemoteKind::s3) {
    throw Failure(bad_input("--create makes a path remote's folder; an S3 bucket is made with the storage's tools",
                            "for example: aws s3 mb s3://BUCKET"));
  }
  unwrap(data::prepare_remote_location(repo, options.url,
                                       options.create ? data::CreateRemote::yes : data::CreateRemote::no));
  auto file = options.local ? ConfigFile::local : ConfigFile::committed;
  unwrap(set_remote_value(repo, file, options.name, "url", options.url));
  bool make_default = options.make_default || config.remotes.empty();
  if (make_default) unwrap(set_default_remote(repo, file, options.name));
  out::note(fmt::format("added remote '{}' ({}){}{}", options.name, options.url, make_default ? " as the default" : "",
                        options.local ? " on this machine only" : ""));
  if (!options.local) out::hint("commit the setting: git add .mlops/config.yaml");
  if (config.default_source == kDefaultRemoteEnv && make_default) {
    out::warn(fmt::format("{} is set, and picks the default remote while it is", kDefaultRemoteEnv));
  }
  return 0;
}

}  // namespace

void add_remote_add(CLI::App& group) {
  auto options = std::make_shared<RemoteAddOptions>();
  auto* command = add_command(group, "add", "Add a remote", [options] { return run_remote_add(*options); });
  command->add_option("name", options->name, "Remote name")->required();
  command
      ->add_option("url", options->url,
                   "A path (absolute, relative to the repository, or file://...) or s3://BUCKET[/PREFIX]")
      ->required();
  command->add_flag("-d,--default", options->make_default, "Make it the default remote (the first remote always is)");
  command->add_flag("--local", options->local,
                    "Write it to .mlops/config.local.yaml (this machine only, git-ignored) instead of the committed "
                    "config");
  command->add_flag("--create", options->create, "Create the remote's folder (a path remote must exist otherwise)");
  command->footer(
      "Example: mlops remote add storage s3://team-bucket/mlops --default && mlops remote modify storage region "
      "eu-west-1");
}

}  // namespace mlops::cli
