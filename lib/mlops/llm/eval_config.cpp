#include "mlops/llm/eval_config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <set>
#include <tuple>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"

namespace mlops::llm {

namespace {

using json = nlohmann::json;

const std::set<std::string> kTopKeys{"description", "prompt", "golden", "providers", "assert", "threshold"};
const std::set<std::string> kProviderKeys{"id", "command", "timeout", "format", "config"};

Error at(const std::filesystem::path& file, const YAML::Node& node, std::string message, std::string hint = {}) {
  return bad_input(fmt::format("'{}' line {}: {}", file.string(), node.Mark().line + 1, message),
                   hint.empty() ? "docs/eval.md describes eval.yaml" : hint);
}

// A YAML node as JSON: quoted scalars stay text; plain ones are read as null, booleans and numbers
// when they look like one (YAML 1.2's core schema).
json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      json list = json::array();
      for (const auto& item : node) list.push_back(to_json(item));
      return list;
    }
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& pair : node) object[pair.first.as<std::string>()] = to_json(pair.second);
      return object;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted
      if (text == "null" || text == "~" || text.empty()) return nullptr;
      if (text == "true" || text == "True") return true;
      if (text == "false" || text == "False") return false;
      std::int64_t integer = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
      if (ec == std::errc() && end == text.data() + text.size()) return integer;
      double number = 0;
      auto [end2, ec2] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (ec2 == std::errc() && end2 == text.data() + text.size()) return number;
      return text;
    }
    default:
      return nullptr;
  }
}

Result<ProviderSpec> parse_provider(const YAML::Node& node, const std::filesystem::path& file) {
  if (!node.IsMap()) return std::unexpected(at(file, node, "a provider must be a mapping with id and command"));
  ProviderSpec provider;
  for (const auto& pair : node) {
    auto key = pair.first.as<std::string>();
    if (!kProviderKeys.contains(key)) {
      return std::unexpected(at(file, pair.first, fmt::format("unknown provider key '{}'", key),
                                "a provider takes id, command, timeout, format and config"));
    }
  }
  if (!node["id"] || !node["id"].IsScalar() || node["id"].Scalar().empty()) {
    return std::unexpected(at(file, node, "a provider needs an 'id'"));
  }
  provider.id = node["id"].Scalar();
  if (!node["command"])
    return std::unexpected(at(file, node, fmt::format("provider '{}' needs a 'command'", provider.id)));
  auto command = parse_command(to_json(node["command"]));
  if (!command) return std::unexpected(at(file, node["command"], command.error().message, command.error().hint));
  provider.argv = std::move(*command);
  provider.command_text = node["command"].IsScalar() ? node["command"].Scalar() : to_json(node["command"]).dump();
  if (node["timeout"]) {
    auto timeout = parse_duration(to_json(node["timeout"]));
    if (!timeout) return std::unexpected(at(file, node["timeout"], timeout.error().message, timeout.error().hint));
    provider.timeout = *timeout;
  }
  if (node["format"]) {
    std::string format = node["format"].IsScalar() ? node["format"].Scalar() : "";
    if (format == "auto")
      provider.format = OutputFormat::automatic;
    else if (format == "json")
      provider.format = OutputFormat::json;
    else if (format == "text")
      provider.format = OutputFormat::text;
    else
      return std::unexpected(at(file, node["format"], fmt::format("format '{}' is not auto, json or text", format)));
  }
  if (node["config"]) {
    if (!node["config"].IsMap())
      return std::unexpected(at(file, node["config"], "a provider's config must be a mapping"));
    provider.config = to_json(node["config"]);
  }
  return provider;
}

}  // namespace

Result<EvalConfig> load_eval_config(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) {
    auto error = text.error();
    if (error.exit == Exit::bad_input) error.hint = "write an eval.yaml (docs/eval.md), or name one with -c FILE";
    return std::unexpected(error);
  }
  return parse_eval_config(*text, file);
}

namespace {

Result<EvalConfig> parse_eval_config_node(std::string_view text, const std::filesystem::path& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("'{}' line {}: {}", file.string(), e.mark.line + 1, e.msg),
                                     "docs/eval.md describes eval.yaml"));
  }
  if (!root.IsMap())
    return std::unexpected(
        bad_input(fmt::format("'{}' is not a YAML mapping", file.string()), "docs/eval.md describes eval.yaml"));
  EvalConfig config;
  config.file = file;
  config.folder = file.parent_path();
  for (const auto& pair : root) {
    auto key = pair.first.as<std::string>();
    if (!kTopKeys.contains(key)) {
      std::string near = closest(key, std::vector<std::string>(kTopKeys.begin(), kTopKeys.end()));
      return std::unexpected(
          at(file, pair.first, fmt::format("unknown key '{}'", key),
             (near.empty() ? "" : fmt::format("did you mean '{}'? ", near)) +
                 std::string("eval.yaml takes description, prompt, golden, providers, assert and threshold")));
    }
  }
  if (root["description"] && root["description"].IsScalar()) config.description = root["description"].Scalar();
  for (auto [key, into, line] : {std::tuple{"prompt", &config.prompt, &config.prompt_line},
                                 std::tuple{"golden", &config.golden, &config.golden_line}}) {
    auto node = root[key];
    if (!node || !node.IsScalar() || node.Scalar().empty()) {
      return std::unexpected(at(file, node ? node : root, fmt::format("'{}' must name a file", key)));
    }
    *into = (config.folder / node.Scalar()).lexically_normal();  // "scratch/../prompts/x" reads "prompts/x" in errors
    *line = static_cast<std::size_t>(node.Mark().line + 1);
  }
  auto providers = root["providers"];
  if (!providers || !providers.IsSequence() || providers.size() == 0) {
    return std::unexpected(at(file, providers ? providers : root, "'providers' must list at least one provider"));
  }
  std::set<std::string> ids;
  for (const auto& node : providers) {
    auto provider = parse_provider(node, file);
    if (!provider) return std::unexpected(provider.error());
    provider->folder = config.folder;
    if (!ids.insert(provider->id).second)
      return std::unexpected(at(file, node, fmt::format("two providers are called '{}'", provider->id)));
    config.providers.push_back(std::move(*provider));
  }
  auto asserts = root["assert"];
  if (!asserts || !asserts.IsSequence() || asserts.size() == 0) {
    return std::unexpected(at(file, asserts ? asserts : root, "'assert' must list at least one assertion",
                              "an evaluation that asserts nothing passes everything; docs/eval.md lists the types"));
  }
  std::set<std::string> names;
  for (const auto& node : asserts) {
    auto assertion = parse_assertion(to_json(node), config.folder);
    if (!assertion) return std::unexpected(at(file, node, assertion.error().message, assertion.error().hint));
    if (!names.insert(assertion->name).second) {
      return std::unexpected(at(file, node, fmt::format("two assertions are named '{}'", assertion->name),
                                "give one a name: (it names its metric)"));
    }
    config.assertions.push_back(std::move(*assertion));
  }
  if (auto threshold = root["threshold"]) {
    json value = to_json(threshold);
    if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1) {
      return std::unexpected(at(file, threshold, "'threshold' must be a number from 0 to 1"));
    }
    config.threshold = value.get<double>();
  }
  return config;
}

}  // namespace

Result<EvalConfig> parse_eval_config(std::string_view text, const std::filesystem::path& file) {
  // A node of an unexpected kind where a name or a value was read (a mapping as a key, say) is a
  // yaml-cpp exception: bad input like any other malformed file (found by tests/fuzz/eval).
  try {
    return parse_eval_config_node(text, file);
  } catch (const YAML::Exception& e) {
    return std::unexpected(bad_input(fmt::format("'{}' line {}: {}", file.string(), e.mark.line + 1, e.msg),
                                     "docs/eval.md describes eval.yaml"));
  }
}

}  // namespace mlops::llm
