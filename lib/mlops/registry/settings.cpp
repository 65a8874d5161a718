#include "mlops/registry/settings.hpp"

#include <yaml-cpp/yaml.h>

#include "mlops/core/config_files.hpp"

namespace mlops::registry {

Result<std::vector<std::string>> load_stages(const Repo& repo) {
  std::vector<std::string> stages{"dev", "staging", "production"};
  MLOPS_TRY(read_config_files(
      repo, ConfigFiles::committed, [&](const YAML::Node& root, const std::filesystem::path& file) -> Result<void> {
        auto registry = root["registry"];
        if (!registry || !registry.IsMap() || !registry["stages"]) return {};
        auto node = registry["stages"];
        if (!node.IsSequence()) {
          return std::unexpected(config_value_error(file, node, "registry.stages must be a list of stage names",
                                                    "write it as: registry: {stages: [dev, staging, production]}"));
        }
        stages = node.as<std::vector<std::string>>();
        return {};
      }));
  return stages;
}

}  // namespace mlops::registry
