#include "mlops/tracking/process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>

using namespace mlops::tracking;

TEST_CASE("this process is alive, with its own identity", "[process]") {
  auto self = current_process();
  REQUIRE(self);
  CHECK(self->pid == ::getpid());
  CHECK(self->start_ticks > 0);
  CHECK(self->boot_id.size() == 36);
  CHECK_FALSE(is_gone(*self));
}

TEST_CASE("a process that ended, even a zombie, is gone", "[process]") {
  int to_parent[2], to_child[2];
  REQUIRE(::pipe(to_parent) == 0);
  REQUIRE(::pipe(to_child) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Tells the parent who it is, then ends when the parent says so.
    auto me = current_process();
    std::int64_t ticks = me ? me->start_ticks : -1;
    char go = 0;
    if (::write(to_parent[1], &ticks, sizeof ticks) != sizeof ticks || ::read(to_child[0], &go, 1) != 1) ::_exit(1);
    ::_exit(0);
  }
  std::int64_t ticks = 0;
  REQUIRE(::read(to_parent[0], &ticks, sizeof ticks) == sizeof ticks);
  auto self = current_process();
  REQUIRE(self);
  ProcessIdentity other{child, ticks, self->boot_id};
  CHECK_FALSE(is_gone(other));
  REQUIRE(::write(to_child[1], "x", 1) == 1);
  // Ended but not yet collected by its parent: a zombie, gone all the same.
  for (int i = 0; i < 400 && !is_gone(other); ++i) ::usleep(5000);
  CHECK(is_gone(other));
  REQUIRE(::waitpid(child, nullptr, 0) == child);
  CHECK(is_gone(other));
  for (int fd : {to_parent[0], to_parent[1], to_child[0], to_child[1]}) ::close(fd);
}

TEST_CASE("a reused pid or another boot means the process is gone", "[process]") {
  auto self = current_process();
  REQUIRE(self);
  ProcessIdentity reused = *self;
  reused.start_ticks += 1;
  CHECK(is_gone(reused));
  ProcessIdentity rebooted = *self;
  rebooted.boot_id = "00000000-0000-0000-0000-000000000000";
  CHECK(is_gone(rebooted));
}
