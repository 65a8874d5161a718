// `mlops trace stats FILE... [--group-by model|operation|prompt|provider] [--since T] [--until T]
// [--prices FILE] [--json|--markdown|--html FILE]`.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/trace.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/feedback/store.hpp"
#include "mlops/trace/collect.hpp"
#include "mlops/trace/stats_report.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::cli {

namespace {

struct TraceStatsOptions {
  std::vector<std::string> files;
  std::string group_by = "operation";
  std::string since;
  std::string until;
  std::string prices;
  std::string guardrail_attribute;
  bool skip_bad = false;
  bool markdown = false;
  std::string html;
};

std::uint64_t parse_time_option(const std::string& text, const char* option) {
  auto t = trace::parse_time(text, trace::now_ns());
  if (!t) {
    throw Failure(bad_input(fmt::format("{} '{}' is not a time", option, text),
                            "give an ISO 8601 time (2026-12-01T09:00:00Z), a date (2026-12-01: midnight UTC) or a "
                            "duration before now (1h, 7d)"));
  }
  return *t;
}

int run_trace_stats(const TraceStatsOptions& o) {
  if (o.markdown && out::settings().json) throw Failure(bad_input("--json and --markdown exclude each other"));
  trace::StatsOptions stats;
  auto group_by = trace::parse_group_by(o.group_by);
  if (!group_by) {
    throw Failure(bad_input(fmt::format("--group-by '{}' is not a label", o.group_by),
                            "group by one of: operation, model, prompt, provider"));
  }
  stats.group_by = *group_by;
  if (!o.since.empty()) stats.since_ns = parse_time_option(o.since, "--since");
  if (!o.until.empty()) stats.until_ns = parse_time_option(o.until, "--until");
  if (stats.since_ns && stats.until_ns && *stats.until_ns <= *stats.since_ns)
    throw Failure(bad_input("--until is not after --since", "the window is [--since, --until)"));
  if (!o.html.empty()) check_output_path(o.html, "--html");
  trace::PriceTable prices;
  if (!o.prices.empty()) prices = unwrap(trace::PriceTable::load(o.prices));
  trace::CollectOptions collect;
  collect.skip_bad = o.skip_bad ? trace::SkipBad::yes : trace::SkipBad::no;
  collect.classify.guardrail_attribute = o.guardrail_attribute;
  collect.prices = &prices;
  auto collection = unwrap(trace::collect(o.files, collect));
  // The repository's imported feedback, on the spans read (docs/feedback.md).
  if (auto events = unwrap(feedback::repository_feedback()))
    trace::attach_feedback(collection, *events, trace::UnmatchedFeedback::drop);
  auto report = trace::summarize(collection, stats);
  if (!o.html.empty()) write_output(o.html, trace::stats_html(report));
  for (const auto& f : collection.read.empty_files)
    out::warn(fmt::format("'{}' is empty: is its exporter writing?", f));
  if (auto w = trace::nothing_to_judge_warning(collection)) out::warn(*w);
  for (const auto& w : trace::stats_warnings(report)) out::warn(w);
  for (const auto& [model_side, calls] :
       trace::priced_without_a_side(collection, prices, stats.since_ns, stats.until_ns))
    out::warn(fmt::format("the price of '{}' has no {} price, but {} calls carry {} tokens: priced at 0 for them",
                          model_side.first, model_side.second, calls, model_side.second));
  for (const auto& b : collection.read.bad_examples)
    out::detail(fmt::format("skipped '{}', line {}: {}", b.file, b.line, b.why));
  if (out::settings().json) {
    out::print_json(trace::stats_json(report));
  } else if (o.markdown) {
    out::print(trace::stats_markdown(report));
  } else if (report.groups.empty()) {
    out::println("no GenAI spans in {} spans read{}", report.spans,
                 stats.since_ns || stats.until_ns ? " (in the --since/--until window)" : "");
  } else {
    out::print(trace::stats_table(report));
  }
  if (!o.html.empty()) out::note(fmt::format("wrote '{}'", o.html));
  return 0;
}

}  // namespace

void add_trace_stats(CLI::App& group) {
  auto options = std::make_shared<TraceStatsOptions>();
  auto* command =
      add_command(group, "stats", "Latency, time to first token, tokens, cost, errors and scores of GenAI spans",
                  [options] { return run_trace_stats(*options); });
  command->footer(
      "FILE is an OTLP/JSON export: the OpenTelemetry collector's file exporter (JSON lines of TracesData\n"
      "or LogsData, .gz allowed) or OTLP/JSON documents. Spans are classified by gen_ai.operation.name or\n"
      "openinference.span.kind; evaluation scores come from gen_ai.evaluation.result log records or events.\n"
      "Percentiles are exact up to 4096 values per group, then within 1% relative error.\n"
      "Cost is a span's own cost attribute, else tokens times --prices (USD per million tokens).\n"
      "In a repository with imported feedback (mlops feedback import), its events on the spans read are\n"
      "counted per group: negative rate, ratings, edits, copies, regenerations.\n"
      "The figures, their attribute names and the JSON document: docs/traces.md.\n"
      "Exit status: 0 done, 2 bad input (a malformed line, an unknown --group-by), 3 an unreadable file.\n"
      "Example: mlops trace stats traces/*.jsonl --group-by model --prices prices.yaml\n"
      "Example: mlops trace stats traces.jsonl.gz logs.jsonl --since 2026-12-01T00:00:00Z --json");
  command->add_option("files", options->files, "OTLP/JSON trace (and log) exports")->required()->option_text("FILE...");
  command->add_option("--group-by", options->group_by, "Group by operation (default), model, prompt or provider")
      ->check(CLI::IsMember({"operation", "model", "prompt", "provider"}))
      ->option_text("LABEL");
  command
      ->add_option(
          "--since", options->since,
          "Only spans that ended at or after this time (ISO 8601, a date: its midnight UTC, or 1h: an hour ago)")
      ->option_text("TIME");
  command->add_option("--until", options->until, "Only spans that ended before this time")->option_text("TIME");
  command
      ->add_option("--prices", options->prices, "A price table (YAML, USD per million tokens) for spans without a cost")
      ->option_text("FILE");
  command
      ->add_option("--guardrail-attribute", options->guardrail_attribute,
                   "A span attribute that is true when a guardrail fired (no standard one exists)")
      ->option_text("KEY");
  command->add_flag("--skip-bad", options->skip_bad, "Count and skip malformed lines instead of stopping at the first");
  command->add_flag("--markdown", options->markdown, "Print the report as Markdown");
  command->add_option("--html", options->html, "Also write the report as a self-contained HTML page")
      ->option_text("FILE");
  add_json_flag(*command);
}

}  // namespace mlops::cli
