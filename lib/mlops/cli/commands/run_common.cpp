#include "mlops/cli/commands/run_common.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "mlops/core/output.hpp"
#include "mlops/tracking/params_file.hpp"

namespace mlops::cli {

namespace {

std::map<std::string, std::string> parse_pairs(const std::vector<std::string>& pairs, std::string_view flag) {
  std::map<std::string, std::string> result;
  for (const auto& pair : pairs) {
    auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw Failure(bad_input(fmt::format("'{}' given to {} is not KEY=VALUE", pair, flag),
                              fmt::format("write it as {} lr=0.01", flag)));
    }
    result[pair.substr(0, equals)] = pair.substr(equals + 1);
  }
  return result;
}

}  // namespace

void add_setup_options(CLI::App& command, RunSetupOptions& options) {
  command.add_option("--name", options.name, "A name for the run (default: the script or program run)")
      ->option_text("NAME");
  // One value per flag (allow_extra_args(false)): a list option would otherwise swallow the
  // "--" that starts the command.
  command.add_option("--param", options.params, "A param of the run, KEY=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->option_text("K=V");
  command
      .add_option("--params-file", options.params_file,
                  "Read params from a YAML or JSON file; nested keys become dotted (model.lr)")
      ->option_text("FILE");
  command.add_option("--tag", options.tags, "A tag of the run, KEY=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->option_text("K=V");
}

void add_output_options(CLI::App& command, RunOutputOptions& options) {
  command
      .add_option("--metrics-file", options.metrics_files,
                  "Read metrics from FILE when the work ends: JSON, YAML, or CSV of step,name,value (repeatable)")
      ->allow_extra_args(false)
      ->option_text("FILE");
  command
      .add_option("--artifact", options.artifacts,
                  "Store PATH (file or folder) in the cache as an artifact when the work ends (repeatable)")
      ->allow_extra_args(false)
      ->option_text("PATH");
}

tracking::RunSetup setup_from(const RunSetupOptions& options, std::vector<std::string> command) {
  tracking::RunSetup setup;
  setup.name = options.name;
  setup.command = std::move(command);
  if (!options.params_file.empty()) setup.params = unwrap(tracking::read_params_file(options.params_file));
  for (auto& [key, value] : parse_pairs(options.params, "--param")) setup.params[key] = value;
  setup.tags = parse_pairs(options.tags, "--tag");
  return setup;
}

std::optional<Error> attach_outputs(const Repo& repo, tracking::RunStore& store, const std::string& id,
                                    const RunOutputOptions& options) {
  std::optional<Error> first;
  auto report = [&](Error error) {
    out::print_error(error);
    if (!first) first = std::move(error);
  };
  for (const auto& file : options.metrics_files) {
    auto points = tracking::read_metrics_file(file, tracking::now_ms());
    if (!points) {
      report(points.error());
      continue;
    }
    if (auto logged = store.log_metrics(id, *points); !logged) report(logged.error());
  }
  for (const auto& path : options.artifacts) {
    std::string name = std::filesystem::path(path).lexically_normal().filename().string();
    if (name.empty()) name = std::filesystem::path(path).lexically_normal().parent_path().filename().string();
    if (auto stored = tracking::store_artifact(repo, store, id, path, name); !stored) report(stored.error());
  }
  return first;
}

std::string requested_run(const std::string& option) {
  std::string given = option;
  if (given.empty()) {
    const char* env = std::getenv("MLOPS_RUN_ID");
    if (!env || !*env) {
      throw Failure(bad_input("no run to log to: not inside 'mlops run' and no --run given",
                              "run the command with 'mlops run -- CMD', or name a run with --run ID"));
    }
    given = env;
  }
  return given;
}

}  // namespace mlops::cli
