#include "mlops/view/chart_svg.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace mlops::view;

TEST_CASE("axis numbers are short") {
  CHECK(axis_number(0) == "0");
  CHECK(axis_number(0.25) == "0.25");
  CHECK(axis_number(1234567) == "1.235e+06");
  CHECK(axis_number(-3) == "-3");
  CHECK(axis_number(NAN) == "nan");
}

TEST_CASE("ticks are round numbers covering the range") {
  CHECK(nice_ticks(0, 1) == std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1});
  auto ticks = nice_ticks(3, 97);
  CHECK(ticks.front() <= 3);
  CHECK(ticks.back() >= 97);
  CHECK(ticks.size() <= 8);
  CHECK(nice_ticks(5, 5) == std::vector<double>{5});
  CHECK(nice_ticks(NAN, 1).empty());
}

TEST_CASE("a line chart names itself and escapes its labels") {
  std::vector<LineSeries> series{{"<b>run</b>", 3, {{1, 0.5}, {2, 0.25}, {3, 0.125}}}, {"one", 12, {{2, 1}}}};
  std::string svg = line_chart("curve-0", "loss & <gain>", "step", series);
  CHECK(svg.find("<title>loss &amp; &lt;gain&gt;</title>") != std::string::npos);
  CHECK(svg.find("<desc>") != std::string::npos);
  CHECK(svg.find("id=\"curve-0\"") != std::string::npos);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("class=\"line s3\"") != std::string::npos);
  CHECK(svg.find("class=\"dot s2\"") != std::string::npos);  // a one-point series is a dot; colours wrap at 10
  CHECK(svg == line_chart("curve-0", "loss & <gain>", "step", series));
}

TEST_CASE("bar, scatter and parallel charts draw every run") {
  std::string bars = bar_chart("acc", {{"a", 0, 0.5}, {"b", 1, -0.25}, {"c", 2, NAN}});
  CHECK(bars.find("class=\"bar s0\"") != std::string::npos);
  CHECK(bars.find("<title>b: -0.25</title>") != std::string::npos);
  std::string scatter =
      scatter_chart("lr vs acc", "params.lr", "metrics.acc", {{"<a>", 0, 0.1, 0.9}, {"b", 1, 0.2, 0.8}});
  CHECK(scatter.find("<title>&lt;a&gt;: params.lr = 0.1, metrics.acc = 0.9</title>") != std::string::npos);
  std::string parallel =
      parallel_chart("p", {"a", "b"}, {0, 1}, {{"params.lr", {0.1, 0.2}}, {"metrics.acc", {0.9, std::nullopt}}});
  CHECK(parallel.find("class=\"line s0\" d=\"M64.0") != std::string::npos);
  CHECK(parallel.find("class=\"line s1\" d=\"M64.0") != std::string::npos);
}

TEST_CASE("series past the ten colours are dashed, dotted and dash-dotted") {
  std::vector<LineSeries> lines;
  for (std::size_t i = 0; i < 31; ++i) lines.push_back({"run " + std::to_string(i), i, {{0, 0}, {1, double(i)}}});
  std::string svg = line_chart("c", "loss", "step", lines);
  CHECK(svg.find("class=\"line s3\"") != std::string::npos);
  CHECK(svg.find("class=\"line s3 d1\"") != std::string::npos);  // series 13
  CHECK(svg.find("class=\"line s3 d2\"") != std::string::npos);  // series 23
  CHECK(svg.find("class=\"line s0 d3\"") != std::string::npos);  // series 30
  CHECK(dash_class(9).empty());
  CHECK(dash_mark(9).empty());
  CHECK(dash_mark(10).find("╌╌") != std::string::npos);
}
