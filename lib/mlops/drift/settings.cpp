#include "mlops/drift/settings.hpp"

#include <yaml-cpp/yaml.h>

#include "mlops/core/config_files.hpp"

namespace mlops::drift {

Result<double> load_drift_share(const Repo& repo) {
  double share = kDefaultDriftShare;
  MLOPS_TRY(read_config_files(
      repo, ConfigFiles::committed, [&](const YAML::Node& root, const std::filesystem::path& file) -> Result<void> {
        auto drift = root["drift"];
        if (!drift || !drift.IsMap() || !drift["drift_share"]) return {};
        auto node = drift["drift_share"];
        double value = -1;
        try {
          value = node.as<double>();
        } catch (const YAML::Exception&) {
        }
        if (!(value >= 0 && value <= 1)) {
          return std::unexpected(config_value_error(file, node, "drift.drift_share must be a number from 0 to 1",
                                                    "write it as: drift: {drift_share: 0.5}"));
        }
        share = value;
        return {};
      }));
  return share;
}

}  // namespace mlops::drift
