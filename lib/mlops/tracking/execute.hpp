#pragma once
// Running a command as a recorded run: what `mlops run -- CMD` does, and what `mlops repro`
// does again in a worktree of the recorded commit; and what `run start` / `run end` share with it
// (the setup from options, attaching metrics files and artifacts).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// A run's description as the command line gives it.
struct SetupInput {
  std::string name;
  std::vector<std::string> params;  // KEY=VALUE
  std::string params_file;          // YAML or JSON; --param wins over it
  std::vector<std::string> tags;    // KEY=VALUE
};

// The params and tags `input` gives (the params file first, params overriding it); bad input
// for a KEY=VALUE without '=' or an unreadable or malformed params file.
Result<RunSetup> make_setup(const SetupInput& input, std::vector<std::string> command);

// What is collected from a run when its work ends.
struct RunOutputs {
  std::vector<std::string> metrics_files;
  std::vector<std::string> artifacts;
};

// Reads the metrics files and stores the artifacts for run `id`. Every file is tried; the
// errors are printed, and the first is returned so that the caller can choose its exit code.
std::optional<Error> attach_outputs(const Repo& repo, RunStore& store, const std::string& id,
                                    const RunOutputs& outputs);

struct ExecuteOptions {
  std::vector<std::pair<std::string, std::string>> env;  // more variables for the command
  bool stdout_to_stderr = false;                         // keep our stdout for a JSON document
  std::string id_file;  // when set, the run id is written there (atomically) before the command starts
};

struct ExecutedRun {
  std::string id;
  RunStatus status = RunStatus::finished;  // finished, failed or killed
  int exit_code = 0;                       // the command's (127: not found)
  std::optional<double> duration;          // seconds
  std::optional<Error> problem;            // outputs that could not be recorded (already printed)
};

// Runs `setup.command` in the current folder as a child recorded as a new run of `repo`: its
// output passes through and is kept as the artifact output.log, and `outputs` are attached
// when it ends. The command gets MLOPS_RUN_ID, MLOPS_PARAMS (the params as a JSON object of
// text) and MLOPS_RUN_STREAM (stream.hpp: what it appends there is read into the run as it
// goes; a line the store refuses makes `problem`). The run is closed whatever happens to the command; an error is
// returned only when the run could not be created or closed.
Result<ExecutedRun> execute_run(const Repo& repo, RunSetup setup, const RunOutputs& outputs,
                                const ExecuteOptions& how = {});

// The run that `mlops log` and `run end` address: `given`, else $MLOPS_RUN_ID; bad input when
// neither is set (checked before the store is opened, so nothing is created).
Result<std::string> requested_run(const std::string& given);

}  // namespace mlops::tracking
