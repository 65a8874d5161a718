#include "mlops/data/settings.hpp"

#include <catch2/catch.hpp>

using namespace mlops::data;
using std::chrono::seconds;

TEST_CASE("gc durations are a number and a unit") {
  CHECK(parse_duration("0") == seconds(0));
  CHECK(parse_duration("90") == seconds(90));
  CHECK(parse_duration("90s") == seconds(90));
  CHECK(parse_duration("30m") == seconds(1800));
  CHECK(parse_duration("12h") == seconds(12 * 3600));
  CHECK(parse_duration("1d") == seconds(86400));
  CHECK(parse_duration("2w") == seconds(14 * 86400));
}

TEST_CASE("malformed durations are refused") {
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("soon"));
  CHECK_FALSE(parse_duration("-1d"));
  CHECK_FALSE(parse_duration("1 d"));
  CHECK_FALSE(parse_duration("1y"));
  CHECK_FALSE(parse_duration("d"));
}
