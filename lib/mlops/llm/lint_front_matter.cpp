// The front matter's rules: P201 (YAML), P202, P204, P205, P206, P207, P208, P404.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/llm/lint_checks.hpp"
#include "mlops/llm/prompt_yaml.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::llm::lint_detail {

namespace {

const std::vector<std::string_view> kTopKeys = {"name",  "description", "model",   "config",
                                                "input", "output",      "metadata"};
const std::vector<std::string_view> kInputKeys = {"schema", "untrusted", "default"};
const std::vector<std::string_view> kOutputKeys = {"format", "schema"};

struct ConfigRange {
  std::string_view key;
  enum class Kind { number, integer, strings } kind;
  double low;
  double high;
};

// The config keys lint knows, with the ranges the major providers accept. Other keys are passed
// through to providers unchecked.
const ConfigRange kConfigRanges[] = {
    {"temperature", ConfigRange::Kind::number, 0, 2},
    {"top_p", ConfigRange::Kind::number, 0, 1},
    {"top_k", ConfigRange::Kind::integer, 1, 1e9},
    {"max_tokens", ConfigRange::Kind::integer, 1, 1e9},
    {"max_output_tokens", ConfigRange::Kind::integer, 1, 1e9},
    {"maxOutputTokens", ConfigRange::Kind::integer, 1, 1e9},
    {"frequency_penalty", ConfigRange::Kind::number, -2, 2},
    {"presence_penalty", ConfigRange::Kind::number, -2, 2},
    {"n", ConfigRange::Kind::integer, 1, 128},
    {"seed", ConfigRange::Kind::integer, -9.2e18, 9.2e18},
    {"stop", ConfigRange::Kind::strings, 0, 0},
    {"stop_sequences", ConfigRange::Kind::strings, 0, 0},
};

Position yaml_position(const PromptParts& parts, const YAML::Node& node) {
  return Position{parts.front_matter_line + node.Mark().line, node.Mark().column + 1};
}

void unknown_keys(Context& context, const PromptParts& parts, const YAML::Node& map, std::string_view prefix,
                  const std::vector<std::string_view>& known) {
  if (!map.IsMap()) return;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) continue;
    const std::string& key = entry.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string suggestion = mlops::closest(key, std::vector<std::string>(known.begin(), known.end()));
    std::string known_list;
    for (std::string_view k : known) known_list += (known_list.empty() ? "" : ", ") + std::string(k);
    context.add(yaml_position(parts, entry.first), "P202",
                suggestion.empty() ? fmt::format("unknown key '{}{}' (known: {})", prefix, key, known_list)
                                   : fmt::format("unknown key '{}{}' (did you mean '{}'?)", prefix, key, suggestion));
  }
}

void check_name(Context& context, const PromptParts& parts, const YAML::Node& root) {
  const YAML::Node name = root["name"];
  Position at = name ? yaml_position(parts, name) : Position{1, 1};
  std::string value = name && name.IsScalar() ? name.Scalar() : context.stem;
  if (name && name.IsScalar()) {
    std::string last = value.substr(value.rfind('/') == std::string::npos ? 0 : value.rfind('/') + 1);
    if (last != context.stem) {
      context.add(
          at, "P204",
          fmt::format("name '{}' does not match the file's name '{}' (rename one of them)", value, context.stem));
    }
  }
  if (!registry::valid_model_name(value)) {
    context.add(at, "P205",
                fmt::format("name '{}' is not a registry name (letters, digits, '-', '_', '/'; a letter or "
                            "digit at both ends)",
                            value));
  }
}

void check_config(Context& context, const PromptParts& parts, const YAML::Node& config) {
  if (!config.IsMap()) return;
  for (const auto& entry : config) {
    if (!entry.first.IsScalar()) continue;
    const std::string& key = entry.first.Scalar();
    const ConfigRange* range = nullptr;
    for (const ConfigRange& r : kConfigRanges) {
      if (r.key == key) range = &r;
    }
    if (range == nullptr) continue;
    nlohmann::json value = yaml_to_json(entry.second);
    Position at = yaml_position(parts, entry.second);
    if (range->kind == ConfigRange::Kind::strings) {
      bool ok = value.is_string() ||
                (value.is_array() &&
                 std::all_of(value.begin(), value.end(), [](const nlohmann::json& v) { return v.is_string(); }));
      if (!ok) context.add(at, "P206", fmt::format("config.{} must be a string or a list of strings", key));
      continue;
    }
    bool integer = value.is_number_integer();
    if (!value.is_number() || (range->kind == ConfigRange::Kind::integer && !integer)) {
      context.add(at, "P206",
                  fmt::format("config.{} must be {}", key,
                              range->kind == ConfigRange::Kind::integer ? "an integer" : "a number"));
      continue;
    }
    double number = value.get<double>();
    if (!(number >= range->low && number <= range->high)) {
      std::string bounds = range->high >= 1e9 ? fmt::format("at least {}", range->low)
                                              : fmt::format("from {} to {}", range->low, range->high);
      context.add(at, "P206", fmt::format("config.{} is {}; it must be {}", key, value.dump(), bounds));
    }
  }
}

void check_output(Context& context, const PromptParts& parts, const YAML::Node& output) {
  if (!output.IsMap()) return;
  const YAML::Node format = output["format"];
  const YAML::Node schema = output["schema"];
  if (format && format.IsScalar() && format.Scalar() == "json" && (!schema || schema.IsNull())) {
    context.add(
        yaml_position(parts, format), "P207",
        "output.format is json but there is no output.schema (add a JSON Schema file, so that outputs can be checked)");
  }
  if (!schema || !schema.IsScalar() || context.options.base_dir.empty()) return;
  std::filesystem::path file = context.options.base_dir / schema.Scalar();
  auto text = read_file(file);
  if (!text) {
    context.add(yaml_position(parts, schema), "P208",
                fmt::format("output.schema '{}' cannot be read ({})", schema.Scalar(), text.error().message));
    return;
  }
  nlohmann::json parsed = nlohmann::json::parse(*text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    context.add(yaml_position(parts, schema), "P208",
                fmt::format("output.schema '{}' is not a JSON object", schema.Scalar()));
  }
}

void check_untrusted(Context& context, const PromptParts& parts, const YAML::Node& input) {
  if (!input.IsMap()) return;
  const YAML::Node untrusted = input["untrusted"];
  const YAML::Node schema = input["schema"];
  if (!untrusted || !untrusted.IsSequence() || !schema) return;
  auto declared = parse_input_schema(schema, 0);
  if (!declared) return;  // P201 says why
  for (const auto& item : untrusted) {
    if (!item.IsScalar()) continue;
    bool known = std::any_of(declared->begin(), declared->end(),
                             [&](const PromptVariable& v) { return v.name == item.Scalar(); });
    if (!known) {
      context.add(yaml_position(parts, item), "P404",
                  fmt::format("input.untrusted names '{}', which input.schema does not declare", item.Scalar()));
    }
  }
}

}  // namespace

void check_front_matter(Context& context, const PromptParts& parts) {
  if (yaml_nested_too_deep(parts.front_matter)) {
    context.add(Position{parts.front_matter_line, 1}, "P201",
                "the front matter nests '[' or '{' deeper than 64 levels");
    return;
  }
  YAML::Node root;
  try {
    root = YAML::Load(parts.front_matter);
  } catch (const YAML::Exception& e) {
    context.add(Position{parts.front_matter_line + e.mark.line, e.mark.column + 1}, "P201", "malformed YAML: " + e.msg);
    return;
  }
  if (root.IsNull()) {
    check_name(context, parts, YAML::Node(YAML::NodeType::Map));
    return;
  }
  if (!root.IsMap()) return;  // read_prompt reports it as P201
  try {
    unknown_keys(context, parts, root, "", kTopKeys);
    check_name(context, parts, root);
    if (const YAML::Node input = root["input"]) {
      unknown_keys(context, parts, input, "input.", kInputKeys);
      check_untrusted(context, parts, input);
    }
    if (const YAML::Node output = root["output"]) {
      unknown_keys(context, parts, output, "output.", kOutputKeys);
      check_output(context, parts, output);
    }
    if (const YAML::Node config = root["config"]) check_config(context, parts, config);
  } catch (const YAML::Exception& e) {
    context.add(Position{parts.front_matter_line + e.mark.line, e.mark.column + 1}, "P201",
                "malformed front matter: " + e.msg);
  }
}

}  // namespace mlops::llm::lint_detail
