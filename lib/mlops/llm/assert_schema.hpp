#pragma once
// The subset of JSON Schema draft-07 that `json-schema` assertions and golden sets' expected.schema
// use (docs/eval.md, "JSON Schema subset"): type, enum, const, properties, required,
// additionalProperties, items (one schema), minItems, maxItems, uniqueItems, minLength,
// maxLength, pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
// minProperties, maxProperties, allOf, anyOf, oneOf, not; the annotations $schema, $id, $comment,
// title, description, default, examples are ignored. Any other keyword ($ref, format, if, ...)
// is refused, so that a schema never passes because a keyword was silently skipped.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace mlops::llm {

// The first keyword of `schema` outside the subset, with its JSON pointer ("/properties/a/format"),
// or a malformed value of a known keyword; nullopt when the whole schema is supported.
std::optional<std::string> unsupported_schema(const nlohmann::json& schema);

// The first way `instance` breaks `schema` ("/items/0: expected type string, got number"), or
// nullopt when it is valid. `schema` must have passed unsupported_schema().
std::optional<std::string> schema_violation(const nlohmann::json& schema, const nlohmann::json& instance);

}  // namespace mlops::llm
