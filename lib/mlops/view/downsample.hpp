#pragma once
// Fewer points for drawing a long curve without losing its shape. MLflow samples a curve to 320
// evenly spaced points and spikes vanish; here the x range is cut into buckets and each bucket
// keeps its lowest and its highest point (in x order), so every spike and dip is still drawn, and
// the first and last points are always kept.
#include <cstddef>
#include <span>
#include <vector>

namespace mlops::view {

struct Point {
  double x = 0;
  double y = 0;
};

// At most 2 * buckets + 2 points of `points` (sorted by x), chosen as above; all of them when they
// are that few already. Non-finite y values (NaN, infinities) are not drawn and are dropped.
std::vector<Point> downsample_min_max(std::span<const Point> points, std::size_t buckets);
// The same choice as the indices of the points kept, ascending (for callers that carry more than
// x and y with each point, such as a metric's step and time).
std::vector<std::size_t> downsample_min_max_indices(std::span<const Point> points, std::size_t buckets);

}  // namespace mlops::view
