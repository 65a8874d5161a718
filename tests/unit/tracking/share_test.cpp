#include "mlops/tracking/share.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "mlops/data/remote_path.hpp"
#include "mlops/tracking/run_json.hpp"

namespace fs = std::filesystem;
using namespace mlops::tracking;

namespace {

fs::path share_temp_dir(const std::string& what) {
  std::random_device random;
  fs::path dir = fs::temp_directory_path() / ("mlops-share-" + what + "-" + std::to_string(random()));
  fs::create_directories(dir);
  return dir;
}

// A repository's store (runs and cache) and a path remote shared by every ShareMachine of a test.
struct ShareMachine {
  mlops::Repo repo;
  RunStore store;
  explicit ShareMachine(const fs::path& root) : repo(make_repo(root)), store(std::move(*RunStore::open(repo))) {}
  static mlops::Repo make_repo(const fs::path& root) {
    mlops::Repo repo;
    repo.root = root;
    fs::create_directories(repo.store() / "tmp");
    return repo;
  }
};

RunRecord shared_sample(std::string id, std::string name, RunStatus status = RunStatus::finished) {
  RunRecord run;
  run.id = std::move(id);
  run.name = std::move(name);
  run.user = "me";
  run.host = "box";
  run.start_time = "2026-11-29T02:00:00.000Z";
  if (status != RunStatus::running) {
    run.end_time = "2026-11-29T02:01:00.000Z";
    run.duration = 60;
    run.exit_code = 0;
  }
  run.status = status;
  run.command = {"python", "train.py"};
  run.params = {{"lr", "0.1"}};
  run.tags = {{"team", "vision"}};
  return run;
}

std::vector<MetricPoint> sample_history() { return {{"loss", 0.5, 1, 1000}, {"loss", 0.25, 2, 2000}}; }

std::size_t documents_under(const fs::path& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) n += entry.is_regular_file() ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("runs pushed from two machines are pulled as their union, once") {
  fs::path dir = share_temp_dir("union");
  fs::create_directories(dir / "remote");
  mlops::data::PathRemote remote(dir / "remote");
  ShareMachine a(dir / "a"), b(dir / "b"), c(dir / "c");
  REQUIRE(a.store.create(shared_sample("01m8aaaaaaaaaa", "from-a"), sample_history()));
  REQUIRE(b.store.create(shared_sample("01m8bbbbbbbbbb", "from-b"), sample_history()));

  auto pushed_a = push_runs(a.repo, a.store, remote, {"01m8aaaaaaaaaa"});
  REQUIRE(pushed_a);
  CHECK(pushed_a->pushed == std::vector<std::string>{"01m8aaaaaaaaaa"});
  auto pushed_b = push_runs(b.repo, b.store, remote, {"01m8bbbbbbbbbb"});
  REQUIRE(pushed_b);
  // One immutable document per run, one index segment per push: nothing shared was rewritten.
  CHECK(documents_under(dir / "remote/runs/docs") == 2);
  CHECK(documents_under(dir / "remote/runs/index") == 2);

  auto index = read_run_index(c.repo, remote);
  REQUIRE(index);
  CHECK(index->size() == 2);
  CHECK(index->at("01m8aaaaaaaaaa").name == "from-a");

  auto pulled = pull_runs(c.repo, c.store, remote, {});
  REQUIRE(pulled);
  CHECK(pulled->pulled.size() == 2);
  auto record = c.store.get("01m8aaaaaaaaaa");
  REQUIRE(record);
  auto history = c.store.history("01m8aaaaaaaaaa");
  REQUIRE(history);
  CHECK(history->size() == 2);
  // What arrived is what was pushed, byte for byte in the run document's form.
  CHECK(run_document(*record, *history) ==
        run_document(*a.store.get("01m8aaaaaaaaaa"), *a.store.history("01m8aaaaaaaaaa")));

  // Index segments are read once per store: a second read of the index downloads none.
  for (const auto& entry : fs::directory_iterator(dir / "remote/runs/index")) {
    fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
    std::ofstream(entry.path()) << "{not json";
  }
  auto cached = read_run_index(c.repo, remote);
  REQUIRE(cached);
  CHECK(cached->size() == 2);

  auto again = pull_runs(c.repo, c.store, remote, {});
  REQUIRE(again);
  CHECK(again->pulled.empty());
  CHECK(again->already.size() == 2);
  // Pushing the pulled runs back publishes nothing new.
  auto back = push_runs(c.repo, c.store, remote, {"01m8aaaaaaaaaa", "01m8bbbbbbbbbb"});
  REQUIRE(back);
  CHECK(back->pushed.empty());
  CHECK(documents_under(dir / "remote/runs/index") == 2);
  fs::remove_all(dir);
}

TEST_CASE("a run with the same id and other content is refused on both sides, naming both") {
  fs::path dir = share_temp_dir("conflict");
  fs::create_directories(dir / "remote");
  mlops::data::PathRemote remote(dir / "remote");
  ShareMachine a(dir / "a"), b(dir / "b");
  REQUIRE(a.store.create(shared_sample("01m8cccccccccc", "original"), sample_history()));
  REQUIRE(b.store.create(shared_sample("01m8cccccccccc", "impostor"), sample_history()));
  REQUIRE(push_runs(a.repo, a.store, remote, {"01m8cccccccccc"}));

  auto pulled = pull_runs(b.repo, b.store, remote, {});
  REQUIRE(!pulled);
  CHECK(pulled.error().exit == mlops::Exit::bad_input);
  CHECK_THAT(pulled.error().message,
             Catch::Contains("'original'") && Catch::Contains("'impostor'") && Catch::Contains("name differ"));
  CHECK(b.store.get("01m8cccccccccc")->name == "impostor");

  auto pushed = push_runs(b.repo, b.store, remote, {"01m8cccccccccc"});
  REQUIRE(!pushed);
  CHECK(pushed.error().exit == mlops::Exit::bad_input);
  CHECK(documents_under(dir / "remote/runs/index") == 1);
  fs::remove_all(dir);
}

TEST_CASE("unfinished runs are not pushed, and unknown ids are not pulled") {
  fs::path dir = share_temp_dir("unfinished");
  fs::create_directories(dir / "remote");
  mlops::data::PathRemote remote(dir / "remote");
  ShareMachine a(dir / "a");
  REQUIRE(a.store.create(shared_sample("01m8dddddddddd", "open", RunStatus::running)));
  auto pushed = push_runs(a.repo, a.store, remote, {"01m8dddddddddd"});
  REQUIRE(pushed);
  CHECK(pushed->pushed.empty());
  CHECK(pushed->unfinished == std::vector<std::string>{"01m8dddddddddd"});
  CHECK(!fs::exists(dir / "remote/runs"));

  auto pulled = pull_runs(a.repo, a.store, remote, {"01m8zz"});
  REQUIRE(!pulled);
  CHECK(pulled.error().exit == mlops::Exit::bad_input);
  fs::remove_all(dir);
}

TEST_CASE("an unreadable index segment hides no other run") {
  fs::path dir = share_temp_dir("segment");
  fs::create_directories(dir / "remote");
  mlops::data::PathRemote remote(dir / "remote");
  ShareMachine a(dir / "a");
  REQUIRE(a.store.create(shared_sample("01m8eeeeeeeeee", "kept"), sample_history()));
  REQUIRE(push_runs(a.repo, a.store, remote, {"01m8eeeeeeeeee"}));
  std::ofstream(dir / "bad.json") << "{not json";
  REQUIRE(remote.put_document("runs/index/0-bad.json", dir / "bad.json"));
  auto index = read_run_index(a.repo, remote);
  REQUIRE(index);
  CHECK(index->count("01m8eeeeeeeeee") == 1);
  fs::remove_all(dir);
}

// A remote any clone can write: fields of the wrong JSON type were exceptions that ended
// 'runs pull' with "unexpected error" (tests/fuzz/runs_fuzz.cpp reads these).
TEST_CASE("run documents and index segments of any shape are bad input or skipped, never exceptions") {
  for (std::string text : {R"({"format": 1, "version": 1, "runs": []})", R"({"format": "mlops-runs", "version": "1"})",
                           R"({"format": "mlops-runs", "version": 1, "runs": [{"id": 5}]})", R"([1, 2])", "{"}) {
    auto run = parse_run_document(text, "runs/docs/x.json", "x");
    REQUIRE_FALSE(run);
    CHECK(run.error().exit == mlops::Exit::bad_input);
    CHECK(run.error().message.find("runs/docs/x.json") != std::string::npos);
  }
  CHECK_FALSE(parse_index_segment(R"({"format": 1, "version": 1, "runs": []})"));
  CHECK_FALSE(parse_index_segment(R"({"format": "mlops-runs-index", "version": 2, "runs": []})"));
  auto hash = "xxh3:" + std::string(32, 'a');
  auto segment = parse_index_segment(R"({"format": "mlops-runs-index", "version": 1, "runs": [
      {"id": 7, "hash": ")" + hash + R"("}, {"id": "b", "hash": 3}, "c",
      {"id": "d", "hash": ")" + hash +
                                     R"(", "name": 9, "status": "finished"}]})");
  REQUIRE(segment);
  REQUIRE(segment->size() == 1);
  CHECK(segment->front().id == "d");
  CHECK(segment->front().name.empty());
  CHECK(segment->front().status == "finished");
}
