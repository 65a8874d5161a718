// `mlops monitor`: alert rules over trace exports, with Prometheus' semantics and text format.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/commands/trace.hpp"

namespace mlops::cli {

void register_monitor(CLI::App& app) {
  auto* group = add_group(app, "monitor", "Check alert rules (latency, errors, cost, quality) over trace exports");
  add_monitor_check(*group);
  add_monitor_test(*group);
}

}  // namespace mlops::cli
