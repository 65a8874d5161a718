#include "mlops/tracking/run_query.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <random>

namespace fs = std::filesystem;
using namespace mlops::tracking;

namespace {

struct QueryTempRepo {
  mlops::Repo repo;
  QueryTempRepo() {
    std::random_device random;
    repo.root = fs::temp_directory_path() / ("mlops-run-query-" + std::to_string(random()));
    fs::create_directories(repo.store());
  }
  ~QueryTempRepo() { fs::remove_all(repo.root); }
};

// `count` runs, one a millisecond: params.seed = i, params.model = "rf", metrics.acc = i / 1000
// (NaN for every run when `nan`), metrics.const = 1; every third run lacks metrics.rare.
void add_runs(RunStore& store, int count, bool nan = false) {
  std::vector<RunRecord> records;
  std::vector<std::vector<MetricPoint>> histories;
  for (int i = 0; i < count; ++i) {
    RunRecord run;
    run.id = make_run_id(1'700'000'000'000 + i);
    run.name = "r" + std::to_string(i);
    run.start_time = format_time(1'700'000'000'000 + i);
    run.status = RunStatus::finished;
    run.params = {{"seed", std::to_string(i)}, {"model", "rf"}};
    std::vector<MetricPoint> history{{"acc", nan ? std::nan("") : i / 1000.0, 0, 0}, {"const", 1, 0, 0}};
    if (i % 3 != 0) history.push_back({"rare", 2, 0, 0});
    records.push_back(std::move(run));
    histories.push_back(std::move(history));
  }
  REQUIRE(store.create_all(records, histories));
}

std::vector<std::string> column_keys(const std::vector<RunColumn>& columns) {
  std::vector<std::string> keys;
  for (const auto& column : columns) keys.push_back(column.key);
  return keys;
}

}  // namespace

TEST_CASE("varying_columns reads the listed runs only, the same by lookup and by scan") {
  QueryTempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  // 600 runs: more than are looked up one by one, so a listing of all reads the tables in order.
  add_runs(*store, 600);
  RunSelection selection;
  for (std::size_t limit : {std::size_t{0}, std::size_t{500}, std::size_t{3}}) {
    CAPTURE(limit);
    selection.limit = limit;
    auto runs = select_runs(*store, selection);
    REQUIRE(runs);
    auto columns = varying_columns(*store, *runs);
    REQUIRE(columns);
    CHECK(column_keys(*columns) == std::vector<std::string>{"params.seed", "metrics.acc", "metrics.rare"});
    // Values line up with the runs, newest first: run i has seed i.
    const auto& seed = columns->front();
    REQUIRE(seed.values.size() == runs->size());
    for (std::size_t r = 0; r < runs->size(); ++r) {
      auto expected = std::to_string(599 - r);
      REQUIRE(seed.values[r]);
      CHECK(std::get<std::string>(*seed.values[r]) == expected);
    }
    const auto& rare = (*columns)[2];
    CHECK(rare.values[0].has_value());  // run 599 has it, run 597 (a multiple of 3) not
    CHECK_FALSE(rare.values[2].has_value());
  }
}

TEST_CASE("varying_columns: the runs a filter picks decide what varies") {
  QueryTempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  add_runs(*store, 400);
  RunSelection selection;
  // Runs 1, 2, 4, 5, ... have rare = 2; among those, rare does not vary.
  selection.where = Query::parse("metrics.rare = 2").value();
  auto runs = select_runs(*store, selection);
  REQUIRE(runs);
  REQUIRE(runs->size() == 266);
  auto columns = varying_columns(*store, *runs);
  REQUIRE(columns);
  CHECK(column_keys(*columns) == std::vector<std::string>{"params.seed", "metrics.acc"});
  // Two runs (looked up one by one): the same answer.
  selection.limit = 2;
  auto two = select_runs(*store, selection);
  REQUIRE(two);
  CHECK(column_keys(*varying_columns(*store, *two)) == std::vector<std::string>{"params.seed", "metrics.acc"});
}

TEST_CASE("varying_columns: NaN equals NaN, and a single run varies in nothing") {
  QueryTempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  add_runs(*store, 3, true);
  RunSelection selection;
  auto runs = select_runs(*store, selection);
  REQUIRE(runs);
  CHECK(column_keys(*varying_columns(*store, *runs)) == std::vector<std::string>{"params.seed", "metrics.rare"});
  runs->resize(1);
  CHECK(varying_columns(*store, *runs)->empty());
}

TEST_CASE("select_runs reads shown columns for the selected runs, by lookup and by scan") {
  QueryTempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  add_runs(*store, 300);
  RunSelection selection;
  selection.sort = SortKey{"metrics.acc", false};
  selection.columns = {"params.seed", "metrics.rare", "name"};
  for (std::size_t limit : {std::size_t{0}, std::size_t{5}}) {
    CAPTURE(limit);
    selection.limit = limit;
    auto runs = select_runs(*store, selection);
    REQUIRE(runs);
    REQUIRE(runs->size() == (limit ? limit : 300));
    for (std::size_t r = 0; r < runs->size(); ++r) {
      const auto& item = (*runs)[r];
      CHECK(item.run.name == "r" + std::to_string(r));  // ascending acc: oldest first
      CHECK(std::get<std::string>(item.values.at("params.seed")) == std::to_string(r));
      CHECK(std::get<std::string>(item.values.at("name")) == item.run.name);
      CHECK(item.values.contains("metrics.rare") == (r % 3 != 0));
    }
  }
}

TEST_CASE("select_page gives the runs of one page and the selection's count, however the runs are chosen") {
  QueryTempRepo temp;
  auto store = RunStore::open(temp.repo);
  REQUIRE(store);
  add_runs(*store, 250);
  auto names = [](const RunPage& page) {
    std::vector<std::string> names;
    for (const auto& item : page.runs) names.push_back(item.run.name);
    return names;
  };
  RunSelection selection;
  selection.limit = 100;

  SECTION("nothing filters or sorts: the store reads the page, newest first") {
    selection.offset = 200;
    auto page = select_page(*store, selection);
    REQUIRE(page);
    CHECK(page->total == 250);
    REQUIRE(page->runs.size() == 50);
    CHECK(page->runs.front().run.name == "r49");
    CHECK(page->runs.back().run.name == "r0");
    selection.offset = 100;
    selection.columns = {"params.seed"};
    page = select_page(*store, selection);
    REQUIRE(page);
    CHECK(page->runs.front().run.name == "r149");
    CHECK(std::get<std::string>(page->runs.front().values.at("params.seed")) == "149");
  }
  SECTION("a metric filter and sort: the count is of the matching runs") {
    auto query = parse_query("metrics.acc >= 0.1");  // r100..r249
    REQUIRE(query);
    selection.where = std::move(*query);
    selection.sort = SortKey{"metrics.acc", false};
    selection.offset = 100;
    auto page = select_page(*store, selection);
    REQUIRE(page);
    CHECK(page->total == 150);
    REQUIRE(page->runs.size() == 50);
    CHECK(names(*page).front() == "r200");
    CHECK(names(*page).back() == "r249");
  }
  SECTION("an attribute filter, and a page past the end") {
    auto query = parse_query("name like 'r1%'");  // r1, r10..r19, r100..r199
    REQUIRE(query);
    selection.where = std::move(*query);
    auto page = select_page(*store, selection);
    REQUIRE(page);
    CHECK(page->total == 111);
    CHECK(page->runs.size() == 100);
    CHECK(names(*page).front() == "r199");
    selection.offset = 1000;
    page = select_page(*store, selection);
    REQUIRE(page);
    CHECK(page->total == 111);
    CHECK(page->runs.empty());
  }
}
