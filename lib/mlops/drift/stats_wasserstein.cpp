// The first Wasserstein distance between two empirical distributions, and the reference's spread
// that normalises it (Evidently's "Wasserstein distance (normed)").
#include <algorithm>
#include <cmath>

#include "mlops/drift/stats.hpp"

namespace mlops::drift {

double wasserstein_distance(std::span<const double> a, std::span<const double> b, std::uint64_t* distinct) {
  // The integral of |F_a - F_b| over the merged sorted values. Taking one value at a time, the
  // step from value x to the next value y adds |i/na - j/nb| * (y - x), where i and j count the
  // values taken so far; ties add nothing (y - x = 0), so they need no special care. The merge is
  // branch-free, and the positive terms are summed in blocks to keep the rounding error small.
  const double ra = 1.0 / static_cast<double>(a.size()), rb = 1.0 / static_cast<double>(b.size());
  const std::size_t na = a.size(), nb = b.size();
  std::size_t i = 0, j = 0;
  double total = 0, block = 0;
  std::size_t in_block = 0;
  double previous = std::min(a[0], b[0]);
  std::uint64_t changes = 0;  // values that differ from the one before: distinct values - 1
  auto step = [&](double x) {
    block += std::abs(static_cast<double>(i) * ra - static_cast<double>(j) * rb) * (x - previous);
    changes += x != previous;
    previous = x;
    if (++in_block == 4096) {
      total += block;
      block = 0;
      in_block = 0;
    }
  };
  while (i < na && j < nb) {
    const bool take_a = a[i] <= b[j];
    const double x = take_a ? a[i] : b[j];
    step(x);
    i += take_a;
    j += !take_a;
  }
  while (i < na) {
    step(a[i]);
    ++i;
  }
  while (j < nb) {
    step(b[j]);
    ++j;
  }
  if (distinct) *distinct = changes + 1;
  return total + block;
}

namespace {

// The sum of f(x) over the values: four running sums (independent additions overlap in the
// pipeline) per block of 1024 values, the block sums added with compensation (Neumaier). The
// error stays near that of a block, far below the 1e-9 agreement asked of the statistics.
template <class F>
double sum_of(std::span<const double> values, F f) {
  double total = 0, compensation = 0;
  for (std::size_t b = 0; b < values.size(); b += 1024) {
    const std::size_t e = std::min(values.size(), b + 1024);
    double s[4] = {0, 0, 0, 0};
    std::size_t i = b;
    for (; i + 4 <= e; i += 4) {
      for (int k = 0; k < 4; ++k) s[k] += f(values[i + static_cast<std::size_t>(k)]);
    }
    for (; i < e; ++i) s[0] += f(values[i]);
    const double block = (s[0] + s[1]) + (s[2] + s[3]);
    const double t = total + block;
    compensation += std::abs(total) >= std::abs(block) ? (total - t) + block : (block - t) + total;
    total = t;
  }
  return total + compensation;
}

}  // namespace

double population_std(std::span<const double> values) {
  if (values.empty()) return std::nan("");
  const double n = static_cast<double>(values.size());
  const double mean = sum_of(values, [](double v) { return v; }) / n;
  return std::sqrt(sum_of(values, [mean](double v) { return (v - mean) * (v - mean); }) / n);
}

}  // namespace mlops::drift
