#include "mlops/llm/assert_schema.hpp"

#include <fmt/format.h>

#include <cmath>
#include <regex>
#include <set>

namespace mlops::llm {

namespace {

using json = nlohmann::json;

const std::set<std::string> kAnnotations{"$schema", "$id", "$comment", "title", "description", "default", "examples"};
const std::set<std::string> kTypes{"string", "number", "integer", "boolean", "object", "array", "null"};

std::string child(const std::string& pointer, std::string_view part) {
  std::string escaped;
  for (char c : part) {
    if (c == '~')
      escaped += "~0";
    else if (c == '/')
      escaped += "~1";
    else
      escaped += c;
  }
  return pointer + "/" + escaped;
}

bool non_negative_integer(const json& value) {
  return value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0) ||
         (value.is_number_float() && value.get<double>() >= 0 &&
          std::floor(value.get<double>()) == value.get<double>());
}

std::optional<std::string> check(const json& schema, const std::string& at);

std::optional<std::string> check_list(const json& list, const std::string& at) {
  if (!list.is_array() || list.empty()) return fmt::format("{}: must be a non-empty list of schemas", at);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (auto bad = check(list[i], child(at, std::to_string(i)))) return bad;
  }
  return std::nullopt;
}

std::optional<std::string> check(const json& schema, const std::string& at) {
  if (schema.is_boolean()) return std::nullopt;
  if (!schema.is_object()) return fmt::format("{}: a schema must be an object or a boolean", at.empty() ? "/" : at);
  for (const auto& [key, value] : schema.items()) {
    std::string here = child(at, key);
    if (kAnnotations.contains(key)) continue;
    if (key == "type") {
      auto known = [](const json& t) { return t.is_string() && kTypes.contains(t.get<std::string>()); };
      bool ok = known(value);
      if (value.is_array()) {
        ok = !value.empty();
        for (const auto& t : value) ok = ok && known(t);
      }
      if (!ok) return fmt::format("{}: must be one of string, number, integer, boolean, object, array, null", here);
    } else if (key == "enum") {
      if (!value.is_array() || value.empty()) return fmt::format("{}: must be a non-empty list", here);
    } else if (key == "const") {
    } else if (key == "properties") {
      if (!value.is_object()) return fmt::format("{}: must be an object of schemas", here);
      for (const auto& [name, sub] : value.items()) {
        if (auto bad = check(sub, child(here, name))) return bad;
      }
    } else if (key == "required") {
      if (!value.is_array()) return fmt::format("{}: must be a list of names", here);
      for (const auto& name : value) {
        if (!name.is_string()) return fmt::format("{}: must be a list of names", here);
      }
    } else if (key == "additionalProperties" || key == "items" || key == "not") {
      if (key == "items" && value.is_array())
        return fmt::format("{}: only one schema for every item is supported", here);
      if (auto bad = check(value, here)) return bad;
    } else if (key == "allOf" || key == "anyOf" || key == "oneOf") {
      if (auto bad = check_list(value, here)) return bad;
    } else if (key == "minItems" || key == "maxItems" || key == "minLength" || key == "maxLength" ||
               key == "minProperties" || key == "maxProperties") {
      if (!non_negative_integer(value)) return fmt::format("{}: must be a non-negative integer", here);
    } else if (key == "minimum" || key == "maximum" || key == "exclusiveMinimum" || key == "exclusiveMaximum") {
      if (!value.is_number()) return fmt::format("{}: must be a number", here);
    } else if (key == "multipleOf") {
      if (!value.is_number() || value.get<double>() <= 0) return fmt::format("{}: must be a number above 0", here);
    } else if (key == "uniqueItems") {
      if (!value.is_boolean()) return fmt::format("{}: must be true or false", here);
    } else if (key == "pattern") {
      if (!value.is_string()) return fmt::format("{}: must be a regular expression", here);
      try {
        std::regex compiled(value.get<std::string>(), std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        return fmt::format("{}: '{}' is not a valid regular expression", here, value.get<std::string>());
      }
    } else {
      return fmt::format("{}: keyword '{}' is not in the supported subset of JSON Schema (docs/eval.md)", here, key);
    }
  }
  return std::nullopt;
}

std::string type_of(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer() || value.is_number_unsigned()) return "integer";
  if (value.is_number_float()) return std::floor(value.get<double>()) == value.get<double>() ? "integer" : "number";
  if (value.is_string()) return "string";
  if (value.is_array()) return "array";
  return "object";
}

bool has_type(const json& value, const std::string& type) {
  std::string actual = type_of(value);
  return actual == type || (type == "number" && actual == "integer");
}

std::size_t schema_code_points(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xc0) != 0x80 ? 1 : 0;
  return count;
}

// JSON equality as JSON Schema defines it: numbers by value (1 == 1.0).
bool json_equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!json_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, value] : a.items()) {
      auto it = b.find(key);
      if (it == b.end() || !json_equal(value, *it)) return false;
    }
    return true;
  }
  return a == b;
}

std::optional<std::string> violation(const json& schema, const json& value, const std::string& at);

std::optional<std::string> violation_of_number(const json& schema, double number, const std::string& where) {
  if (auto it = schema.find("minimum"); it != schema.end() && number < it->get<double>())
    return fmt::format("{}: {} is below the minimum {}", where, number, it->get<double>());
  if (auto it = schema.find("maximum"); it != schema.end() && number > it->get<double>())
    return fmt::format("{}: {} is above the maximum {}", where, number, it->get<double>());
  if (auto it = schema.find("exclusiveMinimum"); it != schema.end() && number <= it->get<double>())
    return fmt::format("{}: {} is not above {}", where, number, it->get<double>());
  if (auto it = schema.find("exclusiveMaximum"); it != schema.end() && number >= it->get<double>())
    return fmt::format("{}: {} is not below {}", where, number, it->get<double>());
  if (auto it = schema.find("multipleOf"); it != schema.end()) {
    double ratio = number / it->get<double>();
    if (std::fabs(ratio - std::round(ratio)) > 1e-9)
      return fmt::format("{}: {} is not a multiple of {}", where, number, it->get<double>());
  }
  return std::nullopt;
}

std::optional<std::string> violation_of_object(const json& schema, const json& value, const std::string& at,
                                               const std::string& where) {
  if (auto it = schema.find("required"); it != schema.end()) {
    for (const auto& name : *it) {
      if (!value.contains(name.get<std::string>()))
        return fmt::format("{}: required property '{}' is missing", where, name.get<std::string>());
    }
  }
  if (auto it = schema.find("minProperties"); it != schema.end() && value.size() < it->get<std::size_t>())
    return fmt::format("{}: fewer than {} properties", where, it->get<std::size_t>());
  if (auto it = schema.find("maxProperties"); it != schema.end() && value.size() > it->get<std::size_t>())
    return fmt::format("{}: more than {} properties", where, it->get<std::size_t>());
  const json* properties = nullptr;
  if (auto it = schema.find("properties"); it != schema.end()) properties = &*it;
  auto additional = schema.find("additionalProperties");
  for (const auto& [key, item] : value.items()) {
    if (properties && properties->contains(key)) {
      if (auto bad = violation((*properties)[key], item, child(at, key))) return bad;
    } else if (additional != schema.end()) {
      if (additional->is_boolean() && !additional->get<bool>())
        return fmt::format("{}: property '{}' is not allowed", where, key);
      if (auto bad = violation(*additional, item, child(at, key))) return bad;
    }
  }
  return std::nullopt;
}

std::optional<std::string> violation_of_array(const json& schema, const json& value, const std::string& at,
                                              const std::string& where) {
  if (auto it = schema.find("minItems"); it != schema.end() && value.size() < it->get<std::size_t>())
    return fmt::format("{}: fewer than {} items", where, it->get<std::size_t>());
  if (auto it = schema.find("maxItems"); it != schema.end() && value.size() > it->get<std::size_t>())
    return fmt::format("{}: more than {} items", where, it->get<std::size_t>());
  if (auto it = schema.find("uniqueItems"); it != schema.end() && it->get<bool>()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      for (std::size_t j = i + 1; j < value.size(); ++j) {
        if (json_equal(value[i], value[j])) return fmt::format("{}: items {} and {} are equal", where, i, j);
      }
    }
  }
  if (auto it = schema.find("items"); it != schema.end()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto bad = violation(*it, value[i], child(at, std::to_string(i)))) return bad;
    }
  }
  return std::nullopt;
}

std::optional<std::string> violation(const json& schema, const json& value, const std::string& at) {
  std::string where = at.empty() ? "/" : at;
  if (schema.is_boolean()) {
    if (schema.get<bool>()) return std::nullopt;
    return fmt::format("{}: no value is allowed here", where);
  }
  if (auto it = schema.find("type"); it != schema.end()) {
    bool ok = false;
    if (it->is_string()) {
      ok = has_type(value, it->get<std::string>());
    } else {
      for (const auto& t : *it) ok = ok || has_type(value, t.get<std::string>());
    }
    if (!ok)
      return fmt::format("{}: expected type {}, got {}", where, it->is_string() ? it->get<std::string>() : it->dump(),
                         type_of(value));
  }
  if (auto it = schema.find("enum"); it != schema.end()) {
    bool found = false;
    for (const auto& option : *it) found = found || json_equal(option, value);
    if (!found) return fmt::format("{}: {} is not one of {}", where, value.dump(), it->dump());
  }
  if (auto it = schema.find("const"); it != schema.end() && !json_equal(*it, value))
    return fmt::format("{}: expected {}, got {}", where, it->dump(), value.dump());
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::size_t length = schema_code_points(text);
    if (auto it = schema.find("minLength"); it != schema.end() && length < it->get<std::size_t>())
      return fmt::format("{}: shorter than {} characters", where, it->get<std::size_t>());
    if (auto it = schema.find("maxLength"); it != schema.end() && length > it->get<std::size_t>())
      return fmt::format("{}: longer than {} characters", where, it->get<std::size_t>());
    if (auto it = schema.find("pattern"); it != schema.end()) {
      std::regex pattern(it->get<std::string>(), std::regex::ECMAScript);
      if (!std::regex_search(text, pattern))
        return fmt::format("{}: does not match the pattern '{}'", where, it->get<std::string>());
    }
  }
  if (value.is_number()) {
    if (auto bad = violation_of_number(schema, value.get<double>(), where)) return bad;
  }
  if (value.is_object()) {
    if (auto bad = violation_of_object(schema, value, at, where)) return bad;
  }
  if (value.is_array()) {
    if (auto bad = violation_of_array(schema, value, at, where)) return bad;
  }
  if (auto it = schema.find("allOf"); it != schema.end()) {
    for (const auto& sub : *it) {
      if (auto bad = violation(sub, value, at)) return bad;
    }
  }
  if (auto it = schema.find("anyOf"); it != schema.end()) {
    bool any = false;
    for (const auto& sub : *it) any = any || !violation(sub, value, at);
    if (!any) return fmt::format("{}: matches none of anyOf", where);
  }
  if (auto it = schema.find("oneOf"); it != schema.end()) {
    std::size_t matched = 0;
    for (const auto& sub : *it) matched += violation(sub, value, at) ? 0 : 1;
    if (matched != 1) return fmt::format("{}: matches {} of oneOf's schemas, not exactly one", where, matched);
  }
  if (auto it = schema.find("not"); it != schema.end() && !violation(*it, value, at))
    return fmt::format("{}: matches the schema under 'not'", where);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> unsupported_schema(const nlohmann::json& schema) { return check(schema, ""); }

std::optional<std::string> schema_violation(const nlohmann::json& schema, const nlohmann::json& instance) {
  return violation(schema, instance, "");
}

}  // namespace mlops::llm
