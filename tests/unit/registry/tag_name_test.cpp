#include "mlops/registry/tag_name.hpp"

#include <catch2/catch.hpp>

using namespace mlops::registry;

TEST_CASE("registry tag names parse as GTO reads them") {
  auto reg = parse_tag_name("churn@v1.2.3");
  REQUIRE(reg);
  CHECK(reg->model == "churn");
  CHECK(reg->action == Action::register_version);
  CHECK(reg->version == "v1.2.3");
  CHECK_FALSE(reg->counter);

  auto dereg = parse_tag_name("churn@v1.2.3!");
  REQUIRE(dereg);
  CHECK(dereg->action == Action::deregister_version);

  auto assign = parse_tag_name("team/churn_v2#production#12");
  REQUIRE(assign);
  CHECK(assign->model == "team/churn_v2");
  CHECK(assign->action == Action::assign);
  CHECK(assign->stage == "production");
  CHECK(assign->counter == 12);

  auto unassign = parse_tag_name("churn#prod!#3");
  REQUIRE(unassign);
  CHECK(unassign->action == Action::unassign);
  CHECK(unassign->stage == "prod");
  CHECK(unassign->counter == 3);

  auto simple = parse_tag_name("churn#prod");
  REQUIRE(simple);
  CHECK(simple->action == Action::assign);
  CHECK_FALSE(simple->counter);

  auto deprecated = parse_tag_name("churn@deprecated");
  REQUIRE(deprecated);
  CHECK(deprecated->action == Action::deprecate);
  auto deprecated_again = parse_tag_name("churn@deprecated#9");
  REQUIRE(deprecated_again);
  CHECK(deprecated_again->counter == 9);

  auto with_dir = parse_tag_name("models/x=churn@v0.0.1");
  REQUIRE(with_dir);
  CHECK(with_dir->model == "models/x:churn");
}

TEST_CASE("names that are not registry tags are rejected") {
  for (const char* bad :
       {"v1.0.0", "churn", "churn@1.2.3", "churn@v1.2", "-churn@v1.0.0", "churn-@v1.0.0", "ch urn@v1.0.0", "churn#",
        "churn#prod#", "churn#prod#x", "churn#-prod#1", "churn@", "churn@v1.0.0!!", "churn#prod#1#2",
        "churn@deprecated!", "@v1.0.0", "churn@v1.0.0#-1", "ch.urn@v1.0.0"}) {
    INFO(bad);
    CHECK_FALSE(parse_tag_name(bad));
  }
}

TEST_CASE("tag names round-trip") {
  for (const char* name : {"churn@v1.2.3", "churn@v1.2.3!", "churn#prod#4", "churn#prod!#5", "churn@deprecated",
                           "churn@deprecated#6", "a/b-c_d@v0.0.1-rc.1+x", "d=m#staging#1"}) {
    auto parsed = parse_tag_name(name);
    REQUIRE(parsed);
    CHECK(parsed->str() == name);
  }
}

TEST_CASE("the name rule is GTO's") {
  CHECK(valid_name("a"));
  CHECK(valid_name("Churn_Model/v2-x"));
  CHECK_FALSE(valid_name(""));
  CHECK_FALSE(valid_name("_a"));
  CHECK_FALSE(valid_name("a/"));
  CHECK_FALSE(valid_name("a.b"));
  CHECK_FALSE(valid_name("a:b"));
  CHECK(valid_model_name("models/x:churn"));
  CHECK(valid_model_name("churn"));
  CHECK_FALSE(valid_model_name("a:b:c"));
  CHECK_FALSE(valid_model_name(":b"));
}
