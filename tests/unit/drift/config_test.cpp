// The drift config file: values, and errors that name the file and line.
#include "mlops/drift/config.hpp"

#include <catch2/catch.hpp>

using namespace mlops::drift;

TEST_CASE("a drift config sets the share, method thresholds and per-column settings") {
  auto c = parse_drift_config(
      "drift_share: 0.3\nthresholds: {psi: 0.2, ks: 0.01}\ncolumns:\n  age: {method: wasserstein, threshold: 0.05}\n  "
      "city:\n    method: js\n",
      "d.yaml");
  REQUIRE(c);
  CHECK(*c->drift_share == 0.3);
  CHECK(c->thresholds.at(Method::psi) == 0.2);
  CHECK(c->thresholds.at(Method::ks) == 0.01);
  CHECK(*c->columns.at("age").method == Method::wasserstein);
  CHECK(*c->columns.at("age").threshold == 0.05);
  CHECK(*c->columns.at("city").method == Method::jensenshannon);
  CHECK_FALSE(c->columns.at("city").threshold);
  auto empty = parse_drift_config("", "e.yaml");
  REQUIRE(empty);
  CHECK_FALSE(empty->drift_share);
}

TEST_CASE("malformed drift configs are bad input with file and line") {
  auto syntax = parse_drift_config("columns:\n  age: {method: ks\n", "s.yaml");
  REQUIRE_FALSE(syntax);
  CHECK(syntax.error().message.starts_with("'s.yaml' line "));
  CHECK(static_cast<int>(syntax.error().exit) == 2);
  auto method = parse_drift_config("columns:\n  age:\n    method: nope\n", "m.yaml");
  REQUIRE_FALSE(method);
  CHECK(method.error().message == "'m.yaml' line 3: unknown method 'nope'");
  auto share = parse_drift_config("drift_share: 2\n", "r.yaml");
  REQUIRE_FALSE(share);
  CHECK(share.error().message == "'r.yaml' line 1: drift_share must be a number from 0 to 1");
  auto key = parse_drift_config("drift_share: 0.5\ncolums: {}\n", "k.yaml");
  REQUIRE_FALSE(key);
  CHECK(key.error().message == "'k.yaml' line 2: unknown key 'colums'");
  auto setting = parse_drift_config("columns:\n  a: {methd: ks}\n", "c.yaml");
  REQUIRE_FALSE(setting);
  CHECK(setting.error().message == "'c.yaml' line 2: unknown column setting 'methd'");
}
