// `mlops eval gate RUN|RESULTS [--min-pass-rate P] [--require EXPR]... [--baseline REF]
// [--max-regression METRIC=DELTA]... [--max-errors N] [--json|--markdown] [--junit FILE]`.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/eval.hpp"
#include "mlops/cli/commands/eval_common.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/eval_record.hpp"
#include "mlops/llm/eval_report.hpp"

namespace mlops::cli {

namespace {

struct EvalGateOptions {
  std::string evaluation;
  std::optional<double> min_pass_rate;
  std::vector<std::string> requires_;
  std::string baseline;
  std::vector<std::string> max_regressions;
  std::size_t max_errors = 0;
  std::size_t max_regressed_cases = 0;
  bool markdown = false;
  std::string junit;
};

void print_gate_table(const llm::GateReport& report, const llm::EvalResults& results, const std::string& source) {
  const auto& s = report.summary;
  out::println("{}: {} cases: {} passed, {} failed, {} errors, {} skipped", source, s.cases, s.passed, s.failed,
               s.errors, s.skipped);
  if (report.comparison) {
    if (!report.comparison->same_golden()) out::warn(llm::golden_warning(*report.comparison));
    for (const auto& flip : report.comparison->flips) {
      if (!flip.regression()) continue;
      out::println("{} {} ({}): {} in the baseline, {} now", out::paint("REGRESSED", out::Style::red), flip.id,
                   flip.provider, llm::to_string(flip.before), llm::to_string(flip.after));
    }
    std::size_t shown_missing = 0;
    for (const auto& c : report.comparison->missing) {
      if (++shown_missing > 10) continue;
      out::println("{} {} ({}): {} in the baseline, not run now", out::paint("NOT RUN", out::Style::red), c.id,
                   c.provider, llm::to_string(c.before));
    }
    if (shown_missing > 10) out::println("... and {} more cases of the baseline not run", shown_missing - 10);
  }
  out::Table table({"GATE", "VALUE", "BOUND", "RESULT"});
  for (const auto& c : report.checks) {
    std::string verdict = c.passed       ? out::paint("pass", out::Style::green)
                          : c.incomplete ? out::paint("incomplete", out::Style::red)
                                         : out::paint("fail", out::Style::red);
    table.add_row({c.gate, c.shown, c.bound, verdict});
  }
  out::print(table.render());
  for (const auto& c : report.checks) {
    if (!c.reason.empty()) out::println("{}: {}: {}", c.status(), c.gate, c.reason);
  }
  std::size_t shown = 0;
  for (const auto& c : results.cases) {
    if (c.status == llm::CaseStatus::pass || ++shown > 10) continue;
    out::detail(fmt::format("{} {} ({}): {}", llm::to_string(c.status), c.id, c.provider, llm::case_problem(c)));
  }
  if (report.passed) {
    out::println("gate passed");
  } else {
    out::println("gate {}", report.incomplete ? "failed: the evaluation is incomplete" : "failed");
  }
}

// The gate of an evaluation that ended before recording its results (killed, failed): --json,
// --markdown and --junit still say so, as a gate failed as incomplete, so that a CI step that
// reads them gets a verdict rather than nothing. The error goes to stderr as well.
void print_unrecorded_gate(const EvalGateOptions& options, const Error& error) {
  llm::GateReport report;
  report.passed = false;
  report.incomplete = true;
  llm::GateCheck check;
  check.gate = "results recorded";
  check.shown = "missing";
  check.bound = "recorded";
  check.reason = error.message;
  check.incomplete = true;
  report.checks.push_back(std::move(check));
  llm::EvalResults none;
  std::string source = options.evaluation;
  if (!options.junit.empty()) unwrap(write_file_atomic(options.junit, llm::gate_junit(report, none, source)));
  if (out::settings().json) {
    out::print_json(llm::gate_json(report, none, source));
  } else if (options.markdown) {
    out::print(llm::gate_markdown(report, none, source));
  }
  out::print_error(error);
}

int run_eval_gate(const EvalGateOptions& options) {
  if (options.markdown && out::settings().json) throw Failure(bad_input("--json and --markdown exclude each other"));
  llm::GateOptions gate;
  gate.min_pass_rate = options.min_pass_rate;
  if (gate.min_pass_rate && (*gate.min_pass_rate < 0 || *gate.min_pass_rate > 1)) {
    throw Failure(bad_input("--min-pass-rate must be from 0 to 1", "for example: --min-pass-rate 0.95"));
  }
  for (const auto& text : options.requires_) gate.requires_.push_back(unwrap(tracking::parse_query(text)));
  for (const auto& text : options.max_regressions)
    gate.max_regressions.push_back(unwrap(llm::parse_max_regression(text)));
  if (!gate.max_regressions.empty() && options.baseline.empty()) {
    throw Failure(
        bad_input("--max-regression needs --baseline", "name the evaluation to compare with: --baseline RUN"));
  }
  gate.max_errors = options.max_errors;
  gate.max_regressed_cases = options.max_regressed_cases;
  if (options.max_regressed_cases > 0 && options.baseline.empty()) {
    throw Failure(
        bad_input("--max-regressed-cases needs --baseline", "name the evaluation to compare with: --baseline RUN"));
  }
  auto repo = optional_store();
  std::string source;
  // An evaluation that ended before recording its results fails the gate as incomplete (exit 1).
  auto loaded = llm::load_results(repo ? &*repo : nullptr, options.evaluation, &source, Exit::check_failed);
  bool machine_output = out::settings().json || options.markdown || !options.junit.empty();
  if (!loaded && loaded.error().exit == Exit::check_failed && machine_output) {
    print_unrecorded_gate(options, loaded.error());
    return 1;
  }
  auto results = unwrap(std::move(loaded));
  if (!options.baseline.empty()) {
    gate.baseline = unwrap(llm::load_results(repo ? &*repo : nullptr, options.baseline, &gate.baseline_source));
  }
  auto report = unwrap(llm::evaluate_gate(results, gate));
  if (!options.junit.empty()) unwrap(write_file_atomic(options.junit, llm::gate_junit(report, results, source)));
  if (out::settings().json) {
    out::print_json(llm::gate_json(report, results, source));
  } else if (options.markdown) {
    out::print(llm::gate_markdown(report, results, source));
  } else {
    print_gate_table(report, results, source);
  }
  return report.passed ? 0 : 1;
}

}  // namespace

void add_eval_gate(CLI::App& group) {
  auto options = std::make_shared<EvalGateOptions>();
  auto* command = add_command(group, "gate", "Pass or fail an evaluation against bounds and a baseline evaluation",
                              [options] { return run_eval_gate(*options); });
  command->footer(
      "EVALUATION is a run recorded by 'eval run' (id or prefix), a results file (eval run -o), or a\n"
      "registry reference (NAME#STAGE) to a version registered from an evaluation run.\n"
      "--baseline fails the gate when the golden set differs from the baseline's, when more than\n"
      "--max-regressed-cases of the baseline's cases passed then and not now or were not run, and when a\n"
      "--max-regression METRIC=DELTA is broken (default: pass_rate=0, the pass rate may not drop).\n"
      "Errored and skipped cases beyond --max-errors, a metric the evaluation should have produced and did\n"
      "not, or an evaluation killed before it recorded its results fail as incomplete. A name that is no\n"
      "metric of the evaluation (a typo, no 'metrics.') is bad input, with did-you-mean.\n"
      "The table, --json, --markdown and --junit outputs are described in docs/eval.md (\"mlops eval gate\").\n"
      "Exit status: 0 passed, 1 failed or incomplete, 2 bad input (no cases, an unknown metric).\n"
      "Example: mlops eval gate 01JD3 --min-pass-rate 0.95 --baseline support-bot#production --junit gate.xml");
  command->add_option("evaluation", options->evaluation, "The evaluation: a run, a results file or NAME#STAGE")
      ->required()
      ->option_text("RUN|RESULTS");
  command->add_option("--min-pass-rate", options->min_pass_rate, "The share of cases that must pass (0 to 1)")
      ->option_text("P");
  command
      ->add_option("--require", options->requires_,
                   "A condition on the metrics (metrics.rouge_l.mean >= 0.4); repeatable")
      ->option_text("EXPR");
  command
      ->add_option("--baseline", options->baseline,
                   "An evaluation to compare with: the same golden set, no case regressed, metrics within "
                   "--max-regression")
      ->option_text("REF");
  command
      ->add_option("--max-regression", options->max_regressions,
                   "How much METRIC may be worse than the baseline's (default with --baseline: pass_rate=0)")
      ->option_text("METRIC=DELTA");
  command
      ->add_option("--max-regressed-cases", options->max_regressed_cases,
                   "Baseline cases that may pass no longer, or not be run, with --baseline (default: 0)")
      ->option_text("N");
  command->add_option("--max-errors", options->max_errors, "Errored plus skipped cases tolerated (default: 0)")
      ->option_text("N");
  command->add_flag("--markdown", options->markdown, "Print the report as Markdown (for a CI comment)");
  command->add_option("--junit", options->junit, "Also write the gates and cases as JUnit XML to FILE")
      ->option_text("FILE");
  add_json_flag(*command);
}

}  // namespace mlops::cli
