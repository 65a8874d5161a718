#include "mlops/view/downsample.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

using namespace mlops::view;

TEST_CASE("downsampling keeps short curves whole") {
  std::vector<Point> points{{1, 3}, {2, 1}, {3, 2}};
  auto kept = downsample_min_max(points, 10);
  REQUIRE(kept.size() == 3);
  CHECK(kept[1].y == 1);
}

TEST_CASE("downsampling keeps every bucket's minimum and maximum, so a spike survives") {
  std::vector<Point> points;
  for (int i = 0; i < 100000; ++i) points.push_back({static_cast<double>(i), std::sin(i / 1000.0)});
  points[54321].y = 50;   // a spike
  points[77777].y = -50;  // a dip
  auto kept = downsample_min_max(points, 200);
  CHECK(kept.size() <= 2 * 200 + 2);
  CHECK(kept.size() > 300);
  CHECK(kept.front().x == 0);
  CHECK(kept.back().x == 99999);
  CHECK(std::any_of(kept.begin(), kept.end(), [](const Point& p) { return p.y == 50 && p.x == 54321; }));
  CHECK(std::any_of(kept.begin(), kept.end(), [](const Point& p) { return p.y == -50 && p.x == 77777; }));
  CHECK(std::is_sorted(kept.begin(), kept.end(), [](const Point& a, const Point& b) { return a.x < b.x; }));
  // Evenly spaced samples (MLflow's way) would miss the spike.
  bool sampled_spike = false;
  for (std::size_t i = 0; i < 402; ++i) sampled_spike |= points[i * (points.size() - 1) / 401].y == 50;
  CHECK_FALSE(sampled_spike);
}

TEST_CASE("downsampling drops values that cannot be drawn") {
  std::vector<Point> points{{1, 1}, {2, NAN}, {3, INFINITY}, {4, 2}};
  auto kept = downsample_min_max(points, 10);
  REQUIRE(kept.size() == 2);
  CHECK(kept[1].x == 4);
  CHECK(downsample_min_max_indices(points, 10) == std::vector<std::size_t>{0, 3});
  CHECK(downsample_min_max(std::vector<Point>{}, 10).empty());
}

TEST_CASE("downsampling works when every point has the same x") {
  std::vector<Point> points;
  for (int i = 0; i < 1000; ++i) points.push_back({5, static_cast<double>(i % 7)});
  auto kept = downsample_min_max(points, 10);
  CHECK(kept.size() <= 22);
  CHECK(std::any_of(kept.begin(), kept.end(), [](const Point& p) { return p.y == 6; }));
  CHECK(std::any_of(kept.begin(), kept.end(), [](const Point& p) { return p.y == 0; }));
}
