#include "mlops/view/chart_svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "mlops/view/html.hpp"

namespace mlops::view {

std::string dash_class(std::size_t color) {
  std::size_t dash = dash_of(color);
  return dash == 0 ? std::string() : fmt::format(" d{}", dash);
}

std::string dash_mark(std::size_t color) {
  static constexpr std::string_view kMarks[kDashes] = {"", "╌╌", "┈┈", "─·─"};
  std::size_t dash = dash_of(color);
  return dash == 0 ? std::string() : fmt::format("<span class=\"dash\" aria-hidden=\"true\">{}</span>", kMarks[dash]);
}

namespace {

constexpr double kWidth = 640, kHeight = 260;
constexpr double kLeft = 64, kRight = 16, kTop = 12, kBottom = 40;
constexpr double kPlotWidth = kWidth - kLeft - kRight, kPlotHeight = kHeight - kTop - kBottom;

// A linear map from data to pixels over [low, high], widened when the range is empty.
struct Scale {
  double low = 0, high = 1, from = 0, to = 1;
  Scale(double lo, double hi, double pixel_from, double pixel_to) : low(lo), high(hi), from(pixel_from), to(pixel_to) {
    if (!(high > low)) {
      double pad = low == 0 ? 1 : std::abs(low) * 0.1;
      low -= pad;
      high += pad;
    }
  }
  double operator()(double value) const { return from + (value - low) / (high - low) * (to - from); }
};

struct Range {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void add(double value) {
    if (!std::isfinite(value)) return;
    low = std::min(low, value);
    high = std::max(high, value);
  }
  bool empty() const { return low > high; }
};

// Extends [low, high] to the outer ticks, so lines never touch the frame's edge unlabelled.
Range padded(Range range) {
  if (range.empty()) return {0, 1};
  auto ticks = nice_ticks(range.low, range.high);
  if (ticks.size() >= 2) return {std::min(range.low, ticks.front()), std::max(range.high, ticks.back())};
  return range;
}

// Room around points, so that a dot at the lowest or highest value is not cut by the frame.
Range with_margin(Range range) {
  if (range.empty()) return range;
  double pad =
      range.high > range.low ? (range.high - range.low) * 0.05 : (range.low == 0 ? 1 : std::abs(range.low) * 0.1);
  return {range.low - pad, range.high + pad};
}

std::string svg_open(std::string_view id, std::string_view title, std::string_view description) {
  std::string label_id = id.empty() ? std::string() : fmt::format(" id=\"{}\"", escape(id));
  return fmt::format(
      "<svg{} class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "focusable=\"false\"><title>{}</title><desc>{}</desc>",
      label_id, kWidth, kHeight, escape(title), escape(description));
}

std::string x_axis(const Scale& x, std::string_view label, bool with_ticks = true) {
  std::string svg = fmt::format("<g class=\"axis\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", kLeft,
                                kTop + kPlotHeight, kLeft + kPlotWidth, kTop + kPlotHeight);
  if (with_ticks) {
    for (double tick : nice_ticks(x.low, x.high)) {
      if (tick < x.low || tick > x.high) continue;
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", x(tick),
                         kTop + kPlotHeight + 14, axis_number(tick));
    }
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" class=\"label\">{}</text></g>",
                     kLeft + kPlotWidth / 2, kHeight - 6, escape(label));
  return svg;
}

std::string y_axis(const Scale& y, std::string_view label) {
  std::string svg = "<g class=\"axis\">";
  for (double tick : nice_ticks(y.low, y.high)) {
    if (tick < y.low || tick > y.high) continue;
    svg += fmt::format("<line class=\"grid\" x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\"/>", kLeft, y(tick),
                       kLeft + kPlotWidth, y(tick));
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", kLeft - 4, y(tick) + 3,
                       axis_number(tick));
  }
  if (!label.empty()) {
    svg += fmt::format(
        "<text class=\"label\" transform=\"translate(12 {:.1f}) rotate(-90)\" "
        "text-anchor=\"middle\">{}</text>",
        kTop + kPlotHeight / 2, escape(label));
  }
  return svg + "</g>";
}

}  // namespace

std::string axis_number(double value) {
  if (std::isnan(value)) return "nan";
  if (value == 0) return "0";
  std::string text = fmt::format("{:.4g}", value);
  return text == "-0" ? "0" : text;
}

std::vector<double> nice_ticks(double low, double high, int count) {
  std::vector<double> ticks;
  if (!std::isfinite(low) || !std::isfinite(high) || count < 1) return ticks;
  if (high < low) std::swap(low, high);
  if (high == low) return {low};
  double raw = (high - low) / count;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (raw <= step) break;
  }
  double first = std::floor(low / step) * step;
  for (int i = 0; i < 100; ++i) {
    double tick = first + i * step;
    if (std::abs(tick) < step * 1e-9) tick = 0;  // -0 and 1e-17 read as 0
    ticks.push_back(tick);
    if (tick >= high - step * 1e-9) break;
  }
  return ticks;
}

std::string line_chart(std::string_view id, std::string_view title, std::string_view x_label,
                       const std::vector<LineSeries>& series) {
  Range xs, ys;
  for (const auto& line : series) {
    for (const auto& point : line.points) {
      xs.add(point.x);
      ys.add(point.y);
    }
  }
  Range yr = padded(ys);
  Scale x(xs.empty() ? 0 : xs.low, xs.empty() ? 1 : xs.high, kLeft, kLeft + kPlotWidth);
  Scale y(yr.low, yr.high, kTop + kPlotHeight, kTop);
  std::string description = fmt::format("{} against {} for {} run{}; the table below the chart has the values.", title,
                                        x_label, series.size(), series.size() == 1 ? "" : "s");
  std::string svg = svg_open(id, title, description);
  svg += y_axis(y, "");
  svg += x_axis(x, x_label);
  svg += "<g class=\"lines\">";
  for (const auto& line : series) {
    if (line.points.empty()) continue;
    std::string path;
    path.reserve(line.points.size() * 14);
    for (std::size_t i = 0; i < line.points.size(); ++i) {
      fmt::format_to(std::back_inserter(path), "{}{:.1f} {:.1f}", i == 0 ? "M" : "L", x(line.points[i].x),
                     y(line.points[i].y));
    }
    if (line.points.size() == 1) {
      svg += fmt::format("<circle class=\"dot s{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"><title>{}</title></circle>",
                         line.color % kColors, x(line.points[0].x), y(line.points[0].y), escape(line.label));
    } else {
      svg += fmt::format("<path class=\"line s{}{}\" d=\"{}\"><title>{}</title></path>", line.color % kColors,
                         dash_class(line.color), path, escape(line.label));
    }
  }
  svg += "</g></svg>";
  return svg;
}

std::string bar_chart(std::string_view title, const std::vector<Bar>& bars) {
  Range values;
  values.add(0);
  for (const auto& bar : bars) values.add(bar.value);
  Range padded_values = padded(values);
  const double row = 22, height = kTop + row * static_cast<double>(bars.size()) + 28;
  const double left = 200;
  Scale x(padded_values.low, padded_values.high, left, kWidth - kRight);
  std::string svg = fmt::format(
      "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "focusable=\"false\"><title>{}</title><desc>{} for {} run{}; the table beside the chart has the values.</desc>",
      kWidth, height, escape(title), escape(title), bars.size(), bars.size() == 1 ? "" : "s");
  svg += "<g class=\"axis\">";
  for (double tick : nice_ticks(x.low, x.high)) {
    if (tick < x.low || tick > x.high) continue;
    svg += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\"/>", x(tick), kTop,
                       height - 24);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", x(tick), height - 10,
                       axis_number(tick));
  }
  svg += "</g>";
  double zero = x(std::clamp(0.0, x.low, x.high));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& bar = bars[i];
    double top = kTop + row * static_cast<double>(i);
    double end = std::isfinite(bar.value) ? x(bar.value) : zero;
    std::string label = bar.label.size() > 28 ? bar.label.substr(0, 27) + "…" : bar.label;
    svg += fmt::format(
        "<g><title>{}: {}</title><text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>"
        "<rect class=\"bar s{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\"/></g>",
        escape(bar.label), axis_number(bar.value), left - 6, top + 15, escape(label), bar.color % kColors,
        std::min(zero, end), top + 3, std::abs(end - zero), row - 6);
  }
  return svg + "</svg>";
}

std::string histogram_chart(std::string_view title, const HistogramBins& bins) {
  const std::size_t n = std::min({bins.labels.size(), bins.reference.size(), bins.current.size()});
  Range shares;
  shares.add(0);
  for (std::size_t i = 0; i < n; ++i) {
    shares.add(bins.reference[i] * 100);
    shares.add(bins.current[i] * 100);
  }
  Range padded_shares = padded(shares);
  Scale y(0, padded_shares.high, kTop + kPlotHeight, kTop);
  std::string svg = svg_open(
      {}, title,
      fmt::format("The share of each of {} bins or categories in the reference and in the current data; the table "
                  "below the chart has the values.",
                  n));
  svg += y_axis(y, "% of rows");
  svg += fmt::format("<g class=\"axis\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", kLeft, kTop + kPlotHeight,
                     kLeft + kPlotWidth, kTop + kPlotHeight);
  const double slot = n == 0 ? kPlotWidth : kPlotWidth / static_cast<double>(n);
  // Labels that fit: at most one per 80 pixels, from the first (the table has every one).
  const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(80.0 / slot)));
  for (std::size_t i = 0; i < n; i += every) {
    std::string label = bins.labels[i].size() > 14 ? bins.labels[i].substr(0, 13) + "…" : bins.labels[i];
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                       kLeft + slot * (static_cast<double>(i) + 0.5), kTop + kPlotHeight + 14, escape(label));
  }
  svg += "</g>";
  for (std::size_t i = 0; i < n; ++i) {
    double x = kLeft + slot * static_cast<double>(i) + slot * 0.1, width = slot * 0.4;
    double reference = bins.reference[i] * 100, current = bins.current[i] * 100;
    svg += fmt::format(
        "<g><title>{}: reference {:.2f}%, current {:.2f}%</title>"
        "<rect class=\"bar s0\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/>"
        "<rect class=\"bar s1\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"/></g>",
        escape(bins.labels[i]), reference, current, x, y(reference), width, y(0) - y(reference), x + width, y(current),
        width, y(0) - y(current));
  }
  return svg + "</svg>";
}

std::string scatter_chart(std::string_view title, std::string_view x_label, std::string_view y_label,
                          const std::vector<ScatterPoint>& points) {
  Range xs, ys;
  for (const auto& point : points) {
    xs.add(point.x);
    ys.add(point.y);
  }
  Range xr = padded(with_margin(xs)), yr = padded(with_margin(ys));
  Scale x(xr.low, xr.high, kLeft, kLeft + kPlotWidth);
  Scale y(yr.low, yr.high, kTop + kPlotHeight, kTop);
  std::string svg = svg_open(
      "", title, fmt::format("{} against {}, one point per run; the table below has the values.", y_label, x_label));
  svg += y_axis(y, y_label);
  svg += x_axis(x, x_label);
  for (const auto& point : points) {
    if (!std::isfinite(point.x) || !std::isfinite(point.y)) continue;
    svg += fmt::format(
        "<circle class=\"dot s{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\"><title>{}: {} = {}, {} = {}</title></circle>",
        point.color % kColors, x(point.x), y(point.y), escape(point.label), escape(x_label), axis_number(point.x),
        escape(y_label), axis_number(point.y));
  }
  return svg + "</svg>";
}

std::string parallel_chart(std::string_view title, const std::vector<std::string>& runs,
                           const std::vector<std::size_t>& colors, const std::vector<ParallelAxis>& axes) {
  std::string svg = svg_open("", title,
                             fmt::format("{} axes, one line per run ({} runs); the comparison table has the values.",
                                         axes.size(), runs.size()));
  if (axes.empty()) return svg + "</svg>";
  const double gap = axes.size() > 1 ? kPlotWidth / static_cast<double>(axes.size() - 1) : 0;
  std::vector<Scale> scales;
  svg += "<g class=\"axis\">";
  for (std::size_t a = 0; a < axes.size(); ++a) {
    Range range;
    for (const auto& value : axes[a].values) {
      if (value) range.add(*value);
    }
    if (range.empty()) range = {0, 1};
    scales.emplace_back(range.low, range.high, kTop + kPlotHeight, kTop + 8);
    double at = kLeft + gap * static_cast<double>(a);
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/>", at, kTop + 8, kTop + kPlotHeight);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", at, kTop + 4,
                       axis_number(scales.back().high));
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", at, kTop + kPlotHeight + 14,
                       axis_number(scales.back().low));
    std::string label = axes[a].label.size() > 24 ? axes[a].label.substr(0, 23) + "…" : axes[a].label;
    svg += fmt::format("<text class=\"label\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", at, kHeight - 8,
                       escape(label));
  }
  svg += "</g><g class=\"lines\">";
  for (std::size_t r = 0; r < runs.size(); ++r) {
    std::string path;
    bool pen_down = false;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const auto& value = r < axes[a].values.size() ? axes[a].values[r] : std::nullopt;
      if (!value || !std::isfinite(*value)) {
        pen_down = false;
        continue;
      }
      fmt::format_to(std::back_inserter(path), "{}{:.1f} {:.1f}", pen_down ? "L" : "M",
                     kLeft + gap * static_cast<double>(a), scales[a](*value));
      pen_down = true;
    }
    if (path.empty()) continue;
    svg += fmt::format("<path class=\"line s{}\" d=\"{}\"><title>{}</title></path>",
                       (r < colors.size() ? colors[r] : r) % kColors, path, escape(runs[r]));
  }
  return svg + "</g></svg>";
}

}  // namespace mlops::view
