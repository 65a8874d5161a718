// Column typing, method choice, skipped columns, ordering and the dataset verdict.
#include "mlops/drift/check.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace mlops::drift;

namespace {

Column numeric(std::string name, std::vector<double> values, bool integral = false) {
  Column c;
  c.name = std::move(name);
  c.values = std::move(values);
  c.integral = integral;
  return c;
}

Column text(std::string name, std::vector<std::pair<std::string, std::uint64_t>> counts) {
  Column c;
  c.name = std::move(name);
  c.numeric = false;
  c.integral = false;
  c.counts = std::move(counts);
  return c;
}

std::vector<double> ramp(int n, double shift) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(i * 0.01 + shift);
  return v;
}

const ColumnResult& find(const Report& r, const std::string& name) {
  for (const auto& c : r.columns) {
    if (c.name == name) return c;
  }
  FAIL("no column " << name);
  return r.columns.front();
}

}  // namespace

TEST_CASE("columns are typed and judged by Evidently's defaults") {
  Dataset ref{"ref", 200, {}}, cur{"cur", 200, {}};
  ref.columns.push_back(numeric("x", ramp(200, 0)));
  cur.columns.push_back(numeric("x", ramp(200, 1.0)));
  ref.columns.push_back(numeric("k", std::vector<double>(200, 1.0), true));
  cur.columns.push_back(numeric("k", std::vector<double>(200, 2.0), true));
  ref.columns.push_back(text("city", {{"a", 100}, {"b", 100}}));
  cur.columns.push_back(text("city", {{"a", 100}, {"b", 90}, {"c", 10}}));
  ref.columns.push_back(text("gone", {{"a", 200}}));
  auto report = check_drift(ref, cur, CheckOptions{});
  REQUIRE(report);
  const auto& x = find(*report, "x");
  CHECK(x.type == ColumnType::numeric);
  CHECK(x.method == Method::ks);
  CHECK(x.drifted);
  const auto& k = find(*report, "k");
  CHECK(k.type == ColumnType::categorical);  // integers with <= 5 distinct values
  CHECK(k.method == Method::ztest);
  CHECK(k.drifted);
  const auto& city = find(*report, "city");
  CHECK(city.method == Method::chisquare);
  CHECK(city.unseen == std::vector<std::string>{"c"});
  CHECK(std::isinf(city.statistic));
  REQUIRE(report->skipped.size() == 1);
  CHECK(report->skipped[0].name == "gone");
  CHECK(report->skipped[0].reason == "only in the reference data");
  CHECK(report->drifted == 3);
  CHECK(report->dataset_drift);
}

TEST_CASE("prediction and target come first; unknown columns are bad input") {
  Dataset ref{"ref", 200, {}}, cur{"cur", 200, {}};
  for (const char* n : {"a", "p", "t"}) {
    ref.columns.push_back(numeric(n, ramp(200, 0)));
    cur.columns.push_back(numeric(n, ramp(200, n[0] == 'a' ? 5.0 : 0.0)));
  }
  CheckOptions options;
  options.prediction.push_back('p');
  options.target.push_back('t');
  auto report = check_drift(ref, cur, options);
  REQUIRE(report);
  CHECK(report->columns[0].name == "p");
  CHECK(report->columns[0].role == Role::prediction);
  CHECK(report->columns[1].name == "t");
  CHECK(report->columns[2].name == "a");
  options.columns.emplace_back("a");
  options.columns.emplace_back("zz");
  auto bad = check_drift(ref, cur, options);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "unknown column 'zz' (--columns)");
}

TEST_CASE("an all-missing side is skipped, not tested") {
  Dataset ref{"ref", 3, {}}, cur{"cur", 3, {}};
  Column empty = numeric("e", {});
  empty.missing = 3;
  ref.columns.push_back(empty);
  cur.columns.push_back(numeric("e", {1, 2, 3}));
  auto report = check_drift(ref, cur, CheckOptions{});
  REQUIRE(report);
  CHECK(report->columns.empty());
  REQUIRE(report->skipped.size() == 1);
  CHECK(report->skipped[0].reason == "no values in the reference data (all missing)");
}

TEST_CASE("reference bins are Sturges bins over the reference range") {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(i);
  auto edges = reference_bin_edges(v);
  REQUIRE(edges.size() == 10);  // ceil(log2(1000) + 1) = 11 bins
  CHECK(edges.front() == Approx(999.0 / 11));
  CHECK(edges.back() == Approx(10 * 999.0 / 11));
}

TEST_CASE("the verdict and the failure follow --fail-on") {
  Report report;
  report.columns.resize(5);
  report.drifted = 1;
  report.drift_share = 0.5;
  report.dataset_drift = false;
  report.fail_on = FailOn::dataset;
  CHECK_FALSE(report.failed());
  CHECK(report.verdict() == "No dataset drift");
  report.fail_on = FailOn::column;
  CHECK(report.failed());
  CHECK(report.drift_found());
  CHECK(report.verdict() == "Column drift detected");
  CHECK(report.verdict(false) == "column drift detected");
  CHECK(report.verdict_detail() == "20.0%; --fail-on column fails on any");
  report.drifted = 0;
  CHECK_FALSE(report.failed());
  CHECK(report.verdict() == "No column drift");
  report.drifted = 3;
  report.dataset_drift = true;
  report.fail_on = FailOn::never;
  CHECK_FALSE(report.failed());
  CHECK(report.verdict() == "Dataset drift detected");
  CHECK(report.verdict_detail() == "60.0%, threshold 50.0%; not a failure with --fail-on never");
  CHECK(parse_fail_on("column") == FailOn::column);
  CHECK_FALSE(parse_fail_on("sometimes"));
}
