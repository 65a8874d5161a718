#include "mlops/registry/settings.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

using namespace mlops::registry;

namespace {

struct RegistrySettingsRepo {
  mlops::Repo repo;
  explicit RegistrySettingsRepo(const std::string& committed, const std::string& local = "") {
    std::random_device random;
    repo.root = std::filesystem::temp_directory_path() / ("mlops-registry-settings-" + std::to_string(random()));
    std::filesystem::create_directories(repo.store());
    std::ofstream(repo.config_file()) << committed;
    if (!local.empty()) std::ofstream(repo.store() / "config.local.yaml") << local;
  }
  ~RegistrySettingsRepo() { std::filesystem::remove_all(repo.root); }
};

}  // namespace

TEST_CASE("stages default to dev, staging, production") {
  RegistrySettingsRepo plain("version: 1\n");
  CHECK(*load_stages(plain.repo) == std::vector<std::string>{"dev", "staging", "production"});
}

TEST_CASE("stages are team policy: the committed list, never this machine's") {
  RegistrySettingsRepo custom("registry:\n  stages: [qa, prod]\n", "registry:\n  stages: [mine]\n");
  CHECK(*load_stages(custom.repo) == std::vector<std::string>{"qa", "prod"});
}

TEST_CASE("stages that are not a list name the file and line") {
  RegistrySettingsRepo bad("version: 1\nregistry:\n  stages: production\n");
  auto stages = load_stages(bad.repo);
  REQUIRE_FALSE(stages);
  CHECK(stages.error().exit == mlops::Exit::bad_input);
  CHECK(stages.error().message.find("config.yaml:3': registry.stages must be a list") != std::string::npos);
}
