#include "mlops/core/config_files.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "mlops/core/file.hpp"

namespace mlops {

Result<void> read_config_files(const Repo& repo, ConfigFiles which, const ConfigReader& read) {
  std::vector<std::filesystem::path> files{repo.config_file()};
  if (which == ConfigFiles::committed_then_local) files.push_back(repo.store() / "config.local.yaml");
  for (const auto& file : files) {
    auto text = read_file(file);
    if (!text) {
      if (text.error().exit == Exit::bad_input) continue;  // no such file: nothing set there
      return std::unexpected(text.error());
    }
    YAML::Node root;
    try {
      root = YAML::Load(*text);
    } catch (const YAML::Exception& e) {
      std::string where = file.string();
      if (!e.mark.is_null()) where += fmt::format(":{}", e.mark.line + 1);
      return std::unexpected(bad_input(fmt::format("malformed config '{}': {}", where, e.msg),
                                       "fix the file by hand, or restore it with git"));
    }
    if (!root.IsMap()) continue;
    try {
      if (auto r = read(root, file); !r) return r;
    } catch (const YAML::Exception& e) {  // a value of the wrong shape (a list where a word goes)
      std::string where = file.string();
      if (!e.mark.is_null()) where += fmt::format(":{}", e.mark.line + 1);
      return std::unexpected(
          bad_input(fmt::format("malformed config '{}': {}", where, e.msg), "fix the value by hand"));
    }
  }
  return {};
}

Error config_value_error(const std::filesystem::path& file, const YAML::Node& node, const std::string& what,
                         std::string hint) {
  return bad_input(fmt::format("malformed config '{}:{}': {}", file.string(), node.Mark().line + 1, what),
                   std::move(hint));
}

}  // namespace mlops
