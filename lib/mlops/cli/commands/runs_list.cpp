// `mlops runs list [--where EXPR] [--sort KEY] [--limit N] [--columns K,...] [--json|--csv|--ids]`
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

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

// The width the table may take: the terminal's, else $COLUMNS, else 160 (a pipe or a file).
std::size_t table_width() {
  if (out::stdout_is_terminal()) {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS")) {
    std::size_t value = 0;
    std::string_view text(columns);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && end == text.data() + text.size() && value > 0) return value;
  }
  return 160;
}

// Characters of an unpainted cell (UTF-8 continuation bytes do not count).
std::size_t cell_width(std::string_view cell) {
  return static_cast<std::size_t>(
      std::count_if(cell.begin(), cell.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Numbers are right-aligned: a column whose cells are all numbers (or "-" for none).
bool numeric_column(const std::vector<std::vector<std::string>>& rows, std::size_t column) {
  bool any = false;
  for (const auto& row : rows) {
    const std::string& cell = row[column];
    if (cell == "-" || cell.empty()) continue;
    if (cell == "nan" || cell == "inf" || cell == "-inf") {
      any = true;
      continue;
    }
    double value = 0;
    auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size()) return false;
    any = true;
  }
  return any;
}

nlohmann::ordered_json value_json(const tracking::Value& value) {
  if (auto* number = std::get_if<double>(&value)) return tracking::metric_value_json(*number);
  return std::get<std::string>(value);
}

// The selected runs, the extra columns, and the values to fill them with.
struct RunsListing {
  std::vector<tracking::SelectedRun> runs;
  std::vector<std::string> extra;  // keys of --where, --sort and --columns not among the fixed columns

  std::vector<std::string> ids() const {
    std::vector<std::string> ids;
    ids.reserve(runs.size());
    for (const auto& item : runs) ids.push_back(item.run.id);
    return ids;
  }
  static std::optional<tracking::Value> value_of(const tracking::SelectedRun& item, const std::string& key) {
    if (auto it = item.values.find(key); it != item.values.end()) return it->second;
    return std::nullopt;
  }
};

tracking::RunSelection selection_of(const RunsListOptions& options) {
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
  return selection;
}

// The keys of --where, --sort and --columns that are not already shown, once each.
std::vector<std::string> extra_columns(const tracking::RunSelection& selection) {
  std::vector<std::string> extra;
  auto add = [&](const std::string& key) {
    bool fixed = key == "id" || key == "name" || key == "status" || key == "start_time" || key == "duration" ||
                 key == "git.commit";
    if (!fixed && std::find(extra.begin(), extra.end(), key) == extra.end()) extra.push_back(key);
  };
  if (selection.where) {
    for (const auto& key : selection.where->keys()) add(key);
  }
  if (selection.sort) add(selection.sort->key);
  for (const auto& key : selection.columns) add(key);
  return extra;
}

void print_runs_json(tracking::RunStore& store, const RunsListing& listing) {
  auto ids = listing.ids();
  auto metrics = unwrap(store.final_metrics_of(ids));
  auto params = unwrap(store.pairs_of("params", ids));
  auto tags = unwrap(store.pairs_of("tags", ids));
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& item : listing.runs) {
    const auto& run = item.run;
    nlohmann::ordered_json entry = {
        {"id", run.id},
        {"name", run.name},
        {"status", tracking::to_string(run.status)},
        {"start_time", run.start_time},
        {"end_time", run.end_time ? nlohmann::ordered_json(*run.end_time) : nullptr},
        {"duration", run.duration ? nlohmann::ordered_json(*run.duration) : nullptr},
        {"exit_code", run.exit_code ? nlohmann::ordered_json(*run.exit_code) : nullptr},
        {"user", run.user},
        {"git", {{"commit", run.git_commit}, {"branch", run.git_branch}, {"dirty", run.git_dirty}}},
        {"data_dirty", run.data_dirty}};
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
}

void print_runs_csv(const RunsListing& listing) {
  std::string text;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) text += (i ? "," : "") + csv_field(cells[i]);
    text += '\n';
  };
  std::vector<std::string> header{"id", "name", "status", "start_time", "duration", "git.commit"};
  for (const auto& key : listing.extra) header.push_back(key);
  line(header);
  for (const auto& item : listing.runs) {
    const auto& run = item.run;
    std::vector<std::string> cells{run.id,
                                   run.name,
                                   std::string(tracking::to_string(run.status)),
                                   run.start_time,
                                   run.duration ? fmt::format("{}", *run.duration) : "",
                                   run.git_commit};
    for (const auto& key : listing.extra) {
      auto value = listing.value_of(item, key);
      cells.push_back(value ? tracking::format_value(*value) : "");
    }
    line(cells);
  }
  out::print(text);
}

// Which varying keys get the width first: an evaluation's pass rate (the number its runs are
// compared by), then the rest as they come, then what is wide or a detail: percentiles and
// latencies (an evaluation records a dozen), and content hashes (a prompt's or golden set's
// version, 38 characters that `runs show` has in full).
int column_rank(const tracking::RunColumn& column) {
  const std::string& key = column.key;
  if (key == "metrics.pass_rate" || (key.starts_with("metrics.") && key.ends_with(".pass_rate"))) return 0;
  if (key.starts_with("metrics.") &&
      (key.ends_with(".p50") || key.ends_with(".p95") || key.starts_with("metrics.latency_ms."))) {
    return 2;
  }
  for (const auto& value : column.values) {
    auto* text = value ? std::get_if<std::string>(&*value) : nullptr;
    if (text && text->starts_with("xxh3:")) return 2;
  }
  return 1;
}

// Adds to `header` and `rows` the params and metrics that vary among the runs, as many as fit
// the width; names the others on stderr. A key's cells are written only while they may fit.
void add_varying_columns(tracking::RunStore& store, RunsListing& listing, std::vector<std::string>& header,
                         std::vector<std::vector<std::string>>& rows) {
  std::size_t used = 0;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::size_t width = header[i].size();
    for (const auto& row : rows) width = std::max(width, cell_width(row[i]));
    used += width + 2;
  }
  std::size_t limit = table_width();
  std::vector<std::string> left_out;
  auto columns = unwrap(tracking::varying_columns(store, listing.runs));
  std::stable_sort(columns.begin(), columns.end(), [](const tracking::RunColumn& a, const tracking::RunColumn& b) {
    return column_rank(a) < column_rank(b);
  });
  for (auto& column : columns) {
    const std::string& key = column.key;
    if (std::find(listing.extra.begin(), listing.extra.end(), key) != listing.extra.end()) continue;
    std::vector<std::string> cells;
    std::size_t width = key.size();
    bool fits = used + width + 2 <= limit;
    for (std::size_t r = 0; fits && r < rows.size(); ++r) {
      cells.push_back(display_value(column.values[r]));
      width = std::max(width, cell_width(cells.back()));
      fits = used + width + 2 <= limit;
    }
    if (!fits) {
      left_out.push_back(key);
      continue;
    }
    used += width + 2;
    header.push_back(key);
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r].push_back(std::move(cells[r]));
  }
  if (!left_out.empty()) {
    out::note(fmt::format("{} more varying key{} not shown for the width ({}); pick columns with --columns",
                          left_out.size(), left_out.size() == 1 ? "" : "s", fmt::join(left_out, ", ")));
  }
}

void print_runs_table(tracking::RunStore& store, RunsListing& listing, bool default_columns) {
  std::vector<std::string> header{"ID", "NAME", "STATUS", "STARTED", "DURATION", "COMMIT"};
  for (const auto& key : listing.extra) header.push_back(key);
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : listing.runs) {
    const auto& run = item.run;
    std::vector<std::string> row{
        run.id,
        run.name,
        std::string(tracking::to_string(run.status)),
        display_time(run.start_time),
        display_duration(run.duration),
        run.git_commit.empty() ? "-" : run.git_commit.substr(0, 8) + (run.git_dirty ? "*" : "")};
    for (const auto& key : listing.extra) row.push_back(display_value(listing.value_of(item, key)));
    rows.push_back(std::move(row));
  }
  if (default_columns) add_varying_columns(store, listing, header, rows);
  out::Table table(header);
  table.right_align(4);  // DURATION
  for (std::size_t i = 6; i < header.size(); ++i) {
    if (numeric_column(rows, i)) table.right_align(i);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    auto& row = rows[r];
    auto status = listing.runs[r].run.status;
    if (status == tracking::RunStatus::failed || status == tracking::RunStatus::killed) {
      row[2] = out::paint(row[2], out::Style::red);
    } else if (status == tracking::RunStatus::finished) {
      row[2] = out::paint(row[2], out::Style::green);
    }
    table.add_row(std::move(row));
  }
  out::print(table.render());
}

int run_runs_list(const RunsListOptions& options) {
  tracking::RunSelection selection = selection_of(options);
  Repo repo = require_store();
  auto store = open_runs_store(repo);
  RunsListing listing;
  listing.runs = unwrap(tracking::select_runs(store, selection));
  listing.extra = extra_columns(selection);
  for (const auto& warning : unwrap(tracking::unknown_key_warnings(store, listing.extra))) out::warn(warning);
  if (options.ids) {
    // For scripts: RUN=$(mlops runs list --limit 1 --ids) is the newest run.
    for (const auto& item : listing.runs) out::println("{}", item.run.id);
  } else if (out::settings().json) {
    print_runs_json(store, listing);
  } else if (options.csv) {
    print_runs_csv(listing);
  } else if (listing.runs.empty()) {
    out::note(selection.where ? "no runs match the filter" : "no runs yet: record one with 'mlops run -- CMD'");
  } else {
    print_runs_table(store, listing, selection.columns.empty());
  }
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
  command
      ->add_option("--columns", options->columns,
                   "Also show these keys (comma-separated); without it, the params and metrics that vary "
                   "among the listed runs are shown, as many as fit")
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
      "duration, exit_code, command, git.commit, git.branch, git.dirty, data.dirty. Operators: = != < <= > >=,\n"
      "like/ilike 'pat%', in ('a', 'b'), not in; combine with and, or, not and parentheses.\n"
      "Text is quoted ('rf'); a run without the key does not match. Example:\n"
      "  mlops runs list --where \"metrics.acc > 0.5\" --sort -metrics.acc --limit 10");
}

}  // namespace mlops::cli
