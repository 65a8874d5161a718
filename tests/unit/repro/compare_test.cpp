#include "mlops/repro/compare.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace mlops;
using repro::compare_runs;

namespace {

tracking::RunRecord record(std::string model_hash, double auc) {
  tracking::RunRecord run;
  run.exit_code = 0;
  run.artifacts = {{"model.json", std::move(model_hash), 10, "file", 1},
                   {"output.log", "xxh3:00000000000000000000000000000001", 5, "file", 1}};
  run.metrics["auc"] = {"auc", auc, 0, 0};
  run.environment = {{"os", "Debian 12"}, {"tool.python3", "Python 3.11.2"}};
  return run;
}

}  // namespace

TEST_CASE("the same artifacts are bit-identical, whatever the log says") {
  auto a = record("xxh3:aa", 0.81);
  auto b = record("xxh3:aa", 0.81);
  b.artifacts[1].hash = "xxh3:00000000000000000000000000000002";  // logs carry timestamps
  auto c = compare_runs(a, b);
  REQUIRE(c.artifacts.size() == 1);
  CHECK(c.artifacts[0].name == "model.json");
  CHECK(c.identical());
  CHECK(c.environment.empty());
}

TEST_CASE("a different or missing artifact differs, with metric deltas and environment changes") {
  auto a = record("xxh3:aa", 0.81);
  auto b = record("xxh3:bb", 0.80);
  b.environment["tool.python3"] = "Python 3.11.7";
  b.environment["lockfile.requirements.txt"] = "xxh3:cc";
  auto c = compare_runs(a, b);
  CHECK_FALSE(c.identical());
  CHECK_FALSE(c.artifacts[0].identical());
  REQUIRE(c.metrics.size() == 1);
  CHECK_FALSE(c.metrics[0].equal());
  CHECK(*c.metrics[0].rebuilt - *c.metrics[0].original == Approx(-0.01));
  REQUIRE(c.environment.size() == 2);
  CHECK(c.environment[0].key == "lockfile.requirements.txt");
  CHECK_FALSE(c.environment[0].original);
  CHECK(c.environment[1].key == "tool.python3");
  CHECK(*c.environment[1].rebuilt == "Python 3.11.7");

  b.artifacts.erase(b.artifacts.begin());
  auto missing = compare_runs(a, record("xxh3:aa", 0.81));
  CHECK(missing.identical());
  auto gone = compare_runs(a, b);
  CHECK_FALSE(gone.artifacts[0].rebuilt);
  CHECK_FALSE(gone.identical());
}

TEST_CASE("a different exit code differs even with the same outputs") {
  auto a = record("xxh3:aa", 0.81);
  auto b = record("xxh3:aa", 0.81);
  b.exit_code = 1;
  CHECK_FALSE(compare_runs(a, b).identical());
}

TEST_CASE("without artifacts, the final metrics decide, bit for bit") {
  tracking::RunRecord a, b;
  a.exit_code = b.exit_code = 0;
  a.metrics["loss"] = {"loss", 0.1 + 0.2, 0, 0};
  b.metrics["loss"] = {"loss", 0.3, 0, 0};  // 0.30000000000000004 is not 0.3
  CHECK_FALSE(compare_runs(a, b).identical());
  b.metrics["loss"].value = 0.1 + 0.2;
  CHECK(compare_runs(a, b).identical());
  a.metrics["nan"] = {"nan", std::numeric_limits<double>::quiet_NaN(), 0, 0};
  b.metrics["nan"] = a.metrics["nan"];
  CHECK(compare_runs(a, b).identical());
  b.metrics.erase("nan");
  CHECK_FALSE(compare_runs(a, b).identical());
}
