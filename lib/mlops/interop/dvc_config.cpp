#include "mlops/interop/dvc_config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "mlops/core/file.hpp"

namespace mlops::interop {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A section header's name without quotes: `'remote "storage"'` and `remote "storage"` are both
// {"remote", "storage"}.
std::pair<std::string, std::string> section_name(std::string_view header) {
  header = trim(header);
  if (header.size() >= 2 && header.front() == '\'' && header.back() == '\'')
    header = header.substr(1, header.size() - 2);
  auto space = header.find(' ');
  if (space == std::string_view::npos) return {std::string(header), {}};
  std::string_view sub = trim(header.substr(space + 1));
  if (sub.size() >= 2 && sub.front() == '"' && sub.back() == '"') sub = sub.substr(1, sub.size() - 2);
  return {std::string(header.substr(0, space)), std::string(sub)};
}

std::filesystem::path local_path_of(std::string_view url, const std::filesystem::path& folder) {
  std::string_view path = url;
  if (path.starts_with("file://")) {
    path.remove_prefix(7);
  } else if (path.find("://") != std::string_view::npos) {
    return {};
  }
  std::filesystem::path p{std::string(path)};
  return (p.is_absolute() ? p : folder / p).lexically_normal();
}

}  // namespace

Result<void> parse_dvc_config(std::string_view text, std::string_view source, const std::filesystem::path& folder,
                              DvcConfig& config) {
  std::string section, sub;
  std::size_t line_no = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(at, end - at));
    at = end + 1;
    ++line_no;
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') {
        return std::unexpected(bad_input(fmt::format("'{}:{}': a section header lacks its ']'", source, line_no)));
      }
      std::tie(section, sub) = section_name(line.substr(1, line.size() - 2));
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      return std::unexpected(bad_input(fmt::format("'{}:{}': expected 'key = value'", source, line_no)));
    }
    std::string key(trim(line.substr(0, eq)));
    std::string value(trim(line.substr(eq + 1)));
    if (section == "cache" && sub.empty() && key == "dir") {
      std::filesystem::path p(value);
      config.cache_dir = (p.is_absolute() ? p : folder / p).lexically_normal();
    } else if (section == "core" && key == "remote") {
      config.default_remote = value;
    } else if (section == "remote" && !sub.empty() && key == "url") {
      auto found =
          std::find_if(config.remotes.begin(), config.remotes.end(), [&](const auto& r) { return r.name == sub; });
      DvcRemote remote{sub, value, local_path_of(value, folder)};
      if (found == config.remotes.end()) {
        config.remotes.push_back(std::move(remote));
      } else {
        *found = std::move(remote);
      }
    }
  }
  return {};
}

Result<DvcConfig> load_dvc_config(const std::filesystem::path& root) {
  DvcConfig config;
  std::filesystem::path folder = root / ".dvc";
  config.cache_dir = folder / "cache";
  for (const char* name : {"config", "config.local"}) {
    auto text = read_file(folder / name);
    if (!text) {
      if (text.error().exit == Exit::bad_input) continue;  // not there
      return std::unexpected(text.error());
    }
    MLOPS_TRY(parse_dvc_config(*text, fmt::format(".dvc/{}", name), folder, config));
  }
  return config;
}

}  // namespace mlops::interop
