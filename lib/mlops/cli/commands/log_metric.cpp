// `mlops log metric NAME VALUE [--step N] [--run ID]`
#include <fmt/format.h>

#include <cmath>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/log.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/execute.hpp"
#include "mlops/tracking/params_file.hpp"

namespace mlops::cli {

namespace {

struct LogMetricOptions {
  std::string name;
  std::string value;
  std::int64_t step = 0;
  std::string run;
};

int run_log_metric(const LogMetricOptions& options) {
  auto value = tracking::parse_metric_value(options.value);
  if (!value) {
    throw Failure(bad_input(fmt::format("metric value '{}' is not a number", options.value),
                            "give a decimal number such as 0.93 or 1e-4 (nan and inf are accepted)"));
  }
  std::string requested = unwrap(tracking::requested_run(options.run));
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  std::string id = unwrap(store.resolve(requested));
  unwrap(store.log_metrics(id, {{options.name, *value, options.step, tracking::now_ms()}}));
  if (!std::isfinite(*value)) {
    out::warn(fmt::format("metric '{}' is {}: stored as such, as MLflow does", options.name, options.value));
  }
  return 0;
}

}  // namespace

void add_log_metric(CLI::App& group) {
  auto options = std::make_shared<LogMetricOptions>();
  auto* command = add_command(group, "metric", "Log a metric value (at a step) to the run",
                              [options] { return run_log_metric(*options); });
  command->add_option("name", options->name, "The metric's name, e.g. loss")->required()->option_text("NAME");
  command->add_option("value", options->value, "A number (nan and inf are stored as such)")
      ->required()
      ->option_text("VALUE");
  command->add_option("--step", options->step, "The step (epoch, iteration) of this value (default 0)")
      ->option_text("N");
  command->add_option("--run", options->run, "The run (default: $MLOPS_RUN_ID)")->option_text("ID");
  command->footer("A negative value goes after '--': mlops log metric delta -- -0.5");
}

}  // namespace mlops::cli
