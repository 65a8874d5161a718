#include "mlops/view/report.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace mlops;
using namespace mlops::view;

namespace {

RunView report_run(std::string id, std::string name, double lr, int steps) {
  RunView view;
  view.run.id = std::move(id);
  view.run.name = std::move(name);
  view.run.status = tracking::RunStatus::finished;
  view.run.start_time = "2026-01-01T00:00:00.000Z";
  view.run.params = {{"lr", fmt::format("{}", lr)}, {"model", "mlp"}};
  for (int step = 1; step <= steps; ++step) {
    tracking::MetricPoint point{"loss", std::exp(-lr * step), step, 1000 * step};
    view.history["loss"].push_back(point);
    view.run.metrics["loss"] = point;
  }
  return view;
}

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the report page holds the compare and run views and loads nothing") {
  std::vector<RunView> runs{report_run("01aaaaaaaaaaaa", "a", 0.1, 50), report_run("01bbbbbbbbbbbb", "b", 0.2, 5000)};
  std::string html = render_report_html(runs, {});
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  CHECK(html.find("id=\"compare\"") != std::string::npos);
  CHECK(html.find("id=\"run-01aaaaaaaaaaaa\"") != std::string::npos);
  CHECK(html.find("id=\"curve-0\"") != std::string::npos);
  CHECK(html.find("Data table: loss") != std::string::npos);
  CHECK(html.find("params.lr against metrics.loss") != std::string::npos);
  CHECK(html.find("Parallel coordinates") != std::string::npos);
  CHECK(html.find("<td>params.lr</td>") != std::string::npos);                 // the differences table
  CHECK(count(html, "http://") == count(html, "http://www.w3.org/2000/svg"));  // the SVG namespace only
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(count(html, "<script") == 2);  // the data and the script, nothing else
  // The long curve is downsampled for drawing, the data table still counts every point.
  CHECK(html.find("<td class=\"num\">5000</td>") != std::string::npos);
  CHECK(html == render_report_html(runs, {}));
}

TEST_CASE("the report escapes every user string") {
  auto run = report_run("01aaaaaaaaaaaa", "<script>alert(1)</script>", 0.1, 3);
  run.run.params["\"><img src=x>"] = "</table><b>x</b>";
  run.run.tags["t"] = "</script><script>alert(2)</script>";
  run.history["<i>m</i>"] = {{"<i>m</i>", 1, 1, 0}, {"<i>m</i>", 2, 2, 0}};
  run.run.metrics["<i>m</i>"] = {"<i>m</i>", 2, 2, 0};
  run.output_log = ArtifactText{"<img src=x onerror=alert(3)>", 28, false};
  std::vector<RunView> runs{run, report_run("01bbbbbbbbbbbb", "b", 0.2, 3)};
  std::string html = render_report_html(runs, {});
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>x") == std::string::npos);
  CHECK(html.find("<i>m") == std::string::npos);
  CHECK(count(html, "<script") == 2);
  CHECK(count(html, "</script>") == 2);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  std::string md = render_report_markdown(runs, {});
  CHECK(md.find("<script>") == std::string::npos);
  CHECK(md.find("\\<script\\>alert(1)\\</script\\>") != std::string::npos);
}

TEST_CASE("the markdown summary has final values with sparklines") {
  std::vector<RunView> runs{report_run("01aaaaaaaaaaaa", "a|b", 0.1, 50), report_run("01bbbbbbbbbbbb", "b", 0.2, 1)};
  std::string md = render_report_markdown(runs, {});
  CHECK(md.starts_with("### mlops runs report: 2 runs\n"));
  CHECK(md.find("| 01aaaaaaaaaaaa | a\\|b | finished |") != std::string::npos);
  CHECK(md.find("▁") != std::string::npos);
  CHECK(md.find("| lr | 0.1 | 0.2 |") != std::string::npos);
  CHECK(md.find("| model |") == std::string::npos);  // the same in both runs
}

TEST_CASE("asking for a metric no run logged is bad input with a suggestion") {
  std::vector<RunView> runs{report_run("01aaaaaaaaaaaa", "a", 0.1, 3)};
  auto checked = check_report_metrics(runs, {{"los"}, ""});
  REQUIRE_FALSE(checked);
  CHECK(checked.error().exit == Exit::bad_input);
  CHECK(checked.error().hint == "did you mean 'loss'?");
  CHECK(check_report_metrics(runs, {{"loss"}, "loss"}));
  CHECK_FALSE(check_report_metrics(runs, {{}, "acc"}));
}
