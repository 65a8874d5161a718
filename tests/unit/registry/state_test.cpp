#include "mlops/registry/state.hpp"

#include <catch2/catch.hpp>

using namespace mlops::registry;

namespace {

// Tags as a history: each gets the next second unless a time is given.
struct History {
  std::vector<TagRecord> records;
  std::int64_t clock = 1'700'000'000;
  History& tag(const std::string& name, const std::string& commit, std::string message = "subject\n",
               std::int64_t at = 0) {
    auto parsed = parse_tag_name(name);
    REQUIRE(parsed);
    TagRecord r;
    r.tag = name;
    r.name = *parsed;
    r.commit = commit;
    r.time = at ? at : ++clock;
    r.message = std::move(message);
    records.push_back(std::move(r));
    return *this;
  }
};

std::string holder(const Model& m, const char* stage) {
  const Version* v = m.in_stage(stage);
  return v ? v->name : "-";
}

}  // namespace

TEST_CASE("latest is the highest active SemVer, not the newest tag") {
  History h;
  h.tag("m@v0.0.1", "c1").tag("m@v1.0.0", "c2").tag("m@v0.2.0", "c3");
  State s = fold(h.records);
  const Model* m = s.find("m");
  REQUIRE(m);
  REQUIRE(m->latest());
  CHECK(m->latest()->name == "v1.0.0");

  h.tag("m@v1.0.0!", "c2");  // deregistered: latest falls back
  State s2 = fold(h.records);
  CHECK(s2.find("m")->latest()->name == "v0.2.0");
  CHECK_FALSE(s2.find("m")->find("v1.0.0")->active);
}

TEST_CASE("a stage is held by the version most recently assigned it") {
  History h;
  h.tag("m@v0.0.1", "c1").tag("m@v0.0.2", "c2");
  h.tag("m#prod#1", "c1").tag("m#prod#2", "c2");
  State s = fold(h.records);
  CHECK(holder(*s.find("m"), "prod") == "v0.0.2");
  CHECK(s.find("m")->stage_holders("prod") == std::vector<std::string>{"v0.0.1", "v0.0.2"});

  SECTION("unassigning the holder hands the stage back to the previous assignment still in effect") {
    h.tag("m#prod!#3", "c2");
    State s2 = fold(h.records);
    CHECK(holder(*s2.find("m"), "prod") == "v0.0.1");
  }
  SECTION("deregistering the holder does the same") {
    h.tag("m@v0.0.2!", "c2");
    State s2 = fold(h.records);
    CHECK(holder(*s2.find("m"), "prod") == "v0.0.1");
  }
  SECTION("re-assigning an older version (a rollback) makes it the holder") {
    h.tag("m#prod#3", "c1");
    State s2 = fold(h.records);
    CHECK(holder(*s2.find("m"), "prod") == "v0.0.1");
    CHECK(s2.find("m")->stage_holders("prod") == std::vector<std::string>{"v0.0.1", "v0.0.2", "v0.0.1"});
  }
  SECTION("unassigning every version empties the stage") {
    h.tag("m#prod!#3", "c2").tag("m#prod!#4", "c1");
    State s2 = fold(h.records);
    CHECK(holder(*s2.find("m"), "prod") == "-");
    CHECK(s2.find("m")->stages().empty());
  }
}

TEST_CASE("events fold in tagger-time order, not in the order tags are listed") {
  History h;
  h.tag("m@v0.0.1", "c1", {}, 100).tag("m@v0.0.2", "c2", {}, 101);
  // Listed first, but tagged last.
  h.records.insert(h.records.begin(), TagRecord{});
  h.records.front() = h.records.back();
  h.records.pop_back();
  h.tag("m#prod#2", "c1", {}, 300).tag("m#prod#1", "c2", {}, 200);
  State s = fold(h.records);
  CHECK(holder(*s.find("m"), "prod") == "v0.0.1");
}

TEST_CASE("within one second the counter orders the tags") {
  History h;
  h.tag("m@v0.0.1", "c1", {}, 100).tag("m@v0.0.2", "c2", {}, 100);
  h.tag("m#prod#2", "c2", {}, 500).tag("m#prod#1", "c1", {}, 500);
  State s = fold(h.records);
  CHECK(holder(*s.find("m"), "prod") == "v0.0.2");
  CHECK(s.next_counter("m") == 3);
  CHECK(s.next_counter("other") == 1);
}

TEST_CASE("deprecation is the model's latest event, and a new event revives it") {
  History h;
  h.tag("m@v0.0.1", "c1").tag("m@deprecated", "c1");
  State s = fold(h.records);
  CHECK(s.find("m")->deprecated);
  h.tag("m@v0.0.2", "c2");
  State s2 = fold(h.records);
  CHECK_FALSE(s2.find("m")->deprecated);
}

TEST_CASE("a stage tag on a commit with no registered version names the commit, as in GTO") {
  History h;
  h.tag("m#dev#1", "cafe");
  State s = fold(h.records);
  const Model* m = s.find("m");
  REQUIRE(m);
  CHECK(holder(*m, "dev") == "cafe");
  CHECK_FALSE(m->latest());
}

TEST_CASE("lineage comes from the registration's trailers") {
  History h;
  h.tag("m@v0.0.1", "c1",
        "Registering artifact m version v0.0.1\n\nArtifact: xxh3:0123456789abcdef0123456789abcdef\nSize: 12\n"
        "Metric: auc=0.93\nSize: big\n");
  State s = fold(h.records);
  const Version* v = s.find("m")->find("v0.0.1");
  REQUIRE(v);
  CHECK(v->message.meta.artifact);
  CHECK(v->message.meta.metric("auc") == Approx(0.93));
  REQUIRE(v->message.problems.size() == 1);
  CHECK(v->message.problems[0] == "malformed trailer 'Size: big'");
}
