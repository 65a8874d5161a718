#include "mlops/view/downsample.hpp"

#include <algorithm>
#include <cmath>

namespace mlops::view {

namespace {
bool drawable(const Point& point) { return std::isfinite(point.x) && std::isfinite(point.y); }
}  // namespace

std::vector<std::size_t> downsample_min_max_indices(std::span<const Point> points, std::size_t buckets) {
  std::vector<std::size_t> kept;
  std::size_t count = 0;
  std::size_t first = points.size(), last = points.size();
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!drawable(points[i])) continue;
    ++count;
    if (first == points.size()) first = i;
    last = i;
  }
  if (count <= 2 * buckets + 2 || buckets == 0) {
    kept.reserve(count);
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (drawable(points[i])) kept.push_back(i);
    }
    return kept;
  }
  kept.reserve(2 * buckets + 2);
  const double x0 = points[first].x, span = points[last].x - x0;
  kept.push_back(first);
  // Buckets by x value (steps may be unevenly spaced); each keeps its min and max in x order.
  std::size_t bucket = 0;
  std::size_t low = 0, high = 0;
  bool open = false;
  auto flush = [&] {
    if (!open) return;
    if (low == high) {
      kept.push_back(low);
    } else {
      kept.push_back(std::min(low, high));
      kept.push_back(std::max(low, high));
    }
    open = false;
  };
  for (std::size_t i = first + 1; i < last; ++i) {
    const Point& point = points[i];
    if (!drawable(point)) continue;
    auto index = span > 0 ? static_cast<std::size_t>((point.x - x0) / span * static_cast<double>(buckets)) : 0;
    if (index >= buckets) index = buckets - 1;
    if (open && index != bucket) flush();
    bucket = index;
    if (!open) {
      low = high = i;
      open = true;
      continue;
    }
    if (point.y < points[low].y) low = i;
    if (point.y > points[high].y) high = i;
  }
  flush();
  kept.push_back(last);
  return kept;
}

std::vector<Point> downsample_min_max(std::span<const Point> points, std::size_t buckets) {
  std::vector<Point> kept;
  for (std::size_t i : downsample_min_max_indices(points, buckets)) kept.push_back(points[i]);
  return kept;
}

}  // namespace mlops::view
