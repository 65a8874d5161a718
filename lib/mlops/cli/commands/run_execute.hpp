#pragma once
// Running a command as a recorded run: what `mlops run -- CMD` does, and what `mlops repro`
// does again in a worktree of the recorded commit.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlops/cli/commands/run_common.hpp"
#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/tracking/recorder.hpp"

namespace mlops::cli {

struct ExecuteOptions {
  std::vector<std::pair<std::string, std::string>> env;  // more variables for the command
  bool stdout_to_stderr = false;                         // keep our stdout for a JSON document
};

struct ExecutedRun {
  std::string id;
  std::string status;            // finished, failed or killed
  int exit_code = 0;             // the command's (127: not found)
  std::optional<Error> problem;  // outputs that could not be recorded (already printed)
};

// Runs `setup.command` in the current folder as a child recorded as a new run of `repo`: its
// output passes through and is kept as the artifact output.log, and `outputs` are attached
// when it ends. The run is closed whatever happens to the command.
ExecutedRun execute_run(const Repo& repo, tracking::RunSetup setup, const RunOutputOptions& outputs,
                        const ExecuteOptions& how = {});

}  // namespace mlops::cli
