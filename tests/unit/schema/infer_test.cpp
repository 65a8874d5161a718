// Each inference rule of `schema infer` (docs/schema.md, "Inference rules").
#include "mlops/schema/infer.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "mlops/schema/schema_io.hpp"

using namespace mlops::schema;

namespace {

Inferred infer_text(const std::string& name, std::string text, InferOptions options = {}) {
  std::vector<mlops::drift::Part> parts;
  parts.push_back(mlops::drift::Part{name, mlops::drift::Buffer::own(std::move(text))});
  auto inferred = infer_schema(parts, options);
  INFO((inferred ? std::string() : inferred.error().message));
  REQUIRE(inferred);
  return *inferred;
}

const ColumnRules& column(const Schema& s, const std::string& name) {
  const ColumnRules* c = s.find(name);
  REQUIRE(c);
  return *c;
}

const char* const kPeople =
    "id,age,score,plan,active,day,seen,note\n"
    "1,34,0.5,basic,true,2024-01-01,2024-01-01T10:00:00Z,hello\n"
    "2,,1.25,pro,false,2024-01-03,2024-01-02T10:00:00Z,\n"
    "3,51,-2,basic,True,2024-01-02,2024-01-03T10:00:00Z,a longer note\n"
    "4,18,3,basic,false,2024-02-01,2024-01-04T10:00:00Z,x\n";

}  // namespace

TEST_CASE("schema infer: types, nullability and table rules", "[schema]") {
  const Inferred inferred = infer_text("people.csv", kPeople);
  const Schema& s = inferred.schema;
  CHECK(inferred.rows == 4);
  CHECK(s.columns_rule->rule == ColumnsRule::exact);
  CHECK(s.columns_rule->severity == Severity::error);
  CHECK(s.rows->min == 2u);  // half the rows seen, as a warning
  CHECK(s.rows->severity == Severity::warn);
  CHECK_FALSE(s.rows->max);
  CHECK(column(s, "id").type->type == Type::integer);
  CHECK(column(s, "age").type->type == Type::integer);
  CHECK(column(s, "score").type->type == Type::floating);
  CHECK(column(s, "plan").type->type == Type::string);
  CHECK(column(s, "active").type->type == Type::boolean);
  CHECK(column(s, "day").type->type == Type::date);
  CHECK(column(s, "seen").type->type == Type::datetime);
  CHECK(column(s, "note").type->type == Type::string);
  for (const auto& c : s.columns) CHECK(c.type->severity == Severity::error);
  // Nullability: an error-level rule either way; a share of present values as a warning.
  CHECK(column(s, "id").nullable->allowed == false);
  CHECK(column(s, "id").nullable->severity == Severity::error);
  CHECK(column(s, "age").nullable->allowed == true);
  CHECK(column(s, "age").present->min == 0.75);
  CHECK(column(s, "age").present->severity == Severity::warn);
  CHECK_FALSE(column(s, "id").present);
}

TEST_CASE("schema infer: ranges, value sets, lengths and uniqueness are warnings", "[schema]") {
  const Schema s = infer_text("people.csv", kPeople).schema;
  CHECK(column(s, "age").range->min == "18");
  CHECK(column(s, "age").range->max == "51");
  CHECK(column(s, "age").range->severity == Severity::warn);
  CHECK(column(s, "score").range->min == "-2");
  CHECK(column(s, "score").range->max == "3");
  CHECK(column(s, "day").range->min == "2024-01-01");
  CHECK(column(s, "day").range->max == "2024-02-01");
  CHECK(column(s, "seen").range->max == "2024-01-04T10:00:00Z");
  // plan: 2 distinct values in 4 rows, each repeated on average: a value set.
  REQUIRE(column(s, "plan").values);
  CHECK(column(s, "plan").values->allowed == std::vector<std::string>{"basic", "pro"});
  CHECK(column(s, "plan").values->severity == Severity::warn);
  CHECK_FALSE(column(s, "plan").length);
  // note: every value differs: no value set but a length (in characters); not unique, since a
  // key column has no nulls.
  CHECK_FALSE(column(s, "note").values);
  CHECK(column(s, "note").length->min == 1u);
  CHECK(column(s, "note").length->max == 13u);
  CHECK_FALSE(column(s, "note").unique);
  CHECK_FALSE(column(s, "age").unique);
  CHECK(column(s, "id").unique->severity == Severity::warn);
  CHECK_FALSE(column(s, "plan").unique);
  CHECK_FALSE(column(s, "score").unique);  // floats are all different by chance, not by design
  CHECK_FALSE(column(s, "active").range);
  for (const auto& c : s.columns) CHECK_FALSE(c.regex);  // patterns are written by people
}

TEST_CASE("schema infer: --ranges none and padded, --max-values", "[schema]") {
  InferOptions none;
  none.ranges = Ranges::none;
  const Schema a = infer_text("people.csv", kPeople, none).schema;
  CHECK_FALSE(a.rows);
  CHECK_FALSE(column(a, "age").range);
  CHECK_FALSE(column(a, "age").present);
  CHECK_FALSE(column(a, "note").length);
  CHECK(column(a, "plan").values);  // value sets are --max-values' business

  InferOptions padded;
  padded.ranges = Ranges::padded;
  const Schema b = infer_text("people.csv", kPeople, padded).schema;
  CHECK(column(b, "age").range->min == "14");  // 18 - 3.3, down; never below 0 without negatives
  CHECK(column(b, "age").range->max == "55");
  CHECK(column(b, "score").range->min == "-2.5");
  CHECK(column(b, "score").range->max == "3.5");
  CHECK(column(b, "id").range->min == "0");  // 1 - 0.3 would go below 0
  CHECK_FALSE(column(b, "id").range->max);   // a key: new batches bring higher ids
  CHECK(column(b, "day").range->min == "2024-01-01");
  CHECK_FALSE(column(b, "day").range->max);  // later batches have later dates

  InferOptions few;
  few.max_values = 1;
  CHECK_FALSE(column(infer_text("people.csv", kPeople, few).schema, "plan").values);
}

TEST_CASE("schema infer: unique integer keys get no upper bound", "[schema]") {
  // Increasing ids, even sparse ones: a key.
  const Schema s = infer_text("k.csv", "id,n\n100,34\n250,41\n900,29\n1000,55\n").schema;
  CHECK(column(s, "id").unique);
  CHECK(column(s, "id").range->min == "100");
  CHECK_FALSE(column(s, "id").range->max);
  // Unique values scattered over a wide span (ages of a few people): a range like any other.
  CHECK(column(s, "n").unique);
  CHECK(column(s, "n").range->max == "55");
  // Shuffled ids that fill their span: a key.
  const Schema t = infer_text("k.csv", "id\n3\n1\n4\n2\n").schema;
  CHECK_FALSE(column(t, "id").range->max);
  // Increasing across the pieces the pass reads in parallel, and a repeat far from the start.
  std::string data = "id\n";
  for (int i = 1; i <= 300000; ++i) data += std::to_string(i * 7) + "\n";
  CHECK_FALSE(column(infer_text("big.csv", data).schema, "id").range->max);
  data += "7\n";  // a repeat: not unique, so the observed range stays
  CHECK(column(infer_text("big.csv", data).schema, "id").range->max == "2100000");
}

TEST_CASE("schema infer: JSONL strings stay strings, absent keys are nulls", "[schema]") {
  const Schema s = infer_text("e.jsonl",
                              "{\"id\": 1, \"code\": \"12\", \"ok\": true}\n"
                              "{\"id\": 2, \"code\": \"13\", \"ok\": false}\n"
                              "{\"id\": 3, \"ok\": null, \"extra\": 1.5}\n")
                       .schema;
  CHECK(column(s, "code").type->type == Type::string);
  CHECK(column(s, "code").nullable->allowed);
  CHECK(column(s, "ok").type->type == Type::boolean);
  CHECK(column(s, "ok").nullable->allowed);
  CHECK(column(s, "extra").type->type == Type::floating);
  CHECK(column(s, "extra").present->min == 0.33);
  CHECK(s.columns.back().name == "extra");
}

TEST_CASE("schema infer: the written schema reads back to the same bytes", "[schema]") {
  for (Ranges r : {Ranges::none, Ranges::observed, Ranges::padded}) {
    InferOptions options;
    options.ranges = r;
    const std::string text = write_schema(infer_text("people.csv", kPeople, options).schema);
    auto again = parse_schema(text, "people.csv.schema.yaml");
    REQUIRE(again);
    CHECK(write_schema(*again) == text);
  }
}

TEST_CASE("schema infer: data without rows is bad input", "[schema]") {
  std::vector<mlops::drift::Part> parts;
  parts.push_back(mlops::drift::Part{"empty.csv", mlops::drift::Buffer::own("a,b\n")});
  auto inferred = infer_schema(parts, {});
  REQUIRE_FALSE(inferred);
  CHECK(inferred.error().message == "'empty.csv' has no data rows");
}
