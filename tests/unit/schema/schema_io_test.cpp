// The YAML form of a schema: strict reading with file and line, canonical writing, round trips.
#include "mlops/schema/schema_io.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace mlops::schema;

namespace {

Schema parse_ok(const std::string& text) {
  auto s = parse_schema(text, "s.yaml");
  INFO((s ? std::string() : s.error().message));
  REQUIRE(s);
  return *s;
}

std::string parse_error(const std::string& text) {
  auto s = parse_schema(text, "s.yaml");
  REQUIRE_FALSE(s);
  CHECK(s.error().exit == mlops::Exit::bad_input);
  return s.error().message;
}

const char* const kFull =
    "# A data contract, checked by `mlops schema check` (docs/schema.md). Edit it freely;\n"
    "# unknown keys are errors. Severity warn: reported, fails only with --strict.\n"
    "version: 1\n"
    "table:\n"
    "  rows: {min: 10, max: 2000, severity: warn}\n"
    "  columns: {is: extra_allowed, severity: warn}\n"
    "columns:\n"
    "  - name: id\n"
    "    type: int\n"
    "    nullable: false\n"
    "    unique: true\n"
    "  - name: age\n"
    "    type: {is: int, mostly: 0.99}\n"
    "    present: {min: 0.9, severity: warn}\n"
    "    values: {in: [1, 2, 3], severity: warn}\n"
    "    range: {min: 0, max: 120, mostly: 0.95, severity: warn}\n"
    "  - name: \"plan name\"\n"
    "    type: string\n"
    "    nullable: true\n"
    "    unique: {is: false, severity: warn}\n"
    "    values: [basic, \"007\", \"yes\", \"a, b\", \"say \\\"hi\\\"\"]\n"
    "    length: {min: 1, max: 64}\n"
    "    regex: \"[a-z]+\\\\d*\"\n"
    "  - name: day\n"
    "    type: date\n"
    "    range: {min: \"2024-01-01\"}\n"
    "  - name: email\n"
    "    regex: {pattern: \"[^@]+@[^@]+\", mostly: 0.9, severity: warn}\n";

}  // namespace

TEST_CASE("schema io: every key reads and writes back byte for byte", "[schema]") {
  const Schema s = parse_ok(kFull);
  REQUIRE(s.columns.size() == 5);
  CHECK(s.rows->min == 10u);
  CHECK(s.rows->max == 2000u);
  CHECK(s.rows->severity == Severity::warn);
  CHECK(s.columns_rule->rule == ColumnsRule::extra_allowed);
  const ColumnRules& age = s.columns[1];
  CHECK(age.type->type == Type::integer);
  CHECK(age.type->mostly == 0.99);
  CHECK(age.present->min == 0.9);
  CHECK(age.range->min == "0");
  CHECK(age.range->mostly == 0.95);
  CHECK(age.range->severity == Severity::warn);
  const ColumnRules& plan = s.columns[2];
  CHECK(plan.name == "plan name");
  CHECK(plan.values->allowed == std::vector<std::string>{"basic", "007", "yes", "a, b", "say \"hi\""});
  CHECK(plan.regex->pattern == "[a-z]+\\d*");
  CHECK(plan.unique->unique == false);
  CHECK(s.columns[4].regex->mostly == 0.9);
  CHECK(write_schema(s) == kFull);
}

TEST_CASE("schema io: control characters and backslashes survive a round trip", "[schema]") {
  Schema s;
  ColumnRules c;
  c.name = "tab\tname";
  c.values = ValuesCheck{{"line\nbreak", "back\\slash", "bell\x07", "", "-", "#x", "Ünï"}, 1, Severity::error};
  c.regex = RegexCheck{"\\w+\"q\"", 1, Severity::error};
  s.columns.push_back(c);
  const std::string text = write_schema(s);
  const Schema again = parse_ok(text);
  CHECK(again.columns[0].name == c.name);
  CHECK(again.columns[0].values->allowed == c.values->allowed);
  CHECK(again.columns[0].regex->pattern == c.regex->pattern);
  CHECK(write_schema(again) == text);
}

TEST_CASE("schema io: unknown keys are errors naming the file and the line", "[schema]") {
  CHECK(parse_error("version: 1\ncolumns:\n  - name: a\n    type: int\n    rnage: {min: 1}\n") ==
        "'s.yaml' line 5: unknown key 'rnage' in column 'a' (did you mean 'range'?)");
  CHECK(parse_error("version: 1\ncolumns:\n  - name: a\n    range: {min: 1, maxx: 2}\n    type: int\n") ==
        "'s.yaml' line 4: unknown key 'maxx' in 'range' of column 'a' (did you mean 'max'?)");
  CHECK(parse_error("version: 1\ntable:\n  row: {min: 1}\ncolumns: []\n") ==
        "'s.yaml' line 3: unknown key 'row' in table (did you mean 'rows'?)");
  CHECK(parse_error("version: 1\ncolumn: []\n") ==
        "'s.yaml' line 2: unknown key 'column' in the schema (did you mean 'columns'?)");
  CHECK(parse_error("columns:\n  - name: a\n    nulable: false\n") ==
        "'s.yaml' line 3: unknown key 'nulable' in column 'a' (did you mean 'nullable'?)");
  // Nothing close: no guess.
  CHECK(parse_error("columns:\n  - name: a\n    colour: red\n") ==
        "'s.yaml' line 3: unknown key 'colour' in column 'a'");
}

TEST_CASE("schema io: wrong values are errors with their line", "[schema]") {
  CHECK(parse_error("columns:\n  - name: a\n    type: integer\n") ==
        "'s.yaml' line 3: unknown type 'integer' in 'type' of column 'a'");
  CHECK(parse_error("columns:\n  - name: a\n    type: {is: text}\n") ==
        "'s.yaml' line 3: unknown type 'text' in 'type' of column 'a'");
  // An empty file has no line to name.
  CHECK(parse_error("") == "'s.yaml' is empty");
  CHECK(parse_error("# only a comment\n") == "'s.yaml' is empty");
  CHECK(parse_error("columns:\n  - name: a\n    type: string\n    range: {min: 1}\n")
            .find("line 4: column 'a' has a range, which needs type int, float, date or datetime") !=
        std::string::npos);
  CHECK(parse_error("columns:\n  - name: a\n    type: int\n    range: {min: x}\n") ==
        "'s.yaml' line 4: range bound 'x' of column 'a' is not a int");
  CHECK(parse_error("columns:\n  - name: a\n    type: int\n    range: {min: 5, max: 1}\n") ==
        "'s.yaml' line 4: range of column 'a': min is above max");
  CHECK(parse_error("columns:\n  - name: a\n    regex: \"(unclosed\"\n")
            .find("line 3: bad regex in 'regex' of column 'a'") != std::string::npos);
  CHECK(parse_error("columns:\n  - name: a\n    nullable: false\n    present: 0.5\n") ==
        "'s.yaml' line 4: column 'a' has both 'nullable: false' and 'present'");
  CHECK(parse_error("columns:\n  - name: a\n    type: {is: int, mostly: 0}\n") ==
        "'s.yaml' line 3: mostly must be above 0");
  CHECK(parse_error("columns:\n  - name: a\n    type: {is: int, severity: fatal}\n") ==
        "'s.yaml' line 3: severity must be 'error' or 'warn'");
  CHECK(parse_error("columns:\n  - name: a\n    nullable: {is: false, mostly: 0.5}\n") ==
        "'s.yaml' line 3: unknown key 'mostly' in 'nullable' of column 'a'");
  CHECK(parse_error("columns:\n  - name: a\n  - name: a\n") == "'s.yaml' line 3: column 'a' is listed twice");
  CHECK(parse_error("version: 2\ncolumns: []\n") == "'s.yaml' line 1: unsupported schema version '2'");
  CHECK(parse_error("version: 1\n") == "'s.yaml' line 1: the schema has no 'columns' list");
  CHECK(parse_error("columns:\n  - name: a\n    type: [int\n").find("'s.yaml' line ") == 0);
  CHECK(parse_error("columns:\n  - name: a\n    type: int\n    values: [1, x]\n") ==
        "'s.yaml' line 4: value 'x' of column 'a' is not a int");
}
