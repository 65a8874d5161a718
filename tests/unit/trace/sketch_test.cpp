// The sketch: exact quantiles while small, within 1% relative error after, and merging.
#include "mlops/trace/sketch.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

using mlops::trace::Sketch;

namespace {

double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  double rank = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<std::size_t>(rank);
  std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace

TEST_CASE("sketch quantiles are exact and interpolated for small inputs", "[trace]") {
  Sketch s;
  for (double v : {100.0, 200.0, 300.0, 400.0, 500.0}) s.add(v);
  CHECK(s.exact());
  CHECK(s.quantile(0.5) == 300);
  CHECK(s.quantile(0.95) == Approx(480));
  CHECK(s.quantile(0.99) == Approx(496));
  CHECK(s.quantile(0) == 100);
  CHECK(s.quantile(1) == 500);
  CHECK(s.mean() == 300);
  CHECK(s.count() == 5);
  Sketch empty;
  CHECK(empty.quantile(0.5) == 0);
}

TEST_CASE("sketch quantiles stay within 1% of the exact ones past the exact limit", "[trace]") {
  Sketch s;
  std::vector<double> values;
  for (int i = 0; i < 100000; ++i) {
    double v = 1 + std::fmod(i * 7919.0, 30000.0) / 7.0 + (i % 13 == 0 ? 0 : 0.5);
    values.push_back(v);
    s.add(v);
  }
  CHECK_FALSE(s.exact());
  for (double q : {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    double want = exact_quantile(values, q);
    INFO("q = " << q);
    CHECK(std::fabs(s.quantile(q) - want) <= 0.01 * want);
  }
  CHECK(s.min() == *std::min_element(values.begin(), values.end()));
  CHECK(s.max() == *std::max_element(values.begin(), values.end()));
}

TEST_CASE("merged sketches answer as one sketch of both inputs", "[trace]") {
  Sketch a, b, both;
  for (int i = 0; i < 3000; ++i) {
    a.add(i);
    both.add(i);
  }
  for (int i = 0; i < 3000; ++i) {
    b.add(-5 + i * 2.5);
    both.add(-5 + i * 2.5);
  }
  a.merge(b);
  CHECK(a.count() == both.count());
  CHECK(a.sum() == Approx(both.sum()));
  CHECK_FALSE(a.exact());
  for (double q : {0.1, 0.5, 0.9, 0.99}) CHECK(a.quantile(q) == Approx(both.quantile(q)));
  Sketch small1, small2;
  small1.add(1);
  small2.add(3);
  small1.merge(small2);
  CHECK(small1.exact());
  CHECK(small1.quantile(0.5) == 2);
}
