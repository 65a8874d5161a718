// `mlops model get NAME@VERSION|NAME#STAGE|NAME@latest`: put a registered version's artifact on
// disk, verified against its hash, and print where it is. What a deploy script calls.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/artifact.hpp"

namespace mlops::cli {

namespace {

struct ModelGetOptions {
  std::string reference;
  std::string out;
  std::string remote;
};

int run_model_get(const ModelGetOptions& options) {
  Repo repo = require_store();
  auto ref = unwrap(registry::parse_reference(options.reference));
  // A misspelt or path-like --remote is named before the model is looked up.
  unwrap(registry::check_data_remote(repo, options.remote));
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto loaded = model::load(git_repo, ref.model);
  const registry::Model& m = *unwrap(registry::find_model(loaded.state, ref.model));
  const registry::Version& v = *unwrap(registry::resolve(loaded.state, ref));
  if (m.deprecated) out::warn(fmt::format("'{}' is deprecated", m.name));
  auto copy = unwrap(registry::get_artifact(repo, m, v, options.out, options.remote));
  const auto& meta = v.message.meta;

  if (out::settings().json) {
    out::print_json(
        {{"model", m.name},
         {"version", v.name},
         {"path", copy.path.string()},
         {"hash", meta.artifact->str()},
         {"kind", copy.kind == data::Kind::dir ? "dir" : "file"},
         {"size", meta.size ? nlohmann::ordered_json(*meta.size) : nullptr},
         {"commit", v.commit},
         {"fetched", copy.fetched},
         {"data_remote", copy.remote.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(copy.remote)},
         {"data_remote_url", copy.remote.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(model::data_remote_url(repo, copy.remote))}});
    return 0;
  }
  out::detail(fmt::format("{} {} ({}) verified{}", m.name, v.name, meta.artifact->str(),
                          copy.fetched ? fmt::format(", fetched from data remote '{}'", copy.remote) : std::string()));
  out::println("{}", copy.path.string());
  return 0;
}

}  // namespace

void add_model_get(CLI::App& group) {
  auto options = std::make_shared<ModelGetOptions>();
  auto* command = add_command(group, "get", "Put a registered version's artifact on disk (verified) and print its path",
                              [options] { return run_model_get(*options); });
  command->add_option("reference", options->reference, "NAME@vX.Y.Z, NAME#STAGE or NAME@latest")->required();
  command->add_option("-o,--out", options->out, "Where to put it (default: .mlops/models/NAME/VERSION/FILE)")
      ->option_text("PATH");
  command
      ->add_option("-r,--remote", options->remote,
                   "Data remote to fetch from when missing (default: the default remote)")
      ->option_text("NAME");
  add_json_flag(*command);
}

}  // namespace mlops::cli
