// The first Wasserstein distance between two empirical distributions, and the reference's spread
// that normalises it (Evidently's "Wasserstein distance (normed)").
#include <cmath>

#include "mlops/drift/stats.hpp"

namespace mlops::drift {

double wasserstein_distance(std::span<const double> a, std::span<const double> b) {
  // The integral of |F_a - F_b| over the merged sorted values: between consecutive values x_k and
  // x_{k+1} both CDFs are constant, counting the values <= x_k (SciPy's searchsorted 'right').
  const long double na = static_cast<long double>(a.size()), nb = static_cast<long double>(b.size());
  std::size_t i = 0, j = 0;
  long double total = 0;
  double current = 0;
  bool started = false;
  while (i < a.size() || j < b.size()) {
    double x = (j >= b.size() || (i < a.size() && a[i] <= b[j])) ? a[i] : b[j];
    if (started) {
      long double gap = static_cast<long double>(x) - current;
      total += std::abs(static_cast<long double>(i) / na - static_cast<long double>(j) / nb) * gap;
    }
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    current = x;
    started = true;
  }
  return static_cast<double>(total);
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
