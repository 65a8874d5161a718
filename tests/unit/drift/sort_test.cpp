// Sorting values: the radix sorts (over IEEE bit patterns, or over scaled integers for decimal
// data) give exactly what std::sort gives, whatever the decimals hint says.
#include "mlops/drift/sort.hpp"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using namespace mlops::drift;

namespace {

// Sorted, and the same values bit for bit as std::sort gives (-0.0 and 0.0 compare equal, so the
// bit patterns are compared as a multiset).
void check_sorted(const std::vector<double>& input, int decimals) {
  std::vector<double> got = input;
  sort_values(got, decimals);
  std::vector<double> want = input;
  std::sort(want.begin(), want.end());
  REQUIRE(got.size() == want.size());
  CHECK(std::is_sorted(got.begin(), got.end()));
  auto bits = [](const std::vector<double>& v) {
    std::vector<std::uint64_t> b;
    for (double x : v) b.push_back(std::bit_cast<std::uint64_t>(x));
    std::sort(b.begin(), b.end());
    return b;
  };
  CHECK(bits(got) == bits(want));
  CHECK(got == want);
}

std::vector<double> decimals(std::size_t n, double spread, int places, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, spread);
  const double scale = std::pow(10.0, places);
  std::vector<double> v(n);
  for (auto& x : v) x = std::round(normal(rng) * scale) / scale + 0.0;
  return v;
}

}  // namespace

TEST_CASE("decimal data sorts exactly with the right hint, a wrong hint or none") {
  auto v = decimals(50000, 1.5, 6, 1);
  for (int hint : {-1, 0, 3, 5, 6, 7, 9, 15, 16}) {
    INFO("hint " << hint);
    check_sorted(v, hint);
  }
}

TEST_CASE("integers, wide ranges, huge magnitudes and signed zeros sort exactly") {
  check_sorted(decimals(20000, 1000.0, 0, 2), 0);  // integers
  check_sorted(decimals(20000, 1e7, 6, 3), 6);     // scaled range beyond 32 bits
  std::vector<double> huge = decimals(20000, 1.0, 3, 4);
  huge[17] = 1e300;
  huge[99] = -1e300;
  check_sorted(huge, 3);  // beyond 2^52 once scaled
  std::vector<double> zeros = decimals(20000, 1.0, 2, 5);
  zeros[5] = -0.0;
  zeros[6] = 0.0;
  check_sorted(zeros, 2);
  std::vector<double> same(10000, 2.5);  // one value: every digit constant
  check_sorted(same, 1);
  std::vector<double> tiny = {3.5, -1.25, 2.0};  // below the radix sort's size
  check_sorted(tiny, 2);
}

TEST_CASE("values that are not short decimals sort exactly") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(-1e6, 1e6);
  std::vector<double> v(30000);
  for (auto& x : v) x = uniform(rng);
  check_sorted(v, 6);
  check_sorted(v, -1);
}
