// `mlops runs list [--where EXPR] [--sort KEY] [--limit N] [--columns K,...] [--json|--csv|--ids]`
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/run_query.hpp"

namespace mlops::cli {

namespace {

struct RunsListOptions {
  std::string where;
  std::string sort;
  std::size_t limit = 0;
  std::vector<std::string> columns;
  bool csv = false;
  bool ids = false;
};

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

nlohmann::ordered_json value_json(const tracking::Value& value) {
  if (auto* number = std::get_if<double>(&value)) return tracking::metric_value_json(*number);
  return std::get<std::string>(value);
}

int run_runs_list(const RunsListOptions& options) {
  tracking::RunSelection selection;
  if (!options.where.empty()) selection.where = unwrap(tracking::parse_query(options.where));
  if (!options.sort.empty()) selection.sort = unwrap(tracking::parse_sort_key(options.sort));
  for (const auto& column : options.columns) {
    auto key = unwrap(tracking::parse_sort_key(column)).key;
    if (!tracking::is_run_key(key)) {
      throw Failure(bad_input(fmt::format("unknown column '{}'", column),
                              "name columns as metrics.NAME, params.NAME, tags.NAME or an attribute such as user"));
    }
    selection.columns.push_back(key);
  }
  selection.limit = options.limit;
  Repo repo = require_store();
  auto store = open_runs_store(repo);
  auto runs = unwrap(tracking::select_runs(store, selection));

  // Extra columns: the keys of --where, --sort and --columns that are not already shown.
  std::vector<std::string> extra;
  auto shown = [](const std::string& key) {
    return key == "id" || key == "name" || key == "status" || key == "start_time" || key == "duration" ||
           key == "git.commit";
  };
  if (selection.where) {
    for (const auto& key : selection.where->keys()) {
      if (!shown(key)) extra.push_back(key);
    }
  }
  if (selection.sort && !shown(selection.sort->key) &&
      std::find(extra.begin(), extra.end(), selection.sort->key) == extra.end()) {
    extra.push_back(selection.sort->key);
  }
  for (const auto& key : selection.columns) {
    if (!shown(key) && std::find(extra.begin(), extra.end(), key) == extra.end()) extra.push_back(key);
  }
  auto value_of = [](const tracking::SelectedRun& item, const std::string& key) -> std::optional<tracking::Value> {
    auto it = item.values.find(key);
    if (it == item.values.end()) return std::nullopt;
    return it->second;
  };

  if (options.ids) {
    // For scripts: RUN=$(mlops runs list --limit 1 --ids) is the newest run.
    for (const auto& item : runs) out::println("{}", item.run.id);
    return 0;
  }
  if (out::settings().json) {
    auto metrics = unwrap(store.all_final_metrics());
    auto params = unwrap(store.all_pairs("params"));
    auto tags = unwrap(store.all_pairs("tags"));
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& item : runs) {
      const auto& run = item.run;
      nlohmann::ordered_json entry = {
          {"id", run.id},
          {"name", run.name},
          {"status", run.status},
          {"start_time", run.start_time},
          {"end_time", run.end_time ? nlohmann::ordered_json(*run.end_time) : nullptr},
          {"duration", run.duration ? nlohmann::ordered_json(*run.duration) : nullptr},
          {"exit_code", run.exit_code ? nlohmann::ordered_json(*run.exit_code) : nullptr},
          {"user", run.user},
          {"git", {{"commit", run.git_commit}, {"branch", run.git_branch}, {"dirty", run.git_dirty}}}};
      nlohmann::ordered_json run_metrics = nlohmann::ordered_json::object();
      for (const auto& [key, value] : metrics[run.id]) run_metrics[key] = tracking::metric_value_json(value);
      entry["metrics"] = std::move(run_metrics);
      entry["params"] = params[run.id];
      entry["tags"] = tags[run.id];
      nlohmann::ordered_json values = nlohmann::ordered_json::object();
      for (const auto& [key, value] : item.values) values[key] = value_json(value);
      entry["values"] = std::move(values);
      list.push_back(std::move(entry));
    }
    out::print_json({{"runs", std::move(list)}});
    return 0;
  }

  std::vector<std::string> header{"ID", "NAME", "STATUS", "STARTED", "DURATION", "COMMIT"};
  for (const auto& key : extra) header.push_back(key);
  auto row_of = [&](const tracking::SelectedRun& item) {
    const auto& run = item.run;
    std::vector<std::string> row{
        run.id,
        run.name,
        run.status,
        display_time(run.start_time),
        display_duration(run.duration),
        run.git_commit.empty() ? "-" : run.git_commit.substr(0, 8) + (run.git_dirty ? "*" : "")};
    for (const auto& key : extra) row.push_back(display_value(value_of(item, key)));
    return row;
  };
  if (options.csv) {
    std::string text;
    auto line = [&](const std::vector<std::string>& cells) {
      for (std::size_t i = 0; i < cells.size(); ++i) text += (i ? "," : "") + csv_field(cells[i]);
      text += '\n';
    };
    std::vector<std::string> csv_header{"id", "name", "status", "start_time", "duration", "git.commit"};
    for (const auto& key : extra) csv_header.push_back(key);
    line(csv_header);
    for (const auto& item : runs) {
      const auto& run = item.run;
      std::vector<std::string> cells{
          run.id,        run.name, run.status, run.start_time, run.duration ? fmt::format("{}", *run.duration) : "",
          run.git_commit};
      for (const auto& key : extra) {
        auto value = value_of(item, key);
        cells.push_back(value ? tracking::format_value(*value) : "");
      }
      line(cells);
    }
    out::print(text);
    return 0;
  }
  if (runs.empty()) {
    out::note(selection.where ? "no runs match the filter" : "no runs yet: record one with 'mlops run -- CMD'");
    return 0;
  }
  out::Table table(header);
  for (std::size_t i = 6; i < header.size(); ++i) table.right_align(i);
  for (const auto& item : runs) {
    auto row = row_of(item);
    if (item.run.status == tracking::kFailed || item.run.status == tracking::kKilled) {
      row[2] = out::paint(row[2], out::Style::red);
    } else if (item.run.status == tracking::kFinished) {
      row[2] = out::paint(row[2], out::Style::green);
    }
    table.add_row(std::move(row));
  }
  out::print(table.render());
  return 0;
}

}  // namespace

void add_runs_list(CLI::App& group) {
  auto options = std::make_shared<RunsListOptions>();
  auto* command =
      add_command(group, "list", "List runs, filtered and sorted", [options] { return run_runs_list(*options); });
  command->alias("ls");
  command->add_option("--where", options->where, "Keep the runs that match EXPR (see below)")->option_text("EXPR");
  command->add_option("--sort", options->sort, "Sort by KEY; -KEY sorts descending (default: newest first)")
      ->option_text("KEY");
  command->add_option("--limit", options->limit, "Show at most N runs")->option_text("N");
  command->add_option("--columns", options->columns, "Also show these keys (comma-separated)")
      ->delimiter(',')
      ->option_text("KEYS");
  auto* csv = command->add_flag("--csv", options->csv, "Print CSV instead of a table");
  add_json_flag(*command);
  csv->excludes(command->get_option("--json"));
  auto* ids = command->add_flag("--ids", options->ids, "Print only the run ids, one per line (for scripts)");
  ids->excludes(csv)->excludes(command->get_option("--json"));
  command->footer(
      "Filter expressions follow MLflow's search syntax:\n"
      "  metrics.acc > 0.9 and params.model = 'rf' and tags.team != 'x' and status = 'finished'\n"
      "Keys: metrics.NAME, params.NAME, tags.NAME, id, name, status, user, host, start_time, end_time,\n"
      "duration, exit_code, command, git.commit, git.branch, git.dirty. Operators: = != < <= > >=,\n"
      "like/ilike 'pat%', in ('a', 'b'), not in; combine with and, or, not and parentheses.\n"
      "Text is quoted ('rf'); a run without the key does not match. Example:\n"
      "  mlops runs list --where \"metrics.acc > 0.5\" --sort -metrics.acc --limit 10");
}

}  // namespace mlops::cli
