// `mlops import`: bring data tracked by DVC and runs recorded by MLflow into mlops.
#include "mlops/cli/commands/import.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_import(CLI::App& app) {
  auto* group = add_group(app, "import", "Bring data tracked by DVC and runs and models recorded by MLflow into mlops");
  group->footer("Every import can be run again: what is already there is not read or added twice.");
  add_import_dvc(*group);
  add_import_mlflow(*group);
}

}  // namespace mlops::cli
