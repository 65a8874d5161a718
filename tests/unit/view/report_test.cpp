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

TEST_CASE("the primary metric is a held-out score the runs share and differ on") {
  auto with = [](std::string id, std::vector<std::pair<std::string, double>> finals) {
    RunView view;
    view.run.params = {{"lr", id == "a" ? "0.1" : "0.2"}};
    view.run.id = std::move(id);
    for (const auto& [name, value] : finals) {
      tracking::MetricPoint point{name, value, 0, 0};
      view.history[name].push_back(point);
      view.run.metrics[name] = point;
    }
    return view;
  };
  // The trial's sweep: a learning-rate schedule sorts first, but test_acc is what the runs are compared on.
  std::vector<RunView> sweep{
      with("a", {{"lr_sched", 1e-5}, {"test_acc", 0.91}, {"train_loss", 0.2}, {"val_acc", 0.9}}),
      with("b", {{"lr_sched", 2e-5}, {"test_acc", 0.92}, {"train_loss", 0.3}, {"val_acc", 0.8}})};
  std::vector<std::string> metrics{"lr_sched", "test_acc", "train_loss", "val_acc"};
  CHECK(primary_metric(sweep, metrics) == "test_acc");
  // Not a held-out score that every run has or that is the same everywhere.
  sweep[1].run.metrics.erase("test_acc");
  sweep[1].history.erase("test_acc");
  CHECK(primary_metric(sweep, metrics) == "val_acc");
  sweep[1].run.metrics["val_acc"].value = 0.9;
  sweep[1].history["val_acc"].front().value = 0.9;
  CHECK(primary_metric(sweep, metrics) == "train_loss");  // a score, though not held out
  CHECK(primary_metric(sweep, {"lr_sched"}) == "lr_sched");
  CHECK(primary_metric(sweep, {}).empty());
  // The report uses it when --primary is not given.
  std::string html = render_report_html(
      {with("a", {{"lr_sched", 1}, {"val_loss", 2}}), with("b", {{"lr_sched", 2}, {"val_loss", 3}})}, {});
  CHECK(html.find("numeric params and metrics.val_loss") != std::string::npos);
  CHECK(html.find("numeric params and metrics.lr_sched") == std::string::npos);
}

TEST_CASE("compare draws no learning curve of a metric logged once per run") {
  auto with = [](std::string id, double acc) {
    RunView view = report_run(id, id, acc, 20);
    tracking::MetricPoint point{"test_acc", acc, 0, 0};
    view.history["test_acc"].push_back(point);
    view.run.metrics["test_acc"] = point;
    return view;
  };
  std::string html = render_report_html({with("01aaaaaaaaaaaa", 0.1), with("01bbbbbbbbbbbb", 0.2)}, {});
  CHECK(html.find("<figcaption>test_acc (final)</figcaption>") != std::string::npos);
  CHECK(html.find("drawn under Final values only: test_acc.") != std::string::npos);
  CHECK(html.find("\"metric\":\"test_acc\"") == std::string::npos);
  CHECK(html.find("\"metric\":\"loss\"") != std::string::npos);
}
