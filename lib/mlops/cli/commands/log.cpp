// `mlops log metric|param|tag|artifact`: attach to the current run ($MLOPS_RUN_ID) or --run ID.
#include "mlops/cli/commands/log.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_log(CLI::App& app) {
  auto* group = add_group(app, "log", "Log a metric, param, tag or artifact to the current run");
  group->footer("Inside 'mlops run -- CMD' the run is $MLOPS_RUN_ID; elsewhere name it with --run ID.");
  add_log_metric(*group);
  add_log_param(*group);
  add_log_tag(*group);
  add_log_artifact(*group);
}

}  // namespace mlops::cli
