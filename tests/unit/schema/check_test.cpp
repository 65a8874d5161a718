// Each check of `schema check` passing and failing, with exact counts, examples and rows; the
// table rules; JSONL and several parts; hostile data.
#include "mlops/schema/check.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "mlops/schema/schema_io.hpp"

using namespace mlops::schema;

namespace {

CheckReport check_text(const std::string& schema_text, const std::string& name, std::string data) {
  auto schema = parse_schema(schema_text, "s.yaml");
  INFO((schema ? std::string() : schema.error().message));
  REQUIRE(schema);
  std::vector<mlops::drift::Part> parts;
  parts.push_back(mlops::drift::Part{name, mlops::drift::Buffer::own(std::move(data))});
  auto report = check_schema(*schema, parts, {});
  INFO((report ? std::string() : report.error().message));
  REQUIRE(report);
  return *report;
}

const CheckResult& result(const CheckReport& r, const std::string& column, const std::string& check) {
  for (const auto& c : r.checks) {
    if (c.column == column && c.check == check) return c;
  }
  FAIL("no check " << column << " " << check);
  return r.checks.front();
}

// unique: each repeated value with the row that repeats it and the row it first appeared in.
std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>> repeats(const CheckResult& c) {
  std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>> out;
  for (const auto& e : c.examples) out.emplace_back(e.value, e.row, e.first_row);
  return out;
}

std::vector<std::pair<std::string, std::uint64_t>> examples(const CheckResult& c) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& e : c.examples) out.emplace_back(e.missing ? "<null>" : e.value, e.row);
  return out;
}

const char* const kOrders =
    "id,age,plan,email,day\n"
    "1,34,basic,a@x.io,2024-01-01\n"
    "2,-3,pro,b@x.io,2024-01-05\n"
    "3,,gold,not-an-email,2024-13-01\n"
    "3,250,basic,c@x.io,2023-12-31\n"
    "5,forty,gold,d@x.io,2024-01-02\n"
    "6,-3,basic,,2024-01-03\n";

const char* const kOrderRules =
    "columns:\n"
    "  - name: id\n"
    "    type: int\n"
    "    unique: true\n"
    "  - name: age\n"
    "    type: int\n"
    "    nullable: false\n"
    "    range: {min: 0, max: 120}\n"
    "  - name: plan\n"
    "    values: [basic, pro]\n"
    "    length: {max: 4}\n"
    "  - name: email\n"
    "    present: 0.9\n"
    "    regex: \"[a-z]+@[a-z]+\\\\.io\"\n"
    "  - name: day\n"
    "    type: date\n"
    "    range: {min: \"2024-01-01\", max: \"2024-01-31\"}\n";

}  // namespace

TEST_CASE("schema check: each column check with counts and first distinct bad values", "[schema]") {
  const CheckReport r = check_text(kOrderRules, "orders.csv", kOrders);
  CHECK(r.rows == 6);
  CHECK(r.failed(false));

  const CheckResult& id_unique = result(r, "id", "unique");
  CHECK(id_unique.status == Status::failed);
  CHECK(id_unique.elements == 6);
  CHECK(id_unique.unexpected == 2);  // both rows of the duplicated 3
  // The duplicate is named by the row that repeats the value (4), and where it first was (3).
  CHECK(repeats(id_unique) == std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>>{{"3", 4, 3}});
  CHECK(result(r, "id", "type").status == Status::passed);

  const CheckResult& age_type = result(r, "age", "type");
  CHECK(age_type.status == Status::failed);
  CHECK(age_type.elements == 5);
  CHECK(age_type.missing == 1);
  CHECK(age_type.unexpected == 1);
  CHECK(age_type.unexpected_share == Approx(0.2));
  CHECK(examples(age_type) == std::vector<std::pair<std::string, std::uint64_t>>{{"forty", 5}});

  const CheckResult& age_null = result(r, "age", "nullable");
  CHECK(age_null.unexpected == 1);
  CHECK(examples(age_null) == std::vector<std::pair<std::string, std::uint64_t>>{{"<null>", 3}});

  // The range looks at the values of the type only; -3 twice, shown once.
  const CheckResult& age_range = result(r, "age", "range");
  CHECK(age_range.elements == 4);
  CHECK(age_range.unexpected == 3);
  CHECK(examples(age_range) == std::vector<std::pair<std::string, std::uint64_t>>{{"-3", 2}, {"250", 4}});
  CHECK(age_range.expected == "from 0 to 120");

  const CheckResult& plan_values = result(r, "plan", "values");
  CHECK(plan_values.unexpected == 2);
  CHECK(examples(plan_values) == std::vector<std::pair<std::string, std::uint64_t>>{{"gold", 3}});
  const CheckResult& plan_length = result(r, "plan", "length");
  CHECK(plan_length.status == Status::failed);
  CHECK(plan_length.unexpected == 3);  // "basic" is 5 characters

  const CheckResult& email_present = result(r, "email", "present");
  CHECK(email_present.status == Status::failed);  // 5 of 6 = 83% < 90%
  CHECK(email_present.note == "83.33% present");
  const CheckResult& email_regex = result(r, "email", "regex");
  CHECK(email_regex.elements == 5);
  CHECK(email_regex.unexpected == 1);
  CHECK(examples(email_regex) == std::vector<std::pair<std::string, std::uint64_t>>{{"not-an-email", 3}});

  const CheckResult& day_type = result(r, "day", "type");
  CHECK(examples(day_type) == std::vector<std::pair<std::string, std::uint64_t>>{{"2024-13-01", 3}});
  const CheckResult& day_range = result(r, "day", "range");
  CHECK(examples(day_range) == std::vector<std::pair<std::string, std::uint64_t>>{{"2023-12-31", 4}});

  CHECK(result(r, "", "columns").status == Status::passed);
}

TEST_CASE("schema check: the same checks pass on good data", "[schema]") {
  const CheckReport r = check_text(kOrderRules, "orders.csv",
                                   "id,age,plan,email,day\n1,34,pro,a@x.io,2024-01-01\n2,0,pro,b@x.io,2024-01-31\n");
  for (const auto& c : r.checks) {
    INFO(c.column << " " << c.check);
    CHECK(c.status == Status::passed);
    CHECK(c.unexpected == 0);
    CHECK(c.examples.empty());
  }
  CHECK_FALSE(r.failed(true));
}

TEST_CASE("schema check: regex matches the whole value, not a part", "[schema]") {
  const CheckReport r = check_text("columns:\n  - name: code\n    regex: \"[A-Z]{2}\\\\d{3}\"\n", "c.csv",
                                   "code\nAB123\nxAB123\nAB1234\n");
  CHECK(result(r, "code", "regex").unexpected == 2);
}

TEST_CASE("schema check: mostly lets a share of values fail", "[schema]") {
  std::string data = "x\n";
  for (int i = 0; i < 100; ++i) data += (i < 3 ? "-1\n" : "5\n");
  const char* rules = "columns:\n  - name: x\n    type: int\n    range: {min: 0, mostly: 0.97}\n";
  CHECK(result(check_text(rules, "m.csv", data), "x", "range").status == Status::passed);
  data += "-1\n";  // 4 of 101 fail: 96% pass
  CHECK(result(check_text(rules, "m.csv", data), "x", "range").status == Status::failed);
}

TEST_CASE("schema check: severity warn fails only under strict", "[schema]") {
  const CheckReport r =
      check_text("columns:\n  - name: x\n    type: int\n    range: {max: 10, severity: warn}\n", "w.csv", "x\n1\n20\n");
  CHECK(result(r, "x", "range").status == Status::failed);
  CHECK(r.failed_count(Severity::warn) == 1);
  CHECK(r.failed_count(Severity::error) == 0);
  CHECK_FALSE(r.failed(false));
  CHECK(r.failed(true));
}

TEST_CASE("schema check: table rules for columns and rows", "[schema]") {
  const char* exact = "table:\n  rows: {min: 3, max: 5}\n  columns: exact\ncolumns:\n  - name: a\n  - name: b\n";
  const CheckReport r = check_text(exact, "t.csv", "a,c\n1,2\n");
  const CheckResult& cols = result(r, "", "columns");
  CHECK(cols.status == Status::failed);
  CHECK(cols.unexpected == 2);
  CHECK(cols.note == "missing: b, extra: c");
  const CheckResult& rows = result(r, "", "rows");
  CHECK(rows.status == Status::failed);
  CHECK(rows.note == "1 rows");
  const char* allow = "table:\n  columns: extra_and_missing_allowed\ncolumns:\n  - name: b\n    type: int\n";
  const CheckReport r2 = check_text(allow, "t.csv", "a,c\n1,2\n");
  CHECK(result(r2, "", "columns").status == Status::passed);
  CHECK(result(r2, "b", "type").status == Status::skipped);
  CHECK_FALSE(r2.failed(true));
  // Without a columns rule, extra columns are allowed and missing ones fail.
  const CheckReport r3 = check_text("columns:\n  - name: a\n", "t.csv", "a,c\n1,2\n");
  CHECK(result(r3, "", "columns").status == Status::passed);
  const CheckReport r4 = check_text("columns:\n  - name: z\n", "t.csv", "a,c\n1,2\n");
  CHECK(result(r4, "", "columns").status == Status::failed);
}

TEST_CASE("schema check: JSONL types, nulls and absent keys", "[schema]") {
  const char* rules =
      "columns:\n  - name: n\n    type: int\n    nullable: false\n  - name: s\n    type: string\n"
      "  - name: b\n    type: bool\n";
  const CheckReport r = check_text(rules, "j.jsonl",
                                   "{\"n\": 1, \"s\": \"a\", \"b\": true}\n"
                                   "{\"n\": \"2\", \"s\": 5, \"b\": \"true\"}\n"
                                   "{\"s\": null, \"b\": false}\n"
                                   "{\"n\": null, \"s\": \"x\", \"b\": false}\n");
  CHECK(examples(result(r, "n", "type")) == std::vector<std::pair<std::string, std::uint64_t>>{{"2", 2}});
  CHECK(result(r, "n", "nullable").unexpected == 2);
  CHECK(examples(result(r, "n", "nullable")) == std::vector<std::pair<std::string, std::uint64_t>>{{"<null>", 3}});
  CHECK(result(r, "s", "type").status == Status::passed);
  CHECK(examples(result(r, "b", "type")) == std::vector<std::pair<std::string, std::uint64_t>>{{"true", 2}});
}

TEST_CASE("schema check: row numbers count across pieces and parts", "[schema]") {
  // About 3 MB: read in several pieces in parallel; the bad values sit in different pieces.
  std::string data = "k,v\n";
  const int n = 300000;
  for (int i = 1; i <= n; ++i) {
    const bool bad = i == 7 || i == 150001 || i == 299999;
    data += std::to_string(i) + "," + (bad ? "oops" + std::to_string(i) : std::to_string(i % 100)) + "\n";
  }
  auto schema = parse_schema("columns:\n  - name: k\n    unique: true\n  - name: v\n    type: int\n", "s.yaml");
  REQUIRE(schema);
  std::vector<mlops::drift::Part> parts;
  parts.push_back(mlops::drift::Part{"one.csv", mlops::drift::Buffer::own(data)});
  parts.push_back(mlops::drift::Part{"two.csv", mlops::drift::Buffer::own("k,v\n1,bad\n")});
  auto report = check_schema(*schema, parts, {});
  REQUIRE(report);
  CHECK(report->rows == n + 1);
  CHECK(examples(result(*report, "v", "type")) ==
        std::vector<std::pair<std::string, std::uint64_t>>{
            {"oops7", 7}, {"oops150001", 150001}, {"oops299999", 299999}, {"bad", n + 1}});
  CHECK(result(*report, "k", "unique").unexpected == 2);
  CHECK(repeats(result(*report, "k", "unique")) ==
        std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>>{{"1", n + 1, 1}});
}

TEST_CASE("schema check: unique names every repeat's row, in the order they repeat", "[schema]") {
  const CheckReport r =
      check_text("columns:\n  - name: k\n    unique: true\n", "u.csv", "k\nb\na\nc\na\nb\na\n\"c,\"\nd\n");
  const CheckResult& u = result(r, "k", "unique");
  CHECK(u.elements == 8);
  CHECK(u.unexpected == 5);  // a three times, b twice; "c," (quoted) is not c
  CHECK(repeats(u) == std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>>{{"a", 4, 2}, {"b", 5, 1}});
  // Without repeats the second pass is not needed and nothing is reported.
  const CheckReport ok = check_text("columns:\n  - name: k\n    unique: true\n", "u.csv", "k\na\nb\n");
  CHECK(result(ok, "k", "unique").status == Status::passed);
  CHECK(result(ok, "k", "unique").elements == 2);
}

TEST_CASE("schema check: counts are coherent for every check", "[schema]") {
  const char* rules =
      "table:\n  rows: {min: 5}\n  columns: exact\ncolumns:\n"
      "  - name: s\n    type: string\n    present: 0.5\n  - name: gone\n    type: int\n  - name: x\n";
  const CheckReport r = check_text(rules, "c.csv", "s,x,extra\na,1,1\n,2,2\nb,3,3\n");
  // Every check: unexpected is a part of elements, and the share is their ratio.
  for (const auto& c : r.checks) {
    INFO(c.column << " " << c.check);
    CHECK(c.unexpected <= c.elements);
    CHECK(c.unexpected_share == Approx(c.elements ? double(c.unexpected) / double(c.elements) : 0.0));
    if (c.status != Status::failed) CHECK(c.examples.empty());
  }
  // rows judges one thing, the table.
  const CheckResult& rows = result(r, "", "rows");
  CHECK(rows.elements == 1);
  CHECK(rows.unexpected == 1);
  CHECK(rows.unexpected_share == 1.0);
  // columns judges the data's and the schema's columns together: s, x, extra and gone.
  const CheckResult& cols = result(r, "", "columns");
  CHECK(cols.elements == 4);
  CHECK(cols.unexpected == 2);
  // A string column's type check looks at its values (all pass).
  CHECK(result(r, "s", "type").elements == 2);
  // A present check that passes carries no examples, though a value is missing.
  const CheckResult& present = result(r, "s", "present");
  CHECK(present.status == Status::passed);
  CHECK(present.missing == 1);
  CHECK(present.examples.empty());
}

TEST_CASE("schema check: a dataset without rows fails its row bounds as an error", "[schema]") {
  const char* rules = "table:\n  rows: {min: 3, severity: warn}\ncolumns:\n  - name: a\n";
  const CheckReport empty = check_text(rules, "h.csv", "a\n");
  const CheckResult& rows = result(empty, "", "rows");
  CHECK(rows.status == Status::failed);
  CHECK(rows.severity == Severity::error);
  CHECK(empty.failed(false));
  // A small batch with rows is only the warning the schema asked for.
  const CheckReport small = check_text(rules, "h.csv", "a\n1\n");
  CHECK(result(small, "", "rows").severity == Severity::warn);
  CHECK_FALSE(small.failed(false));
  // Without row bounds an empty dataset is not judged by its row count.
  CHECK_FALSE(check_text("columns:\n  - name: a\n", "h.csv", "a\n").failed(false));
}

TEST_CASE("schema check: malformed data is bad input with its line", "[schema]") {
  auto schema = parse_schema("columns:\n  - name: a\n", "s.yaml");
  REQUIRE(schema);
  auto run = [&](std::string name, std::string text) {
    std::vector<mlops::drift::Part> parts;
    parts.push_back(mlops::drift::Part{name, mlops::drift::Buffer::own(std::move(text))});
    auto report = check_schema(*schema, parts, {});
    REQUIRE_FALSE(report);
    CHECK(report.error().exit == mlops::Exit::bad_input);
    return report.error().message;
  };
  CHECK(run("ragged.csv", "a,b\n1,2\n3\n").find("'ragged.csv' line 3:") == 0);
  CHECK(run("utf8.csv", "a,b\n1,2\n3,\xff\xfe\n").find("'utf8.csv' line 3:") == 0);
  CHECK(run("bad.jsonl", "{\"a\": 1}\n{\"a\": [1]}\n").find("'bad.jsonl' line 2:") == 0);
  CHECK(run("quote.csv", "a,b\n1,\"open\n").find("'quote.csv' line 2:") == 0);
}

TEST_CASE("schema check: 5,000 columns and a 100 MB field", "[schema]") {
  std::string header, row;
  std::string rules = "columns:\n";
  for (int j = 0; j < 5000; ++j) {
    header += (j ? "," : "") + ("c" + std::to_string(j));
    row += (j ? "," : "") + std::to_string(j);
    rules += "  - name: c" + std::to_string(j) + "\n    type: int\n    range: {max: 4998}\n";
  }
  std::string data = header + "\n" + row + "\n" + row + "\n";
  const CheckReport wide = check_text(rules, "wide.csv", data);
  CHECK(wide.rows == 2);
  CHECK(result(wide, "c4999", "range").unexpected == 2);
  CHECK(result(wide, "c4998", "range").status == Status::passed);

  std::string big = "id,text\n1,";
  big.append(100u << 20, 'x');
  big += "\n2,short\n";
  const CheckReport r =
      check_text("columns:\n  - name: text\n    length: {max: 10}\n    regex: \"x+\"\n", "big.csv", std::move(big));
  const CheckResult& length = result(r, "text", "length");
  CHECK(length.unexpected == 1);
  REQUIRE(length.examples.size() == 1);
  CHECK(length.examples[0].value.size() < 100);  // clipped for the report
  CHECK(length.examples[0].row == 1);
  CHECK(examples(result(r, "text", "regex")) == std::vector<std::pair<std::string, std::uint64_t>>{{"short", 2}});
}
