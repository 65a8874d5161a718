// `mlops drift`: compare datasets for data drift and prediction drift.
#include "mlops/cli/commands/drift.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_drift(CLI::App& app) {
  auto* group = add_group(app, "drift", "Check datasets for drift (data, prediction and target drift)");
  add_drift_check(*group);
  add_drift_profile(*group);
}

}  // namespace mlops::cli
