// `mlops eval`: golden sets, evaluations of prompts through local providers, gates and comparisons.
#include "mlops/cli/commands/eval.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_eval(CLI::App& app) {
  auto* group = add_group(app, "eval", "Evaluate prompts on golden sets, gate and compare evaluations");
  add_eval_check(*group);
  add_eval_run(*group);
  add_eval_gate(*group);
  add_eval_compare(*group);
}

}  // namespace mlops::cli
