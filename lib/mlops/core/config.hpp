#pragma once
// `.mlops/config.yaml`: the committed settings of the store (remotes, link mode, registry stages,
// drift defaults). Unknown keys are kept on save, so newer versions' settings survive older tools.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops {

// How `data add` and `data checkout` put cached content into the workspace.
enum class LinkMode { copy, reflink, hardlink, symlink };
std::string_view to_string(LinkMode mode);
std::optional<LinkMode> parse_link_mode(std::string_view text);

struct RemoteConfig {
  std::string name;
  std::string url;
};

struct Config {
  LinkMode link = LinkMode::copy;
  std::vector<RemoteConfig> remotes;
  std::string default_remote;  // empty: none
  std::vector<std::string> stages{"dev", "staging", "production"};
  double drift_share = 0.5;

  const RemoteConfig* find_remote(std::string_view name) const;
};

// Reads the config; a missing file gives the defaults, a malformed one an error naming the line.
Result<Config> load_config(const Repo& repo);
// Writes it atomically under `.mlops/config.lock`, keeping keys this version does not know.
Result<void> save_config(const Repo& repo, const Config& config);
// The text of a new repository's config.yaml.
std::string default_config_text();

}  // namespace mlops
