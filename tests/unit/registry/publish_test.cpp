#include "mlops/registry/publish.hpp"

#include <catch2/catch.hpp>

#include "mlops/registry/registry.hpp"

using namespace mlops::registry;

namespace {

// m v0.0.1 with an artifact (in production), v0.0.2 without one; other v1.0.0 with the same
// artifact as m v0.0.1, deprecated afterwards.
State sample() {
  std::vector<TagRecord> records;
  std::int64_t clock = 1'700'000'000;
  auto add = [&](const std::string& tag, const std::string& commit, const std::string& message) {
    TagRecord r;
    r.tag = tag;
    r.name = *parse_tag_name(tag);
    r.commit = commit;
    r.time = ++clock;
    r.message = message;
    records.push_back(r);
  };
  const std::string artifact = "Artifact: xxh3:0123456789abcdef0123456789abcdef\nKind: file\n";
  add("m@v0.0.1", "c1", "Registering artifact m version v0.0.1\n\n" + artifact);
  add("m@v0.0.2", "c2", "Registering artifact m version v0.0.2\n");
  add("m#production#1", "c1", "Assigning stage production to artifact m version v0.0.1\n");
  add("m#staging#2", "c2", "Assigning stage staging to artifact m version v0.0.2\n");
  add("m#staging!#3", "c2", "Unassigning stage 'staging' to artifact 'm' version 'v0.0.2'\n");
  add("other@v1.0.0", "c3", "Registering artifact other version v1.0.0\n\n" + artifact);
  add("other@deprecated", "c3", "Deprecating artifact 'other'\n");
  return fold(std::move(records));
}

}  // namespace

TEST_CASE("a stage tag is pushed after the tag of the version it assigns") {
  State state = sample();
  CHECK(tags_to_push(state, {"m#production#1"}) == std::vector<std::string>{"m@v0.0.1", "m#production#1"});
  CHECK(tags_to_push(state, {"m@v0.0.1", "m#production#1"}) == std::vector<std::string>{"m@v0.0.1", "m#production#1"});
  // Unassignments and deprecations need nothing else; unknown tags are kept as they are.
  CHECK(tags_to_push(state, {"m#staging!#3", "other@deprecated", "x@v1.0.0"}) ==
        std::vector<std::string>{"m#staging!#3", "other@deprecated", "x@v1.0.0"});
}

TEST_CASE("the artifacts a push must make fetchable") {
  State state = sample();
  auto named = artifacts_named(state, {"m@v0.0.1", "m#production#1", "other@v1.0.0"});
  REQUIRE(named.size() == 1);  // one hash, named three times
  CHECK(named[0].model == "m");
  CHECK(named[0].version == "v0.0.1");
  CHECK(named[0].hash.str() == "xxh3:0123456789abcdef0123456789abcdef");
  // A version without an artifact, an unassignment, a deprecation: nothing to upload.
  CHECK(artifacts_named(state, {"m@v0.0.2", "m#staging#2", "m#staging!#3", "other@deprecated"}).empty());
}
