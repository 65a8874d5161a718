#include "mlops/tracking/run_diff.hpp"

#include <catch2/catch.hpp>

using namespace mlops::tracking;

TEST_CASE("run diff lists the keys whose values differ, section by section") {
  RunRecord a, b;
  a.params = {{"lr", "0.1"}, {"model", "rf"}};
  b.params = {{"lr", "0.2"}, {"model", "rf"}, {"depth", "3"}};
  a.metrics["acc"] = {"acc", 0.9, 1, 0};
  b.metrics["acc"] = {"acc", 0.9, 1, 0};
  a.git_commit = "abc";
  b.git_commit = "abd";
  auto sections = diff_runs(a, b);
  REQUIRE(sections.size() == 6);
  CHECK(sections[0].name == "params");
  REQUIRE(sections[0].changes.size() == 2);
  CHECK(sections[0].changes[0].key == "depth");
  CHECK_FALSE(sections[0].changes[0].a);
  CHECK(sections[0].changes[1].b == "0.2");
  CHECK(sections[1].changes.empty());
  CHECK(sections[3].name == "git");
  REQUIRE(sections[3].changes.size() == 1);
  CHECK(sections[3].changes[0].key == "commit");
  CHECK(run_sections(a)[1].values.at("acc") == "0.9");
}
