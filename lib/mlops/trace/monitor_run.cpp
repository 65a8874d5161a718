// Reading a monitor's inputs and evaluating its rules.
#include "mlops/trace/monitor_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "mlops/core/suggest.hpp"

namespace mlops::trace {

Result<MonitorRun> run_monitor(const MonitorFile& file, const std::vector<std::string>& files, std::uint64_t at_ns,
                               SkipBad skip_bad, const DriftRunner& run_drift,
                               const std::vector<FeedbackEvent>* feedback) {
  MonitorRun run;
  if (!files.empty()) {
    run.inputs = files;
  } else {
    if (file.traces.empty()) {
      return std::unexpected(
          bad_input(fmt::format("no traces to check: '{}' has no 'traces:' and none were given", file.path),
                    "give the exports: mlops monitor check -c FILE traces/*.jsonl"));
    }
    auto found = monitor_inputs(file);
    if (!found) return std::unexpected(found.error());
    run.inputs = std::move(found->files);
    run.unmatched_patterns = std::move(found->unmatched);
  }
  PriceTable prices;
  if (!file.prices.empty()) {
    std::filesystem::path p = file.prices;
    if (p.is_relative()) p = std::filesystem::path(file.path).parent_path() / p;
    auto loaded = PriceTable::load(p.string());
    if (!loaded) {
      Error e = loaded.error();
      e.message = fmt::format("'{}', prices: {}", file.path, e.message);
      return std::unexpected(std::move(e));
    }
    prices = std::move(*loaded);
    run.priced = true;
  }
  CollectOptions options;
  options.skip_bad = skip_bad;
  options.classify.guardrail_attribute = file.guardrail_attribute;
  options.prices = &prices;
  auto collection = collect(run.inputs, options);
  if (!collection) return std::unexpected(collection.error());
  run.collection = std::move(*collection);
  if (feedback) attach_feedback(run.collection, *feedback, UnmatchedFeedback::keep);
  MLOPS_TRY(check_evaluation_series(file, run.collection));
  auto report = evaluate_rules(file, run.collection, at_ns, run_drift);
  if (!report) return std::unexpected(report.error());
  run.report = std::move(*report);
  return run;
}

std::vector<std::string> monitor_warnings(const MonitorFile& file, const MonitorRun& run) {
  std::vector<std::string> w;
  bool cost_rule = false;
  for (const auto& r : file.rules) cost_rule = cost_rule || r.expr.series == "cost_usd";
  if (run.priced || cost_rule) {
    for (const auto& [model, calls] : unpriced_models(run.collection))
      w.push_back(fmt::format("no price for model '{}' ({} calls): its cost is unknown; add it to the price table",
                              model, calls));
  }
  for (const auto& pattern : run.unmatched_patterns)
    w.push_back(
        fmt::format("'{}': traces '{}' matches no file (not written yet?): the series only it holds have no data",
                    file.path, pattern));
  for (const auto& f : run.collection.read.empty_files)
    w.push_back(fmt::format("'{}' is empty: is its exporter writing?", f));
  if (auto nothing = nothing_to_judge_warning(run.collection)) w.push_back(*nothing);
  // A matcher `label="value"` that no span has can never match: most often a typo ("caht"), which
  // would leave the rule without data for ever.
  const LabelTable& sets = run.collection.labels;
  for (const auto& rule : file.rules) {
    for (const auto& m : rule.expr.matchers) {
      if (m.kind != LabelMatcher::Kind::equal || sets.size() == 0) continue;
      std::vector<std::string> seen;
      bool found = false;
      for (std::uint32_t i = 0; i < sets.size() && !found; ++i) {
        const std::string* value = sets.at(i).get(m.label);
        if (!value || *value == "(no span)") continue;
        found = *value == m.value;
        if (!value->empty() && std::find(seen.begin(), seen.end(), *value) == seen.end()) seen.push_back(*value);
      }
      if (found || m.value.empty()) continue;
      if (seen.empty()) {
        w.push_back(fmt::format("alert '{}': no span in the inputs has a {} (the matcher {}=\"{}\" matches none)",
                                rule.alert, m.label, m.label, m.value));
        continue;
      }
      std::sort(seen.begin(), seen.end());
      std::string near = closest(m.value, seen);
      std::string listed;
      for (std::size_t i = 0; i < seen.size() && i < 8; ++i) listed += fmt::format("{}{}", i ? ", " : "", seen[i]);
      if (seen.size() > 8) listed += ", ...";
      w.push_back(fmt::format("alert '{}': no span in the inputs has {}=\"{}\"{} (seen: {})", rule.alert, m.label,
                              m.value, near.empty() ? "" : fmt::format(": did you mean \"{}\"?", near), listed));
    }
  }
  for (const auto& r : run.report.results)
    if (r.source_missing) w.push_back(fmt::format("alert '{}' ({}): {}", r.rule->alert, r.rule->expr.series, r.reason));
  if (run.collection.duplicate_spans)
    w.push_back(
        fmt::format("{} GenAI spans were read more than once (the same trace and span id: a file and its "
                    ".gz, overlapping globs?): each is counted once",
                    run.collection.duplicate_spans));
  if (run.collection.read.bad) w.push_back(fmt::format("{} bad lines skipped (--skip-bad)", run.collection.read.bad));
  if (run.collection.bad_timing)
    w.push_back(fmt::format("{} GenAI spans without a start time or ending before they start: left out of latency",
                            run.collection.bad_timing));
  return w;
}

}  // namespace mlops::trace
