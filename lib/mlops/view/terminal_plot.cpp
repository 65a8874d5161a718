#include "mlops/view/terminal_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "mlops/view/chart_svg.hpp"

namespace mlops::view {

namespace {

// ANSI foreground colours, one per series, readable on dark and light terminals.
constexpr std::string_view kAnsi[] = {"34", "33", "31", "36", "32", "35", "94", "93", "91", "96"};
constexpr char kMarks[] = {'*', '+', 'o', 'x', '#', '@', '%', '&', '=', '~'};
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

std::string painted(std::string_view text, std::size_t series, bool color) {
  if (!color) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", kAnsi[series % std::size(kAnsi)], text);
}

// The braille character with the dots of `bits` (bit i is dot i+1 in Unicode's numbering).
std::string braille(unsigned bits) {
  char32_t code = 0x2800 + bits;
  std::string text;
  text += static_cast<char>(0xE0 | (code >> 12));
  text += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  text += static_cast<char>(0x80 | (code & 0x3F));
  return text;
}

// A grid of dots (2 x 4 per cell for braille, 1 x 1 for marks); each cell remembers the last
// series drawn into it, for its colour or mark.
class Canvas {
 public:
  Canvas(std::size_t columns, std::size_t rows, std::size_t dots_x, std::size_t dots_y)
      : columns_(columns),
        rows_(rows),
        dx_(dots_x),
        dy_(dots_y),
        bits_(columns * rows, 0),
        owner_(columns * rows, kNone) {}
  std::size_t width() const { return columns_ * dx_; }
  std::size_t height() const { return rows_ * dy_; }

  void dot(long x, long y, std::size_t series) {
    if (x < 0 || y < 0 || x >= static_cast<long>(width()) || y >= static_cast<long>(height())) return;
    std::size_t cx = static_cast<std::size_t>(x) / dx_, cy = static_cast<std::size_t>(y) / dy_;
    std::size_t sx = static_cast<std::size_t>(x) % dx_, sy = static_cast<std::size_t>(y) % dy_;
    static constexpr unsigned kBit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
    bits_[cy * columns_ + cx] |= dx_ == 2 ? kBit[sx][sy] : 1u;
    owner_[cy * columns_ + cx] = series;
  }
  // A straight line of dots (Bresenham).
  void line(long x0, long y0, long x1, long y1, std::size_t series) {
    long dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
    long sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, error = dx + dy;
    for (;;) {
      dot(x0, y0, series);
      if (x0 == x1 && y0 == y1) break;
      long twice = 2 * error;
      if (twice >= dy) error += dy, x0 += sx;
      if (twice <= dx) error += dx, y0 += sy;
    }
  }
  // Row `r` as text; with colour, one escape sequence per run of cells of the same series.
  std::string row(std::size_t r, bool color) const {
    std::string text;
    std::size_t painting = kNone;
    for (std::size_t c = 0; c < columns_; ++c) {
      std::size_t i = r * columns_ + c;
      std::size_t owner = owner_[i];
      if (color && owner != painting) {
        text += owner == kNone ? "\x1b[0m" : fmt::format("\x1b[{}m", kAnsi[owner % std::size(kAnsi)]);
        painting = owner;
      }
      if (owner == kNone) {
        text += ' ';
      } else if (dx_ == 2) {
        text += braille(bits_[i]);
      } else {
        text += kMarks[owner % std::size(kMarks)];
      }
    }
    if (color && painting != kNone) text += "\x1b[0m";
    return text;
  }

 private:
  std::size_t columns_, rows_, dx_, dy_;
  std::vector<unsigned> bits_;
  std::vector<std::size_t> owner_;
};

}  // namespace

std::string terminal_plot(const std::vector<PlotSeries>& series, const PlotOptions& options) {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  std::vector<std::vector<Point>> drawn;
  for (const auto& one : series) {
    std::vector<Point> points;
    for (const auto& point : one.points) {
      if (options.log_y && !(point.y > 0)) continue;
      points.push_back({point.x, options.log_y ? std::log10(point.y) : point.y});
    }
    drawn.push_back(std::move(points));
  }
  for (const auto& points : drawn) {
    for (const auto& point : points) {
      if (!std::isfinite(point.x) || !std::isfinite(point.y)) continue;
      x0 = std::min(x0, point.x), x1 = std::max(x1, point.x);
      y0 = std::min(y0, point.y), y1 = std::max(y1, point.y);
    }
  }
  std::string text;
  if (!options.title.empty()) text += options.title + "\n";
  if (x0 > x1) return text + "(no points to draw)\n";
  if (x1 == x0) x0 -= 1, x1 += 1;
  if (y1 == y0) y0 -= 1, y1 += 1;

  auto label = [&](double value) { return axis_number(options.log_y ? std::pow(10.0, value) : value); };
  std::string top = label(y1), middle = label((y0 + y1) / 2), bottom = label(y0);
  const std::size_t gutter = std::max({top.size(), middle.size(), bottom.size()}) + 1;
  const std::size_t columns = options.width > gutter + 11 ? options.width - gutter - 1 : 10;
  const std::size_t rows = std::max<std::size_t>(options.height, 3);
  const bool dots = options.style == PlotStyle::braille;
  Canvas canvas(columns, rows, dots ? 2 : 1, dots ? 4 : 1);
  const double width = static_cast<double>(canvas.width() - 1), height = static_cast<double>(canvas.height() - 1);
  for (std::size_t s = 0; s < drawn.size(); ++s) {
    auto kept = downsample_min_max(drawn[s], canvas.width());
    long last_x = 0, last_y = 0;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      auto x = std::lround((kept[i].x - x0) / (x1 - x0) * width);
      auto y = std::lround((y1 - kept[i].y) / (y1 - y0) * height);
      if (i == 0 || !dots) {
        canvas.dot(x, y, s);
      } else {
        canvas.line(last_x, last_y, x, y, s);
      }
      last_x = x, last_y = y;
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    std::string tick = r == 0 ? top : r == rows - 1 ? bottom : r == rows / 2 ? middle : "";
    text += fmt::format("{:>{}} ┤{}\n", tick, gutter - 1, canvas.row(r, options.color));
  }
  std::string left = axis_number(x0), right = axis_number(x1);
  // The rule under the plot, then the x range with its label in the middle.
  text += fmt::format("{:>{}} └", "", gutter - 1);
  for (std::size_t c = 0; c < columns; ++c) text += "─";
  text += "\n";
  std::string middle_label = options.x_label + (options.log_y ? " (log y)" : "");
  std::size_t room = columns > left.size() + right.size() ? columns - left.size() - right.size() : 1;
  std::size_t before = room > middle_label.size() ? (room - middle_label.size()) / 2 : 0;
  std::size_t after = room > middle_label.size() + before ? room - middle_label.size() - before : 1;
  text += fmt::format("{:>{}}  {}{}{}{}{}\n", "", gutter - 1, left, std::string(before, ' '), middle_label,
                      std::string(after, ' '), right);
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string key = dots ? std::string("━━") : std::string(2, kMarks[s % std::size(kMarks)]);
    text += fmt::format("  {} {}{}\n", painted(key, s, options.color), series[s].label,
                        drawn[s].empty() ? " (no points)" : "");
  }
  return text;
}

}  // namespace mlops::view
