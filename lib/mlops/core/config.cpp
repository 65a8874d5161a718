#include "mlops/core/config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "mlops/core/file.hpp"

namespace mlops {

std::string_view to_string(LinkMode mode) {
  switch (mode) {
    case LinkMode::copy:
      return "copy";
    case LinkMode::reflink:
      return "reflink";
    case LinkMode::hardlink:
      return "hardlink";
    case LinkMode::symlink:
      return "symlink";
  }
  return "copy";
}

std::optional<LinkMode> parse_link_mode(std::string_view text) {
  for (auto mode : {LinkMode::copy, LinkMode::reflink, LinkMode::hardlink, LinkMode::symlink}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

const RemoteConfig* Config::find_remote(std::string_view name) const {
  for (const auto& r : remotes) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::string default_config_text() {
  return R"(# mlops settings for this repository; commit this file.
version: 1
cache:
  # How data reaches the workspace from the cache: copy, reflink, hardlink or symlink.
  # With links, workspace files are made read-only so an edit cannot corrupt the cache.
  link: copy
# Data remotes: `mlops remote add NAME URL [--default]`.
remotes: {}
registry:
  # Stages a model version may be promoted to.
  stages: [dev, staging, production]
drift:
  # Share of drifted columns at which a dataset counts as drifted.
  drift_share: 0.5
)";
}

namespace {

Error config_error(const Repo& repo, const std::string& what, int line = -1) {
  std::string where = repo.config_file().string();
  if (line >= 0) where += fmt::format(":{}", line + 1);
  return bad_input(fmt::format("malformed config '{}': {}", where, what),
                   "fix the file by hand, or restore it with 'git checkout .mlops/config.yaml'");
}

}  // namespace

Result<Config> load_config(const Repo& repo) {
  Config config;
  auto text = read_file(repo.config_file());
  if (!text) {
    if (text.error().exit == Exit::bad_input) return config;  // no config yet: the defaults
    return std::unexpected(text.error());
  }
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root || root.IsNull()) return config;
    if (!root.IsMap()) return std::unexpected(config_error(repo, "the top level must be a mapping"));
    if (auto cache = root["cache"]; cache && cache["link"]) {
      auto mode = parse_link_mode(cache["link"].as<std::string>());
      if (!mode) {
        return std::unexpected(
            config_error(repo,
                         fmt::format("cache.link is '{}'; expected copy, reflink, hardlink or symlink",
                                     cache["link"].as<std::string>()),
                         cache["link"].Mark().line));
      }
      config.link = *mode;
    }
    if (auto remotes = root["remotes"]; remotes && !remotes.IsNull()) {
      if (!remotes.IsMap())
        return std::unexpected(config_error(repo, "remotes must be a mapping", remotes.Mark().line));
      for (const auto& entry : remotes) {
        RemoteConfig remote{entry.first.as<std::string>(), {}};
        if (!entry.second["url"]) {
          return std::unexpected(
              config_error(repo, fmt::format("remote '{}' has no url", remote.name), entry.second.Mark().line));
        }
        remote.url = entry.second["url"].as<std::string>();
        if (entry.second["default"] && entry.second["default"].as<bool>()) config.default_remote = remote.name;
        config.remotes.push_back(std::move(remote));
      }
    }
    if (auto registry = root["registry"]; registry && registry["stages"]) {
      config.stages = registry["stages"].as<std::vector<std::string>>();
    }
    if (auto drift = root["drift"]; drift && drift["drift_share"]) {
      config.drift_share = drift["drift_share"].as<double>();
    }
  } catch (const YAML::Exception& e) {
    return std::unexpected(config_error(repo, e.msg, e.mark.is_null() ? -1 : e.mark.line));
  }
  return config;
}

Result<void> save_config(const Repo& repo, const Config& config) {
  auto lock = FileLock::acquire(repo.store() / "config.lock");
  if (!lock) return std::unexpected(lock.error());
  YAML::Node root;
  if (auto text = read_file(repo.config_file())) {
    try {
      root = YAML::Load(*text);
    } catch (const YAML::Exception& e) {
      return std::unexpected(config_error(repo, e.msg, e.mark.is_null() ? -1 : e.mark.line));
    }
  }
  if (!root.IsMap()) root = YAML::Node(YAML::NodeType::Map);
  root["version"] = 1;
  root["cache"]["link"] = std::string(to_string(config.link));
  YAML::Node remotes(YAML::NodeType::Map);
  for (const auto& r : config.remotes) {
    remotes[r.name]["url"] = r.url;
    if (r.name == config.default_remote) remotes[r.name]["default"] = true;
  }
  root["remotes"] = remotes;
  root["registry"]["stages"] = config.stages;
  root["registry"]["stages"].SetStyle(YAML::EmitterStyle::Flow);
  root["drift"]["drift_share"] = config.drift_share;
  YAML::Emitter out;
  out << root;
  std::string text = std::string(out.c_str()) + "\n";
  return write_file_atomic(repo.config_file(), text, repo.tmp());
}

}  // namespace mlops
