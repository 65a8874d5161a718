#include "mlops/llm/prompt.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <utility>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/llm/prompt_yaml.hpp"

namespace mlops::llm {

namespace {

constexpr const char* kPromptFormatHint = "see docs/prompts.md ('Prompt files') for the front matter's fields";

template <class T = void>
using Checked = std::expected<T, PromptError>;

#define PROMPT_TRY(expr)                                                      \
  do {                                                                        \
    auto try_result_ = (expr);                                                \
    if (!try_result_) return std::unexpected(std::move(try_result_.error())); \
  } while (false)

PromptError front_matter_error(std::string_view /*file*/, int line, std::string message,
                               std::string hint = kPromptFormatHint) {
  return PromptError{PromptError::Kind::front_matter, Position{line, 1}, std::move(message), std::move(hint)};
}

std::string prompt_stem(std::string_view file) {
  std::filesystem::path path{std::string(file)};
  std::string stem = path.filename().string();
  if (stem.ends_with(".prompt")) stem.resize(stem.size() - 7);
  return stem;
}

void add_optional(const std::vector<PromptVariable>& variables, const std::string& prefix,
                  std::set<std::string, std::less<>>& out) {
  for (const PromptVariable& v : variables) {
    std::string path = prefix.empty() ? v.name : prefix + "." + v.name;
    if (!v.required) out.insert(path);
    if (v.type == "object") add_optional(v.fields, path, out);
  }
}

// The first required variable missing from `value` (an object), as a dotted path, with the
// variable; fields are checked only under objects that are given.
const PromptVariable* first_missing_variable(const std::vector<PromptVariable>& variables, const nlohmann::json& value,
                                             const std::string& prefix, std::string& path) {
  for (const PromptVariable& v : variables) {
    auto it = value.is_object() ? value.find(v.name) : value.end();
    std::string here = prefix.empty() ? v.name : prefix + "." + v.name;
    if (!value.is_object() || it == value.end()) {
      if (v.required) {
        path = here;
        return &v;
      }
      continue;
    }
    if (v.type == "object" && it->is_object()) {
      if (const PromptVariable* missing = first_missing_variable(v.fields, *it, here, path)) return missing;
    }
  }
  return nullptr;
}

// Removes from `value` (an object) what `variables` does not declare, descending into objects
// that list their fields; the removed paths go to `dropped` when it is given.
void drop_undeclared(nlohmann::json& value, const std::vector<PromptVariable>& variables, const std::string& prefix,
                     std::vector<std::string>* dropped) {
  if (!value.is_object()) return;
  for (auto it = value.begin(); it != value.end();) {
    auto declared =
        std::find_if(variables.begin(), variables.end(), [&](const PromptVariable& v) { return v.name == it.key(); });
    std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (declared == variables.end()) {
      if (dropped) dropped->push_back(path);
      it = value.erase(it);
      continue;
    }
    if (declared->type == "object" && !declared->fields.empty()) drop_undeclared(*it, declared->fields, path, dropped);
    ++it;
  }
}

// Front matter `key` must be a mapping (or absent).
Checked<void> expect_map(std::string_view file, int line_offset, const YAML::Node& node, std::string_view key) {
  if (node && !node.IsMap() && !node.IsNull()) {
    return std::unexpected(
        front_matter_error(file, node.Mark().line + line_offset, fmt::format("'{}' must be a mapping", key)));
  }
  return {};
}

Checked<std::string> expect_string(std::string_view file, int line_offset, const YAML::Node& node,
                                   std::string_view key) {
  if (!node || node.IsNull()) return std::string{};
  if (!node.IsScalar()) {
    return std::unexpected(
        front_matter_error(file, node.Mark().line + line_offset, fmt::format("'{}' must be a string", key)));
  }
  return node.Scalar();
}

Checked<void> read_input(Prompt& prompt, const YAML::Node& input, int offset) {
  PROMPT_TRY(expect_map(prompt.file, offset, input, "input"));
  if (!input || !input.IsMap()) return {};
  if (const YAML::Node schema = input["schema"]) {
    prompt.has_schema = true;
    auto variables = parse_input_schema(schema, offset);
    if (!variables) {
      return std::unexpected(front_matter_error(prompt.file, variables.error().yaml_line + offset,
                                                "input.schema: " + variables.error().message));
    }
    prompt.variables = std::move(*variables);
  }
  if (const YAML::Node untrusted = input["untrusted"]) {
    if (!untrusted.IsSequence()) {
      return std::unexpected(front_matter_error(prompt.file, untrusted.Mark().line + offset,
                                                "'input.untrusted' must be a list of variable names"));
    }
    for (const auto& item : untrusted) {
      if (!item.IsScalar())
        return std::unexpected(front_matter_error(prompt.file, item.Mark().line + offset,
                                                  "'input.untrusted' must be a list of variable names"));
      prompt.untrusted.push_back(item.Scalar());
    }
  }
  if (const YAML::Node defaults = input["default"]) {
    PROMPT_TRY(expect_map(prompt.file, offset, defaults, "input.default"));
    prompt.defaults = yaml_to_json(defaults);
    if (!prompt.defaults.is_object()) prompt.defaults = nlohmann::json::object();
  }
  return {};
}

Checked<void> read_front_matter(Prompt& prompt, const PromptParts& parts) {
  const int offset = parts.front_matter_line;  // YAML line 0 is this file line
  if (yaml_nested_too_deep(parts.front_matter)) {
    return std::unexpected(
        front_matter_error(prompt.file, offset, "the front matter nests '[' or '{' deeper than 64 levels"));
  }
  YAML::Node root;
  try {
    root = YAML::Load(parts.front_matter);
  } catch (const YAML::Exception& e) {
    return std::unexpected(front_matter_error(prompt.file, e.mark.line + offset, "malformed front matter: " + e.msg,
                                              "fix the YAML between the '---' lines (indentation, colons, quotes)"));
  }
  if (root.IsNull()) return {};
  if (!root.IsMap())
    return std::unexpected(
        front_matter_error(prompt.file, offset, "the front matter must be a YAML mapping (name: ..., model: ...)"));
  try {
    auto name = expect_string(prompt.file, offset, root["name"], "name");
    if (!name) return std::unexpected(name.error());
    if (!name->empty()) prompt.name = *name;
    auto model = expect_string(prompt.file, offset, root["model"], "model");
    if (!model) return std::unexpected(model.error());
    prompt.model = *model;
    if (const YAML::Node config = root["config"]) {
      PROMPT_TRY(expect_map(prompt.file, offset, config, "config"));
      if (config.IsMap()) prompt.config = yaml_to_json(config);
    }
    if (const YAML::Node metadata = root["metadata"]) {
      PROMPT_TRY(expect_map(prompt.file, offset, metadata, "metadata"));
      if (metadata.IsMap()) prompt.metadata = yaml_to_json(metadata);
    }
    PROMPT_TRY(read_input(prompt, root["input"], offset));
    if (const YAML::Node output = root["output"]) {
      PROMPT_TRY(expect_map(prompt.file, offset, output, "output"));
      if (output.IsMap()) {
        auto format = expect_string(prompt.file, offset, output["format"], "output.format");
        if (!format) return std::unexpected(format.error());
        if (!format->empty()) {
          if (*format != "text" && *format != "json") {
            return std::unexpected(
                front_matter_error(prompt.file, output["format"].Mark().line + offset,
                                   fmt::format("unknown output.format '{}' (text or json)", *format)));
          }
          prompt.output_format = *format;
        }
        auto schema = expect_string(prompt.file, offset, output["schema"], "output.schema");
        if (!schema) return std::unexpected(schema.error());
        prompt.output_schema = *schema;
      }
    }
  } catch (const YAML::Exception& e) {
    return std::unexpected(front_matter_error(prompt.file, e.mark.line + offset, "malformed front matter: " + e.msg));
  }
  return {};
}

}  // namespace

std::set<std::string, std::less<>> Prompt::optional_paths() const {
  std::set<std::string, std::less<>> out;
  add_optional(variables, "", out);
  return out;
}

bool Prompt::declares(std::string_view path) const {
  const std::vector<PromptVariable>* level = &variables;
  while (true) {
    std::size_t dot = path.find('.');
    std::string_view name = path.substr(0, dot);
    auto it = std::find_if(level->begin(), level->end(), [&](const PromptVariable& v) { return v.name == name; });
    if (it == level->end()) return false;
    if (dot == std::string_view::npos) return true;
    if (it->type == "any" || (it->type == "object" && it->fields.empty())) return true;
    if (it->type != "object") return false;
    level = &it->fields;
    path.remove_prefix(dot + 1);
  }
}

std::vector<std::string> Prompt::declared_paths() const {
  std::vector<std::string> out;
  auto add = [&](auto& self, const std::vector<PromptVariable>& level, const std::string& prefix) -> void {
    for (const PromptVariable& v : level) {
      std::string path = prefix.empty() ? v.name : prefix + "." + v.name;
      out.push_back(path);
      if (v.type == "object") self(self, v.fields, path);
    }
  };
  add(add, variables, "");
  return out;
}

std::string Prompt::closest_declared(std::string_view path) const { return closest(path, declared_paths()); }

std::string normalise_prompt(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string out;
  out.reserve(text.size() + 1);
  std::size_t line_start = 0;  // in `out`
  auto end_line = [&] {
    std::size_t end = out.size();
    while (end > line_start && (out[end - 1] == ' ' || out[end - 1] == '\t')) --end;
    out.resize(end);
    out += '\n';
    line_start = out.size();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_line();
    } else if (c == '\n') {
      end_line();
    } else {
      out += c;
    }
  }
  end_line();
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  if (out == "\n") out.clear();
  return out;
}

Hash prompt_version(std::string_view text) { return hash_bytes(normalise_prompt(text)); }

std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    unsigned min;
    unsigned code;
    if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, code = c & 0x07;
    } else {
      return i;
    }
    if (i + length > n) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::nullopt;
}

Result<PromptParts> split_prompt(std::string_view text, std::string_view file) {
  PromptParts parts;
  if (!(text == "---" || text.starts_with("---\n"))) {
    parts.body = std::string(text);
    return parts;
  }
  parts.has_front_matter = true;
  int line = 2;
  std::size_t pos = text.size() > 3 ? 4 : 3;
  const std::size_t start = pos;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view content = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
    if (content == "---") {
      parts.front_matter = std::string(text.substr(start, pos - start));
      parts.body = std::string(text.substr(next));
      parts.body_line = line + 1;
      return parts;
    }
    pos = next;
    ++line;
  }
  return std::unexpected(front_matter_error(file, 1, "the front matter opened by '---' is not closed",
                                            "end the front matter with a line '---' before the template")
                             .to_error(file));
}

Error PromptError::to_error(std::string_view file) const {
  std::string where = kind == Kind::template_syntax ? fmt::format("'{}' line {}, column {}", file, at.line, at.column)
                                                    : fmt::format("'{}' line {}", file, at.line);
  return bad_input(fmt::format("{}: {}", where, message), hint);
}

std::expected<Prompt, PromptError> read_prompt(std::string_view text, std::string_view file) {
  if (auto bad = invalid_utf8_at(text)) {
    std::string_view before = text.substr(0, *bad);
    int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    std::size_t line_start = before.rfind('\n');
    std::string_view in_line = before.substr(line_start == std::string_view::npos ? 0 : line_start + 1);
    int column = 1 + static_cast<int>(std::count_if(in_line.begin(), in_line.end(), [](char c) {
                   return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
                 }));
    return std::unexpected(PromptError{PromptError::Kind::encoding, Position{line, column},
                                       fmt::format("not UTF-8 (byte 0x{:02X})", static_cast<unsigned char>(text[*bad])),
                                       "save the file as UTF-8"});
  }
  Prompt prompt;
  prompt.file = std::string(file);
  prompt.name = prompt_stem(file);
  std::string normalised = normalise_prompt(text);
  prompt.version = hash_bytes(normalised);
  auto parts = split_prompt(normalised, file);
  if (!parts) {
    return std::unexpected(PromptError{PromptError::Kind::front_matter, Position{1, 1},
                                       "the front matter opened by '---' is not closed", parts.error().hint});
  }
  prompt.has_front_matter = parts->has_front_matter;
  if (parts->has_front_matter) PROMPT_TRY(read_front_matter(prompt, *parts));
  prompt.body = std::move(parts->body);
  prompt.body_at = Position{parts->body_line, 1};
  auto tmpl = Template::parse(prompt.body, prompt.body_at);
  if (!tmpl) {
    return std::unexpected(PromptError{PromptError::Kind::template_syntax, tmpl.error().at, tmpl.error().message,
                                       "see docs/prompts.md ('Template language')"});
  }
  prompt.tmpl = std::move(*tmpl);
  prompt.tmpl.set_file(file);
  return prompt;
}

Result<Prompt> parse_prompt(std::string_view text, std::string_view file) {
  auto prompt = read_prompt(text, file);
  if (!prompt) return std::unexpected(prompt.error().to_error(file));
  return std::move(*prompt);
}

Result<std::string> read_prompt_file(const std::filesystem::path& path) {
  // Read as given, in case a folder on the way is a symbolic link; named without the detour.
  auto text = read_file(path);
  const std::string given = path.string();
  const std::string named = path.lexically_normal().string();
  if (!text && given != named) {
    Error error = text.error();
    if (auto at = error.message.find(given); at != std::string::npos) error.message.replace(at, given.size(), named);
    return std::unexpected(std::move(error));
  }
  return text;
}

Result<Prompt> load_prompt(const std::filesystem::path& path) {
  auto text = read_prompt_file(path);
  if (!text) return std::unexpected(text.error());
  return parse_prompt(*text, path.lexically_normal().string());
}

std::vector<std::string> undeclared_values(const Prompt& prompt, const nlohmann::json& vars) {
  std::vector<std::string> out;
  if (prompt.has_schema) {
    nlohmann::json copy = vars;
    drop_undeclared(copy, prompt.variables, "", &out);
  }
  return out;
}

Result<Rendered> render_prompt(const Prompt& prompt, const nlohmann::json& vars) {
  if (!vars.is_object()) return std::unexpected(bad_input("the variables must be a JSON object (name: value)"));
  nlohmann::json merged = prompt.defaults;
  for (auto it = vars.begin(); it != vars.end(); ++it) merged[it.key()] = it.value();
  if (prompt.has_schema) drop_undeclared(merged, prompt.variables, "", nullptr);
  std::string path;
  if (const PromptVariable* missing = first_missing_variable(prompt.variables, merged, "", path)) {
    return std::unexpected(
        bad_input(fmt::format("missing variable '{}' (required by '{}' line {})", path, prompt.file, missing->at.line),
                  fmt::format("give it a value: --var {}=VALUE or --vars FILE", path)));
  }
  RenderOptions options;
  options.optional = prompt.optional_paths();
  if (prompt.has_schema) {
    options.missing_hint = [&prompt](std::string_view missing) -> std::string {
      if (prompt.declares(missing)) return {};
      std::string near = prompt.closest_declared(missing);
      if (!near.empty()) {
        return fmt::format(
            "the template probably has a typo: input.schema declares '{}', not '{}'; fix the template "
            "(mlops prompt lint reports it as P401)",
            near, missing);
      }
      return fmt::format(
          "input.schema does not declare '{}', so no value reaches it: declare it there, or fix the template "
          "(mlops prompt lint reports it as P401)",
          missing);
    };
  }
  return prompt.tmpl.render(merged, options);
}

}  // namespace mlops::llm
