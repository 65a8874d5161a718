// The first Wasserstein distance between two empirical distributions, and the reference's spread
// that normalises it (Evidently's "Wasserstein distance (normed)").
#include <cmath>

#include "mlops/drift/stats.hpp"

namespace mlops::drift {

double wasserstein_distance(std::span<const double> a, std::span<const double> b) {
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
  auto step = [&](double x) {
    block += std::abs(static_cast<double>(i) * ra - static_cast<double>(j) * rb) * (x - previous);
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
  return total + block;
}

double population_std(std::span<const double> values) {
  if (values.empty()) return std::nan("");
  long double sum = 0;
  for (double v : values) sum += v;
  long double mean = sum / static_cast<long double>(values.size());
  long double sq = 0;
  for (double v : values) {
    long double d = v - mean;
    sq += d * d;
  }
  return static_cast<double>(std::sqrt(sq / static_cast<long double>(values.size())));
}

}  // namespace mlops::drift
