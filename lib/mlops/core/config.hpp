#pragma once
// `.mlops/config.yaml`: the committed settings of the store. This file reads the remotes; every
// other section belongs to the module that uses it and is read through core/config_files.hpp
// (data/settings.hpp, registry/settings.hpp, drift/settings.hpp, tracking/run_settings.hpp).
//
// Remotes are read from three places, later ones winning value by value:
//   .mlops/config.yaml        committed: `remotes: {NAME: {url: URL, default: true, KEY: VALUE}}`
//   .mlops/config.local.yaml  git-ignored, this machine's: the same shape (a remote may live only
//                             here), and the only file where secrets may be written
//   the environment           MLOPS_REMOTE_<NAME>_URL overrides a remote's url (NAME in capitals,
//                             '-' and '.' as '_'), MLOPS_DEFAULT_REMOTE picks the default remote
// Every value remembers where it came from (`mlops remote list`). Which keys a remote takes is the
// data module's business (data/remote_settings.hpp); this file only stores them.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"

namespace mlops {

// A value and where it came from: ".mlops/config.yaml", ".mlops/config.local.yaml" or the
// environment variable's name.
struct Setting {
  std::string value;
  std::string source;
};

struct RemoteConfig {
  std::string name;
  std::string url;
  std::string url_source;
  std::map<std::string, Setting> settings;  // every key but url and default, as written

  // The value of `key`, or nullptr when it is not set.
  const Setting* get(std::string_view key) const;
};

struct Config {
  std::vector<RemoteConfig> remotes;
  std::string default_remote;  // empty: none
  std::string default_source;  // where default_remote was chosen

  const RemoteConfig* find_remote(std::string_view name) const;
};

// Reads the remotes; a missing file gives none, a malformed one an error naming the line.
Result<Config> load_config(const Repo& repo);

enum class ConfigFile { committed, local };
std::filesystem::path config_path(const Repo& repo, ConfigFile file);
// ".mlops/config.yaml" or ".mlops/config.local.yaml", for messages and sources.
std::string_view config_label(ConfigFile file);
// The environment variable that overrides `key` of remote `name`: MLOPS_REMOTE_<NAME>_<KEY>.
std::string remote_env_name(std::string_view name, std::string_view key);
inline constexpr std::string_view kDefaultRemoteEnv = "MLOPS_DEFAULT_REMOTE";

// Edits of one file, atomic, under `.mlops/config.lock`, keeping its comments and layout
// (config_text.hpp); `.mlops/config.local.yaml` is created with mode 0600. Sets remotes.NAME.KEY
// (creating the entry), or removes it when `value` is nullopt (and the entry once it is empty).
Result<void> set_remote_value(const Repo& repo, ConfigFile file, std::string_view name, std::string_view key,
                              const std::optional<std::string>& value);
// Removes remote `name` from both files; false when neither had it.
Result<bool> remove_remote_entry(const Repo& repo, std::string_view name);
// Makes `name` the default remote in `file` (and no other remote there); empty clears it.
Result<void> set_default_remote(const Repo& repo, ConfigFile file, std::string_view name);
// Whether `file` has an entry for remote `name` (false when the file is missing or malformed).
bool remote_in_file(const Repo& repo, ConfigFile file, std::string_view name);

}  // namespace mlops
