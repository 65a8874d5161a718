#pragma once
// Child processes: a quick capture of a tool's output (`python3 --version`), and a supervised
// child whose stdout and stderr pass through to ours and are also copied to a log, with
// termination signals forwarded. Knows nothing of mlops' store.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops {

// The first executable called `name` on PATH, or nullopt.
std::optional<std::filesystem::path> find_program(std::string_view name);

struct Captured {
  int exit_code = -1;  // -1 when killed by the timeout or a signal
  std::string output;  // stdout and stderr together
};

// Runs argv with stdin from /dev/null and captures its output; a child still running after
// `timeout` is killed. Fails when it cannot be started.
Result<Captured> capture_output(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

struct ChildSpec {
  std::vector<std::string> argv;                         // argv[0] is looked up on PATH
  std::vector<std::pair<std::string, std::string>> env;  // set in the child's environment
  int log_fd = -1;                // when >= 0, stdout and stderr are also copied here (in arrival order)
  bool stdout_to_stderr = false;  // the child's stdout goes to our stderr (ours carries a JSON document)
};

struct ChildOutcome {
  bool started = false;  // false: exec failed (exec_errno says why; ENOENT: no such command)
  int exec_errno = 0;
  int exit_code = 0;  // the shell's convention: the exit status, or 128 + signal number
  int signal = 0;     // the signal that ended the child, if any
  int forwarded = 0;  // SIGINT, SIGTERM or SIGHUP that we received while it ran, if any
};

// Runs a child with our stdin, its stdout and stderr passed through to ours (and copied to
// log_fd), and waits for it. SIGINT, SIGTERM and SIGHUP sent to us reach the child (a Ctrl-C
// at the terminal reaches it directly, as it is in our process group) and do not end us first.
Result<ChildOutcome> run_child(const ChildSpec& spec);

// While one lives, SIGINT, SIGTERM and SIGHUP do not end this process: the first is remembered
// and passed on to the child of run_child (at once while it runs; when it starts otherwise) and
// reported in its outcome. run_child holds one while the child runs; a caller that records the
// child (mlops run) holds one from before its record is opened until it is closed, so that a
// signal at any moment leaves a closed record rather than a process gone half way. Nested ones
// share the first's state.
class ForwardSignals {
 public:
  ForwardSignals();
  ~ForwardSignals();
  ForwardSignals(const ForwardSignals&) = delete;
  ForwardSignals& operator=(const ForwardSignals&) = delete;
};

}  // namespace mlops
