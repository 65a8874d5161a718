#pragma once
// Charts as inline SVG, for pages that must draw without scripts: learning curves, bars, a
// scatter and parallel coordinates. Colours are CSS classes (s0..s9, chart.css in assets.hpp), so
// one chart reads in light and dark mode; every chart has a <title> and a <desc> for screen
// readers, and the pages put a data table beside it. Coordinates are written with one decimal, so
// the same data gives the same bytes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/view/downsample.hpp"

namespace mlops::view {

// The number of series colours (classes s0..s9); series i is drawn with s(i % kColors).
inline constexpr std::size_t kColors = 10;
// Series 11 to 40 reuse the colours with a dash pattern (class d1, d2, d3: dashed, dotted,
// dash-dot), so no two of 40 lines look the same; the legend shows the pattern too.
inline constexpr std::size_t kDashes = 4;
inline std::size_t dash_of(std::size_t color) { return (color / kColors) % kDashes; }
// " d1" for a dashed series, "" for a solid one: appended to a line's or a swatch's class.
std::string dash_class(std::size_t color);
// The legend's picture of a series' pattern ("", "╌╌", "┈┈", "─·─"), hidden from screen readers.
std::string dash_mark(std::size_t color);

// Axis numbers: 4 significant digits, no trailing zeros ("0.25", "1.2e+06", "-3").
std::string axis_number(double value);
// About `count` round tick values covering [low, high] (1, 2 or 5 times a power of ten apart).
std::vector<double> nice_ticks(double low, double high, int count = 5);

struct LineSeries {
  std::string label;          // the run ("01J… (baseline)")
  std::size_t color = 0;      // its colour index
  std::vector<Point> points;  // already downsampled, sorted by x
};
// A line per series on shared axes. `id` becomes the svg element's id (the page's script finds
// the chart's data by it); `title` is the chart's accessible name.
std::string line_chart(std::string_view id, std::string_view title, std::string_view x_label,
                       const std::vector<LineSeries>& series);

struct Bar {
  std::string label;
  std::size_t color = 0;
  double value = 0;
};
// Horizontal bars, one per run, from zero (or from the lowest value when some are negative).
std::string bar_chart(std::string_view title, const std::vector<Bar>& bars);

struct ScatterPoint {
  std::string label;
  std::size_t color = 0;
  double x = 0;
  double y = 0;
};
std::string scatter_chart(std::string_view title, std::string_view x_label, std::string_view y_label,
                          const std::vector<ScatterPoint>& points);

// Two distributions side by side: per bin or category, a bar of the reference's share (colour s0)
// and one of the current data's (s1); shares are fractions, drawn as percent. For drift reports.
struct HistogramBins {
  std::vector<std::string> labels;
  std::vector<double> reference;  // reference[i]: the share of bin i, 0 to 1
  std::vector<double> current;
};
std::string histogram_chart(std::string_view title, const HistogramBins& bins);

// Parallel coordinates: one vertical axis per key, one polyline per run (a run without a value
// for a key breaks its line there).
struct ParallelAxis {
  std::string label;
  std::vector<std::optional<double>> values;  // values[i] is run i's
};
std::string parallel_chart(std::string_view title, const std::vector<std::string>& runs,
                           const std::vector<std::size_t>& colors, const std::vector<ParallelAxis>& axes);

}  // namespace mlops::view
