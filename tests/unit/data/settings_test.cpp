#include "mlops/data/settings.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

using namespace mlops::data;
using std::chrono::seconds;

TEST_CASE("gc durations are a number and a unit") {
  CHECK(parse_duration("0") == seconds(0));
  CHECK(parse_duration("90") == seconds(90));
  CHECK(parse_duration("90s") == seconds(90));
  CHECK(parse_duration("30m") == seconds(1800));
  CHECK(parse_duration("12h") == seconds(12 * 3600));
  CHECK(parse_duration("1d") == seconds(86400));
  CHECK(parse_duration("2w") == seconds(14 * 86400));
}

TEST_CASE("malformed durations are refused") {
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("soon"));
  CHECK_FALSE(parse_duration("-1d"));
  CHECK_FALSE(parse_duration("1 d"));
  CHECK_FALSE(parse_duration("1y"));
  CHECK_FALSE(parse_duration("d"));
}

namespace {

// A store with the given committed (and, optionally, local) config.
struct DataSettingsRepo {
  mlops::Repo repo;
  explicit DataSettingsRepo(const std::string& committed, const std::string& local = "") {
    std::random_device random;
    repo.root = std::filesystem::temp_directory_path() / ("mlops-data-settings-" + std::to_string(random()));
    std::filesystem::create_directories(repo.store());
    std::ofstream(repo.config_file()) << committed;
    if (!local.empty()) std::ofstream(repo.store() / "config.local.yaml") << local;
  }
  ~DataSettingsRepo() { std::filesystem::remove_all(repo.root); }
};

}  // namespace

TEST_CASE("cache.link comes from the committed config, and this machine's file wins") {
  DataSettingsRepo plain("version: 1\n");
  CHECK(load_data_settings(plain.repo)->link == LinkMode::copy);
  DataSettingsRepo committed("cache:\n  link: hardlink\n");
  CHECK(load_data_settings(committed.repo)->link == LinkMode::hardlink);
  DataSettingsRepo local("cache:\n  link: hardlink\n", "cache:\n  link: symlink\n");
  CHECK(load_data_settings(local.repo)->link == LinkMode::symlink);
}

TEST_CASE("a malformed cache.link names the file, the line and the choices") {
  DataSettingsRepo bad("version: 1\ncache:\n  link: softlink\n");
  auto settings = load_data_settings(bad.repo);
  REQUIRE_FALSE(settings);
  CHECK(settings.error().exit == mlops::Exit::bad_input);
  CHECK(settings.error().message.find("config.yaml:3': cache.link is 'softlink'; expected copy, reflink, "
                                      "hardlink or symlink") != std::string::npos);
}

TEST_CASE("a setting of the wrong shape is bad input, not a crash") {
  DataSettingsRepo bad("gc:\n  grace: [1, 2]\n");
  auto settings = load_data_settings(bad.repo);
  REQUIRE_FALSE(settings);
  CHECK(settings.error().exit == mlops::Exit::bad_input);
  CHECK(settings.error().message.find("malformed config") != std::string::npos);
}
