#pragma once
// Running a local command with a text on its stdin and its stdout and stderr captured apart,
// under a timeout: how `eval run` calls a provider and a `command` assertion's scorer.
// The child runs in a process group of its own, so that a timeout or an interruption ends
// everything it started (`sh -c` and its children), not just the shell.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::llm {

struct ProcessRun {
  bool started = false;  // false: exec failed (exec_errno says why; ENOENT: no such command)
  int exec_errno = 0;
  int exit_code = 0;  // the exit status, or 128 + signal number
  bool timed_out = false;
  bool interrupted = false;  // `stop` was set while it ran; the child was ended
  std::string out;
  std::string err;
  double seconds = 0;  // wall time from start to exit
};

// Runs `argv` (argv[0] looked up on PATH) with `input` on its stdin and `env` added to our
// environment, in the folder `workdir` (empty: ours), so that relative paths in the command
// ("python3 bot/answer.py", "./score.sh") mean the same wherever mlops was started. A child still
// running after `timeout`, or once `*stop` becomes true, is sent SIGKILL with its whole process
// group. Errors only when the pipes or the spawn cannot be set up.
Result<ProcessRun> run_process(const std::vector<std::string>& argv, std::string_view input,
                               std::chrono::milliseconds timeout,
                               const std::vector<std::pair<std::string, std::string>>& env = {},
                               const std::atomic<bool>* stop = nullptr, const std::filesystem::path& workdir = {});

// The last `lines` lines of `text` (at most 2000 bytes), for an error that quotes a stderr.
std::string tail_of(std::string_view text, std::size_t lines = 5);

}  // namespace mlops::llm
