#include "mlops/tracking/query.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>

using mlops::tracking::Check;
using mlops::tracking::Lookup;
using mlops::tracking::Query;
using mlops::tracking::Value;

namespace {

Lookup lookup_from(std::map<std::string, Value> values) {
  return [values = std::move(values)](std::string_view key) -> std::optional<Value> {
    auto it = values.find(std::string(key));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

const Lookup kRun = lookup_from({{"metrics.acc", 0.93},
                                 {"metrics.loss", 0.2},
                                 {"metrics.f1 score", 0.5},
                                 {"params.model", std::string("rf")},
                                 {"params.lr", std::string("0.01")},
                                 {"tags.team", std::string("vision")},
                                 {"status", std::string("finished")},
                                 {"name", std::string("Baseline-RF")},
                                 {"start_time", std::string("2026-11-29T02:00:00Z")},
                                 {"git.commit", std::string("1a2b3c4d")}});

bool matches(std::string_view text, const Lookup& lookup = kRun) {
  auto query = Query::parse(text);
  INFO(text << (query ? "" : " -> " + query.error().message));
  REQUIRE(query);
  return query->matches(lookup);
}

std::size_t error_position(std::string_view text) {
  auto query = Query::parse(text);
  INFO(text);
  REQUIRE_FALSE(query);
  return query.error().position;
}

}  // namespace

TEST_CASE("comparisons on numbers and text") {
  CHECK(matches("metrics.acc > 0.9"));
  CHECK_FALSE(matches("metrics.acc < 0.9"));
  CHECK(matches("metrics.acc >= 0.93"));
  CHECK(matches("metrics.acc <= 0.93"));
  CHECK(matches("metrics.acc = 0.93"));
  CHECK(matches("metrics.acc == 0.93"));
  CHECK(matches("metrics.acc != 0.5"));
  CHECK(matches("metrics.acc <> 0.5"));
  CHECK(matches("params.model = 'rf'"));
  CHECK(matches("params.model = \"rf\""));
  CHECK_FALSE(matches("params.model != 'rf'"));
  CHECK(matches("tags.team != 'x'"));
  CHECK(matches("status = 'finished'"));
  CHECK(matches("git.commit = '1a2b3c4d'"));
  CHECK(matches("start_time > '2026-11-28'"));
  CHECK_FALSE(matches("start_time > '2026-11-30'"));
  CHECK(matches("metrics.acc > 1e-3"));
  CHECK(matches("metrics.acc > -1"));
}

TEST_CASE("a text value that reads as a number compares numerically with a number") {
  CHECK(matches("params.lr < 0.1"));    // as text "0.01" < "0.1" too, so also:
  CHECK(matches("params.lr > 0.009"));  // numerically true, as text false ("0.01" < "0.009")
  CHECK(matches("params.lr = 1e-2"));
  CHECK_FALSE(matches("params.model > 5"));  // "rf" vs "5": compared as text
  CHECK(matches("params.model != 5"));
}

TEST_CASE("missing keys match nothing, not even !=") {
  CHECK_FALSE(matches("metrics.auc > 0"));
  CHECK_FALSE(matches("metrics.auc != 0"));
  CHECK_FALSE(matches("params.missing = 'x'"));
  CHECK(matches("not metrics.auc > 0"));
}

TEST_CASE("and, or, not and parentheses, case-insensitive keywords") {
  CHECK(matches("metrics.acc > 0.9 and params.model = 'rf' and tags.team != 'x' and status = 'finished'"));
  CHECK_FALSE(matches("metrics.acc > 0.9 AND params.model = 'svm'"));
  CHECK(matches("params.model = 'svm' Or metrics.acc > 0.9"));
  CHECK(matches("(params.model = 'svm' or params.model = 'rf') and metrics.loss < 0.3"));
  CHECK_FALSE(matches("not (params.model = 'rf')"));
  CHECK(matches("NOT params.model = 'svm'"));
  // and binds tighter than or
  CHECK(matches("params.model = 'svm' and metrics.acc > 2 or metrics.loss < 0.3"));
  CHECK_FALSE(matches("params.model = 'svm' and (metrics.acc > 2 or metrics.loss < 0.3)"));
}

TEST_CASE("like, ilike and in") {
  CHECK(matches("name like 'Base%'"));
  CHECK_FALSE(matches("name like 'base%'"));
  CHECK(matches("name ilike 'base%'"));
  CHECK(matches("name like '%line-__'"));
  CHECK_FALSE(matches("name like '%line-_'"));
  CHECK(matches("name not like 'x%'"));
  CHECK(matches("name not ilike 'x%'"));
  CHECK(matches("params.model in ('svm', 'rf')"));
  CHECK_FALSE(matches("params.model not in ('svm', 'rf')"));
  CHECK(matches("params.model NOT IN ('svm')"));
  CHECK(matches("metrics.acc in (0.5, 0.93)"));
}

TEST_CASE("quoted key parts and singular prefixes") {
  CHECK(matches("metrics.`f1 score` = 0.5"));
  CHECK(matches("metrics.\"f1 score\" = 0.5"));
  CHECK(matches("metric.acc > 0.9"));
  CHECK(matches("param.model = 'rf'"));
  CHECK(matches("attributes.status = 'finished'"));
  auto query = Query::parse("metric.acc > 0.9 and tag.team = 'x' and metric.acc < 1");
  REQUIRE(query);
  CHECK(query->keys() == std::vector<std::string>{"metrics.acc", "tags.team"});
}

TEST_CASE("NaN metrics are unordered and unequal") {
  auto run = lookup_from({{"metrics.loss", std::nan("")}});
  CHECK_FALSE(matches("metrics.loss > 0", run));
  CHECK_FALSE(matches("metrics.loss <= 0", run));
  CHECK_FALSE(matches("metrics.loss = 0", run));
  CHECK(matches("metrics.loss != 0", run));
  auto inf = lookup_from({{"metrics.loss", INFINITY}});
  CHECK(matches("metrics.loss > 1e308", inf));
}

TEST_CASE("syntax errors carry the offending position") {
  CHECK(error_position("metrics.acc > and") == 14);
  CHECK(error_position("metrics.acc >") == 13);
  CHECK(error_position("metrics.acc 0.9") == 12);
  CHECK(error_position("metrics.acc > 0.9 params.x = 1") == 18);
  CHECK(error_position("params.model = 'rf") == 15);
  CHECK(error_position("(metrics.acc > 1") == 0);
  CHECK(error_position("metrics.acc > 1)") == 15);
  CHECK(error_position("") == 0);
  CHECK(error_position("   ") == 3);
  CHECK(error_position("> 1") == 0);
  CHECK(error_position("metrics.acc > 'high'") == 14);  // metrics take numbers
  CHECK(error_position("metrics. > 1") == 8);
  CHECK(error_position("name like rf") == 10);
  CHECK(error_position("params.m in ('a' 'b')") == 17);
  CHECK(error_position("params.m not = 'a'") == 13);
  CHECK(error_position("metrics.a > 1 and") == 17);
}

TEST_CASE("parse_query formats a caret under the position") {
  auto query = mlops::tracking::parse_query("metrics.acc > and");
  REQUIRE_FALSE(query);
  CHECK(query.error().exit == mlops::Exit::bad_input);
  CHECK(query.error().message ==
        "malformed filter at position 14: expected a number or a quoted string, found 'and' (quote text: 'and')\n"
        "  metrics.acc > and\n"
        "                ^");
}

TEST_CASE("checks describe each comparison with its value and bound") {
  auto query = Query::parse("metrics.acc >= 0.9 and metrics.auc > 0.8 and params.model in ('rf', 'svm')");
  REQUIRE(query);
  std::vector<Check> checks = query->checks(kRun);
  REQUIRE(checks.size() == 3);
  CHECK(checks[0].text == "metrics.acc >= 0.9");
  CHECK(checks[0].key == "metrics.acc");
  CHECK(checks[0].op == ">=");
  CHECK(checks[0].bound == "0.9");
  REQUIRE(checks[0].value);
  CHECK(mlops::tracking::format_value(*checks[0].value) == "0.93");
  CHECK(checks[0].passed);
  CHECK(checks[1].key == "metrics.auc");
  CHECK_FALSE(checks[1].value);
  CHECK_FALSE(checks[1].passed);
  CHECK(checks[2].bound == "('rf', 'svm')");
  CHECK(checks[2].passed);
  CHECK_FALSE(query->matches(kRun));
}

TEST_CASE("sort keys") {
  auto sort = mlops::tracking::parse_sort_key("-metrics.acc");
  REQUIRE(sort);
  CHECK(sort->key == "metrics.acc");
  CHECK(sort->descending);
  sort = mlops::tracking::parse_sort_key("metric.`f1 score`");
  REQUIRE(sort);
  CHECK(sort->key == "metrics.f1 score");
  CHECK_FALSE(sort->descending);
  CHECK_FALSE(mlops::tracking::parse_sort_key("-"));
  CHECK_FALSE(mlops::tracking::parse_sort_key("metrics.acc desc"));
}
