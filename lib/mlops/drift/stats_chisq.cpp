// Chi-square goodness of fit of the current category counts against the reference proportions.
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <limits>

#include "mlops/drift/stats.hpp"

namespace mlops::drift {

TestResult chi_square_gof(std::span<const double> observed, std::span<const double> expected) {
  TestResult result;
  long double stat = 0;
  bool infinite = false;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    if (expected[i] == 0) {
      if (observed[i] != 0) infinite = true;  // a category the reference never had
      continue;
    }
    long double d = static_cast<long double>(observed[i]) - expected[i];
    stat += d * d / expected[i];
  }
  if (infinite) {
    result.statistic = std::numeric_limits<double>::infinity();
    result.p_value = 0.0;
    return result;
  }
  result.statistic = static_cast<double>(stat);
  double dof = static_cast<double>(observed.size()) - 1;
  if (dof < 1) {
    result.p_value = 1.0;  // one category: nothing can differ
    return result;
  }
  if (result.statistic == 0) {
    result.p_value = 1.0;
    return result;
  }
  // Errors become special values rather than exceptions (these run on worker threads).
  using Policy =
      boost::math::policies::policy<boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
                                    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
                                    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
                                    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;
  boost::math::chi_squared_distribution<double, Policy> dist(dof);
  result.p_value = boost::math::cdf(boost::math::complement(dist, result.statistic));
  if (std::isnan(result.p_value)) result.p_value = result.statistic > dof ? 0.0 : 1.0;
  return result;
}

}  // namespace mlops::drift
