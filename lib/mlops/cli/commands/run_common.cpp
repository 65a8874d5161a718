#include "mlops/cli/commands/run_common.hpp"

namespace mlops::cli {

void add_setup_options(CLI::App& command, tracking::SetupInput& options) {
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

void add_output_options(CLI::App& command, tracking::RunOutputs& options) {
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

}  // namespace mlops::cli
