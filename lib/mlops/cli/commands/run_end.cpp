// `mlops run end [ID] [--status S]`: close a run opened with `run start`.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/run.hpp"
#include "mlops/cli/commands/run_common.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

struct RunEndOptions {
  std::string id;
  std::string status = "finished";
  std::optional<int> exit_code;
  tracking::RunOutputs outputs;
};

int run_run_end(const RunEndOptions& options) {
  std::string requested = unwrap(tracking::requested_run(options.id));
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  std::string id = unwrap(store.resolve(requested));
  auto record = unwrap(store.get(id));
  if (record.status != tracking::RunStatus::running) {
    throw Failure(bad_input(fmt::format("run '{}' has already ended ({})", id, record.status),
                            "a run is ended once; start a new one with 'mlops run start'"));
  }
  // --status is checked by CLI11 to be one of these.
  auto status = tracking::parse_status(options.status).value_or(tracking::RunStatus::failed);
  auto problem = tracking::attach_outputs(repo, store, id, options.outputs);
  int exit_code = options.exit_code.value_or(status == tracking::RunStatus::finished ? 0 : 1);
  unwrap(store.finish(id, status, exit_code, tracking::now_ms()));
  out::note(fmt::format("run {} {}", id, status));
  return problem ? static_cast<int>(problem->exit) : 0;
}

}  // namespace

void add_run_end(CLI::App& run) {
  auto options = std::make_shared<RunEndOptions>();
  auto* command =
      add_command(run, "end", "Close a run opened with 'mlops run start'", [options] { return run_run_end(*options); });
  command->add_option("id", options->id, "The run (an id or unambiguous prefix; default: $MLOPS_RUN_ID)")
      ->option_text("ID");
  command->add_option("--status", options->status, "How the work ended: finished, failed or killed")
      ->check(CLI::IsMember({"finished", "failed", "killed"}))
      ->option_text("STATUS");
  command->add_option("--exit-code", options->exit_code, "The work's exit code (default: 0 if finished, else 1)")
      ->option_text("N");
  add_output_options(*command, options->outputs);
}

}  // namespace mlops::cli
