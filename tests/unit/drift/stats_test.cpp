// The drift statistics against reference values computed with SciPy 1.10.1
// (tests/fixtures/make_drift_stats.py -> tests/data/drift/stats_fixtures.json).
#include "mlops/drift/stats.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace mlops::drift;

namespace {

const nlohmann::json& fixtures() {
  static const nlohmann::json data = [] {
    std::ifstream in(std::string(MLOPS_TEST_DATA) + "/drift/stats_fixtures.json");
    REQUIRE(in);
    return nlohmann::json::parse(in);
  }();
  return data;
}

std::vector<double> sorted(const nlohmann::json& values) {
  auto v = values.get<std::vector<double>>();
  std::sort(v.begin(), v.end());
  return v;
}

// Statistics to 1e-9 relative.
void check_statistic(double got, double want) {
  INFO("statistic got " << got << " want " << want);
  if (std::isinf(want)) {
    CHECK(got == want);
    return;
  }
  CHECK(std::abs(got - want) <= 1e-9 * std::max(std::abs(want), 1e-300) + 1e-15);
}

// p-values to 1e-6 relative, or 1e-12 absolute when tiny.
void check_p(double got, double want) {
  INFO("p-value got " << got << " want " << want);
  CHECK((std::abs(got - want) <= 1e-6 * std::abs(want) || std::abs(got - want) <= 1e-12));
}

}  // namespace

TEST_CASE("ks_2samp matches scipy, exact and asymptotic") {
  for (const auto& c : fixtures()["ks_2samp"]) {
    auto a = sorted(c["a"]), b = sorted(c["b"]);
    INFO("n1=" << a.size() << " n2=" << b.size());
    KsResult r = ks_2samp(a, b);
    check_statistic(r.statistic, c["statistic"].get<double>());
    check_p(r.p_value, c["p_value"].get<double>());
    CHECK(r.exact == (std::max(a.size(), b.size()) <= 10000));
  }
}

TEST_CASE("kstwo.sf matches scipy across its algorithm branches") {
  for (const auto& c : fixtures()["kstwo_sf"]) {
    double x = c["x"].get<double>();
    auto n = c["n"].get<std::int64_t>();
    INFO("n=" << n << " x=" << x);
    check_p(kolmogorov_sf(x, n), c["sf"].get<double>());
  }
}

TEST_CASE("smirnov matches scipy.special.smirnov") {
  for (const auto& c : fixtures()["smirnov"]) {
    INFO("n=" << c["n"] << " x=" << c["x"]);
    check_p(smirnov_sf(c["n"].get<std::int64_t>(), c["x"].get<double>()), c["sf"].get<double>());
  }
}

TEST_CASE("wasserstein distance and population std match scipy and numpy") {
  for (const auto& c : fixtures()["wasserstein"]) {
    auto a = sorted(c["a"]), b = sorted(c["b"]);
    check_statistic(wasserstein_distance(a, b), c["distance"].get<double>());
    check_statistic(population_std(a), c["std_a"].get<double>());
  }
}

TEST_CASE("chi-square goodness of fit matches scipy.stats.chisquare") {
  for (const auto& c : fixtures()["chisquare"]) {
    auto obs = c["observed"].get<std::vector<double>>();
    auto exp = c["expected"].get<std::vector<double>>();
    TestResult r = chi_square_gof(obs, exp);
    check_statistic(r.statistic, c["statistic"].get<double>());
    check_p(r.p_value, c["p_value"].get<double>());
  }
  SECTION("a category the reference never had is certain drift") {
    std::vector<double> obs{5, 5, 1}, exp{5.5, 5.5, 0};
    TestResult r = chi_square_gof(obs, exp);
    CHECK(std::isinf(r.statistic));
    CHECK(r.p_value == 0.0);
  }
}

TEST_CASE("two-proportion z-test matches scipy's normal survival function") {
  for (const auto& c : fixtures()["ztest"]) {
    TestResult r = two_proportion_z(c["hits1"], c["n1"], c["hits2"], c["n2"]);
    check_statistic(r.statistic, c["statistic"].get<double>());
    check_p(r.p_value, c["p_value"].get<double>());
  }
}

TEST_CASE("PSI and Jensen-Shannon distance match numpy and scipy") {
  for (const auto& c : fixtures()["shares"]) {
    auto p = c["p"].get<std::vector<double>>(), q = c["q"].get<std::vector<double>>();
    check_statistic(psi(p, q, kPsiEpsilon), c["psi"].get<double>());
    check_statistic(jensen_shannon(p, q), c["js"].get<double>());
  }
}

TEST_CASE("exact two-sample probabilities are symmetric and bounded") {
  CHECK(ks_prob_outside_square(10, 10) == Approx(2.0 / 184756.0).epsilon(1e-12));
  double p = ks_prob_outside_lattice(7, 5, 1, 20);
  CHECK(p > 0.0);
  CHECK(p <= 1.0);
  CHECK(ks_prob_outside_lattice(5, 7, 1, 20) == p);
}
