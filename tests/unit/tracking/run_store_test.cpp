#include "mlops/tracking/run_store.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <random>

#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/run_query.hpp"

namespace fs = std::filesystem;
using namespace mlops::tracking;

namespace {

struct TempRepo {
  mlops::Repo repo;
  TempRepo() {
    std::random_device random;
    repo.root = fs::temp_directory_path() / ("mlops-run-store-" + std::to_string(random()));
    fs::create_directories(repo.store());
  }
  ~TempRepo() { fs::remove_all(repo.root); }
};

RunRecord sample_run(std::string id, std::string name) {
  RunRecord run;
  run.id = std::move(id);
  run.name = std::move(name);
  run.user = "me";
  run.host = "box";
  run.start_time = "2026-11-29T02:00:00.000Z";
  run.command = {"python", "train.py"};
  run.git_commit = std::string(40, 'a');
  run.git_branch = "main";
  run.params = {{"lr", "0.1"}, {"model", "rf"}};
  run.tags = {{"team", "vision"}};
  run.data = {{"data/train.csv", "data/train.csv.mlops", "xxh3:" + std::string(32, '1'), 10, "file"}};
  run.artifacts = {{"model.pkl", "xxh3:" + std::string(32, '2'), 20, "file", 1}};
  run.environment = {{"os", "Debian"}};
  run.variables = {{"HOME", "/root"}};
  return run;
}

}  // namespace

TEST_CASE("run ids sort by time and use Crockford base 32") {
  std::string early = make_run_id(1'700'000'000'000);
  std::string late = make_run_id(1'700'000'000'001);
  CHECK(early.size() == 14);
  CHECK(early < late);
  CHECK(early.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz") == std::string::npos);
  CHECK(format_time(1'700'000'000'123) == "2023-11-14T22:13:20.123Z");
}

TEST_CASE("a run is created, read back whole, and resolved by prefix") {
  TempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  REQUIRE(store->create(sample_run("01m8aaaaaaaaaa", "a")));
  REQUIRE(store->create(sample_run("01m8aaaabbbbbb", "b")));
  REQUIRE(store->log_metrics(
      "01m8aaaaaaaaaa",
      {{"loss", 0.5, 1, 10}, {"loss", 0.25, 2, 11}, {"loss", 0.4, 2, 12}, {"acc", std::nan(""), 0, 13}}));
  auto run = store->get("01m8aaaaaaaaaa");
  REQUIRE(run);
  CHECK(run->name == "a");
  CHECK(run->command == std::vector<std::string>{"python", "train.py"});
  CHECK(run->params.at("model") == "rf");
  CHECK(run->tags.at("team") == "vision");
  CHECK(run->data.at(0).path == "data/train.csv");
  CHECK(run->artifacts.at(0).name == "model.pkl");
  CHECK(run->environment.at("os") == "Debian");
  // Final value: highest step, the last logged among equals.
  CHECK(run->metrics.at("loss").value == 0.4);
  CHECK(run->metrics.at("loss").step == 2);
  CHECK(std::isnan(run->metrics.at("acc").value));
  auto history = store->history("01m8aaaaaaaaaa", "loss");
  REQUIRE(history);
  CHECK(history->size() == 3);

  CHECK(store->resolve("01m8aaaab").value() == "01m8aaaabbbbbb");
  CHECK(store->resolve("01M8AAAAA").value() == "01m8aaaaaaaaaa");
  auto ambiguous = store->resolve("01m8");
  REQUIRE_FALSE(ambiguous);
  CHECK(ambiguous.error().exit == mlops::Exit::bad_input);
  CHECK(ambiguous.error().message.find("ambiguous") != std::string::npos);
  auto unknown = store->resolve("zzzz");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "unknown run 'zzzz'");
  CHECK_FALSE(store->resolve("01m8-"));

  auto again = store->create(sample_run("01m8aaaaaaaaaa", "dup"));
  REQUIRE_FALSE(again);
  CHECK(again.error().message.find("already exists") != std::string::npos);
}

TEST_CASE("params cannot change; tags can; unknown runs are refused") {
  TempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  REQUIRE(store->create(sample_run("01m8cccccccccc", "c")));
  CHECK(store->log_params("01m8cccccccccc", {{"lr", "0.1"}}));
  auto changed = store->log_params("01m8cccccccccc", {{"depth", "3"}, {"lr", "0.2"}});
  REQUIRE_FALSE(changed);
  CHECK(changed.error().exit == mlops::Exit::bad_input);
  CHECK(store->get("01m8cccccccccc")->params.count("depth") == 0);  // all or nothing
  CHECK(store->set_tags("01m8cccccccccc", {{"team", "nlp"}}));
  CHECK(store->get("01m8cccccccccc")->tags.at("team") == "nlp");
  CHECK_FALSE(store->log_metrics("01m8nonexistent", {{"x", 1, 0, 0}}));
  CHECK_FALSE(store->finish("01m8nonexistent", RunStatus::finished, 0, 0));
}

TEST_CASE("finish sets the end, duration and status; remove deletes everything") {
  TempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  RunRecord run = sample_run("01m8dddddddddd", "d");
  run.start_time = format_time(1'700'000'000'000);
  REQUIRE(store->create(run));
  REQUIRE(store->log_metrics(run.id, {{"loss", 1, 0, 0}}));
  REQUIRE(store->finish(run.id, RunStatus::failed, 3, 1'700'000'002'500));
  auto got = store->get(run.id);
  REQUIRE(got);
  CHECK(got->status == RunStatus::failed);
  CHECK(got->exit_code == 3);
  CHECK(got->duration == Approx(2.5));
  CHECK(got->end_time == format_time(1'700'000'002'500));
  REQUIRE(store->remove(run.id));
  CHECK_FALSE(store->get(run.id));
  CHECK(store->history(run.id)->empty());
  CHECK(store->final_metrics_of({run.id})->empty());
}

TEST_CASE("select_runs filters, sorts with missing values last, and limits") {
  TempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  const double accs[] = {0.7, 0.9, -1, 0.8};  // -1: no acc metric
  for (int i = 0; i < 4; ++i) {
    auto run = sample_run(make_run_id(1'700'000'000'000 + i), "r" + std::to_string(i));
    run.start_time = format_time(1'700'000'000'000 + i);
    run.params["model"] = i % 2 ? "svm" : "rf";
    REQUIRE(store->create(run));
    if (accs[i] >= 0) REQUIRE(store->log_metrics(run.id, {{"acc", accs[i], 0, 0}}));
  }
  RunSelection selection;
  selection.sort = SortKey{"metrics.acc", true};
  auto all = select_runs(*store, selection);
  REQUIRE(all);
  std::vector<std::string> names;
  for (const auto& item : *all) names.push_back(item.run.name);
  CHECK(names == std::vector<std::string>{"r1", "r3", "r0", "r2"});

  selection.where = Query::parse("metrics.acc > 0.75 and params.model = 'svm'").value();
  auto some = select_runs(*store, selection);
  REQUIRE(some);
  REQUIRE(some->size() == 2);
  CHECK(std::get<double>(some->front().values.at("metrics.acc")) == 0.9);

  selection.where.reset();
  selection.sort.reset();
  selection.limit = 1;
  auto newest = select_runs(*store, selection);
  REQUIRE(newest);
  REQUIRE(newest->size() == 1);
  CHECK(newest->front().run.name == "r3");

  selection.where = Query::parse("bogus = 1").value();
  auto bad = select_runs(*store, selection);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("unknown key 'bogus'") != std::string::npos);
}

TEST_CASE("a run survives export to JSON and import, NaN and infinity included") {
  TempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  auto run = sample_run("01m8eeeeeeeeee", "e");
  REQUIRE(store->create(run, {{"loss", std::nan(""), 0, 1}, {"loss", INFINITY, 1, 2}, {"acc", 0.5, 0, 3}}));
  auto original = store->get(run.id).value();
  auto history = store->history(run.id).value();
  auto doc = run_to_json(original, history);
  CHECK(doc["metrics"]["loss"]["value"] == "Infinity");
  auto text = doc.dump();
  auto back = run_from_json(nlohmann::json::parse(text), "test");
  REQUIRE(back);
  TempRepo other;
  auto second = RunStore::open(other.repo);
  REQUIRE(second);
  REQUIRE(second->create(back->record, back->history));
  CHECK(run_to_json(second->get(run.id).value(), second->history(run.id).value()).dump() == doc.dump());

  auto bad = run_from_json(nlohmann::json::parse(R"({"id": "01m8", "status": "done", "start_time": "t"})"), "f");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("unknown status 'done'") != std::string::npos);
}
