// `mlops runs report [ID...|--where EXPR] [-o FILE] [--markdown]`: the Compare and Run views as one
// self-contained HTML page (or a Markdown summary) for CI artifacts and pull-request comments.
#include <fmt/format.h>

#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_query.hpp"
#include "mlops/view/report.hpp"

namespace mlops::cli {

namespace {

struct RunsReportOptions {
  std::vector<std::string> ids;
  std::string where;
  std::string output;
  std::vector<std::string> metrics;
  std::string primary;
  std::size_t limit = 20;
  bool markdown = false;
};

// The runs named, or those --where selects (all when neither is given), newest first, at most --limit.
std::vector<std::string> report_ids(tracking::RunStore& store, const RunsReportOptions& options) {
  std::vector<std::string> ids;
  if (!options.ids.empty()) {
    for (const auto& given : options.ids) {
      auto id = unwrap(store.resolve(given));
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    return ids;
  }
  tracking::RunSelection selection;
  if (!options.where.empty()) selection.where = unwrap(tracking::parse_query(options.where));
  for (const auto& item : unwrap(tracking::select_runs(store, selection))) ids.push_back(item.run.id);
  // A misspelt key matches nothing: said with the nearest key, as the hint when nothing matched.
  std::vector<std::string> unknown;
  if (selection.where) unknown = unwrap(tracking::unknown_key_warnings(store, selection.where->keys()));
  if (ids.empty()) {
    throw Failure(bad_input(options.where.empty() ? "no runs to report" : "no runs match the filter",
                            options.where.empty() ? "record one with 'mlops run -- CMD'"
                            : unknown.empty()     ? "see the runs there are with 'mlops runs list'"
                                                  : unknown.front()));
  }
  for (const auto& warning : unknown) out::warn(warning);
  if (options.limit > 0 && ids.size() > options.limit) {
    out::note(fmt::format("{} runs match; the report has the newest {} (raise --limit to have more)", ids.size(),
                          options.limit));
    ids.resize(options.limit);
  }
  return ids;
}

int run_runs_report(const RunsReportOptions& options) {
  if (!options.ids.empty() && !options.where.empty()) {
    throw Failure(bad_input("give run ids or --where, not both", "mlops runs report --where \"metrics.acc > 0.9\""));
  }
  if (out::settings().json && options.output.empty()) {
    throw Failure(
        bad_input("--json describes the report written with -o FILE", "mlops runs report -o report.html --json"));
  }
  // A folder that is not there: said of the folder, not of the temp file the write would create.
  if (!options.output.empty() && options.output != "-") {
    auto folder = std::filesystem::path(options.output).parent_path();
    std::error_code ec;
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
      throw Failure(bad_input(fmt::format("the folder '{}' of -o does not exist", folder.string()),
                              fmt::format("create it first: mkdir -p '{}'", folder.string())));
    }
  }
  // A bad filter is a usage error before the store is opened.
  if (!options.where.empty()) unwrap(tracking::parse_query(options.where));
  Repo repo = require_store();
  auto store = open_runs_store(repo);
  auto ids = report_ids(store, options);
  auto runs = unwrap(view::load_run_views(repo, store, ids));
  view::ReportOptions report{options.metrics, options.primary};
  unwrap(view::check_report_metrics(runs, report));
  std::string text =
      options.markdown ? view::render_report_markdown(runs, report) : view::render_report_html(runs, report);
  if (options.output.empty() || options.output == "-") {
    out::print(text);
    return 0;
  }
  unwrap(write_file_atomic(options.output, text));
  if (out::settings().json) {
    nlohmann::ordered_json doc = {{"output", options.output},
                                  {"format", options.markdown ? "markdown" : "html"},
                                  {"bytes", text.size()},
                                  {"runs", ids},
                                  {"metrics", view::report_metrics(runs, report)}};
    out::print_json(doc);
    return 0;
  }
  out::note(fmt::format("wrote {} ({}, {} run{})", options.output, out::human_bytes(text.size()), ids.size(),
                        ids.size() == 1 ? "" : "s"));
  return 0;
}

}  // namespace

void add_runs_report(CLI::App& group) {
  auto options = std::make_shared<RunsReportOptions>();
  auto* command = add_command(group, "report", "Write the Compare and Run views of runs as one HTML file (or Markdown)",
                              [options] { return run_runs_report(*options); });
  command->add_option("ids", options->ids, "The runs (ids or unambiguous prefixes); default: --where, or all runs")
      ->option_text("ID...");
  command->add_option("--where", options->where, "Report the runs that match EXPR (the filter of 'runs list')")
      ->option_text("EXPR");
  command->add_option("-o,--output", options->output, "Write to FILE (atomically) instead of standard output")
      ->option_text("FILE");
  command->add_flag("--markdown", options->markdown,
                    "A Markdown summary (final metrics with sparklines, params that differ) for a CI comment");
  command->add_option("--metric", options->metrics, "Chart only these metrics, in this order (comma-separated)")
      ->delimiter(',')
      ->option_text("NAMES");
  command
      ->add_option("--primary", options->primary,
                   "The metric the scatter plots and parallel coordinates use (default: a held-out score the runs "
                   "share, docs/ui.md)")
      ->option_text("NAME");
  command
      ->add_option("--limit", options->limit, "With --where or no ids: the newest N runs at most (0: all; default 20)")
      ->option_text("N");
  add_json_flag(*command);
  command->footer(
      "The page loads nothing from the network, reads without scripts (inline SVG charts, data tables),\n"
      "and gives the same bytes for the same runs.\n"
      "Examples:\n"
      "  mlops runs report --where \"params.model = 'rf'\" -o report.html\n"
      "  mlops runs report 01m8shpaem 01m8shp7ty --markdown >> \"$GITHUB_STEP_SUMMARY\"");
}

}  // namespace mlops::cli
