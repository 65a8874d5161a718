// `mlops run [OPTIONS] -- CMD [ARGS...]`: run a command as a child and record it as a run.
// `run start` and `run end` (run_start.cpp, run_end.cpp) open and close a run by hand.
#include "mlops/cli/commands/run.hpp"

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/commands/run_common.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

namespace {

struct RunCommandOptions {
  tracking::SetupInput setup;
  tracking::RunOutputs outputs;
  std::vector<std::string> command;
  std::string id_file;
  CLI::App* app = nullptr;
};

// The command to run: everything from its first word on is the command's, options included
// (`mlops run python train.py --alpha 1`), with or without '--' before it.
std::vector<std::string> command_words(const RunCommandOptions& options) {
  for (const auto& extra : options.app->remaining()) {
    if (extra == "--") continue;
    throw Failure(bad_input(fmt::format("unexpected '{}' before the command", extra),
                            "put '--' before the command: mlops run [OPTIONS] -- CMD [ARGS...]"));
  }
  return options.command;
}

int run_command(const RunCommandOptions& options) {
  std::vector<std::string> command = command_words(options);
  if (command.empty()) {
    throw Failure(bad_input("no command to run", "write it after '--': mlops run --name baseline -- python train.py"));
  }
  Repo repo = require_store();
  // Everything that can be wrong with the options is found before the run exists.
  tracking::RunSetup setup = unwrap(tracking::make_setup(options.setup, command));
  tracking::ExecuteOptions how;
  if (!options.id_file.empty()) {
    std::filesystem::path folder = std::filesystem::absolute(options.id_file).parent_path();
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
      throw Failure(
          bad_input(fmt::format("cannot write the run id to '{}': no folder '{}'", options.id_file, folder.string()),
                    "create the folder first, or give --id-file a path in an existing one"));
    }
    if (std::filesystem::is_directory(options.id_file, ec)) {
      throw Failure(bad_input(fmt::format("cannot write the run id to '{}': it is a folder", options.id_file),
                              "give --id-file a file path, such as --id-file .mlops/run.id"));
    }
    how.id_file = options.id_file;
  }
  // With --json our stdout carries one document: the command's stdout goes to stderr.
  how.stdout_to_stderr = out::settings().json;
  auto run = unwrap(tracking::execute_run(repo, std::move(setup), options.outputs, how));
  if (out::settings().json) {
    out::print_json({{"id", run.id},
                     {"status", tracking::to_string(run.status)},
                     {"exit_code", run.exit_code},
                     {"duration", run.duration ? nlohmann::ordered_json(*run.duration) : nlohmann::ordered_json()}});
  }
  // The child's exit code is ours; when the command succeeded but its outputs could not be
  // recorded (a malformed metrics file), exit 2 so that CI notices.
  if (run.problem && run.exit_code == 0) return static_cast<int>(run.problem->exit);
  return run.exit_code;
}

}  // namespace

void register_run(CLI::App& app) {
  auto options = std::make_shared<RunCommandOptions>();
  auto* run =
      add_command(app, "run", "Run a command and record it as a run (params, metrics, git state, data, environment)",
                  [options] { return run_command(*options); });
  options->app = run;
  run->footer(
      "Forms: mlops run [OPTIONS] -- CMD [ARGS...]; mlops run start [OPTIONS]; mlops run end [ID]\n"
      "The command runs with MLOPS_RUN_ID set, so 'mlops log metric NAME VALUE' inside it attaches to the run.\n"
      "mlops run exits with the command's exit code (127 when the command does not exist).\n"
      "The command also gets MLOPS_PARAMS (the params as JSON) and MLOPS_RUN_STREAM ('import mlops' logs there).\n"
      "Example: mlops run --name baseline --param lr=0.01 --metrics-file metrics.json -- python train.py\n"
      "         mlops run --id-file .mlops/run.id --json -- ./train.sh > result.json   # for scripts (git-ignored)");
  // The command is a positional list that takes every word after its first one (positionals at
  // end), so the program's options are its own; "--" is left among the extras.
  run->allow_extras();
  run->positionals_at_end();
  run->add_option("command", options->command, "The command to run and its arguments, after '--'")
      ->option_text("-- CMD [ARGS...]");
  add_setup_options(*run, options->setup);
  add_output_options(*run, options->outputs);
  run->add_option("--id-file", options->id_file, "Write the run id to FILE when the run starts (for scripts)")
      ->option_text("FILE");
  add_json_flag(*run);
  add_run_start(*run);
  add_run_end(*run);
}

}  // namespace mlops::cli
