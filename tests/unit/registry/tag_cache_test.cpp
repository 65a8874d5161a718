#include "mlops/registry/tag_cache.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace mlops::registry;
namespace fs = std::filesystem;

TEST_CASE("the tag cache round-trips and treats a damaged file as empty") {
  fs::path dir = fs::temp_directory_path() / ("mlops-tag-cache-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path file = dir / "registry-tags.cache";

  TagCache cache;
  CachedTag annotated;
  annotated.tag.commit = std::string(40, 'a');
  annotated.tag.time = 1700000000;
  annotated.tag.offset = -90;
  annotated.tag.tagger_name = "A U Thor";
  annotated.tag.tagger_email = "a@example.com";
  annotated.tag.message = std::string("Registering artifact m version v0.0.1\n\nMetric: auc=0.9\n") + '\0' + "x";
  cache[std::string(20, '\x01')] = annotated;
  cache[std::string(20, '\x02')] = CachedTag{true, {}};
  REQUIRE(write_tag_cache(file, dir, cache));

  TagCache back = read_tag_cache(file);
  REQUIRE(back.size() == 2);
  const auto& a = back.at(std::string(20, '\x01'));
  CHECK_FALSE(a.lightweight);
  CHECK(a.tag.commit == annotated.tag.commit);
  CHECK(a.tag.time == 1700000000);
  CHECK(a.tag.offset == -90);
  CHECK(a.tag.tagger_name == "A U Thor");
  CHECK(a.tag.message == annotated.tag.message);
  CHECK(back.at(std::string(20, '\x02')).lightweight);

  // Truncated: nothing is trusted.
  auto size = fs::file_size(file);
  fs::resize_file(file, size - 3);
  CHECK(read_tag_cache(file).empty());
  // Foreign content and a missing file: empty.
  std::ofstream(file) << "something else";
  CHECK(read_tag_cache(file).empty());
  CHECK(read_tag_cache(dir / "missing").empty());
  fs::remove_all(dir);
}
