#include "mlops/data/cache.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace mlops;
namespace fs = std::filesystem;

namespace {
struct TempCache {
  fs::path dir;
  data::Cache cache;
  TempCache() : dir(make()), cache(dir / "cache", dir / "tmp") {
    fs::create_directories(dir / "cache");
    fs::create_directories(dir / "tmp");
  }
  ~TempCache() { fs::remove_all(dir); }
  static fs::path make() {
    char tmpl[] = "/tmp/mlops-cache.XXXXXX";
    return ::mkdtemp(tmpl);
  }
};
}  // namespace

TEST_CASE("objects are stored once, read-only, under their hash") {
  TempCache t;
  auto source = t.dir / "in.bin";
  std::ofstream(source) << "hello world\n";
  auto h = t.cache.put_file(source);
  REQUIRE(h);
  CHECK(h->hex() == "eefac9d87100cd1336b2e733a5484425");
  CHECK(t.cache.object_path(*h) == t.dir / "cache/ee/fac9d87100cd1336b2e733a5484425");
  struct stat st {};
  REQUIRE(::stat(t.cache.object_path(*h).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0444);
  auto again = t.cache.put_bytes("hello world\n");
  REQUIRE(again);
  CHECK(*again == *h);
  CHECK(t.cache.list().size() == 1);
  CHECK(fs::is_empty(t.dir / "tmp"));
}

TEST_CASE("a corrupt object is detected, never served, and moved aside") {
  TempCache t;
  auto h = t.cache.put_bytes("precious bytes");
  REQUIRE(h);
  auto path = t.cache.object_path(*h);
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(path) << "tampered bytes";
  auto read = t.cache.read(*h);
  REQUIRE_FALSE(read);
  CHECK(read.error().message.find("corrupt") != std::string::npos);
  CHECK_FALSE(t.cache.contains(*h));

  auto h2 = t.cache.put_bytes("other bytes");
  auto path2 = t.cache.object_path(*h2);
  fs::permissions(path2, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(path2) << "changed";
  auto copied = t.cache.copy_to(*h2, t.dir / "out.txt");
  REQUIRE_FALSE(copied);
  CHECK_FALSE(fs::exists(t.dir / "out.txt"));
}

TEST_CASE("a missing object suggests a pull") {
  TempCache t;
  auto r = t.cache.read(hash_bytes("never stored"));
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == Exit::bad_input);
  CHECK(r.error().hint.find("mlops data pull") != std::string::npos);
}
