// `mlops eval compare A B [--json|--markdown] [--junit FILE] [--exit-code [--max-regression
// METRIC=DELTA]...]`: what changed between two evaluations, and with --exit-code whether B is worse
// than A beyond the tolerance (exit 1), as `git diff --exit-code` says whether anything changed.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/eval.hpp"
#include "mlops/cli/commands/eval_common.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/eval_gate.hpp"
#include "mlops/llm/eval_record.hpp"
#include "mlops/llm/eval_report.hpp"
#include "mlops/tracking/display.hpp"

namespace mlops::cli {

namespace {

struct EvalCompareOptions {
  std::string baseline;
  std::string candidate;
  bool markdown = false;
  std::string junit;
  bool exit_code = false;
  std::vector<std::string> max_regressions;
};

// With --exit-code: each tolerance rule's verdict, after the comparison.
void print_tolerance(const std::vector<llm::GateCheck>& checks) {
  for (const auto& c : checks) {
    std::string verdict = c.passed       ? out::paint("within", out::Style::green)
                          : c.incomplete ? out::paint("incomplete", out::Style::red)
                                         : out::paint("WORSE", out::Style::red);
    out::println("{}: {}: {} (bound {}){}", verdict, c.gate, c.shown, c.bound.empty() ? "-" : c.bound,
                 c.reason.empty() ? "" : "; " + c.reason);
  }
}

std::string tolerance_markdown(const std::vector<llm::GateCheck>& checks, bool worse) {
  std::string md = worse ? "\n**Worse than the baseline beyond the tolerance:**\n\n" : "\nWithin the tolerance:\n\n";
  for (const auto& c : checks) {
    md += fmt::format("- {} {}: {} (bound {}){}\n", c.passed ? "✅" : "❌", c.gate, c.shown,
                      c.bound.empty() ? "-" : c.bound, c.reason.empty() ? "" : "; " + c.reason);
  }
  return md;
}

void print_comparison(const llm::EvalComparison& comparison, const std::string& a, const std::string& b) {
  out::println("{} -> {}", a, b);
  if (comparison.flips.empty()) {
    out::println("no case changed status");
  } else {
    out::Table flips({"CASE", "PROVIDER", "BEFORE", "AFTER"});
    for (const auto& f : comparison.flips) {
      auto paint = [&](std::string_view text) {
        return f.regression() ? out::paint(text, out::Style::red) : out::paint(text, out::Style::green);
      };
      flips.add_row({paint(f.id), f.provider, std::string(llm::to_string(f.before)), paint(llm::to_string(f.after))});
    }
    out::print(flips.render());
  }
  out::Table metrics({"METRIC", "A", "B", "DELTA"});
  for (std::size_t i = 1; i <= 3; ++i) metrics.right_align(i);
  for (const auto& d : comparison.deltas) {
    auto show = [](const std::optional<double>& v) { return v ? llm::human_number(*v) : std::string("-"); };
    std::string delta = "-";
    if (d.baseline && d.candidate) {
      delta = llm::signed_number(*d.candidate - *d.baseline);
      // In words as well as in red: a pipe, a log or NO_COLOR shows no colour.
      auto worse = d.regression();
      if (worse && *worse > 0) delta = out::paint(delta + " (worse)", out::Style::red);
    }
    metrics.add_row({d.metric, show(d.baseline), show(d.candidate), delta});
  }
  out::print(metrics.render());
  if (comparison.only_baseline + comparison.only_candidate > 0) {
    out::note(fmt::format("{} cases only in A, {} only in B", comparison.only_baseline, comparison.only_candidate));
  }
  std::size_t regressions = comparison.regressions();
  out::println("{} case{} passed in A and not in B", regressions, regressions == 1 ? "" : "s");
}

int run_eval_compare(const EvalCompareOptions& options) {
  if (options.markdown && out::settings().json) throw Failure(bad_input("--json and --markdown exclude each other"));
  std::vector<std::pair<std::string, double>> rules;
  for (const auto& text : options.max_regressions) rules.push_back(unwrap(llm::parse_max_regression(text)));
  auto repo = optional_store();
  std::string a_source, b_source;
  auto a = unwrap(llm::load_results(repo ? &*repo : nullptr, options.baseline, &a_source));
  auto b = unwrap(llm::load_results(repo ? &*repo : nullptr, options.candidate, &b_source));
  if (a.cases.empty() || b.cases.empty()) {
    throw Failure(
        bad_input(fmt::format("{} has no cases: there is nothing to compare", a.cases.empty() ? a_source : b_source)));
  }
  if (options.exit_code) unwrap(llm::check_regression_rules(rules, a, b));
  auto comparison = llm::compare_results(a, b);
  // Before anything else: every delta below compares different cases.
  if (!comparison.same_golden()) out::warn(llm::golden_warning(comparison));
  if (auto warning = llm::provider_warning(a, b, comparison)) out::warn(*warning);
  std::vector<llm::GateCheck> tolerance;
  if (options.exit_code) tolerance = llm::regression_checks(comparison, rules);
  bool worse = false;
  for (const auto& c : tolerance) worse = worse || !c.passed;
  if (!options.junit.empty())
    unwrap(write_file_atomic(options.junit, llm::comparison_junit(comparison, b, a_source, b_source)));
  if (out::settings().json) {
    auto doc = llm::comparison_json(comparison, a_source, b_source);
    if (options.exit_code) {
      doc["worse"] = worse;
      doc["tolerance"] = nlohmann::ordered_json::array();
      for (const auto& c : tolerance) doc["tolerance"].push_back(llm::gate_check_json(c));
    }
    out::print_json(doc);
  } else if (options.markdown) {
    out::print(llm::comparison_markdown(comparison, a_source, b_source) +
               (options.exit_code ? tolerance_markdown(tolerance, worse) : ""));
  } else {
    print_comparison(comparison, a_source, b_source);
    print_tolerance(tolerance);
  }
  return worse ? 1 : 0;
}

}  // namespace

void add_eval_compare(CLI::App& group) {
  auto options = std::make_shared<EvalCompareOptions>();
  auto* command =
      add_command(group, "compare", "Show the cases that changed and the metric deltas between two evaluations",
                  [options] { return run_eval_compare(*options); });
  command->footer(
      "A and B are runs recorded by 'eval run', results files, or registry references (NAME#STAGE).\n"
      "Cases that passed in A and do not in B come first. With --exit-code, exit 1 when B is worse than A\n"
      "beyond the tolerance: any --max-regression METRIC=DELTA broken (default: pass_rate=0, the pass rate\n"
      "may not drop), or a metric it names missing on either side.\n"
      "Exit status: 0 (without --exit-code, always), 1 worse with --exit-code, 2 bad input.\n"
      "Example: mlops eval compare support-bot#production 01JD3 --exit-code --max-regression pass_rate=0.02");
  command->add_option("a", options->baseline, "The earlier evaluation (the baseline)")->required()->option_text("A");
  command->add_option("b", options->candidate, "The later evaluation (the candidate)")->required()->option_text("B");
  command->add_flag("--markdown", options->markdown, "Print the comparison as Markdown (for a CI comment)");
  command->add_option("--junit", options->junit, "Also write B's cases as JUnit XML to FILE (regressions marked)")
      ->option_text("FILE");
  auto* exit_code = command->add_flag("--exit-code", options->exit_code,
                                      "Exit 1 when B is worse than A beyond the tolerance (--max-regression)");
  command
      ->add_option("--max-regression", options->max_regressions,
                   "How much METRIC of B may be worse than A's, with --exit-code (default: pass_rate=0); repeatable")
      ->option_text("METRIC=DELTA")
      ->needs(exit_code);
  add_json_flag(*command);
}

}  // namespace mlops::cli
