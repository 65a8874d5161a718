#include "mlops/data/settings.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>

#include "mlops/core/config_files.hpp"

namespace mlops::data {

namespace fs = std::filesystem;

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || n < 0) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  static constexpr std::pair<std::string_view, std::int64_t> units[] = {
      {"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}, {"w", 7 * 86400},
  };
  for (const auto& [name, seconds] : units) {
    if (unit == name) return std::chrono::seconds(n * seconds);
  }
  return std::nullopt;
}

namespace {

constexpr const char* kHint = "fix the value by hand (see docs/data.md, \"Settings\")";

Result<void> read_settings(const YAML::Node& root, const fs::path& file, DataSettings& settings) {
  if (auto cache = root["cache"]; cache && cache.IsMap() && cache["link"]) {
    auto value = cache["link"].as<std::string>();
    auto mode = parse_link_mode(value);
    if (!mode) {
      return std::unexpected(config_value_error(
          file, cache["link"], fmt::format("cache.link is '{}'; expected copy, reflink, hardlink or symlink", value),
          kHint));
    }
    settings.link = *mode;
  }
  if (auto gc = root["gc"]; gc && gc.IsMap() && gc["grace"]) {
    auto value = gc["grace"].as<std::string>();
    auto grace = parse_duration(value);
    if (!grace) {
      return std::unexpected(config_value_error(
          file, gc["grace"], fmt::format("gc.grace is '{}'; expected a duration such as 0, 30m, 12h, 1d or 2w", value),
          kHint));
    }
    settings.gc_grace = *grace;
  }
  if (auto hooks = root["hooks"]; hooks && hooks.IsMap()) {
    auto flag = [&](const char* key, bool& into) -> Result<void> {
      if (!hooks[key]) return {};
      try {
        into = hooks[key].as<bool>();
      } catch (const YAML::Exception&) {
        return std::unexpected(
            config_value_error(file, hooks[key], fmt::format("hooks.{} must be true or false", key), kHint));
      }
      return {};
    };
    if (auto r = flag("checkout", settings.hooks_checkout); !r) return r;
    if (auto r = flag("push_strict", settings.push_strict); !r) return r;
    if (hooks["pre_commit"]) {
      auto value = hooks["pre_commit"].as<std::string>();
      if (value == "inform") {
        settings.pre_commit = PreCommitMode::inform;
      } else if (value == "block") {
        settings.pre_commit = PreCommitMode::block;
      } else {
        return std::unexpected(
            config_value_error(file, hooks["pre_commit"],
                               fmt::format("hooks.pre_commit is '{}'; expected inform or block", value), kHint));
      }
    }
  }
  return {};
}

}  // namespace

Result<DataSettings> load_data_settings(const Repo& repo) {
  DataSettings settings;
  MLOPS_TRY(read_config_files(
      repo, ConfigFiles::committed_then_local,
      [&](const YAML::Node& root, const fs::path& file) { return read_settings(root, file, settings); }));
  return settings;
}

}  // namespace mlops::data
