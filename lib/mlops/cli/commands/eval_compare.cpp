// `mlops eval compare A B [--json|--markdown] [--junit FILE]`: what changed between two evaluations.
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
};

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
    auto show = [](const std::optional<double>& v) { return v ? fmt::format("{:.4g}", *v) : std::string("-"); };
    std::string delta = "-";
    if (d.baseline && d.candidate) {
      double change = *d.candidate - *d.baseline;
      delta = fmt::format("{:+.4g}", change);
      auto worse = d.regression();
      if (worse && *worse > 0) delta = out::paint(delta, out::Style::red);
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
  auto repo = optional_store();
  std::string a_source, b_source;
  auto a = unwrap(llm::load_results(repo ? &*repo : nullptr, options.baseline, &a_source));
  auto b = unwrap(llm::load_results(repo ? &*repo : nullptr, options.candidate, &b_source));
  if (a.cases.empty() || b.cases.empty()) {
    throw Failure(
        bad_input(fmt::format("{} has no cases: there is nothing to compare", a.cases.empty() ? a_source : b_source)));
  }
  auto comparison = llm::compare_results(a, b);
  if (!options.junit.empty())
    unwrap(write_file_atomic(options.junit, llm::comparison_junit(comparison, b, a_source, b_source)));
  if (out::settings().json) {
    out::print_json(llm::comparison_json(comparison, a_source, b_source));
  } else if (options.markdown) {
    out::print(llm::comparison_markdown(comparison, a_source, b_source));
  } else {
    print_comparison(comparison, a_source, b_source);
  }
  return 0;
}

}  // namespace

void add_eval_compare(CLI::App& group) {
  auto options = std::make_shared<EvalCompareOptions>();
  auto* command =
      add_command(group, "compare", "Show the cases that changed and the metric deltas between two evaluations",
                  [options] { return run_eval_compare(*options); });
  command->footer(
      "A and B are runs recorded by 'eval run', results files, or registry references (NAME#STAGE).\n"
      "Cases that passed in A and do not in B come first. To fail on them, use 'eval gate B --baseline A'.\n"
      "Example: mlops eval compare support-bot#production 01JD3 --markdown");
  command->add_option("a", options->baseline, "The earlier evaluation (the baseline)")->required()->option_text("A");
  command->add_option("b", options->candidate, "The later evaluation (the candidate)")->required()->option_text("B");
  command->add_flag("--markdown", options->markdown, "Print the comparison as Markdown (for a CI comment)");
  command->add_option("--junit", options->junit, "Also write B's cases as JUnit XML to FILE (regressions marked)")
      ->option_text("FILE");
  add_json_flag(*command);
}

}  // namespace mlops::cli
