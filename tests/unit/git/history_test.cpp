#include "mlops/git/history.hpp"

#include <catch2/catch.hpp>
#include <limits>

using namespace mlops::git;

TEST_CASE("git's reflog expiry values are read as git reads them") {
  const std::int64_t now = 1'000'000'000;
  CHECK(parse_expiry("30.days.ago", now) == now - 30 * 86400);
  CHECK(parse_expiry("2 weeks ago", now) == now - 14 * 86400);
  CHECK(parse_expiry("90 days", now) == now - 90 * 86400);
  CHECK(parse_expiry("1.hour.ago", now) == now - 3600);
  CHECK(parse_expiry("  3 Months Ago ", now) == now - 3 * 30 * 86400);
  CHECK(parse_expiry("now", now) == std::numeric_limits<std::int64_t>::max());
  CHECK(parse_expiry("all", now) == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("never, and anything unreadable, keep every reflog entry") {
  CHECK_FALSE(parse_expiry("never", 0));
  CHECK_FALSE(parse_expiry("false", 0));
  CHECK_FALSE(parse_expiry("someday", 0));
  CHECK_FALSE(parse_expiry("3 fortnights", 0));
}
