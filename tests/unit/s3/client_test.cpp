#include "mlops/s3/client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

namespace {

// A loopback port nothing listens on: bound, read back, closed.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("s3 client: parts grow so that 1 TiB fits in 10,000 parts, and never go under 5 MiB", "[s3][client]") {
  constexpr std::uint64_t MiB = 1ull << 20;
  CHECK(mlops::s3::part_size_for(100 * MiB, 16 * MiB) == 16 * MiB);
  CHECK(mlops::s3::part_size_for(100 * MiB, 1 * MiB) == 5 * MiB);
  std::uint64_t tebibyte = 1ull << 40;
  std::uint64_t part = mlops::s3::part_size_for(tebibyte, 16 * MiB);
  CHECK((tebibyte + part - 1) / part <= 10000);
  CHECK(part % MiB == 0);
  CHECK(mlops::s3::part_size_for(0, 0) == mlops::s3::kDefaultMultipartChunksize);
}

TEST_CASE("s3 client: a big download is a few big ranges after the first part, whole MiB, none below the chunk size",
          "[s3][client]") {
  constexpr std::uint64_t MiB = 1ull << 20;
  // Small objects: the first GET had it all.
  CHECK(mlops::s3::download_ranges(10 * MiB, 16 * MiB, 16 * MiB).empty());
  CHECK(mlops::s3::download_ranges(16 * MiB, 16 * MiB, 16 * MiB).empty());
  // 500 MiB: the 484 MiB after the first part in kDownloadStreams ranges, which cover it exactly.
  auto ranges = mlops::s3::download_ranges(500 * MiB, 16 * MiB, 16 * MiB);
  REQUIRE(ranges.size() == mlops::s3::kDownloadStreams);
  std::uint64_t next = 16 * MiB;
  for (const auto& [from, to] : ranges) {
    CHECK(from == next);
    CHECK(from % MiB == 0);
    next = to + 1;
  }
  CHECK(next == 500 * MiB);
  // Just above the first part: the chunk size is the floor, so one small range, not four tiny ones.
  ranges = mlops::s3::download_ranges(17 * MiB + 5, 16 * MiB, 16 * MiB);
  REQUIRE(ranges.size() == 1);
  CHECK(ranges[0] == std::pair<std::uint64_t, std::uint64_t>(16 * MiB, 17 * MiB + 4));
}

TEST_CASE("s3 client: an unreachable endpoint is exit 3 after the retries, saying how long it tried", "[s3][client]") {
  mlops::s3::Settings settings;
  settings.bucket = "b";
  settings.endpoint_url = "http://127.0.0.1:" + std::to_string(closed_port());
  settings.remote_name = "far";
  settings.max_retries = 2;
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDUNREACHABLE", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "secret-never-shown", 1);
  auto client = mlops::s3::Client::open(settings);
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  REQUIRE(client);
  auto listed = (*client)->list("ab/");
  REQUIRE_FALSE(listed);
  CHECK(listed.error().exit == mlops::Exit::environment);
  CHECK_THAT(listed.error().message, Catch::Contains("cannot reach http://127.0.0.1:") &&
                                         Catch::Contains("remote 'far'") &&
                                         Catch::Contains("gave up after 3 attempts over"));
  CHECK(listed.error().message.find("secret-never-shown") == std::string::npos);
  CHECK((*client)->stats().retries == 2);
}

TEST_CASE("s3 client: bad settings are refused before any request", "[s3][client]") {
  mlops::s3::Settings settings;
  settings.bucket = "b";
  settings.endpoint_url = "ftp://host";
  ::setenv("AWS_ACCESS_KEY_ID", "AKIDBAD", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "x", 1);
  auto ftp = mlops::s3::Client::open(settings);
  settings.endpoint_url = "http://host";
  settings.ssl_verify = "/nonexistent/ca.pem";
  auto ca = mlops::s3::Client::open(settings);
  settings.bucket.clear();
  auto no_bucket = mlops::s3::Client::open(settings);
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  REQUIRE_FALSE(ftp);
  CHECK_THAT(ftp.error().message, Catch::Contains("neither http nor https"));
  REQUIRE_FALSE(ca);
  CHECK_THAT(ca.error().message, Catch::Contains("CA bundle '/nonexistent/ca.pem'"));
  REQUIRE_FALSE(no_bucket);
  CHECK(no_bucket.error().exit == mlops::Exit::bad_input);
}
