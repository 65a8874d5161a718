#include "mlops/drift/settings.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

using namespace mlops::drift;

namespace {

struct DriftSettingsRepo {
  mlops::Repo repo;
  explicit DriftSettingsRepo(const std::string& committed) {
    std::random_device random;
    repo.root = std::filesystem::temp_directory_path() / ("mlops-drift-settings-" + std::to_string(random()));
    std::filesystem::create_directories(repo.store());
    std::ofstream(repo.config_file()) << committed;
  }
  ~DriftSettingsRepo() { std::filesystem::remove_all(repo.root); }
};

}  // namespace

TEST_CASE("drift_share comes from the config, else the default") {
  CHECK(*load_drift_share(DriftSettingsRepo("version: 1\n").repo) == kDefaultDriftShare);
  CHECK(*load_drift_share(DriftSettingsRepo("drift:\n  drift_share: 0.25\n").repo) == 0.25);
}

TEST_CASE("a drift_share that is not a share names the file and line") {
  for (const char* text : {"drift:\n  drift_share: lots\n", "drift:\n  drift_share: 1.5\n"}) {
    auto share = load_drift_share(DriftSettingsRepo(text).repo);
    REQUIRE_FALSE(share);
    CHECK(share.error().exit == mlops::Exit::bad_input);
    CHECK(share.error().message.find("config.yaml:2': drift.drift_share must be a number from 0 to 1") !=
          std::string::npos);
  }
}
