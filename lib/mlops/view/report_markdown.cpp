// The Markdown summary of runs for a CI comment: a table of the runs with each metric's final
// value and a sparkline of its history, then the params that differ.
#include <fmt/format.h>

#include <set>

#include "mlops/tracking/display.hpp"
#include "mlops/view/report.hpp"

namespace mlops::view {

namespace {

// Text that reads as itself in a Markdown table cell: ASCII punctuation that Markdown (or the
// HTML a comment may hold) gives a meaning is backslash-escaped, line breaks become spaces.
std::string md_text(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      s += ' ';
    } else if (std::string_view("\\`*_[]<>#!|~&").find(c) != std::string_view::npos) {
      s += '\\';
      s += c;
    } else {
      s += c;
    }
  }
  return s;
}

std::string metric_cell(const RunView& view, const std::string& metric) {
  auto final_point = view.run.metrics.find(metric);
  if (final_point == view.run.metrics.end()) return "-";
  std::string cell = tracking::display_number(final_point->second.value);
  if (auto it = view.history.find(metric); it != view.history.end() && it->second.size() > 1) {
    std::vector<double> values;
    values.reserve(it->second.size());
    for (const auto& point : it->second) values.push_back(point.value);
    cell += " " + tracking::sparkline(values, 16);
  }
  return cell;
}

}  // namespace

std::string render_report_markdown(const std::vector<RunView>& runs, const ReportOptions& options) {
  auto metrics = report_metrics(runs, options);
  std::string md = fmt::format("### mlops runs report: {} run{}\n\n", runs.size(), runs.size() == 1 ? "" : "s");
  md += "| run | name | status | duration |";
  std::string rule = "|---|---|---|---:|";
  for (const auto& metric : metrics) {
    md += fmt::format(" {} |", md_text(metric));
    rule += "---|";
  }
  md += "\n" + rule + "\n";
  for (const auto& view : runs) {
    const auto& run = view.run;
    md += fmt::format("| {} | {} | {} | {} |", md_text(run.id), md_text(run.name), tracking::to_string(run.status),
                      tracking::display_duration(run.duration));
    for (const auto& metric : metrics) md += " " + metric_cell(view, metric) + " |";
    md += "\n";
  }
  std::set<std::string> keys;
  for (const auto& view : runs) {
    for (const auto& [key, value] : view.run.params) keys.insert(key);
  }
  std::string params;
  for (const auto& key : keys) {
    std::set<std::optional<std::string>> values;
    std::string row = fmt::format("| {} |", md_text(key));
    for (const auto& view : runs) {
      auto it = view.run.params.find(key);
      values.insert(it == view.run.params.end() ? std::nullopt : std::optional(it->second));
      row += fmt::format(" {} |", it == view.run.params.end() ? "-" : md_text(it->second));
    }
    if (runs.size() == 1 || values.size() > 1) params += row + "\n";
  }
  if (!params.empty()) {
    md += runs.size() == 1 ? "\n**Params**\n\n| param | value |\n|---|---|\n" : "\n**Params that differ**\n\n| param |";
    if (runs.size() > 1) {
      for (const auto& view : runs) md += fmt::format(" {} |", md_text(view.run.id));
      md += "\n|---|";
      for (std::size_t i = 0; i < runs.size(); ++i) md += "---|";
      md += "\n";
    }
    md += params;
  }
  return md;
}

}  // namespace mlops::view
