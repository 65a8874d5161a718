#include "mlops/core/temp_files.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "mlops/core/file.hpp"
#include "mlops/core/process.hpp"

using namespace mlops;
namespace fs = std::filesystem;

namespace {

struct StaleTempDir {
  fs::path path;
  StaleTempDir() {
    char pattern[] = "/tmp/mlops-temps.XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~StaleTempDir() { fs::remove_all(path); }
  fs::path touch(const std::string& name, std::chrono::hours age = std::chrono::hours(0)) const {
    std::ofstream(path / name) << "partial";  // 7 bytes
    fs::last_write_time(path / name, fs::file_time_type::clock::now() - age);
    return path / name;
  }
};

// A pid that certainly belongs to no process: a child that has exited and been reaped.
long reaped_child_pid() {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

}  // namespace

TEST_CASE("temp files name their writer: host, pid and start time") {
  auto path = temp_path_in("/x", "data.csv.mlops");
  auto writer = temp_writer(path.filename().string());
  REQUIRE(writer);
  CHECK(writer->host == host_name());
  CHECK(writer->pid == ::getpid());
  CHECK(writer->start == process_start(::getpid()));
  CHECK(writer->start != 0);
  CHECK(process_running(writer->pid, writer->start));
  CHECK_FALSE(process_running(writer->pid, writer->start + 1));  // the pid given to a later process

  CHECK_FALSE(temp_writer("data.csv"));
  CHECK_FALSE(temp_writer(".downloads.txt"));
  CHECK_FALSE(temp_writer(".x.host-12-zz.0a1b2c3d.tmp"));
  auto legacy = temp_writer(".object.1234.0a1b2c3d.tmp");
  REQUIRE(legacy);
  CHECK(legacy->host.empty());
  CHECK(legacy->pid == 1234);
  auto legacy_download = temp_writer(".download-other-box.77.0a1b2c3d.tmp");
  REQUIRE(legacy_download);
  CHECK(legacy_download->host == "other-box");
  // A long name is cut so that the whole fits in a file name.
  CHECK(temp_path_in("/x", std::string(300, 'n')).filename().string().size() < 255);
}

TEST_CASE("stale temp files: a dead writer's go, a live one's and other files stay") {
  StaleTempDir dir;
  const std::string host = host_name();
  const long dead = reaped_child_pid();
  const long alive = ::getpid();
  const auto start = process_start(alive);
  auto dead_writer = dir.touch(fmt::format(".object.{}-{}-{}.0a1b2c3d.tmp", host, dead, start));
  auto reused_pid = dir.touch(fmt::format(".object.{}-{}-{}.0a1b2c3e.tmp", host, alive, start + 1));
  auto live_writer = temp_path_in(dir.path, "object");
  std::ofstream(live_writer) << "partial";
  auto legacy_dead = dir.touch(fmt::format(".object.{}.0a1b2c3f.tmp", dead));
  auto legacy_live = dir.touch(fmt::format(".object.{}.0a1b2c40.tmp", alive));
  auto other_host_fresh = dir.touch(".object.elsewhere-1-5.0a1b2c41.tmp");
  auto other_host_old = dir.touch(".object.elsewhere-2-5.0a1b2c42.tmp", std::chrono::hours(25));
  auto not_a_temp = dir.touch("notes.txt");

  auto counted = remove_stale_temps(dir.path, std::chrono::hours(24), /*remove=*/false);
  CHECK(counted.files == 4);
  CHECK(counted.bytes == 4 * 7);
  CHECK(fs::exists(dead_writer));

  auto removed = remove_stale_temps(dir.path);
  CHECK(removed.files == 4);
  CHECK(removed.bytes == 4 * 7);
  for (const auto& gone : {dead_writer, reused_pid, legacy_dead, other_host_old}) {
    INFO(gone);
    CHECK_FALSE(fs::exists(gone));
  }
  for (const auto& kept : {live_writer, legacy_live, other_host_fresh, not_a_temp}) {
    INFO(kept);
    CHECK(fs::exists(kept));
  }
  CHECK(remove_stale_temps(dir.path).files == 0);
  CHECK(remove_stale_temps("/nonexistent/mlops/tmp").files == 0);
}
