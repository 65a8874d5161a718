#include "mlops/llm/template.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <utility>

#include "mlops/llm/prompt_chars.hpp"

namespace mlops::llm {

namespace {

constexpr std::size_t kMaxIfDepth = 32;
constexpr std::size_t kMaxScanErrors = 100;  // a garbage body gets a readable report
constexpr std::string_view kChatRoles[] = {"system", "user", "assistant"};

// A tag as scanning found it, with byte offsets in the body.
struct RawTag {
  Tag tag;
  std::size_t begin = 0, end = 0;            // the tag itself
  std::size_t line_begin = 0, line_end = 0;  // its line, line_end past the '\n' (or the body's end)
};

struct Scanned {
  std::vector<RawTag> tags;
  std::vector<SyntaxError> errors;
};

// Classifies the text between "{{" and "}}"; returns an error message or "".
std::string classify_tag(std::string_view inner, Tag& tag) {
  std::string_view content = chars::trim(inner);
  if (!content.empty() && content.front() == '!') {
    tag.kind = TagKind::comment;
    tag.path = std::string(chars::trim(content.substr(1)));
    return {};
  }
  if (content == "else") {
    tag.kind = TagKind::else_branch;
    return {};
  }
  if (content == "/if") {
    tag.kind = TagKind::if_close;
    return {};
  }
  if (content.starts_with("#if") && (content.size() == 3 || chars::is_blank(content[3]))) {
    tag.kind = TagKind::if_open;
    std::string_view path = chars::trim(content.substr(3));
    if (!valid_variable_path(path)) {
      return path.empty() ? "'{{#if}}' needs a variable, as in '{{#if name}}'"
                          : fmt::format("'{}' is not a variable name (letters, digits, '_', dots between names)", path);
    }
    tag.path = std::string(path);
    return {};
  }
  if (content.starts_with("role") && content.size() > 4 && chars::is_blank(content[4])) {
    tag.kind = TagKind::role;
    std::string_view arg = chars::trim(content.substr(4));
    if (arg.size() < 2 || arg.front() != '"' || arg.back() != '"') {
      return "a role marker names its role in double quotes, as in '{{role \"system\"}}'";
    }
    std::string_view role = arg.substr(1, arg.size() - 2);
    if (std::find(std::begin(kChatRoles), std::end(kChatRoles), role) == std::end(kChatRoles)) {
      return fmt::format("unknown role '{}' (roles: system, user, assistant)", role);
    }
    tag.path = std::string(role);
    return {};
  }
  if (valid_variable_path(content)) {
    tag.kind = TagKind::variable;
    tag.path = std::string(content);
    return {};
  }
  return fmt::format(
      "unknown tag '{}' (tags: {{{{name}}}}, {{{{#if name}}}}, {{{{else}}}}, {{{{/if}}}}, "
      "{{{{role \"system\"}}}}, {{{{! comment}}}})",
      tag.text);
}

// Walks the body once: positions, tags, and errors for what is not a tag.
Scanned scan_body(std::string_view body, Position origin) {
  Scanned out;
  int line = origin.line;
  int column = origin.column;
  std::size_t line_begin = 0;
  std::size_t i = 0;
  std::size_t line_end = 0;                       // of the line of the last "{{" seen
  std::size_t close_from = 0;                     // where the search for "}}" went on from
  std::size_t close_at = std::string_view::npos;  // the first "}}" at or after close_from on that line
  auto advance_to = [&](std::size_t target) {
    for (; i < target; ++i) {
      char c = body[i];
      if (c == '\n') {
        ++line;
        column = 1;
        line_begin = i + 1;
      } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++column;  // a code point's first byte
      }
    }
  };
  while (i < body.size()) {
    std::size_t open = body.find("{{", i);
    if (open == std::string_view::npos) break;
    if (open > 0 && body[open - 1] == '\\') {
      // "\{{" is a literal "{{" unless that backslash was itself part of an earlier escape: the
      // scan always continues past an escape's braces, so any backslash right before is literal.
      advance_to(open + 2);
      continue;
    }
    advance_to(open);
    Position at{line, column};
    // The end of this line and the first "}}" on it are found once per line (and again only past
    // a found "}}"), so that a line of many "{{" costs linear time, not quadratic.
    if (open >= line_end) {
      line_end = std::min(body.find('\n', open), body.size());
      close_from = open;
      close_at = std::string_view::npos;
    }
    if (close_at == std::string_view::npos || close_at < open + 2) {
      std::size_t from = std::max(open + 2, close_from);
      close_at = from >= line_end ? std::string_view::npos : body.substr(0, line_end).find("}}", from);
      close_from = close_at == std::string_view::npos ? line_end : close_at;
    }
    std::size_t close = close_at;
    if (close == std::string_view::npos) {
      if (out.errors.size() < kMaxScanErrors) {
        out.errors.push_back(
            {at, "unclosed '{{' (a tag ends with '}}' on the same line; write '\\{{' for a literal '{{')"});
      }
      advance_to(open + 2);
      continue;
    }
    RawTag raw;
    raw.begin = open;
    raw.end = close + 2;
    raw.tag.at = at;
    raw.tag.offset = open;
    raw.tag.text = std::string(body.substr(open, raw.end - open));
    std::string message = classify_tag(body.substr(open + 2, close - open - 2), raw.tag);
    if (!message.empty()) {
      if (out.errors.size() < kMaxScanErrors) out.errors.push_back({at, std::move(message)});
    } else {
      raw.line_begin = line_begin;
      std::size_t eol = body.find('\n', raw.end);
      raw.line_end = eol == std::string_view::npos ? body.size() : eol + 1;
      out.tags.push_back(std::move(raw));
    }
    advance_to(close + 2);
  }
  // A block, comment or role tag alone on its line (only spaces or tabs beside it) takes the line
  // with it when rendered, so that block structure does not leave blank lines behind.
  // Any other tag, escape or text on the line is not blank, so one test covers them all.
  auto blank = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to; ++k) {
      if (!chars::is_space(body[k])) return false;
    }
    return true;
  };
  for (RawTag& raw : out.tags) {
    if (raw.tag.kind == TagKind::variable) continue;
    raw.tag.standalone = blank(raw.line_begin, raw.begin) && blank(raw.end, raw.line_end);
  }
  return out;
}

// "\{{" becomes "{{"; nothing else is an escape.
std::string unescape_braces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && text.substr(i + 1, 2) == "{{") {
      out += "{{";
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

struct OpenBlock {
  TemplateNode node;
  bool in_else = false;
  Position at;
  std::string text;
};

}  // namespace

bool valid_variable_path(std::string_view path) {
  if (path.empty()) return false;
  bool at_start = true;
  for (char c : path) {
    if (c == '.') {
      if (at_start) return false;
      at_start = true;
    } else if (at_start ? chars::ident_start(c) : chars::ident_char(c)) {
      at_start = false;
    } else {
      return false;
    }
  }
  return !at_start;
}

nlohmann::json Rendered::to_json() const {
  if (!chat) return nlohmann::json{{"text", text}};
  nlohmann::json list = nlohmann::json::array();
  for (const Message& m : messages) list.push_back({{"role", m.role}, {"content", m.content}});
  return nlohmann::json{{"messages", std::move(list)}};
}

Scan scan_tags(std::string_view body, Position origin) {
  Scanned scanned = scan_body(body, origin);
  Scan out;
  out.errors = std::move(scanned.errors);
  for (RawTag& raw : scanned.tags) out.tags.push_back(std::move(raw.tag));
  return out;
}

std::expected<Template, SyntaxError> Template::parse(std::string_view body, Position origin) {
  Scanned scanned = scan_body(body, origin);
  if (!scanned.errors.empty()) return std::unexpected(scanned.errors.front());

  Template result;
  std::vector<OpenBlock> open;  // the {{#if}}s around the current position
  auto current = [&]() -> std::vector<TemplateNode>& {
    if (open.empty()) return result.nodes_;
    return open.back().in_else ? open.back().node.else_nodes : open.back().node.then_nodes;
  };
  bool seen_role = false;
  auto add_text = [&](std::size_t from, std::size_t to) -> std::expected<void, SyntaxError> {
    if (from >= to) return {};
    std::string text = unescape_braces(body.substr(from, to - from));
    if (result.chat_ && !seen_role && open.empty() && !chars::trim(text).empty()) {
      return std::unexpected(SyntaxError{
          origin,
          "text before the first role marker (start the body with '{{role \"system\"}}' or '{{role \"user\"}}')"});
    }
    TemplateNode node;
    node.kind = TemplateNode::Kind::text;
    node.text = std::move(text);
    current().push_back(std::move(node));
    return {};
  };
  // Whether any role tag exists decides the mode before the first text is added.
  for (const RawTag& raw : scanned.tags) result.chat_ = result.chat_ || raw.tag.kind == TagKind::role;

  std::size_t cursor = 0;
  for (RawTag& raw : scanned.tags) {
    const Tag& tag = raw.tag;
    std::size_t text_end = tag.standalone ? raw.line_begin : raw.begin;
    if (auto added = add_text(cursor, text_end); !added) {
      SyntaxError error = added.error();
      error.at = tag.at;  // the text ends where this tag is: the nearest place to point at
      return std::unexpected(error);
    }
    cursor = tag.standalone ? raw.line_end : raw.end;
    switch (tag.kind) {
      case TagKind::comment:
        break;
      case TagKind::variable:
        if (result.chat_ && !seen_role && open.empty()) {
          return std::unexpected(SyntaxError{tag.at, fmt::format("'{}' before the first role marker", tag.text)});
        }
        current().push_back(TemplateNode{TemplateNode::Kind::variable, tag.path, tag.at, tag.offset, {}, {}});
        break;
      case TagKind::if_open:
        if (result.chat_ && !seen_role) {
          return std::unexpected(SyntaxError{tag.at, fmt::format("'{}' before the first role marker", tag.text)});
        }
        if (open.size() >= kMaxIfDepth) {
          return std::unexpected(SyntaxError{tag.at, fmt::format("'{{{{#if}}}}' nested deeper than {}", kMaxIfDepth)});
        }
        open.push_back(OpenBlock{TemplateNode{TemplateNode::Kind::if_block, tag.path, tag.at, tag.offset, {}, {}},
                                 false, tag.at, tag.text});
        break;
      case TagKind::else_branch:
        if (open.empty()) return std::unexpected(SyntaxError{tag.at, "'{{else}}' outside '{{#if}}'"});
        if (open.back().in_else) {
          return std::unexpected(SyntaxError{tag.at, fmt::format("a second '{{{{else}}}}' in '{}'", open.back().text)});
        }
        open.back().in_else = true;
        break;
      case TagKind::if_close: {
        if (open.empty()) return std::unexpected(SyntaxError{tag.at, "'{{/if}}' without an '{{#if}}'"});
        TemplateNode node = std::move(open.back().node);
        open.pop_back();
        current().push_back(std::move(node));
        break;
      }
      case TagKind::role:
        if (!open.empty()) {
          return std::unexpected(SyntaxError{
              tag.at,
              fmt::format("role marker inside '{}' (role markers start messages at the top level)", open.back().text)});
        }
        seen_role = true;
        current().push_back(TemplateNode{TemplateNode::Kind::role, tag.path, tag.at, tag.offset, {}, {}});
        break;
    }
  }
  if (!open.empty()) {
    return std::unexpected(
        SyntaxError{open.back().at, fmt::format("unclosed '{}' (end it with '{{{{/if}}}}')", open.back().text)});
  }
  if (auto added = add_text(cursor, body.size()); !added) return std::unexpected(added.error());
  for (RawTag& raw : scanned.tags) result.tags_.push_back(std::move(raw.tag));
  return result;
}

Result<Template> Template::parse(std::string_view body, Position origin, std::string_view file) {
  auto parsed = parse(body, origin);
  if (!parsed) {
    return std::unexpected(bad_input(fmt::format("'{}' line {}, column {}: {}", file, parsed.error().at.line,
                                                 parsed.error().at.column, parsed.error().message),
                                     "see docs/prompts.md ('Template language')"));
  }
  parsed->file_ = std::string(file);
  return std::move(*parsed);
}

const nlohmann::json* lookup(const nlohmann::json& vars, std::string_view path) {
  const nlohmann::json* node = &vars;
  while (true) {
    std::size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
    if (dot == std::string_view::npos) return node;
    path.remove_prefix(dot + 1);
  }
}

bool truthy(const nlohmann::json* value) {
  if (value == nullptr || value->is_null()) return false;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_number()) return value->get<double>() != 0;
  if (value->is_string()) return !value->get_ref<const std::string&>().empty();
  if (value->is_array() || value->is_object()) return !value->empty();
  return true;
}

std::string to_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

bool optional_path(const RenderOptions& options, std::string_view path) {
  while (true) {
    if (options.optional.contains(path)) return true;
    std::size_t dot = path.rfind('.');
    if (dot == std::string_view::npos) return false;
    path = path.substr(0, dot);
  }
}

struct TemplateRenderer {
  const nlohmann::json& vars;
  const RenderOptions& options;
  const std::string& file;

  Result<void> render(std::span<const TemplateNode> nodes, std::string& out) const {
    for (const TemplateNode& node : nodes) {
      switch (node.kind) {
        case TemplateNode::Kind::text:
          out += node.text;
          break;
        case TemplateNode::Kind::variable:
          if (const nlohmann::json* value = lookup(vars, node.text)) {
            out += to_text(*value);
          } else if (!optional_path(options, node.text)) {
            std::string where = file.empty()
                                    ? fmt::format("line {}, column {}", node.at.line, node.at.column)
                                    : fmt::format("'{}' line {}, column {}", file, node.at.line, node.at.column);
            std::string hint = options.missing_hint ? options.missing_hint(node.text) : std::string();
            if (hint.empty()) hint = fmt::format("give it a value: --var {}=VALUE or --vars FILE", node.text);
            return std::unexpected(
                bad_input(fmt::format("missing variable '{}' ({})", node.text, where), std::move(hint)));
          }
          break;
        case TemplateNode::Kind::if_block:
          MLOPS_TRY(render(truthy(lookup(vars, node.text)) ? node.then_nodes : node.else_nodes, out));
          break;
        case TemplateNode::Kind::role:
          break;  // split by render() below
      }
    }
    return {};
  }
};

void collect_uses(const std::vector<TemplateNode>& nodes, std::vector<std::string>& guards,
                  std::vector<VariableUse>& out) {
  for (const TemplateNode& node : nodes) {
    if (node.kind == TemplateNode::Kind::variable) {
      bool guarded = std::any_of(guards.begin(), guards.end(), [&](const std::string& g) {
        return node.text == g || (node.text.starts_with(g) && node.text[g.size()] == '.');
      });
      out.push_back(VariableUse{node.text, node.at, node.offset, false, guarded});
    } else if (node.kind == TemplateNode::Kind::if_block) {
      out.push_back(VariableUse{node.text, node.at, node.offset, true, false});
      guards.push_back(node.text);
      collect_uses(node.then_nodes, guards, out);
      guards.pop_back();
      collect_uses(node.else_nodes, guards, out);
    }
  }
}

void collect_literal(const std::vector<TemplateNode>& nodes, std::string& out) {
  for (const TemplateNode& node : nodes) {
    if (node.kind == TemplateNode::Kind::text) out += node.text;
    collect_literal(node.then_nodes, out);
    collect_literal(node.else_nodes, out);
  }
}

}  // namespace

Result<Rendered> Template::render(const nlohmann::json& vars, const RenderOptions& options) const {
  TemplateRenderer template_renderer{vars, options, file_};
  Rendered rendered;
  rendered.chat = chat_;
  if (!chat_) {
    std::string out;
    MLOPS_TRY(template_renderer.render(nodes_, out));
    rendered.text = std::string(chars::trim(out));
    return rendered;
  }
  // Chat: the top level is role markers, each followed by the nodes of its message.
  std::size_t i = 0;
  while (i < nodes_.size()) {
    if (nodes_[i].kind != TemplateNode::Kind::role) {
      ++i;  // blank text before the first marker (parse() refuses any other)
      continue;
    }
    Message message{nodes_[i].text, {}};
    std::size_t end = i + 1;
    while (end < nodes_.size() && nodes_[end].kind != TemplateNode::Kind::role) ++end;
    std::string out;
    MLOPS_TRY(template_renderer.render(std::span<const TemplateNode>(nodes_).subspan(i + 1, end - i - 1), out));
    message.content = std::string(chars::trim(out));
    rendered.messages.push_back(std::move(message));
    i = end;
  }
  return rendered;
}

std::vector<VariableUse> Template::variables() const {
  std::vector<VariableUse> out;
  std::vector<std::string> guards;
  collect_uses(nodes_, guards, out);
  return out;
}

std::string Template::literal_text() const {
  std::string out;
  collect_literal(nodes_, out);
  return out;
}

}  // namespace mlops::llm
