#pragma once
// YAML values of a prompt's front matter as JSON (config, metadata, input.default), and the
// Picoschema declarations of `input.schema`.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

// Plain scalars become booleans (true/false), null (~, null, empty), integers or numbers when
// they read as such; quoted scalars stay strings.
nlohmann::json yaml_to_json(const YAML::Node& node);

// A declaration error: the YAML line (0-based, of the front matter text) and the message.
struct SchemaError {
  int yaml_line = 0;
  int yaml_column = 0;
  std::string message;
};

// Parses `input.schema`: Picoschema (NAME, NAME?, NAME(TYPE, DESCRIPTION): ...), or a JSON Schema
// object (`type: object` with `properties` and `required`). `line_offset` turns YAML lines into
// file lines for the variables' positions.
std::expected<std::vector<PromptVariable>, SchemaError> parse_input_schema(const YAML::Node& schema, int line_offset);

// Whether `text` nests YAML flow collections ('[', '{') deeper than `limit`. yaml-cpp parses them
// recursively, so such text is refused before it reaches the parser (a crafted file must not
// exhaust the stack).
bool yaml_nested_too_deep(std::string_view text, int limit = 64);

// The Picoschema types.
bool known_schema_type(std::string_view type);

}  // namespace mlops::llm
