#include "mlops/data/remote_path.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "mlops/core/file.hpp"
#include "mlops/data/cache.hpp"

using namespace mlops;
namespace fs = std::filesystem;

namespace {
struct TempRemote {
  fs::path dir;
  data::PathRemote remote;
  TempRemote() : dir(make()), remote(dir / "remote") { fs::create_directories(dir / "remote"); }
  ~TempRemote() { fs::remove_all(dir); }
  static fs::path make() {
    char tmpl[] = "/tmp/mlops-remote.XXXXXX";
    return ::mkdtemp(tmpl);
  }
  fs::path file(const std::string& name, const std::string& content) const {
    std::ofstream(dir / name) << content;
    return dir / name;
  }
};
}  // namespace

TEST_CASE("document keys") {
  CHECK(data::check_document_key("runs/ab12/run.json"));
  CHECK(data::check_document_key("runs/index/host-1,2@x=y+z.json"));
  for (const char* bad :
       {"", "runs/", "/runs/x", "runs//x", "runs/../x", "runs/.hidden", "ab/cdef", "runs/a b", "runs\\x"}) {
    INFO(bad);
    auto r = data::check_document_key(bad);
    REQUIRE(!r);
    CHECK(r.error().exit == Exit::bad_input);
  }
  CHECK(!data::check_document_key(std::string(513, 'a')));
}

TEST_CASE("a path remote publishes a document once and never replaces it") {
  TempRemote t;
  auto first = t.file("first.json", "{\"a\": 1}\n");
  auto put = t.remote.put_document("runs/r1/run.json", first);
  REQUIRE(put);
  CHECK(*put == data::DocumentPut::written);
  struct stat st {};
  REQUIRE(::stat((t.dir / "remote/runs/r1/run.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0444);

  // The same bytes again: already there. Different bytes: reported, and the first copy stays.
  auto again = t.remote.put_document("runs/r1/run.json", t.file("same.json", "{\"a\": 1}\n"));
  REQUIRE(again);
  CHECK(*again == data::DocumentPut::already_there);
  auto other = t.remote.put_document("runs/r1/run.json", t.file("other.json", "{\"a\": 2}\n"));
  REQUIRE(other);
  CHECK(*other == data::DocumentPut::differs);
  CHECK(*read_file(t.dir / "remote/runs/r1/run.json") == "{\"a\": 1}\n");
  // A different length that shares a prefix differs too.
  auto longer = t.remote.put_document("runs/r1/run.json", t.file("longer.json", "{\"a\": 1}\n\n"));
  REQUIRE(longer);
  CHECK(*longer == data::DocumentPut::differs);

  // No temp files are left beside the document.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(t.dir / "remote/runs/r1")) ++entries;
  CHECK(entries == 1);
}

TEST_CASE("a path remote gets documents and says when there is none") {
  TempRemote t;
  REQUIRE(t.remote.put_document("runs/r1/run.json", t.file("doc", "content\n")));
  auto got = t.remote.get_document("runs/r1/run.json", t.dir / "got.json");
  REQUIRE(got);
  CHECK(*got);
  CHECK(*read_file(t.dir / "got.json") == "content\n");

  auto none = t.remote.get_document("runs/r2/run.json", t.dir / "none.json");
  REQUIRE(none);
  CHECK(!*none);
  CHECK(!fs::exists(t.dir / "none.json"));
  auto invalid = t.remote.get_document("../etc/passwd", t.dir / "x");
  REQUIRE(!invalid);
  CHECK(invalid.error().exit == Exit::bad_input);
}

TEST_CASE("a path remote lists documents by prefix, never objects or temp files") {
  TempRemote t;
  data::Cache cache(t.dir / "cache", t.dir / "tmp");
  fs::create_directories(t.dir / "cache");
  fs::create_directories(t.dir / "tmp");
  auto hash = cache.put_bytes("an object\n");
  REQUIRE(hash);
  REQUIRE(t.remote.upload(*hash, cache.object_path(*hash)));
  REQUIRE(t.remote.put_document("runs/r1/run.json", t.file("a", "12345")));
  REQUIRE(t.remote.put_document("runs/r2/run.json", t.file("b", "1")));
  REQUIRE(t.remote.put_document("runs/index/h1.json", t.file("c", "12")));
  REQUIRE(t.remote.put_document("other/x", t.file("d", "1")));
  std::ofstream(t.dir / "remote/runs/r1/.run.json.123.abcd.tmp") << "half";

  auto runs = t.remote.list_documents("runs/");
  REQUIRE(runs);
  REQUIRE(runs->size() == 3);
  CHECK((*runs)[0].key == "runs/index/h1.json");
  CHECK((*runs)[0].size == 2);
  CHECK((*runs)[1].key == "runs/r1/run.json");
  CHECK((*runs)[1].size == 5);
  CHECK((*runs)[1].mtime > 0);
  CHECK((*runs)[2].key == "runs/r2/run.json");

  auto partial = t.remote.list_documents("runs/r");
  REQUIRE(partial);
  CHECK(partial->size() == 2);
  auto all = t.remote.list_documents("");
  REQUIRE(all);
  CHECK(all->size() == 4);  // the object is not a document
  auto none = t.remote.list_documents("nothing/");
  REQUIRE(none);
  CHECK(none->empty());
  // And the object listing does not see documents.
  auto objects = t.remote.list();
  REQUIRE(objects);
  CHECK(objects->size() == 1);
}

TEST_CASE("a path remote that cannot be written is an environment error") {
  TempRemote t;
  // A file where the document's folder should be: every user, root too, fails to create it.
  std::ofstream(t.dir / "remote/runs") << "not a folder";
  auto put = t.remote.put_document("runs/r1/run.json", t.file("doc", "x"));
  REQUIRE(!put);
  CHECK(put.error().exit == Exit::environment);
}
