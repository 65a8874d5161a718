// `mlops trace`: figures from OpenTelemetry trace exports of GenAI applications.
#include "mlops/cli/commands/trace.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_trace(CLI::App& app) {
  auto* group =
      add_group(app, "trace", "Read OpenTelemetry trace exports of GenAI applications (latency, tokens, cost)");
  add_trace_stats(*group);
}

}  // namespace mlops::cli
