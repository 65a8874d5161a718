#pragma once
// The parts of DVC's configuration an import needs (`.dvc/config`, then `.dvc/config.local`,
// INI files as dvc.org's "dvc config" page describes them): where the cache is (`cache.dir`),
// the remotes (`['remote "NAME"']` with `url`) and the default one (`core.remote`).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::interop {

struct DvcRemote {
  std::string name;
  std::string url;                   // as written
  std::filesystem::path local_path;  // for a path or file:// remote, absolute; empty otherwise
};

struct DvcConfig {
  std::filesystem::path cache_dir;  // absolute; `.dvc/cache` unless `cache.dir` says otherwise
  std::vector<DvcRemote> remotes;
  std::string default_remote;
};

// Reads the configuration of the DVC project at `root` (missing files give the defaults). Paths
// in a config file are relative to the folder of that file (`.dvc/`).
Result<DvcConfig> load_dvc_config(const std::filesystem::path& root);
// Parses one INI text into `config`; `folder` is what relative paths in it are relative to.
Result<void> parse_dvc_config(std::string_view text, std::string_view source, const std::filesystem::path& folder,
                              DvcConfig& config);

}  // namespace mlops::interop
