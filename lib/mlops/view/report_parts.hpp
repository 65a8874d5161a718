#pragma once
// The pieces report_html.cpp and report_run.cpp share (not for other modules).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mlops/view/chart_svg.hpp"
#include "mlops/view/report.hpp"

namespace mlops::view::detail {

// One run's curve of one metric: the downsampled points, with their steps and times.
struct CurveSeries {
  std::string label;
  std::size_t color = 0;
  std::vector<double> steps;
  std::vector<double> seconds;  // since the run's first point of this metric
  std::vector<double> values;
};
CurveSeries curve_series(const RunView& run, std::size_t color, const std::string& metric, std::size_t buckets);

// A <figure> with the curves of `metric` for `series` (a legend, the SVG, and a data table:
// points, first, minimum, maximum and final value of each run), and the chart's entry for the
// page's script appended to `charts`. `id` names the chart; it is never user text.
std::string curve_figure(const std::string& id, const std::string& metric,
                         const std::vector<std::pair<const RunView*, CurveSeries>>& series,
                         nlohmann::ordered_json& charts);

// <td class="num" data-value="0.5">0.5</td> for a number; <td>-</td> for none.
std::string number_cell(std::optional<double> value);
// The anchor of a run's section ("run-01J…").
std::string run_anchor(const tracking::RunRecord& run);
// The Compare view of several runs: runs table, curves, finals, scatter, parallel coordinates,
// differences. `run_link` makes a run's href from its anchor ("#run-ID" in the report).
std::string compare_section(const std::vector<RunView>& runs, const ReportOptions& options,
                            const std::vector<std::string>& metrics, nlohmann::ordered_json& charts,
                            std::string_view run_link_prefix = "#");
// The Run view: everything `runs show` has, curves, artifacts, log and diff.
std::string run_section(const RunView& view, std::size_t index, const ReportOptions& options,
                        nlohmann::ordered_json& charts);

}  // namespace mlops::view::detail
