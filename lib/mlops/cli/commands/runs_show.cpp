// `mlops runs show ID [--json]`: everything recorded about a run.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/run_store.hpp"
#include "mlops/tracking/secrets.hpp"

namespace mlops::cli {

namespace {

struct RunsShowOptions {
  std::string id;
};

void section(std::string_view title) { out::print(out::paint(fmt::format("\n{}\n", title), out::Style::bold)); }

void pairs_table(const std::map<std::string, std::string>& pairs) {
  out::Table table({"KEY", "VALUE"});
  for (const auto& [key, value] : pairs) table.add_row({key, value});
  out::print(table.render());
}

int run_runs_show(const RunsShowOptions& options) {
  Repo repo = require_store();
  auto store = open_runs_store(repo);
  std::string id = unwrap(store.resolve(options.id));
  auto run = unwrap(store.get(id));
  auto history = unwrap(store.history(id));
  if (out::settings().json) {
    out::print_json(tracking::run_to_json(run, history));
    return 0;
  }
  auto label = [](std::string_view name) { return out::paint(fmt::format("{:<10}", name), out::Style::dim); };
  out::println("{} {}", label("run"), out::paint(run.id, out::Style::bold));
  out::println("{} {}", label("name"), run.name);
  out::println("{} {}{}", label("status"), run.status,
               run.exit_code ? fmt::format(" (exit {})", *run.exit_code) : std::string());
  out::println("{} {} by {} on {}", label("started"), display_time(run.start_time), run.user, run.host);
  if (run.end_time) {
    out::println("{} {} ({})", label("ended"), display_time(*run.end_time), display_duration(run.duration));
  }
  if (!run.command.empty()) {
    out::println("{} {}{}", label("command"), tracking::display_command(run.command),
                 run.cwd.empty() ? std::string() : fmt::format("  (in {})", run.cwd));
  }
  out::println("{} {}{}{}", label("git"), run.git_commit.empty() ? "(no commit)" : run.git_commit,
               run.git_branch.empty() ? std::string() : fmt::format(" on {}", run.git_branch),
               run.git_dirty ? " + uncommitted changes (artifact git.diff)" : "");
  if (run.data_dirty) {
    out::println(
        "{} {}", label("data"),
        out::paint("data-dirty: ran on data that its pointers do not describe (see STATE below)", out::Style::yellow));
  }
  auto tags = run.tags;
  if (auto it = tags.find(std::string(tracking::kDiffLeftOutTag)); it != tags.end()) {
    auto left_out = tracking::DiffLeftOut::from_json(it->second);
    tags.erase(it);
    if (!left_out.empty()) {
      out::println(
          "{} {}", label("diff"),
          out::paint(fmt::format("incomplete: left out of git.diff: {}", left_out.describe()), out::Style::yellow));
    }
  }
  if (auto it = tags.find(std::string(tracking::kRedactedTag)); it != tags.end()) {
    auto redactions = tracking::Redactions::from_json(it->second);
    tags.erase(it);
    if (auto values = redactions.describe_values(); !values.empty()) {
      out::println("{} credential-looking values recorded as [redacted]: {}", label("redacted"), values);
    }
    if (!redactions.files.empty()) {
      out::println("{} credential files left out of git.diff: {}", label("redacted"),
                   fmt::join(redactions.files, ", "));
    }
  }

  if (!run.params.empty()) {
    section("params");
    pairs_table(run.params);
  }
  if (!run.metrics.empty()) {
    section("metrics");
    std::map<std::string, std::vector<double>> series;
    for (const auto& point : history) series[point.key].push_back(point.value);
    out::Table table({"METRIC", "VALUE", "STEP", "POINTS", "HISTORY"});
    table.right_align(1);
    table.right_align(2);
    table.right_align(3);
    for (const auto& [key, point] : run.metrics) {
      const auto& values = series[key];
      table.add_row({key, display_number(point.value), std::to_string(point.step), std::to_string(values.size()),
                     values.size() > 1 ? sparkline(values) : ""});
    }
    out::print(table.render());
  }
  if (!tags.empty()) {
    section("tags");
    pairs_table(tags);
  }
  if (!run.data.empty()) {
    section("data");
    if (run.data_dirty) {
      // What ran, and what the pointer said when that was something else.
      out::Table table({"PATH", "VERSION", "SIZE", "STATE", "POINTER SAID"});
      table.right_align(2);
      for (const auto& version : run.data) {
        table.add_row({version.path, version.hash, out::human_bytes(version.size),
                       std::string(tracking::to_string(version.state)),
                       version.pointer_hash.empty() ? "" : version.pointer_hash});
      }
      out::print(table.render());
    } else {
      out::Table table({"PATH", "VERSION", "SIZE"});
      table.right_align(2);
      for (const auto& version : run.data) table.add_row({version.path, version.hash, out::human_bytes(version.size)});
      out::print(table.render());
    }
  }
  if (!run.artifacts.empty()) {
    section("artifacts");
    out::Table table({"NAME", "HASH", "SIZE", "KIND"});
    table.right_align(2);
    for (const auto& artifact : run.artifacts) {
      table.add_row({artifact.name, artifact.hash, out::human_bytes(artifact.size),
                     artifact.kind == "dir" ? fmt::format("dir ({} files)", artifact.files) : artifact.kind});
    }
    out::print(table.render());
  }
  if (!run.environment.empty()) {
    section("environment");
    // A Python run lists every installed distribution: counted here, listed with -v.
    std::map<std::string, std::string> shown;
    std::size_t packages = 0;
    for (const auto& [key, value] : run.environment) {
      if (key.starts_with("python.package.") && out::settings().verbosity <= 0) {
        ++packages;
      } else {
        shown.emplace(key, value);
      }
    }
    if (packages > 0) {
      shown.emplace("python.packages", fmt::format("{} installed (list them with -v)", packages));
    }
    pairs_table(shown);
  }
  if (out::settings().verbosity > 0 && !run.variables.empty()) {
    section("environment variables");
    pairs_table(run.variables);
  } else if (!run.variables.empty()) {
    out::println("\n{} environment variables recorded (secrets redacted); show them with -v", run.variables.size());
  }
  return 0;
}

}  // namespace

void add_runs_show(CLI::App& group) {
  auto options = std::make_shared<RunsShowOptions>();
  auto* command =
      add_command(group, "show", "Show everything recorded about a run", [options] { return run_runs_show(*options); });
  command->add_option("id", options->id, "The run (an id or unambiguous prefix)")->required()->option_text("ID");
  add_json_flag(*command);
}

}  // namespace mlops::cli
