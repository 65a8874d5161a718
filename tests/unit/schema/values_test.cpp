// What a field's text means under each column type.
#include "mlops/schema/values.hpp"

#include <catch2/catch.hpp>

using namespace mlops::schema;

TEST_CASE("schema values: dates are real calendar days", "[schema]") {
  std::int64_t days = -1;
  REQUIRE(parse_date("1970-01-01", days));
  CHECK(days == 0);
  REQUIRE(parse_date("2024-02-29", days));
  CHECK(days == 19782);
  CHECK_FALSE(parse_date("2023-02-29", days));
  CHECK_FALSE(parse_date("2024-13-01", days));
  CHECK_FALSE(parse_date("2024-1-01", days));
  CHECK_FALSE(parse_date("2024-01-01T00:00", days));
  CHECK_FALSE(parse_date("", days));
}

TEST_CASE("schema values: datetimes with offsets compare as instants", "[schema]") {
  double a = 0, b = 0;
  REQUIRE(parse_datetime("2024-01-01T10:00:00Z", a));
  REQUIRE(parse_datetime("2024-01-01 12:00:00+02:00", b));
  CHECK(a == b);
  REQUIRE(parse_datetime("2024-01-01T10:00", a));
  CHECK(a == b);
  REQUIRE(parse_datetime("2024-01-01T10:00:00.250-0100", a));
  CHECK(a == b + 3600.25);
  CHECK_FALSE(parse_datetime("2024-01-01", a));
  CHECK_FALSE(parse_datetime("2024-01-01T25:00", a));
  CHECK_FALSE(parse_datetime("2024-01-01T10:00:00 UTC", a));
}

TEST_CASE("schema values: typed keys per type", "[schema]") {
  double key = 0;
  CHECK(typed_key(Type::integer, "-12", false, key));
  CHECK(key == -12);
  CHECK_FALSE(typed_key(Type::integer, "12.0", false, key));
  CHECK_FALSE(typed_key(Type::integer, "1e3", false, key));
  CHECK_FALSE(typed_key(Type::integer, "12", true, key));  // a JSON string is not a number
  CHECK(typed_key(Type::floating, "12", false, key));
  CHECK(typed_key(Type::floating, "1.5e3", false, key));
  CHECK(key == 1500);
  CHECK(typed_key(Type::floating, "inf", false, key));
  CHECK_FALSE(typed_key(Type::floating, "abc", false, key));
  CHECK(typed_key(Type::boolean, "True", false, key));
  CHECK(key == 1);
  CHECK_FALSE(typed_key(Type::boolean, "1", false, key));
  CHECK_FALSE(typed_key(Type::boolean, "yes", false, key));
  CHECK(typed_key(Type::date, "2024-01-02", true, key));  // JSON strings hold dates
  CHECK(key == 19724);
  CHECK(is_of_type(Type::string, "anything", false));
}

TEST_CASE("schema values: lengths in characters and clipped examples", "[schema]") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("Zürich") == 6);
  CHECK(utf8_length("東京") == 2);
  CHECK(clip("short") == "short");
  const std::string long_text(100, 'x');
  CHECK(clip(long_text) == std::string(80, 'x') + "…");
  // Never cut inside a character: "é" is two bytes.
  std::string accents;
  for (int i = 0; i < 50; ++i) accents += "é";
  CHECK(clip(accents, 5) == "éé…");
}

TEST_CASE("schema values: shares as percentages never round a bad value away", "[schema]") {
  CHECK(percent(1.0 / 3) == "33.33%");
  CHECK(percent(0) == "0%");
  CHECK(percent(1) == "100%");
  CHECK(percent(1.0 / 50000) == "<0.01%");  // one bad row in 50,000
  CHECK(percent(0.00005) == "0.01%");
  CHECK(percent(1 - 1.0 / 50000) == ">99.99%");
}

TEST_CASE("schema values: numbers are written in their shortest form", "[schema]") {
  CHECK(format_number(120) == "120");
  CHECK(format_number(-3) == "-3");
  CHECK(format_number(0.1) == "0.1");
  CHECK(format_number(2.5e-7) == "2.5e-07");
}
