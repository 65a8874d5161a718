// `mlops import`: bring data tracked by DVC and runs recorded by MLflow into mlops.
#include "mlops/cli/commands/import.hpp"

#include <signal.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

namespace {
std::atomic<bool> import_interrupted{false};
extern "C" void on_import_signal(int) { import_interrupted.store(true); }
}  // namespace

const std::atomic<bool>& stop_import_on_signals() {
  struct sigaction action {};
  action.sa_handler = on_import_signal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  return import_interrupted;
}

void register_import(CLI::App& app) {
  auto* group = add_group(app, "import", "Bring data tracked by DVC and runs and models recorded by MLflow into mlops");
  group->footer("Every import can be run again: what is already there is not read or added twice.");
  add_import_dvc(*group);
  add_import_mlflow(*group);
}

}  // namespace mlops::cli
