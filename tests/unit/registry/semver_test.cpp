#include "mlops/registry/semver.hpp"

#include <catch2/catch.hpp>

using mlops::registry::SemVer;

namespace {
SemVer v(const char* text) {
  auto parsed = SemVer::parse(text);
  REQUIRE(parsed);
  return *parsed;
}
}  // namespace

TEST_CASE("SemVer parses GTO's version form and rejects the rest") {
  CHECK(v("v1.2.3").str() == "v1.2.3");
  CHECK(v("v0.0.1").patch == 1);
  CHECK(v("v1.0.0-rc.1+build.7").prerelease == "rc.1");
  CHECK(v("v1.0.0-rc.1+build.7").build == "build.7");
  for (const char* bad : {"1.2.3", "v1.2", "v1.2.3.4", "v01.2.3", "v1.2.3-", "v1.2.3-01", "v1.2.3+", "V1.2.3", "v1..3",
                          "v-1.2.3", "v1.2.3-a..b", "latest", "v"}) {
    INFO(bad);
    CHECK_FALSE(SemVer::parse(bad));
  }
}

TEST_CASE("SemVer precedence follows semver.org, numerically") {
  const char* ordered[] = {"v1.0.0-alpha",  "v1.0.0-alpha.1", "v1.0.0-alpha.beta", "v1.0.0-beta",
                           "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1",       "v1.0.0",
                           "v1.0.1",        "v1.2.0",         "v1.10.0",           "v2.0.0",
                           "v10.0.0"};
  for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
    INFO(ordered[i] << " < " << ordered[i + 1]);
    CHECK(v(ordered[i]) < v(ordered[i + 1]));
    CHECK_FALSE(v(ordered[i + 1]) < v(ordered[i]));
  }
  // Build metadata does not order.
  CHECK(std::is_eq(compare(v("v1.0.0+a"), v("v1.0.0+b"))));
}

TEST_CASE("bumping a part resets the parts below it") {
  CHECK(v("v1.2.3").bump(SemVer::Part::patch).str() == "v1.2.4");
  CHECK(v("v1.2.3").bump(SemVer::Part::minor).str() == "v1.3.0");
  CHECK(v("v1.2.3").bump(SemVer::Part::major).str() == "v2.0.0");
  CHECK(v("v1.2.3-rc.1+b").bump(SemVer::Part::patch).str() == "v1.2.4");
}
