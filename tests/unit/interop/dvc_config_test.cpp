#include "mlops/interop/dvc_config.hpp"

#include <catch2/catch.hpp>

using namespace mlops;
using namespace mlops::interop;

TEST_CASE("the DVC config gives the cache folder, the remotes and the default") {
  DvcConfig config;
  config.cache_dir = "/repo/.dvc/cache";
  std::string text =
      "[core]\n    remote = storage\n[cache]\n    dir = ../../shared-cache\n"
      "['remote \"storage\"']\n    url = ../../dvc-remote\n[remote \"s3\"]\n    url = s3://bucket/path\n"
      "# a comment\n['remote \"file\"']\n    url = file:///mnt/dvc\n";
  REQUIRE(parse_dvc_config(text, ".dvc/config", "/repo/.dvc", config));
  CHECK(config.default_remote == "storage");
  CHECK(config.cache_dir == "/shared-cache");
  REQUIRE(config.remotes.size() == 3);
  CHECK(config.remotes[0].name == "storage");
  CHECK(config.remotes[0].local_path == "/dvc-remote");
  CHECK(config.remotes[1].url == "s3://bucket/path");
  CHECK(config.remotes[1].local_path.empty());
  CHECK(config.remotes[2].local_path == "/mnt/dvc");
  // config.local overrides a remote's url.
  REQUIRE(parse_dvc_config("['remote \"storage\"']\nurl = /elsewhere\n", ".dvc/config.local", "/repo/.dvc", config));
  CHECK(config.remotes[0].local_path == "/elsewhere");
  CHECK_FALSE(parse_dvc_config("[core\n", ".dvc/config", "/repo/.dvc", config));
  CHECK_FALSE(parse_dvc_config("[core]\nnovalue\n", ".dvc/config", "/repo/.dvc", config));
}
