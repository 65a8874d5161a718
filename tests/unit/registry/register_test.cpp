#include "mlops/registry/register.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

using namespace mlops::registry;

namespace {

mlops::tracking::RunRecord run_with(std::initializer_list<const char*> artifacts) {
  mlops::tracking::RunRecord run;
  run.id = "r1";
  for (const char* name : artifacts) {
    mlops::tracking::Artifact a;
    a.name = name;
    run.artifacts.push_back(a);
  }
  return run;
}

}  // namespace

TEST_CASE("metric assignments read NAME=VALUE") {
  auto m = parse_metric_assignment("auc=0.93");
  REQUIRE(m);
  CHECK(m->first == "auc");
  CHECK(m->second == 0.93);
  CHECK(parse_metric_assignment("a=b=1")->first == "a=b");
  CHECK(parse_metric_assignment("loss=-1e-3")->second == -1e-3);
  for (const char* bad : {"auc", "=1", "auc=", "auc=x", "auc=1x"}) {
    auto e = parse_metric_assignment(bad);
    REQUIRE_FALSE(e);
    CHECK(e.error().exit == mlops::Exit::bad_input);
    CHECK(e.error().message == fmt::format("malformed metric '{}'", bad));
  }
}

TEST_CASE("the run's artifact is its only model-like one, or the one named") {
  auto run = run_with({"git.diff", "output.log", "models/model.pkl"});
  CHECK((*pick_artifact(run, ""))->name == "models/model.pkl");
  CHECK((*pick_artifact(run, "model.pkl"))->name == "models/model.pkl");
  CHECK((*pick_artifact(run, "models/model.pkl"))->name == "models/model.pkl");
  auto missing = pick_artifact(run, "nope.pkl");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "run 'r1' has no artifact 'nope.pkl'");
  CHECK(missing.error().hint == "its artifacts: models/model.pkl");

  auto none = pick_artifact(run_with({"git.diff"}), "");
  REQUIRE_FALSE(none);
  CHECK(none.error().message == "run 'r1' logged no artifact to register");

  auto several = pick_artifact(run_with({"a.pkl", "b.pkl"}), "");
  REQUIRE_FALSE(several);
  CHECK(several.error().message == "run 'r1' logged several artifacts: a.pkl, b.pkl");
  CHECK(several.error().hint == "choose one with --artifact NAME");
}

TEST_CASE("automatic versions skip every version ever taken") {
  std::vector<TagRecord> records;
  auto add = [&](const std::string& tag, std::int64_t t) {
    TagRecord r;
    r.tag = tag;
    r.name = *parse_tag_name(tag);
    r.commit = "c" + std::to_string(t);
    r.time = t;
    records.push_back(r);
  };
  add("m@v0.0.1", 1);
  add("m@v0.0.2", 2);
  add("m@v0.0.2!", 3);
  State state = fold(records);
  const Model* m = state.find("m");
  auto none = [](const std::string&) { return false; };
  CHECK(next_version(m, std::nullopt, std::nullopt, "m", none)->str() == "v0.0.3");
  CHECK(next_version(m, std::nullopt, SemVer::Part::minor, "m", none)->str() == "v0.1.0");
  auto lightweight = [](const std::string& v) { return v == "v0.0.3" || v == "v0.0.4"; };
  CHECK(next_version(m, std::nullopt, std::nullopt, "m", lightweight)->str() == "v0.0.5");
  CHECK(next_version(m, SemVer::parse("v0.0.2"), std::nullopt, "m", none)->str() == "v0.0.2");
  CHECK(next_version(nullptr, std::nullopt, std::nullopt, "m", lightweight)->str() == "v0.0.1");
  auto first = next_version(nullptr, std::nullopt, SemVer::Part::major, "m", none);
  REQUIRE_FALSE(first);
  CHECK(first.error().message == "'m' has no version to bump yet");
}
