// Which run a rebuild's command recorded itself (an evaluation records its own run inside the one
// repro opens): the run to compare with the original.
#include "mlops/repro/rebuild.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>

namespace fs = std::filesystem;
using namespace mlops;
using namespace mlops::tracking;

namespace {

struct ReproTempRepo {
  Repo repo;
  ReproTempRepo() {
    std::random_device random;
    repo.root = fs::temp_directory_path() / ("mlops-repro-inner-" + std::to_string(random()));
    fs::create_directories(repo.store());
  }
  ~ReproTempRepo() { fs::remove_all(repo.root); }
};

const std::vector<std::string> kEvalCommand = {"mlops", "eval", "run", "-c", "eval.yaml"};

RunRecord stored_run(std::string id, std::vector<std::string> command, std::string inside = "") {
  RunRecord r;
  r.id = std::move(id);
  r.name = "eval";
  r.start_time = "2026-12-02T02:00:00.000Z";
  r.command = std::move(command);
  if (!inside.empty()) r.variables = {{"MLOPS_RUN_ID", std::move(inside)}, {"HOME", "/root"}};
  return r;
}

}  // namespace

TEST_CASE("repro: the run a rebuilt command recorded inside repro's run is the one compared", "[repro]") {
  ReproTempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  RunRecord original = stored_run("01m8aaaaaaaaaa", kEvalCommand);
  RunRecord outer = stored_run("01m8bbbbbbbbbb", kEvalCommand);
  REQUIRE(store->create(original));
  REQUIRE(store->create(outer));

  SECTION("none: the command records no run of its own") {
    REQUIRE(store->create(stored_run("01m8cccccccccc", {"python3", "train.py"})));  // started later, not inside
    auto found = repro::run_recorded_inside(*store, outer, original);
    REQUIRE(found);
    CHECK_FALSE(found->has_value());
  }
  SECTION("one, with the original's command: found") {
    REQUIRE(store->create(stored_run("01m8cccccccccc", kEvalCommand, outer.id)));
    REQUIRE(store->create(stored_run("01m8dddddddddd", kEvalCommand, "01m8zzzzzzzzzz")));  // inside another run
    auto found = repro::run_recorded_inside(*store, outer, original);
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->id == "01m8cccccccccc");
  }
  SECTION("inside it but another command (a script's own evaluation): not the rebuild") {
    REQUIRE(store->create(stored_run("01m8cccccccccc", {"mlops", "eval", "run"}, outer.id)));
    auto found = repro::run_recorded_inside(*store, outer, original);
    REQUIRE(found);
    CHECK_FALSE(found->has_value());
  }
  SECTION("two candidates: neither is certain") {
    REQUIRE(store->create(stored_run("01m8cccccccccc", kEvalCommand, outer.id)));
    REQUIRE(store->create(stored_run("01m8dddddddddd", kEvalCommand, outer.id)));
    auto found = repro::run_recorded_inside(*store, outer, original);
    REQUIRE(found);
    CHECK_FALSE(found->has_value());
  }
}
