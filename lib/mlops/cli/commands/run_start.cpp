// `mlops run start [OPTIONS]`: open a run for work that is not one process (a shell pipeline);
// prints its id. Log to it with --run ID (or export MLOPS_RUN_ID) and close it with `run end`.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/run.hpp"
#include "mlops/cli/commands/run_common.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

int run_run_start(const tracking::SetupInput& options) {
  Repo repo = require_store();
  auto recorder = unwrap(tracking::RunRecorder::begin(repo, unwrap(tracking::make_setup(options, {}))));
  unwrap(recorder.record_environment());
  if (out::settings().json) {
    out::print_json({{"id", recorder.id()}});
  } else {
    out::println("{}", recorder.id());
  }
  return 0;
}

}  // namespace

void add_run_start(CLI::App& run) {
  auto options = std::make_shared<tracking::SetupInput>();
  auto* command = add_command(run, "start", "Open a run without running a command; prints its id",
                              [options] { return run_run_start(*options); });
  command->footer("Example: RUN=$(mlops run start --name etl) && ... && mlops run end $RUN");
  add_setup_options(*command, *options);
  add_json_flag(*command);
}

}  // namespace mlops::cli
