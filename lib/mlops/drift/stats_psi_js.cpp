// Population Stability Index and Jensen-Shannon distance over shares of fixed bins.
#include <cmath>

#include "mlops/drift/stats.hpp"

namespace mlops::drift {

double psi(std::span<const double> ref_share, std::span<const double> cur_share, double epsilon) {
  long double total = 0;
  for (std::size_t i = 0; i < ref_share.size(); ++i) {
    long double r = ref_share[i] == 0 ? epsilon : ref_share[i];
    long double c = cur_share[i] == 0 ? epsilon : cur_share[i];
    total += (r - c) * std::log(r / c);
  }
  return static_cast<double>(total);
}

double jensen_shannon(std::span<const double> p, std::span<const double> q) {
  long double sp = 0, sq = 0;
  for (double x : p) sp += x;
  for (double x : q) sq += x;
  long double js = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    long double a = p[i] / sp, b = q[i] / sq;
    long double m = (a + b) / 2;
    if (a > 0) js += a * std::log(a / m);
    if (b > 0) js += b * std::log(b / m);
  }
  js /= 2;
  return static_cast<double>(std::sqrt(std::max(js, 0.0L)));
}

}  // namespace mlops::drift
