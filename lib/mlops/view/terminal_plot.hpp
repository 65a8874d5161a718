#pragma once
// Curves drawn with text, for `mlops runs plot` on a remote shell: Unicode braille (2 x 4 dots a
// character) in a colour per series, or, without colour, one ASCII mark per series so that curves
// still tell apart in a log file or a pipe. Each series is downsampled to the plot's width keeping
// every column's minimum and maximum (downsample.hpp), so spikes show.
#include <string>
#include <vector>

#include "mlops/view/downsample.hpp"

namespace mlops::view {

struct PlotSeries {
  std::string label;
  std::vector<Point> points;  // sorted by x
};

enum class PlotStyle { braille, ascii };

struct PlotOptions {
  std::size_t width = 80;   // characters of the whole plot, axis labels included
  std::size_t height = 16;  // rows of the plot area
  bool color = false;       // ANSI colours, one per series
  PlotStyle style = PlotStyle::braille;
  bool log_y = false;  // log10 of y (points <= 0 are left out)
  std::string title;   // the metric, printed above
  std::string x_label = "step";
};

// The plot, its axes and its legend, each line ending in '\n'.
std::string terminal_plot(const std::vector<PlotSeries>& series, const PlotOptions& options);

}  // namespace mlops::view
