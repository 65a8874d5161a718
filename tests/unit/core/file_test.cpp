#include "mlops/core/file.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/mlops-unit.XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};
}  // namespace

TEST_CASE("write_file_atomic writes the whole content and leaves no temp file") {
  TempDir dir;
  auto target = dir.path / "a.txt";
  REQUIRE(mlops::write_file_atomic(target, "first"));
  REQUIRE(mlops::write_file_atomic(target, "second"));
  CHECK(*mlops::read_file(target) == "second");
  CHECK(dir.entries() == 1);
}

TEST_CASE("an AtomicFile dropped without commit leaves the target as it was") {
  TempDir dir;
  auto target = dir.path / "a.txt";
  REQUIRE(mlops::write_file_atomic(target, "old"));
  {
    auto file = mlops::AtomicFile::create(target);
    REQUIRE(file);
    REQUIRE(file->write("new content that is never committed"));
  }
  CHECK(*mlops::read_file(target) == "old");
  CHECK(dir.entries() == 1);
}

TEST_CASE("commit_to publishes under a name chosen after writing") {
  TempDir dir;
  auto file = mlops::AtomicFile::create(dir.path / "placeholder");
  REQUIRE(file);
  REQUIRE(file->write("abc"));
  REQUIRE(file->commit_to(dir.path / "chosen"));
  CHECK(*mlops::read_file(dir.path / "chosen") == "abc");
  CHECK_FALSE(fs::exists(dir.path / "placeholder"));
}

TEST_CASE("a write that exceeds the file size limit fails as an environment error and cleans up") {
  TempDir dir;
  struct rlimit old {};
  ::getrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 1024;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  auto r = mlops::write_file_atomic(dir.path / "big", std::string(4096, 'x'));
  ::setrlimit(RLIMIT_FSIZE, &old);
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == mlops::Exit::environment);
  CHECK(dir.entries() == 0);
}

TEST_CASE("read_file of a missing file is bad input naming the file") {
  auto r = mlops::read_file("/nonexistent/mlops-file");
  REQUIRE_FALSE(r);
  CHECK(r.error().exit == mlops::Exit::bad_input);
  CHECK(r.error().message.find("/nonexistent/mlops-file") != std::string::npos);
}

TEST_CASE("a FileLock held by one owner makes another wait and time out") {
  TempDir dir;
  auto first = mlops::FileLock::acquire(dir.path / "x.lock");
  REQUIRE(first);
  auto second = mlops::FileLock::acquire(dir.path / "x.lock", std::chrono::milliseconds(50));
  REQUIRE_FALSE(second);
  CHECK(second.error().exit == mlops::Exit::environment);
  // The holder is named (from /proc/locks), with its command line.
  INFO(second.error().message);
  CHECK(second.error().message.find("(pid " + std::to_string(::getpid()) + ": ") != std::string::npos);
  CHECK(second.error().message.find("waited 0.1 s") != std::string::npos);
}
