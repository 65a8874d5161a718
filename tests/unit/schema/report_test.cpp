// The renderings of a schema check report: JSON's shape, Markdown cells, HTML escaping, text.
#include "mlops/schema/report.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace mlops::schema;

namespace {

CheckReport sample_report() {
  CheckReport r;
  r.data = "batch|1.csv";
  r.schema = "s.yaml";
  r.rows = 3;
  CheckResult cols;
  cols.check = "columns";
  cols.expected = "exactly the schema's columns";
  cols.note = "4 columns";
  r.checks.push_back(cols);
  CheckResult age;
  age.column = "age";
  age.check = "range";
  age.expected = "from 0 to 120";
  age.severity = Severity::warn;
  age.status = Status::failed;
  age.elements = 3;
  age.unexpected = 1;
  age.unexpected_share = 1.0 / 3;
  age.examples = {Example{"<-3>", false, 2}};
  r.checks.push_back(age);
  CheckResult plan;
  plan.column = "plan";
  plan.check = "nullable";
  plan.expected = "no missing values";
  plan.status = Status::failed;
  plan.elements = 3;
  plan.unexpected = 1;
  plan.unexpected_share = 1.0 / 3;
  plan.examples = {Example{"", true, 3}};
  r.checks.push_back(plan);
  return r;
}

}  // namespace

TEST_CASE("schema report: JSON shape", "[schema]") {
  const auto doc = render_json(sample_report(), false);
  CHECK(doc["passed"] == false);
  CHECK(doc["failed_errors"] == 1);
  CHECK(doc["failed_warnings"] == 1);
  CHECK(doc["checks"][0]["column"].is_null());
  CHECK(doc["checks"][0]["note"] == "4 columns");
  CHECK(doc["checks"][1]["examples"][0]["value"] == "<-3>");
  CHECK(doc["checks"][1]["examples"][0]["row"] == 2);
  CHECK(doc["checks"][2]["examples"][0]["value"].is_null());
  CHECK(doc["checks"][2]["unexpected_count"] == 1);
  CHECK(render_json(sample_report(), true)["strict"] == true);
}

TEST_CASE("schema report: text lists failures, errors first, and a verdict", "[schema]") {
  const std::string text = render_text(sample_report(), false, false);
  CHECK(text ==
        "FAIL  plan nullable: expected no missing values; unexpected 1 (33.33%)\n"
        "      null (row 3)\n"
        "WARN  age range: expected from 0 to 120; unexpected 1 (33.33%)\n"
        "      '<-3>' (row 2)\n"
        "schema check FAILED: 3 rows, 3 checks, 2 failed (1 error, 1 warning)\n");
  CHECK(render_text(sample_report(), true, false).find("FAIL  age range") != std::string::npos);
}

TEST_CASE("schema report: Markdown cells and HTML are escaped", "[schema]") {
  const std::string md = render_markdown(sample_report(), false);
  CHECK(md.find("`batch\\|1.csv`") != std::string::npos);
  CHECK(md.find("| warn | age | range | from 0 to 120 | 1 (33.33%) | '<-3>' (row 2) |") != std::string::npos);
  const std::string html = render_html(sample_report(), false);
  CHECK(html.find("&#39;&lt;-3&gt;&#39; (row 2)") != std::string::npos);
  CHECK(html.find("<-3>") == std::string::npos);
}
