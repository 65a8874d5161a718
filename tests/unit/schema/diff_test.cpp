// Schema diffs in words: columns added and removed, types, ranges widened or narrowed, values.
#include "mlops/schema/diff.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "mlops/schema/schema_io.hpp"

using namespace mlops::schema;

namespace {

Schema diff_parse(const std::string& text) {
  auto s = parse_schema(text, "s.yaml");
  REQUIRE(s);
  return *s;
}

std::vector<std::string> lines(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) {
    out.push_back(fmt::format("{}|{}|{}|{}", c.column, c.check, to_string(c.kind), c.text));
  }
  return out;
}

}  // namespace

TEST_CASE("schema diff: every kind of change in words", "[schema]") {
  const Schema before = diff_parse(
      "table:\n  rows: {min: 100}\ncolumns:\n"
      "  - name: id\n    type: int\n    nullable: false\n"
      "  - name: age\n    type: int\n    range: {min: 18, max: 95}\n"
      "  - name: plan\n    values: [basic, pro, trial]\n    length: {max: 5}\n"
      "  - name: old\n    type: string\n");
  const Schema after = diff_parse(
      "table:\n  rows: {min: 50, max: 1000}\ncolumns:\n"
      "  - name: id\n    type: int\n    nullable: true\n    unique: true\n"
      "  - name: age\n    type: float\n    range: {min: 0, max: 120, severity: warn}\n"
      "  - name: plan\n    values: [basic, pro, enterprise]\n    length: {max: 4}\n"
      "  - name: email\n    type: string\n    nullable: false\n");
  CHECK(lines(diff_schemas(before, after)) ==
        std::vector<std::string>{
            "|rows|changed|row count moved from at least 100 (no upper bound) to [50, 1000]",
            "id|nullable|loosened|became nullable",
            "id|unique|tightened|unique added: unique",
            "age|type|loosened|type changed from int to float",
            "age|range|loosened|range widened from [18, 95] to [0, 120]",
            "age|range|loosened|range severity error → warn",
            "plan|values|changed|values: added 'enterprise'; removed 'trial'",
            "plan|length|tightened|length narrowed from at most 5 (no lower bound) to at most 4 (no lower bound)",
            "email||added|column added (string, not nullable)",
            "old||removed|column removed (was string)",
        });
  CHECK(diff_schemas(after, after).empty());
}

TEST_CASE("schema diff: narrowed ranges and date ranges", "[schema]") {
  const Schema a = diff_parse("columns:\n  - name: d\n    type: date\n    range: {min: \"2024-01-01\"}\n");
  const Schema b =
      diff_parse("columns:\n  - name: d\n    type: date\n    range: {min: \"2024-06-01\", max: \"2024-12-31\"}\n");
  CHECK(lines(diff_schemas(a, b)) ==
        std::vector<std::string>{
            "d|range|tightened|range narrowed from at least 2024-01-01 (no upper bound) to [2024-06-01, 2024-12-31]"});
  CHECK(lines(diff_schemas(b, a)) ==
        std::vector<std::string>{
            "d|range|loosened|range widened from [2024-06-01, 2024-12-31] to at least 2024-01-01 (no upper bound)"});
  for (const auto& line : lines(diff_schemas(a, b))) CHECK(line.find("inf") == std::string::npos);
}

TEST_CASE("schema diff: a columns rule that allows more is loosened, less tightened", "[schema]") {
  auto rule = [](const char* r) { return diff_parse(fmt::format("table:\n  columns: {}\ncolumns: []\n", r)); };
  auto kind = [&](const char* a, const char* b) {
    const auto changes = diff_schemas(rule(a), rule(b));
    REQUIRE(changes.size() == 1);
    return std::string(to_string(changes[0].kind));
  };
  CHECK(kind("exact", "extra_allowed") == "loosened");
  CHECK(kind("extra_allowed", "exact") == "tightened");
  CHECK(kind("missing_allowed", "extra_and_missing_allowed") == "loosened");
  CHECK(kind("extra_and_missing_allowed", "exact") == "tightened");
  CHECK(kind("extra_allowed", "missing_allowed") == "changed");
  CHECK(lines(diff_schemas(rule("exact"), rule("extra_allowed"))) ==
        std::vector<std::string>{"|columns|loosened|columns rule changed from exact to extra_allowed"});
}
