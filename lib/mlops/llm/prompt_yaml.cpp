#include "mlops/llm/prompt_yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "mlops/core/suggest.hpp"
#include "mlops/llm/prompt_chars.hpp"

namespace mlops::llm {

namespace {

constexpr std::string_view kSchemaTypes[] = {"string", "number", "integer", "boolean", "object",
                                             "array",  "null",   "any",     "enum"};

bool schema_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!start(s.front())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return start(c) || (c >= '0' && c <= '9'); });
}

SchemaError schema_error_at(const YAML::Node& node, std::string message) {
  return SchemaError{node.Mark().line, node.Mark().column, std::move(message)};
}

// "TYPE" or "TYPE, DESCRIPTION" -> (type, description).
std::pair<std::string, std::string> type_and_description(std::string_view text) {
  std::size_t comma = text.find(',');
  if (comma == std::string_view::npos) return {std::string(chars::trim_blanks(text)), {}};
  return {std::string(chars::trim_blanks(text.substr(0, comma))),
          std::string(chars::trim_blanks(text.substr(comma + 1)))};
}

// "unknown type 'strng' of 'q'", with the nearest type when one is close, else the list of types.
std::string unknown_type(std::string_view what, std::string_view type, std::string_view name) {
  std::string near = closest(type, std::vector<std::string>(std::begin(kSchemaTypes), std::end(kSchemaTypes)));
  if (!near.empty()) return fmt::format("unknown {} '{}' of '{}' (did you mean '{}'?)", what, type, name, near);
  return fmt::format(
      "unknown {} '{}' of '{}' (types: string, number, integer, boolean, object, array, enum, null, any)", what, type,
      name);
}

// `NAME: enum [a, b]` (or `NAME: enum`), a form Picoschema does not have: the type of an enum goes
// in the key and its values are the value, so the message shows that form with the values given.
std::optional<std::string> enum_in_value(std::string_view value, const PromptVariable& variable) {
  if (!value.starts_with("enum") || (value.size() > 4 && value[4] != ' ' && value[4] != '[')) return std::nullopt;
  std::string_view rest = chars::trim_blanks(value.substr(4));
  std::string values = rest.starts_with('[') ? std::string(rest) : "[A, B]";
  return fmt::format("an enum takes its type in the key and its values as the value: write '{}{}(enum): {}'",
                     variable.name, variable.required ? "" : "?", values);
}

using ParsedVariables = std::expected<std::vector<PromptVariable>, SchemaError>;

ParsedVariables parse_picoschema(const YAML::Node& schema, int line_offset);

// One Picoschema entry: `key: value`.
std::expected<PromptVariable, SchemaError> parse_picoschema_entry(const YAML::Node& key_node, const YAML::Node& value,
                                                                  int line_offset) {
  PromptVariable variable;
  variable.at = Position{key_node.Mark().line + line_offset, key_node.Mark().column + 1};
  std::string_view key = key_node.Scalar();
  std::string key_type, key_description;
  bool has_paren = false;
  if (std::size_t paren = key.find('('); paren != std::string_view::npos) {
    if (key.back() != ')')
      return std::unexpected(
          schema_error_at(key_node, fmt::format("'{}': a '(' needs its ')' at the end of the name", key)));
    std::tie(key_type, key_description) = type_and_description(key.substr(paren + 1, key.size() - paren - 2));
    key = key.substr(0, paren);
    has_paren = true;
  }
  key = chars::trim_blanks(key);
  if (!key.empty() && key.back() == '?') {
    variable.required = false;
    key.remove_suffix(1);
  }
  if (!schema_identifier(key)) {
    return std::unexpected(schema_error_at(
        key_node,
        fmt::format("'{}' is not a variable name (letters, digits and '_', not starting with a digit)", key)));
  }
  variable.name = std::string(key);
  if (has_paren) {
    variable.type = key_type;
    variable.description = key_description;
    if (!known_schema_type(variable.type)) {
      return std::unexpected(schema_error_at(key_node, unknown_type("type", variable.type, variable.name)));
    }
    if (variable.type == "object") {
      if (!value.IsMap())
        return std::unexpected(
            schema_error_at(value, fmt::format("'{}(object)' needs its fields as a mapping", variable.name)));
      auto fields = parse_picoschema(value, line_offset);
      if (!fields) return std::unexpected(fields.error());
      variable.fields = std::move(*fields);
    } else if (variable.type == "array") {
      if (value.IsMap()) {
        auto fields = parse_picoschema(value, line_offset);
        if (!fields) return std::unexpected(fields.error());
        variable.fields = std::move(*fields);
      } else if (value.IsScalar()) {
        auto [item, ignored] = type_and_description(value.Scalar());
        if (!known_schema_type(item))
          return std::unexpected(schema_error_at(value, unknown_type("item type", item, variable.name)));
      } else if (!value.IsNull()) {
        return std::unexpected(
            schema_error_at(value, fmt::format("'{}(array)' needs its item type or fields", variable.name)));
      }
    } else if (variable.type == "enum") {
      if (!value.IsSequence())
        return std::unexpected(
            schema_error_at(value, fmt::format("'{}(enum)' needs a list of its values", variable.name)));
    }
    return variable;
  }
  if (value.IsMap()) {  // fields without "(object)": an object all the same
    variable.type = "object";
    auto fields = parse_picoschema(value, line_offset);
    if (!fields) return std::unexpected(fields.error());
    variable.fields = std::move(*fields);
    return variable;
  }
  if (value.IsNull()) return variable;  // `name:` alone: any value
  if (!value.IsScalar())
    return std::unexpected(
        schema_error_at(value, fmt::format("'{}' needs a type, as in '{}: string'", variable.name, variable.name)));
  if (auto enum_form = enum_in_value(value.Scalar(), variable)) {
    return std::unexpected(schema_error_at(value, *enum_form));
  }
  std::tie(variable.type, variable.description) = type_and_description(value.Scalar());
  if (variable.type == "enum") return std::unexpected(schema_error_at(value, *enum_in_value("enum", variable)));
  if (variable.type == "object" || variable.type == "array") {
    return std::unexpected(
        schema_error_at(value, fmt::format("write '{}{}({}): ...' with its fields or items", variable.name,
                                           variable.required ? "" : "?", variable.type)));
  }
  if (!known_schema_type(variable.type)) {
    return std::unexpected(schema_error_at(value, unknown_type("type", variable.type, variable.name)));
  }
  return variable;
}

ParsedVariables parse_picoschema(const YAML::Node& schema, int line_offset) {
  std::vector<PromptVariable> out;
  for (const auto& entry : schema) {
    if (!entry.first.IsScalar())
      return std::unexpected(schema_error_at(entry.first, "a variable's name must be a plain word"));
    auto variable = parse_picoschema_entry(entry.first, entry.second, line_offset);
    if (!variable) return std::unexpected(variable.error());
    for (const PromptVariable& seen : out) {
      if (seen.name == variable->name)
        return std::unexpected(schema_error_at(entry.first, fmt::format("'{}' is declared twice", seen.name)));
    }
    out.push_back(std::move(*variable));
  }
  return out;
}

ParsedVariables parse_json_schema(const YAML::Node& schema, int line_offset) {
  std::vector<PromptVariable> out;
  const YAML::Node properties = schema["properties"];
  if (!properties) return out;
  if (!properties.IsMap())
    return std::unexpected(schema_error_at(properties, "'properties' must map variable names to schemas"));
  std::vector<std::string> required;
  if (const YAML::Node list = schema["required"]) {
    if (!list.IsSequence())
      return std::unexpected(schema_error_at(list, "'required' must be a list of variable names"));
    for (const auto& item : list) {
      if (item.IsScalar()) required.push_back(item.Scalar());
    }
  }
  for (const auto& entry : properties) {
    PromptVariable variable;
    variable.name = entry.first.Scalar();
    variable.at = Position{entry.first.Mark().line + line_offset, entry.first.Mark().column + 1};
    if (!schema_identifier(variable.name)) {
      return std::unexpected(schema_error_at(entry.first, fmt::format("'{}' is not a variable name", variable.name)));
    }
    variable.required = std::find(required.begin(), required.end(), variable.name) != required.end();
    const YAML::Node& property = entry.second;
    if (property.IsMap()) {
      if (const YAML::Node type = property["type"]; type && type.IsScalar()) variable.type = type.Scalar();
      if (const YAML::Node d = property["description"]; d && d.IsScalar()) variable.description = d.Scalar();
      if (variable.type == "object") {
        auto fields = parse_json_schema(property, line_offset);
        if (!fields) return std::unexpected(fields.error());
        variable.fields = std::move(*fields);
      }
      if (!known_schema_type(variable.type)) {
        return std::unexpected(schema_error_at(property, unknown_type("type", variable.type, variable.name)));
      }
    }
    out.push_back(std::move(variable));
  }
  return out;
}

}  // namespace

bool yaml_nested_too_deep(std::string_view text, int limit) {
  int depth = 0;
  for (char c : text) {
    if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

bool known_schema_type(std::string_view type) {
  return std::find(std::begin(kSchemaTypes), std::end(kSchemaTypes), type) != std::end(kSchemaTypes);
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& entry : node)
        out[entry.first.IsScalar() ? entry.first.Scalar() : "?"] = yaml_to_json(entry.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() != "?") return text;  // quoted ("!") or explicitly tagged: a string
      if (text == "true" || text == "True" || text == "TRUE") return true;
      if (text == "false" || text == "False" || text == "FALSE") return false;
      if (text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
      std::int64_t integer;
      if (YAML::convert<std::int64_t>::decode(node, integer)) return integer;
      double number;
      if (YAML::convert<double>::decode(node, number) && std::isfinite(number)) return number;
      return text;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
  }
  return nullptr;
}

std::expected<std::vector<PromptVariable>, SchemaError> parse_input_schema(const YAML::Node& schema, int line_offset) {
  if (schema.IsNull()) return std::vector<PromptVariable>{};
  if (!schema.IsMap())
    return std::unexpected(schema_error_at(schema, "'input.schema' must map variable names to types"));
  const YAML::Node type = schema["type"];
  if ((type && type.IsScalar() && type.Scalar() == "object") || schema["properties"]) {
    return parse_json_schema(schema, line_offset);
  }
  return parse_picoschema(schema, line_offset);
}

}  // namespace mlops::llm
