// `mlops ready [MODEL|PROMPT] [--min-score S] [--json]`: the production-readiness checklist.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/ready/context.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::cli {

namespace {

struct ReadyOptions {
  std::string target;
  double min_score = 1.0;
};

int run_ready(const ReadyOptions& o) {
  if (o.min_score < 0 || o.min_score > 1)
    throw Failure(bad_input(fmt::format("--min-score {} is not between 0 and 1", o.min_score),
                            "the score is the mean over the five items: done 1, partial 0.5, missing 0"));
  Repo repo = require_store();
  auto context = unwrap(ready::read_context(repo, o.target, trace::now_ns()));
  auto checklist = ready::assess(context);
  bool passed = checklist.score() >= o.min_score;
  if (out::settings().json) {
    out::print_json(ready::to_json(checklist, o.min_score));
  } else {
    out::print(ready::to_text(checklist, o.min_score));
  }
  return passed ? 0 : 1;
}

}  // namespace

void register_ready(CLI::App& app) {
  auto options = std::make_shared<ReadyOptions>();
  auto* command = add_command(app, "ready", "The production-readiness checklist, with evidence or the command to run",
                              [options] { return run_ready(*options); });
  command->footer(
      "Items: Reproducibility (the production version's run, commit, data versions, a bit-identical\n"
      "repro), Testing (a golden set under data add, eval.yaml, a gate on the way to production, CI\n"
      "running the lint and the gate), Monitoring (monitors.yaml with latency, error and quality rules,\n"
      "a recent passing monitor check), Fallback (a version to roll back to, or metadata.fallback in\n"
      "the prompt), Cost control (a budget rule, a rate limit, max_tokens in every prompt, a price for\n"
      "every model in the traces). Each item is done, partial or missing; the score is their mean.\n"
      "Where each piece of evidence comes from: docs/ready.md.\n"
      "Exit status: 0 the score reaches --min-score, 1 it does not, 2 bad input (an unknown model,\n"
      "several models and none named).\n"
      "Example: mlops ready support-bot\n"
      "Example: mlops ready --min-score 0.8 --json");
  command->add_option("target", options->target, "The model or prompt (default: the only registered model)")
      ->option_text("MODEL|PROMPT");
  command
      ->add_option("--min-score", options->min_score, "Exit 1 below this score, 0 to 1 (default: 1, every item done)")
      ->option_text("S");
  add_json_flag(*command);
}

}  // namespace mlops::cli
