// `mlops runs plot ID... --metric M`: a metric's curves drawn in the terminal, for a remote shell.
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/view/report.hpp"
#include "mlops/view/terminal_plot.hpp"

namespace mlops::cli {

namespace {

struct RunsPlotOptions {
  std::vector<std::string> ids;
  std::string metric;
  std::size_t width = 0;
  std::size_t height = 16;
  std::string style;
  bool log_y = false;
};

// The terminal's width, else $COLUMNS, else 80.
std::size_t plot_width() {
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
  return 80;
}

int run_runs_plot(const RunsPlotOptions& options) {
  if (options.height < 3 || options.height > 200) {
    throw Failure(bad_input(fmt::format("--height {} is out of range", options.height), "give 3 to 200 rows"));
  }
  if (options.width != 0 && (options.width < 20 || options.width > 1000)) {
    throw Failure(bad_input(fmt::format("--width {} is out of range", options.width), "give 20 to 1000 characters"));
  }
  Repo repo = require_store();
  auto store = open_runs_store(repo);
  std::vector<view::RunView> runs;
  for (const auto& given : options.ids) {
    view::RunView run;
    run.run = unwrap(store.get(unwrap(store.resolve(given))));
    runs.push_back(std::move(run));
  }
  unwrap(view::check_report_metrics(runs, {{options.metric}, ""}));
  std::vector<view::PlotSeries> series;
  for (auto& run : runs) {
    view::PlotSeries one{run.label(), {}};
    for (const auto& point : unwrap(store.history(run.run.id, options.metric))) {
      one.points.push_back({static_cast<double>(point.step), point.value});
    }
    series.push_back(std::move(one));
  }
  view::PlotOptions plot;
  plot.width = options.width ? options.width : plot_width();
  plot.height = options.height;
  plot.color = out::settings().color_stdout;
  plot.log_y = options.log_y;
  plot.title = options.metric;
  // Without colour, braille curves of several runs cannot be told apart: one mark per run.
  plot.style = options.style == "ascii" || (options.style.empty() && !plot.color && series.size() > 1)
                   ? view::PlotStyle::ascii
                   : view::PlotStyle::braille;
  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < runs.size(); ++i) {
      nlohmann::ordered_json points = nlohmann::ordered_json::array();
      for (const auto& point : view::downsample_min_max(series[i].points, plot.width)) {
        points.push_back({point.x, tracking::metric_value_json(point.y)});
      }
      list.push_back({{"id", runs[i].run.id},
                      {"name", runs[i].run.name},
                      {"points", series[i].points.size()},
                      {"drawn", std::move(points)}});
    }
    out::print_json({{"metric", options.metric}, {"runs", std::move(list)}});
    return 0;
  }
  for (const auto& one : series) {
    if (one.points.empty()) out::warn(fmt::format("{} has no '{}' points", one.label, options.metric));
  }
  out::print(view::terminal_plot(series, plot));
  return 0;
}

}  // namespace

void add_runs_plot(CLI::App& group) {
  auto options = std::make_shared<RunsPlotOptions>();
  auto* command = add_command(group, "plot", "Draw a metric's curves of runs in the terminal",
                              [options] { return run_runs_plot(*options); });
  command->add_option("ids", options->ids, "The runs (ids or unambiguous prefixes)")->required()->option_text("ID...");
  command->add_option("--metric", options->metric, "The metric to draw")->required()->option_text("NAME");
  command->add_option("--width", options->width, "Characters of the plot (default: the terminal's width, else 80)")
      ->option_text("N");
  command->add_option("--height", options->height, "Rows of the plot area (default 16)")->option_text("N");
  command
      ->add_option("--style", options->style,
                   "braille (2x4 dots a character, a colour per run) or ascii (a mark per run); default: braille, "
                   "or ascii for several runs without colour")
      ->check(CLI::IsMember({"braille", "ascii"}))
      ->option_text("STYLE");
  command->add_flag("--log", options->log_y, "Log scale for the values (points <= 0 are left out)");
  add_json_flag(*command);
  command->footer(
      "Each run is drawn from the minimum and maximum of every column, so spikes show however long the run.\n"
      "Example: mlops runs plot 01m8qwvb 01m8r2k4 --metric loss --log");
}

}  // namespace mlops::cli
