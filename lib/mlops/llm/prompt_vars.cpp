#include "mlops/llm/prompt_vars.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "mlops/core/file.hpp"
#include "mlops/llm/prompt_chars.hpp"
#include "mlops/llm/prompt_yaml.hpp"
#include "mlops/llm/template.hpp"

namespace mlops::llm {

Result<nlohmann::json> load_vars_file(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  std::string ext = path.extension().string();
  nlohmann::json vars;
  if (ext == ".yaml" || ext == ".yml") {
    if (yaml_nested_too_deep(*text)) {
      return std::unexpected(bad_input(fmt::format("'{}' nests '[' or '{{' deeper than 64 levels", path.string())));
    }
    try {
      vars = yaml_to_json(YAML::Load(*text));
    } catch (const YAML::Exception& e) {
      return std::unexpected(
          bad_input(fmt::format("'{}' line {}: malformed YAML: {}", path.string(), e.mark.line + 1, e.msg),
                    "write the variables as a YAML mapping (name: value)"));
    }
  } else {
    try {
      vars = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::parse_error& e) {
      std::string_view before = std::string_view(*text).substr(0, std::min<std::size_t>(e.byte, text->size()));
      int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
      return std::unexpected(
          bad_input(fmt::format("'{}' line {}: malformed JSON", path.string(), line),
                    "write the variables as a JSON object ({\"name\": \"value\"}), or use a .yaml file"));
    } catch (const nlohmann::json::out_of_range&) {  // a number too large for a double
      return std::unexpected(bad_input(fmt::format("'{}': a number in it is too large", path.string()),
                                       "write the variables as a JSON object ({\"name\": \"value\"})"));
    }
  }
  if (!vars.is_object()) {
    return std::unexpected(bad_input(fmt::format("'{}' is not an object of variables", path.string()),
                                     "write the variables as an object: {\"question\": \"...\"}"));
  }
  return vars;
}

Result<void> apply_var_assignments(nlohmann::json& vars, const std::vector<std::string>& assignments) {
  if (!vars.is_object()) vars = nlohmann::json::object();
  for (const std::string& assignment : assignments) {
    std::size_t eq = assignment.find('=');
    std::string_view name = std::string_view(assignment).substr(0, eq);
    if (eq == std::string::npos || !valid_variable_path(name)) {
      return std::unexpected(bad_input(fmt::format("'--var {}' is not NAME=VALUE", assignment),
                                       "write --var question='Where is my order?' (NAME: letters, digits, '_', dots)"));
    }
    nlohmann::json* node = &vars;
    std::string_view rest = name;
    while (true) {
      std::size_t dot = rest.find('.');
      std::string key(rest.substr(0, dot));
      if (!node->is_object()) *node = nlohmann::json::object();
      if (dot == std::string_view::npos) {
        (*node)[key] = assignment.substr(eq + 1);
        break;
      }
      node = &(*node)[key];
      rest.remove_prefix(dot + 1);
    }
  }
  return {};
}

}  // namespace mlops::llm
