// `mlops run [OPTIONS] -- CMD [ARGS...]`: run a command as a child and record it as a run.
// `run start` and `run end` (run_start.cpp, run_end.cpp) open and close a run by hand.
#include "mlops/cli/commands/run.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/commands/run_common.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/subprocess.hpp"

namespace mlops::cli {

namespace {

struct RunCommandOptions {
  RunSetupOptions setup;
  RunOutputOptions outputs;
  std::vector<std::string> command;
  CLI::App* app = nullptr;
  CLI::Option* command_option = nullptr;
};

// The command to run. After "--" every word is the command's; without it, an option of ours
// that comes after the command's first word is ambiguous (ours or the command's?), so refused.
std::vector<std::string> command_words(const RunCommandOptions& options) {
  bool separated = false;
  for (const auto& extra : options.app->remaining()) {
    if (extra == "--") {
      separated = true;
      continue;
    }
    throw Failure(bad_input(fmt::format("unexpected '{}' before the command", extra),
                            "put '--' before the command: mlops run [OPTIONS] -- CMD [ARGS...]"));
  }
  if (!separated) {
    bool seen_command = false;
    for (const CLI::Option* option : options.app->parse_order()) {
      if (option == options.command_option) {
        seen_command = true;
      } else if (seen_command) {
        throw Failure(bad_input(fmt::format("'{}' comes after the command, so it is unclear whose option it is",
                                            option->get_name()),
                                "put '--' before the command: mlops run [OPTIONS] -- CMD [ARGS...]"));
      }
    }
  }
  return options.command;
}

std::string describe_duration(double seconds) {
  if (seconds < 60) return fmt::format("{:.1f}s", seconds);
  auto whole = static_cast<long>(seconds);
  if (whole < 3600) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
}

int run_command(const RunCommandOptions& options) {
  std::vector<std::string> command = command_words(options);
  if (command.empty()) {
    throw Failure(bad_input("no command to run", "write it after '--': mlops run --name baseline -- python train.py"));
  }
  Repo repo = require_store();
  // Everything that can be wrong with the options is found before the run exists.
  tracking::RunSetup setup = setup_from(options.setup, command);
  auto recorder = unwrap(tracking::RunRecorder::begin(repo, std::move(setup)));
  const std::string id = recorder.id();
  out::note(fmt::format("run {} started", id));

  // stdout and stderr are copied to a log in the store's tmp folder, kept as an artifact.
  auto log_path = temp_path_in(repo.tmp(), "run-output.log");
  UniqueFd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!log) throw Failure(system_error("create", log_path, errno));

  mlops::ChildSpec spec;
  spec.argv = command;
  spec.env = {{"MLOPS_RUN_ID", id}};
  // Python buffers a pipe's output in blocks; unbuffered, the log keeps stdout and stderr in order.
  if (!std::getenv("PYTHONUNBUFFERED")) spec.env.emplace_back("PYTHONUNBUFFERED", "1");
  spec.log_fd = log.get();
  auto outcome = unwrap(mlops::run_child(spec));
  log = UniqueFd();

  std::string_view status = tracking::kFinished;
  if (!outcome.started) {
    status = tracking::kFailed;
    out::print_error(outcome.exec_errno == ENOENT
                         ? bad_input(fmt::format("command '{}' not found", command.front()),
                                     "check the spelling, or that the program is installed and on PATH")
                         : bad_input(fmt::format("cannot run '{}': {}", command.front(), std::strerror(outcome.exec_errno))));
  } else if (outcome.signal != 0 || outcome.forwarded != 0) {
    status = tracking::kKilled;
  } else if (outcome.exit_code != 0) {
    status = tracking::kFailed;
  }

  std::optional<Error> problem;
  std::error_code ec;
  if (outcome.started && std::filesystem::file_size(log_path, ec) > 0) {
    auto stored = tracking::store_artifact(repo, recorder.store(), id, log_path, std::string(tracking::kLogArtifact));
    if (!stored) problem = stored.error();
  }
  std::filesystem::remove(log_path, ec);
  if (outcome.started) {
    if (auto attached = attach_outputs(repo, recorder.store(), id, options.outputs); attached && !problem) {
      problem = attached;
    }
  }
  unwrap(recorder.end(status, outcome.exit_code));
  auto record = unwrap(recorder.store().get(id));
  out::note(fmt::format("run {} {} (exit {}) in {}", id, status, outcome.exit_code,
                        describe_duration(record.duration.value_or(0))));
  // The child's exit code is ours; when the command succeeded but its outputs could not be
  // recorded (a malformed metrics file), exit 2 so that CI notices.
  if (problem && outcome.exit_code == 0) return static_cast<int>(problem->exit);
  return outcome.exit_code;
}

}  // namespace

void register_run(CLI::App& app) {
  auto options = std::make_shared<RunCommandOptions>();
  auto* run = add_command(app, "run",
                          "Run a command and record it as a run (params, metrics, git state, data, environment)",
                          [options] { return run_command(*options); });
  options->app = run;
  run->footer(
      "Usage: mlops run [OPTIONS] -- CMD [ARGS...]   (or: mlops run start [OPTIONS]; mlops run end [ID])\n"
      "The command runs with MLOPS_RUN_ID set, so 'mlops log metric NAME VALUE' inside it attaches to the run.\n"
      "mlops run exits with the command's exit code (127 when the command does not exist).\n"
      "Example: mlops run --name baseline --param lr=0.01 --metrics-file metrics.json -- python train.py");
  // The command is a positional list; "--" is left among the extras, where command_words() sees it.
  run->allow_extras();
  options->command_option =
      run->add_option("command", options->command, "The command to run and its arguments, after '--'")
          ->option_text("-- CMD [ARGS...]");
  add_setup_options(*run, options->setup);
  add_output_options(*run, options->outputs);
  add_run_start(*run);
  add_run_end(*run);
}

}  // namespace mlops::cli
