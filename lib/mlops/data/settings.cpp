#include "mlops/data/settings.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>

#include "mlops/core/file.hpp"

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

Error setting_error(const fs::path& file, const YAML::Node& node, std::string what) {
  return bad_input(fmt::format("malformed config '{}:{}': {}", file.string(), node.Mark().line + 1, what),
                   "fix the value by hand (see docs/data.md, \"Settings\")");
}

Result<void> read_into(const fs::path& file, DataSettings& settings) {
  auto text = read_file(file);
  if (!text) return text.error().exit == Exit::bad_input ? Result<void>{} : std::unexpected(text.error());
  try {
    YAML::Node root = YAML::Load(*text);
    if (!root.IsMap()) return {};
    if (auto gc = root["gc"]; gc && gc.IsMap() && gc["grace"]) {
      auto value = gc["grace"].as<std::string>();
      auto grace = parse_duration(value);
      if (!grace) {
        return std::unexpected(
            setting_error(file, gc["grace"],
                          fmt::format("gc.grace is '{}'; expected a duration such as 0, 30m, 12h, 1d or 2w", value)));
      }
      settings.gc_grace = *grace;
    }
    if (auto hooks = root["hooks"]; hooks && hooks.IsMap()) {
      auto flag = [&](const char* key, bool& into) -> Result<void> {
        if (!hooks[key]) return {};
        try {
          into = hooks[key].as<bool>();
        } catch (const YAML::Exception&) {
          return std::unexpected(setting_error(file, hooks[key], fmt::format("hooks.{} must be true or false", key)));
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
          return std::unexpected(setting_error(
              file, hooks["pre_commit"], fmt::format("hooks.pre_commit is '{}'; expected inform or block", value)));
        }
      }
    }
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("malformed config '{}': {}", file.string(), e.msg),
                                     "fix the file by hand, or restore it with git"));
  }
  return {};
}

}  // namespace

Result<DataSettings> load_data_settings(const Repo& repo) {
  DataSettings settings;
  if (auto r = read_into(repo.config_file(), settings); !r) return std::unexpected(r.error());
  if (auto r = read_into(repo.store() / "config.local.yaml", settings); !r) return std::unexpected(r.error());
  return settings;
}

}  // namespace mlops::data
