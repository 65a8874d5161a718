// The two-proportion Z-test for binary columns (pooled variance), as Evidently's z_stat_test.
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "mlops/drift/stats.hpp"

namespace mlops::drift {

TestResult two_proportion_z(std::uint64_t hits1, std::uint64_t n1, std::uint64_t hits2, std::uint64_t n2) {
  TestResult result;
  double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  double p1 = static_cast<double>(hits1) / dn1;
  double p2 = static_cast<double>(hits2) / dn2;
  double pooled = (p1 * dn1 + p2 * dn2) / (dn1 + dn2);
  double denom = std::sqrt(pooled * (1 - pooled) * (1.0 / dn1 + 1.0 / dn2));
  if (!(denom > 0)) {
    result.statistic = 0;
    result.p_value = 1;
    return result;
  }
  result.statistic = (p1 - p2) / denom;
  boost::math::normal standard;
  result.p_value = 2 * boost::math::cdf(boost::math::complement(standard, std::abs(result.statistic)));
  return result;
}

}  // namespace mlops::drift
