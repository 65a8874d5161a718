// Method names, thresholds, verdicts and Evidently's default choice.
#include "mlops/drift/select.hpp"

#include <catch2/catch.hpp>

using namespace mlops::drift;

TEST_CASE("default methods follow Evidently's rules") {
  CHECK(default_method(ColumnType::numeric, 1000, 6) == Method::ks);
  CHECK(default_method(ColumnType::numeric, 1000, 5) == Method::chisquare);
  CHECK(default_method(ColumnType::numeric, 1000, 2) == Method::ztest);
  CHECK(default_method(ColumnType::categorical, 500, 3) == Method::chisquare);
  CHECK(default_method(ColumnType::categorical, 500, 2) == Method::ztest);
  CHECK(default_method(ColumnType::numeric, 1001, 6) == Method::wasserstein);
  CHECK(default_method(ColumnType::numeric, 1001, 5) == Method::jensenshannon);
  CHECK(default_method(ColumnType::categorical, 5000, 50) == Method::jensenshannon);
}

TEST_CASE("verdicts: KS at p <= t, chi-square and Z at p < t, distances at >= t") {
  CHECK(is_drift(Method::ks, 0.3, 0.05, 0.05));
  CHECK_FALSE(is_drift(Method::chisquare, 3, 0.05, 0.05));
  CHECK(is_drift(Method::ztest, 3, 0.049, 0.05));
  CHECK(is_drift(Method::wasserstein, 0.1, std::nan(""), 0.1));
  CHECK_FALSE(is_drift(Method::jensenshannon, 0.099, std::nan(""), 0.1));
  CHECK(default_threshold(Method::psi) == 0.1);
  CHECK(default_threshold(Method::ks) == 0.05);
}

TEST_CASE("method names round-trip and accept aliases") {
  for (Method m : kAllMethods) CHECK(parse_method(to_string(m)) == m);
  CHECK(parse_method("js") == Method::jensenshannon);
  CHECK(parse_method("chi2") == Method::chisquare);
  CHECK_FALSE(parse_method("t-test"));
}
