#pragma once
// Reading a module's own settings out of `.mlops/config.yaml` (committed) and
// `.mlops/config.local.yaml` (this machine's). Core only loads the files; which keys exist and
// what they mean belongs to the module that reads them (data/settings.hpp, registry/settings.hpp,
// drift/settings.hpp), so core knows nothing of data, models or drift.
#include <filesystem>
#include <functional>
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace YAML {
class Node;
}

namespace mlops {

enum class ConfigFiles {
  committed,            // team policy: only .mlops/config.yaml
  committed_then_local  // per-machine values may override: config.yaml, then config.local.yaml
};

// Calls `read` with the root mapping of each file that exists, in order (so a later file's values
// win). Malformed YAML is bad input naming the file and line; a root that is not a mapping is
// skipped (load_config reports it).
using ConfigReader = std::function<Result<void>(const YAML::Node& root, const std::filesystem::path& file)>;
Result<void> read_config_files(const Repo& repo, ConfigFiles which, const ConfigReader& read);

// Bad input for a malformed value: "malformed config 'FILE:LINE': WHAT", with `hint`.
Error config_value_error(const std::filesystem::path& file, const YAML::Node& node, const std::string& what,
                         std::string hint);

}  // namespace mlops
