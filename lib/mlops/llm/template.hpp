#pragma once
// The prompt template language (docs/prompts.md, "Template language"). A body is text with tags
// between "{{" and "}}" on one line:
//   {{name}}  {{a.b}}               a variable (a path of identifiers [A-Za-z_][A-Za-z0-9_]*)
//   {{#if path}} ... {{else}} ... {{/if}}   a block, shown when the value is truthy (nests up to 32 deep)
//   {{role "system"}}               starts a chat message (system, user or assistant) at the top level
//   {{! anything }}                 a comment, never rendered
//   \{{                             a literal "{{"
// Anything else between "{{" and "}}" is an error. A line holding only a block, comment or role tag
// (and spaces or tabs) is dropped whole, newline included. Rendering never reads or runs anything:
// it substitutes values and picks branches, so its cost is linear in the body and the values.
#include <cstddef>
#include <expected>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::llm {

// 1-based; columns count Unicode code points (what editors show).
struct Position {
  int line = 1;
  int column = 1;
};

// A malformed template: where, and what.
struct SyntaxError {
  Position at;
  std::string message;  // "unclosed '{{#if question}}'", "unknown tag '{{#each items}}'", ...
};

enum class TagKind { variable, if_open, else_branch, if_close, role, comment };

// One "{{...}}" as written, with where it starts (the first '{').
struct Tag {
  TagKind kind = TagKind::variable;
  Position at;
  std::size_t offset = 0;   // of the first '{' in the body, in bytes
  std::string text;         // the whole tag, "{{ a.b }}"
  std::string path;         // variable, if_open: "a.b"; role: "system"; comment: the comment's text
  bool standalone = false;  // alone on its line (that line is not rendered)
};

// One variable a template reads, for checks before rendering and for lint.
struct VariableUse {
  std::string path;  // "a.b"
  Position at;
  std::size_t offset = 0;     // in the body, in bytes
  bool in_condition = false;  // read by {{#if}} (missing means false) rather than printed
  bool guarded = false;       // printed inside an {{#if}} on the same path or a prefix of it
};

struct Message {
  std::string role;  // system | user | assistant
  std::string content;
};

// What a render gives: plain text, or chat messages when the body has role markers.
struct Rendered {
  bool chat = false;
  std::string text;               // !chat
  std::vector<Message> messages;  // chat
  // {"text": "..."} or {"messages": [{"role": ..., "content": ...}, ...]}.
  nlohmann::json to_json() const;
};

struct RenderOptions {
  // Dotted paths that may be missing: a missing variable whose path, or a prefix of it, is listed
  // renders as "" instead of failing. Everything else that is printed must have a value.
  std::set<std::string, std::less<>> optional;
  // The hint for a missing variable at `path`, when the caller knows better than "give it a
  // value" (a prompt whose schema does not declare the path); "" keeps that default.
  std::function<std::string(std::string_view path)> missing_hint;
};

// The parsed tree.
struct TemplateNode {
  enum class Kind { text, variable, if_block, role } kind = Kind::text;
  std::string text;  // text: the literal (escapes resolved); variable, if_block: the path; role: the role
  Position at;
  std::size_t offset = 0;                // of its tag in the body
  std::vector<TemplateNode> then_nodes;  // if_block
  std::vector<TemplateNode> else_nodes;  // if_block
};

class Template {
 public:
  // Parses `body`, which starts at `origin` in its file (positions in errors and tags are the
  // file's). Errors are the first problem found.
  static std::expected<Template, SyntaxError> parse(std::string_view body, Position origin = {});
  // As parse(), as an mlops error (exit 2): "'FILE' line L, column C: MESSAGE".
  static Result<Template> parse(std::string_view body, Position origin, std::string_view file);

  // Renders against `vars` (a JSON object). A printed variable that is missing (absent or a path
  // through a non-object) and not optional is bad input naming it: "missing variable 'a.b'".
  Result<Rendered> render(const nlohmann::json& vars, const RenderOptions& options = {}) const;

  // The file that render() errors name.
  void set_file(std::string_view file) { file_ = std::string(file); }

  bool chat() const { return chat_; }
  const std::vector<Tag>& tags() const { return tags_; }
  // Every variable read, in order of appearance.
  std::vector<VariableUse> variables() const;
  // The text outside tags (what a token estimate counts), comments and standalone lines excluded.
  std::string literal_text() const;
  const std::vector<TemplateNode>& nodes() const { return nodes_; }

 private:
  std::vector<Tag> tags_;
  std::vector<TemplateNode> nodes_;  // the top level
  bool chat_ = false;
  std::string file_;  // for errors from render(); set by the second parse()
};

// Where scanning found each tag, even in a malformed body (for lint): the tags it could read and
// the errors of those it could not. Never fails.
struct Scan {
  std::vector<Tag> tags;
  std::vector<SyntaxError> errors;
};
Scan scan_tags(std::string_view body, Position origin = {});

// JSON truthiness for {{#if}}: missing, null, false, 0, "", [] and {} are false.
bool truthy(const nlohmann::json* value);
// The value at a dotted path, or nullptr.
const nlohmann::json* lookup(const nlohmann::json& vars, std::string_view path);
// A variable path: identifiers joined by dots ("user.name"), as {{...}} and --var take them.
bool valid_variable_path(std::string_view path);
// A value as printed: strings as they are, null as "", numbers and booleans as JSON writes them,
// arrays and objects as compact JSON.
std::string to_text(const nlohmann::json& value);

}  // namespace mlops::llm
