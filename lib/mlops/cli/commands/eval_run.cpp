// `mlops eval run [-c eval.yaml] [-j N] [--replay|--record] [--budget-usd X]
// [--rpm N] [-o FILE]`: evaluate the prompt on the golden set through every
// provider, recorded as a run.
#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/eval.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/eval_plan.hpp"
#include "mlops/llm/eval_record.hpp"
#include "mlops/llm/eval_report.hpp"

namespace mlops::cli {

namespace {

struct EvalRunOptions {
  std::string config = "eval.yaml";
  std::size_t jobs = 4;
  bool replay = false;
  bool record = false;
  std::optional<double> budget_usd;
  std::optional<double> rpm;
  std::string output;
  std::string name;
};

std::atomic<bool> eval_interrupted{false};

extern "C" void on_eval_signal(int) { eval_interrupted.store(true); }

// SIGINT and SIGTERM stop the evaluation (providers run in process groups of
// their own, so a Ctrl-C at the terminal reaches only us); the run is then
// recorded as killed.
void catch_interruptions() {
  struct sigaction action {};
  action.sa_handler = on_eval_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

std::vector<std::string> recorded_command(const EvalRunOptions& o) {
  std::vector<std::string> command{"mlops", "eval", "run", "-c", o.config, "-j", std::to_string(o.jobs)};
  if (o.replay) command.push_back("--replay");
  if (o.record) command.push_back("--record");
  if (o.budget_usd) command.insert(command.end(), {"--budget-usd", fmt::format("{}", *o.budget_usd)});
  if (o.rpm) command.insert(command.end(), {"--rpm", fmt::format("{}", *o.rpm)});
  return command;
}

void print_results(const llm::EvalResults& results, const llm::EvalSummary& summary, const std::string& run_id) {
  std::size_t shown = 0;
  for (const auto& c : results.cases) {
    if (c.status == llm::CaseStatus::pass) continue;
    if (++shown > 20 && !(out::settings().verbosity > 0)) continue;
    auto label = c.status == llm::CaseStatus::fail    ? out::paint("FAIL ", out::Style::red)
                 : c.status == llm::CaseStatus::error ? out::paint("ERROR", out::Style::red)
                                                      : out::paint("SKIP ", out::Style::yellow);
    out::println("{} {} ({}): {}", label, c.id, c.provider, llm::case_problem(c));
  }
  if (shown > 20 && !(out::settings().verbosity > 0))
    out::note(fmt::format("... and {} more cases not passed (-v lists all)", shown - 20));
  out::println("{} cases: {} passed, {} failed, {} errors, {} skipped; pass rate {}", summary.cases, summary.passed,
               summary.failed, summary.errors, summary.skipped, llm::human_number(summary.pass_rate));
  out::Table table({"METRIC", "MEAN", "P50", "P95", "CASES"});
  for (std::size_t i = 1; i <= 4; ++i) table.right_align(i);
  for (const auto& [name, metric] : summary.metrics) {
    if (metric.count == 0) {
      table.add_row({name, "-", "-", "-", "0"});
      continue;
    }
    table.add_row({name, llm::human_number(metric.mean), llm::human_number(metric.p50), llm::human_number(metric.p95),
                   std::to_string(metric.count)});
  }
  out::print(table.render());
  if (summary.cost_total) out::println("cost: {} USD", llm::human_number(*summary.cost_total));
  out::note(fmt::format("recorded as run {}", run_id));
}

int run_eval_run(const EvalRunOptions& options) {
  if (options.replay && options.record) {
    throw Failure(bad_input("--replay and --record exclude each other",
                            "--record calls every provider and keeps the "
                            "answers; --replay uses only kept answers"));
  }
  if (options.budget_usd && !(*options.budget_usd >= 0)) {
    throw Failure(bad_input(fmt::format("--budget-usd must be a number >= 0 (got {})", *options.budget_usd),
                            "for example: --budget-usd 2 (USD); leave it out for no cap"));
  }
  if (options.rpm && !(*options.rpm > 0)) {
    throw Failure(bad_input(fmt::format("--rpm must be a number above 0 (got {})", *options.rpm),
                            "for example: --rpm 60 (one call a second); leave it out for no limit"));
  }
  Repo repo = require_store();
  // Everything that can be wrong with the input is found before the run is
  // recorded.
  auto config = unwrap(llm::load_eval_config(options.config));
  auto plan = unwrap(llm::make_plan(std::move(config), &repo));
  auto cache = unwrap(llm::ResponseCache::open(repo.store() / "eval-cache.db"));
  llm::CacheMode mode = options.replay   ? llm::CacheMode::replay
                        : options.record ? llm::CacheMode::record
                                         : llm::CacheMode::use;
  auto tasks = unwrap(llm::plan_tasks(plan, cache, mode));
  if (!options.output.empty()) {
    std::error_code ec;
    auto folder = std::filesystem::absolute(options.output).parent_path();
    if (!std::filesystem::is_directory(folder, ec)) {
      throw Failure(bad_input(fmt::format("cannot write '{}': no folder '{}'", options.output, folder.string())));
    }
  }

  auto recorder = unwrap(llm::begin_eval_run(repo, plan, recorded_command(options), options.name));
  out::note(fmt::format("run {} started: {} cases x {} provider{}, {} at a time", recorder.id(),
                        plan.golden.cases.size(), plan.config.providers.size(),
                        plan.config.providers.size() == 1 ? "" : "s", options.jobs));
  catch_interruptions();
  out::Progress progress("evaluating", tasks.size());
  std::mutex progress_mutex;
  llm::EvalRunOptions how;
  how.jobs = options.jobs;
  how.mode = mode;
  how.budget_usd = options.budget_usd;
  how.rpm = options.rpm;
  how.stop = &eval_interrupted;
  how.on_case_done = [&] {
    std::lock_guard lock(progress_mutex);
    progress.advance(1);
  };
  auto results = llm::run_evaluation(plan, std::move(tasks), cache, how);
  progress.finish();
  if (auto flushed = cache.flush(); !flushed) out::print_error(flushed.error());  // the evaluation itself stands
  unwrap(llm::finish_eval_run(repo, recorder, plan, results));
  if (!options.output.empty()) unwrap(write_file_atomic(options.output, results.dump()));

  auto summary = results.summary();
  if (out::settings().json) {
    auto doc = results.to_json();
    nlohmann::ordered_json head;
    head["run"] = recorder.id();
    head["status"] = results.interrupted ? "killed" : "finished";
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (const auto& [key, value] : summary.run_metrics) metrics[key] = value;
    head["metrics"] = metrics;
    for (auto& [key, value] : doc.items()) head[key] = value;
    out::print_json(head);
  } else {
    print_results(results, summary, recorder.id());
    if (summary.skipped > 0 && !results.interrupted)
      out::warn(
          fmt::format("{} cases were skipped: a gate on this evaluation "
                      "fails as incomplete",
                      summary.skipped));
    // An interrupted evaluation can only fail a gate as incomplete: the way on is to finish it.
    if (results.interrupted) {
      out::hint("run it again to finish it: mlops eval run (the answers cached so far are reused)");
    } else {
      out::hint(fmt::format("gate on it: mlops eval gate {} --min-pass-rate 0.9", recorder.id()));
    }
  }
  if (results.interrupted) {
    out::warn(fmt::format("interrupted: run {} is recorded as killed with the {} cases done", recorder.id(),
                          summary.cases - summary.skipped));
    return 130;
  }
  return 0;
}

}  // namespace

void add_eval_run(CLI::App& group) {
  auto options = std::make_shared<EvalRunOptions>();
  auto* command = add_command(group, "run",
                              "Render the prompt for every golden case, call "
                              "each provider, score and record the run",
                              [options] { return run_eval_run(*options); });
  command->footer(
      "The evaluation is recorded as a run: params name the "
      "prompt, golden set and providers with their\n"
      "versions; metrics are pass_rate and each assertion's "
      "mean/p50/p95; the artifacts are\n"
      "eval-results.json and the prompt file. Responses are cached "
      "by (provider, prompt, config).\n"
      "Exit status: 0 evaluated (failed cases are for 'eval "
      "gate'), 2 bad input, 130 interrupted.\n"
      "Example: mlops eval run -j 4 --budget-usd 2");
  command->add_option("-c,--config", options->config, "The evaluation config (default: eval.yaml)")
      ->option_text("FILE");
  command->add_option("-j,--jobs", options->jobs, "Cases evaluated at once, 1 to 1024 (default: 4)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}))
      ->option_text("N");
  command->add_flag("--replay", options->replay, "Use recorded responses only; a case without one is an error");
  command->add_flag("--record", options->record, "Call every provider, even for cached cases, and keep the answers");
  command
      ->add_option("--budget-usd", options->budget_usd,
                   "Stop starting provider calls once their reported cost reaches X")
      ->option_text("X");
  command->add_option("--rpm", options->rpm, "At most N provider calls a minute")->option_text("N");
  command->add_option("-o,--output", options->output, "Also write the results (eval-results.json) to FILE")
      ->option_text("FILE");
  command->add_option("--name", options->name, "The run's name (default: eval)")->option_text("NAME");
  add_json_flag(*command);
}

}  // namespace mlops::cli
