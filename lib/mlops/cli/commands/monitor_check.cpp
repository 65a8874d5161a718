// `mlops monitor check [-c monitors.yaml] [FILE...] [--at TIME] [--prom FILE] [--json]`.
#include <fmt/format.h>

#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/trace.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/feedback/store.hpp"
#include "mlops/trace/monitor_record.hpp"
#include "mlops/trace/monitor_run.hpp"
#include "mlops/trace/prometheus.hpp"
#include "mlops/trace/stats_report.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::cli {

namespace {

struct MonitorCheckOptions {
  std::string config = "monitors.yaml";
  std::vector<std::string> files;
  std::string at;
  std::string prom;
  bool skip_bad = false;
};

nlohmann::ordered_json check_json(const trace::MonitorRun& run) {
  nlohmann::ordered_json j;
  j["at"] = trace::format_time(run.report.at_ns);
  j["inputs"] = run.inputs;
  j["spans"] = run.collection.spans;
  j["genai_spans"] = run.collection.samples.size();
  auto rules = nlohmann::ordered_json::array();
  for (const auto& r : run.report.results) {
    nlohmann::ordered_json one;
    one["alert"] = r.rule->alert;
    one["expr"] = r.rule->expr.text;
    one["state"] = trace::to_string(r.state);
    one["fails"] = trace::fails(r.state);
    one["value"] = r.value ? nlohmann::ordered_json(*r.value) : nlohmann::ordered_json();
    one["samples"] = r.samples;
    one["for"] = trace::format_duration(r.rule->for_ns);
    one["reason"] = r.reason;
    one["labels"] = r.rule->labels;
    one["annotations"] = r.annotations;
    rules.push_back(one);
  }
  j["rules"] = rules;
  j["failed"] = run.report.failed();
  return j;
}

void print_check_table(const trace::MonitorRun& run) {
  out::Table table({"ALERT", "STATE", "VALUE", "CONDITION", "SAMPLES"});
  table.right_align(2);
  table.right_align(4);
  for (const auto& r : run.report.results) {
    std::string state(trace::to_string(r.state));
    if (trace::fails(r.state)) state = out::paint(state, out::Style::red);
    const auto& e = r.rule->expr;
    std::string condition = e.text;
    if (r.rule->for_ns) condition += fmt::format(" for {}", trace::format_duration(r.rule->for_ns));
    table.add_row(
        {r.rule->alert, state, r.value ? trace::short_number(*r.value) : "-", condition, std::to_string(r.samples)});
  }
  out::print(table.render());
  for (const auto& r : run.report.results) {
    if (r.state == trace::AlertState::inactive) continue;
    std::string line = fmt::format("{}: {}", r.rule->alert, r.reason);
    if (auto s = r.annotations.find("summary"); s != r.annotations.end() && trace::fails(r.state))
      line += fmt::format(" ({})", s->second);
    out::println("{}", line);
  }
  std::size_t failed = 0;
  for (const auto& r : run.report.results) failed += trace::fails(r.state);
  if (failed) {
    out::println("{} of {} alerts fired at {}", failed, run.report.results.size(),
                 trace::format_time(run.report.at_ns));
  } else {
    out::println("no alert fired at {} ({} rules, {} GenAI spans)", trace::format_time(run.report.at_ns),
                 run.report.results.size(), run.collection.samples.size());
  }
}

int run_monitor_check(const MonitorCheckOptions& o) {
  if (!o.prom.empty()) check_output_path(o.prom, "--prom");
  auto file = unwrap(trace::load_monitor_file(o.config));
  std::uint64_t at = trace::now_ns();
  if (!o.at.empty()) {
    auto t = trace::parse_time(o.at, at);
    if (!t)
      throw Failure(
          bad_input(fmt::format("--at '{}' is not a time", o.at),
                    "give an ISO 8601 time (--at 2026-12-01T11:00:00Z), a date (midnight UTC) or a duration before "
                    "now (--at 1h)"));
    at = *t;
  }
  // The repository's imported feedback feeds the feedback.* series (docs/feedback.md).
  auto events = unwrap(feedback::repository_feedback());
  auto run = unwrap(trace::run_monitor(file, o.files, at, o.skip_bad ? trace::SkipBad::yes : trace::SkipBad::no,
                                       monitor_drift_runner(o.config), events ? &*events : nullptr));
  if (!o.prom.empty()) write_output(o.prom, trace::prometheus_text(run.collection, run.report));
  // A check of the repository's monitors.yaml is kept for `mlops ready` ("a recent monitor check
  // passed"); one of another rules file is an experiment and must neither pass nor spoil that item.
  if (auto repo = find_store()) {
    auto relative = repo->relative(std::filesystem::absolute(o.config));
    if (relative && *relative == trace::kRepositoryMonitors)
      unwrap(trace::write_record(repo->store() / "monitor-check.json",
                                 trace::make_record(run.report, *relative, trace::now_ns())));
  }
  for (const auto& w : trace::monitor_warnings(file, run)) out::warn(w);
  if (out::settings().json) {
    out::print_json(check_json(run));
  } else {
    print_check_table(run);
  }
  return run.report.failed() ? 1 : 0;
}

}  // namespace

void add_monitor_check(CLI::App& group) {
  auto options = std::make_shared<MonitorCheckOptions>();
  auto* command = add_command(group, "check", "Evaluate alert rules over trace exports; exit 1 when one fires",
                              [options] { return run_monitor_check(*options); });
  command->footer(
      "Rules read SERIES[.STAT][{LABEL=\"v\"}][[WINDOW]] OP NUMBER, e.g. latency_ms.p95{operation=\"chat\"} > 3000,\n"
      "error_rate > 0.02, cost_usd.sum[1d] > 50, requests.rate[1m] > 10 (per second, as Prometheus'\n"
      "rate), eval.hallucination.mean > 0.1, feedback.negative_rate[1d] > 0.2 (the repository's\n"
      "imported feedback). A window [w] takes the spans that ended in (at - w, at];\n"
      "'for' needs the condition at every 'interval' (1m) from at - for to at. A cost over calls without\n"
      "a price fails as incomplete. FILE... replaces the file's 'traces:'. The rules, series and\n"
      "states: docs/monitoring.md.\n"
      "Exit status: 0 no alert fired, 1 an alert fired (or is incomplete), 2 bad input (an unknown series,\n"
      "a malformed rule or line), 3 an unreadable file.\n"
      "Example: mlops monitor check -c monitors.yaml --at 2026-12-01T11:00:00Z --prom "
      "/var/lib/node_exporter/mlops.prom\n"
      "Example: mlops monitor check traces/today.jsonl --json");
  command->add_option("-c,--config", options->config, "The rules file (default: monitors.yaml)")->option_text("FILE");
  command->add_option("files", options->files, "Trace and log exports (default: the file's traces:)")
      ->option_text("FILE...");
  command
      ->add_option("--at", options->at,
                   "Evaluate at this time (ISO 8601, a date: its midnight UTC, or 1h: an hour ago; default: now)")
      ->option_text("TIME");
  command
      ->add_option("--prom", options->prom,
                   "Also write the Prometheus text format to FILE (node_exporter's textfile collector)")
      ->option_text("FILE");
  command->add_flag("--skip-bad", options->skip_bad, "Count and skip malformed lines instead of stopping at the first");
  add_json_flag(*command);
}

}  // namespace mlops::cli
