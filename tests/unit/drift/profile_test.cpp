// Saved reference profiles: written, read back, the same bins and counts as check computes.
#include "mlops/drift/profile.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "mlops/drift/check.hpp"
#include "mlops/drift/sort.hpp"

using namespace mlops::drift;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << text;
  return path;
}

Dataset sample() {
  Dataset d;
  d.source = "train.csv";
  d.rows = 110;
  Column wide;
  wide.name = "wide";
  wide.integral = false;
  wide.missing = 7;
  wide.non_finite = 3;
  for (int i = 0; i < 100; ++i) wide.values.push_back((i * 37 % 100) * 0.125 - 3.0);
  Column few;
  few.name = "few";
  few.integral = true;
  for (int i = 0; i < 110; ++i) few.values.push_back(static_cast<double>(i % 3));
  Column city;
  city.name = "city";
  city.numeric = false;
  city.integral = false;
  city.counts = {{"Rome", 60}, {"Oslo", 40}, {"Madrid", 10}};
  d.columns = {wide, few, city};
  return d;
}

}  // namespace

TEST_CASE("a profile reads back with the bins and counts check computes") {
  Dataset d = sample();
  auto text = make_profile(d, {});
  REQUIRE(text);
  auto path = write_temp("profile.json", *text);
  REQUIRE(is_profile(path.string()));
  auto back = read_profile(path.string());
  std::filesystem::remove(path);
  REQUIRE(back);
  CHECK(back->rows == 110);
  REQUIRE(back->columns.size() == 3);

  // More than 20 distinct values: bins only, the same edges and counts as from the values.
  const Column& wide = back->columns[0];
  std::vector<double> sorted = sample().columns[0].values;
  sort_values(sorted);
  auto edges = reference_bin_edges(sorted);
  REQUIRE(wide.bins);
  CHECK(wide.values.empty());
  CHECK(wide.bins->inner == edges);
  CHECK(wide.bins->counts == reference_bin_counts(sorted, edges));
  CHECK(wide.bins->values == 100);
  CHECK(wide.bins->distinct == 100);
  CHECK(wide.missing == 7);
  CHECK(wide.non_finite == 3);
  CHECK(wide.from_profile);

  // Few distinct values: every value kept with its count, so the sample comes back sorted.
  const Column& few = back->columns[1];
  CHECK_FALSE(few.bins);
  std::vector<double> few_sorted = sample().columns[1].values;
  sort_values(few_sorted);
  CHECK(few.values == few_sorted);
  CHECK(few.integral);

  const Column& city = back->columns[2];
  CHECK_FALSE(city.numeric);
  auto counts = city.counts;
  std::sort(counts.begin(), counts.end());
  CHECK(counts == std::vector<std::pair<std::string, std::uint64_t>>{{"Madrid", 10}, {"Oslo", 40}, {"Rome", 60}});
}

TEST_CASE("check against a profile gives the statistics check gives against the data") {
  Dataset ref = sample();
  auto text = make_profile(ref, {});
  REQUIRE(text);
  auto path = write_temp("profile2.json", *text);
  auto profile = read_profile(path.string());
  std::filesystem::remove(path);
  REQUIRE(profile);
  for (Method m : {Method::psi, Method::jensenshannon}) {
    Dataset a = sample(), b = sample();
    for (auto& v : b.columns[0].values) v += 0.7;
    b.columns[1].values.push_back(2);
    CheckOptions options;
    options.method = m;
    auto direct = check_drift(a, b, options);
    Dataset b2 = sample();
    for (auto& v : b2.columns[0].values) v += 0.7;
    b2.columns[1].values.push_back(2);
    auto via = check_drift(*profile, b2, options);
    REQUIRE(direct);
    REQUIRE(via);
    REQUIRE(direct->columns.size() == via->columns.size());
    for (std::size_t i = 0; i < direct->columns.size(); ++i) {
      CHECK(direct->columns[i].name == via->columns[i].name);
      CHECK(direct->columns[i].statistic == via->columns[i].statistic);
    }
  }
}

TEST_CASE("a profile refuses what needs the sample, and bad files name themselves") {
  Dataset ref = sample();
  auto path = write_temp("profile3.json", *make_profile(ref, {}));
  auto profile = read_profile(path.string());
  std::filesystem::remove(path);
  REQUIRE(profile);
  Dataset cur = sample();
  CheckOptions options;
  options.method = Method::ks;
  auto r = check_drift(*profile, cur, options);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message,
             Catch::Contains("a profile keeps bins, not the sample: ks needs the reference data itself"));

  auto bad = write_temp("bad.json", "{\"mlops_drift_profile\": 2, \"columns\": []}");
  auto e = read_profile(bad.string());
  std::filesystem::remove(bad);
  REQUIRE_FALSE(e);
  CHECK_THAT(e.error().message, Catch::Contains("bad.json"));
}
