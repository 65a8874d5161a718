// The template body's rules: P301-P305, P401-P403, P501.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "mlops/llm/lint_checks.hpp"
#include "mlops/llm/prompt_chars.hpp"

namespace mlops::llm::lint_detail {

namespace {

bool placeholder_char(char c) { return chars::ident_start(c) || (c >= '0' && c <= '9') || c == '.'; }
// Placeholders of other template languages in the text outside tags: "${x}" and "{x}".
void check_placeholders(Context& context, std::string_view body, int first_line) {
  int line = first_line;
  int column = 1;                                       // of body[i]
  std::size_t no_close_after = std::string_view::npos;  // on this line, no "}}" at or after this
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\n') {
      ++line;
      column = 1;
      no_close_after = std::string_view::npos;
      continue;
    }
    auto step = [&](std::size_t to) {  // moves i to `to` - 1 (the loop adds one), counting columns
      for (; i + 1 < to; ++i) {
        if ((static_cast<unsigned char>(body[i + 1]) & 0xC0) != 0x80) ++column;
      }
    };
    if (c == '\\' && body.substr(i + 1, 2) == "{{") {
      step(i + 3);
      ++column;
      continue;
    }
    if (body.substr(i, 2) == "{{") {  // a tag of ours: skip it (on its line)
      std::size_t close = std::string_view::npos;
      if (no_close_after == std::string_view::npos || i < no_close_after) {
        std::size_t eol = std::min(body.find('\n', i), body.size());
        close = body.substr(0, eol).find("}}", i + 2);
        if (close == std::string_view::npos) no_close_after = i;
      }
      step(close == std::string_view::npos ? i + 2 : close + 2);
      ++column;
      continue;
    }
    bool dollar = c == '$' && i + 1 < body.size() && body[i + 1] == '{';
    if (c == '{' || dollar) {
      std::size_t name = i + (dollar ? 2 : 1);
      std::size_t end = name;
      while (end < body.size() && placeholder_char(body[end])) ++end;
      if (name < body.size() && chars::ident_start(body[name]) && end < body.size() && body[end] == '}' &&
          !(end + 1 < body.size() && body[end + 1] == '}')) {
        std::string_view variable = body.substr(name, end - name);
        context.add(Position{line, column}, "P303",
                    fmt::format("'{}' is another template language's placeholder; write '{{{{{}}}}}'",
                                body.substr(i, end + 1 - i), variable));
        step(end + 1);
        ++column;
        continue;
      }
    }
    if (i + 1 < body.size() && (static_cast<unsigned char>(body[i + 1]) & 0xC0) != 0x80) ++column;
  }
}

// Whether the byte at `offset` of the body is fenced off from the instructions around it: inside
// a ``` block, between """ quotes, or between an XML-style <tag> and its </tag>.
class Fences {
 public:
  explicit Fences(std::string_view body) {
    bool in_block = false;
    std::size_t block_start = 0;
    std::size_t start = 0;
    while (start < body.size()) {
      std::size_t eol = body.find('\n', start);
      std::size_t end = eol == std::string_view::npos ? body.size() : eol;
      std::string_view line = body.substr(start, end - start);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (line.starts_with("```")) {
        if (in_block)
          ranges_.push_back({block_start, start});
        else
          block_start = end;
        in_block = !in_block;
      }
      start = end + 1;
    }
    for (std::size_t at = body.find("\"\"\""); at != std::string_view::npos;) {
      std::size_t close = body.find("\"\"\"", at + 3);
      if (close == std::string_view::npos) break;
      ranges_.push_back({at + 3, close});
      at = body.find("\"\"\"", close + 3);
    }
    // <name ...> opens, </name> closes; fenced: after some opening and before its last closing.
    std::map<std::string, std::pair<std::size_t, std::size_t>> spans;  // name -> first open, last close
    for (std::size_t at = body.find('<'); at != std::string_view::npos; at = body.find('<', at + 1)) {
      bool closing = at + 1 < body.size() && body[at + 1] == '/';
      std::size_t name_start = at + (closing ? 2 : 1);
      if (name_start >= body.size() || !chars::ident_start(body[name_start])) continue;
      std::size_t name_end = name_start + 1;
      while (name_end < body.size() && (placeholder_char(body[name_end]) || body[name_end] == '-') &&
             body[name_end] != '.')
        ++name_end;
      // The '>' within a short window on the same line (a tag's attributes are short), so that a
      // body of many '<' stays linear.
      std::string_view window = body.substr(name_end, 256);
      std::size_t gt = window.find('>');
      std::size_t eol = window.find('\n');
      if (gt == std::string_view::npos || (eol != std::string_view::npos && eol < gt)) continue;
      gt += name_end;
      std::string name(body.substr(name_start, name_end - name_start));
      auto [it, inserted] = spans.try_emplace(name, std::string_view::npos, std::string_view::npos);
      if (closing) {
        it->second.second = at;
      } else if (it->second.first == std::string_view::npos) {
        it->second.first = gt + 1;
      }
    }
    for (const auto& [name, span] : spans) {
      if (span.first != std::string_view::npos && span.second != std::string_view::npos && span.first <= span.second) {
        ranges_.push_back(span);
      }
    }
  }

  bool contains(std::size_t offset) const {
    return std::any_of(ranges_.begin(), ranges_.end(),
                       [&](const auto& r) { return offset >= r.first && offset < r.second; });
  }

 private:
  std::vector<std::pair<std::size_t, std::size_t>> ranges_;
};

std::string root_name(std::string_view path) { return std::string(path.substr(0, path.find('.'))); }

void check_variables(Context& context, const Prompt& prompt) {
  std::vector<VariableUse> uses = prompt.tmpl.variables();
  if (prompt.has_front_matter) {
    for (const VariableUse& use : uses) {
      if (prompt.has_schema && prompt.declares(use.path)) continue;
      std::string near = prompt.has_schema ? prompt.closest_declared(use.path) : std::string();
      context.add(use.at, "P401",
                  near.empty() ? fmt::format("'{}' is used but not declared (declare it under input.schema)", use.path)
                               : fmt::format("'{}' is used but not declared (did you mean '{}'? else declare it "
                                             "under input.schema)",
                                             use.path, near));
    }
  }
  for (const PromptVariable& variable : prompt.variables) {
    bool used =
        std::any_of(uses.begin(), uses.end(), [&](const VariableUse& u) { return root_name(u.path) == variable.name; });
    if (!used) context.add(variable.at, "P402", fmt::format("'{}' is declared but not used", variable.name));
  }
  if (prompt.untrusted.empty()) return;
  Fences fences(prompt.body);
  for (const VariableUse& use : uses) {
    if (use.in_condition) continue;
    std::string root = root_name(use.path);
    if (std::find(prompt.untrusted.begin(), prompt.untrusted.end(), root) == prompt.untrusted.end()) continue;
    if (fences.contains(use.offset)) continue;
    context.add(
        use.at, "P403",
        fmt::format("untrusted '{}' is not fenced: put it between delimiters such as <{}>...</{}> or in a ``` block, "
                    "so the model can tell it from instructions",
                    use.path, root, root));
  }
}

void check_sections(Context& context, const Template& tmpl, Position body_at) {
  const auto& nodes = tmpl.nodes();
  bool has_content = std::any_of(nodes.begin(), nodes.end(), [](const TemplateNode& n) {
    return n.kind != TemplateNode::Kind::text || !chars::all_space(n.text);
  });
  if (!has_content) {
    context.add(body_at, "P304", "the template body is empty (write the prompt's text after the front matter)");
    return;
  }
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].kind != TemplateNode::Kind::role) continue;
    bool empty = true;
    for (std::size_t k = i + 1; k < nodes.size() && nodes[k].kind != TemplateNode::Kind::role; ++k) {
      if (nodes[k].kind != TemplateNode::Kind::text || !chars::all_space(nodes[k].text)) empty = false;
    }
    if (empty) context.add(nodes[i].at, "P305", fmt::format("the '{}' message is empty", nodes[i].text));
  }
}

}  // namespace

void check_body(Context& context, const PromptParts& parts, const Prompt* prompt) {
  Position body_at{parts.body_line, 1};
  Scan scan = scan_tags(parts.body, body_at);
  for (const SyntaxError& error : scan.errors) context.add(error.at, "P301", error.message);
  check_placeholders(context, parts.body, parts.body_line);

  std::optional<Template> parsed;
  if (scan.errors.empty()) {
    auto tmpl = Template::parse(parts.body, body_at);
    if (!tmpl) {
      context.add(tmpl.error().at, "P302", tmpl.error().message);
    } else {
      parsed = std::move(*tmpl);
    }
  }
  if (chars::all_space(parts.body)) {
    context.add(body_at, "P304", "the template body is empty (write the prompt's text after the front matter)");
  } else if (parsed) {
    check_sections(context, *parsed, body_at);
  }
  if (parsed) {
    std::size_t tokens = (chars::code_points(parsed->literal_text()) + 3) / 4;
    if (tokens > context.options.max_tokens) {
      context.add(body_at, "P501",
                  fmt::format("the template's own text is about {} tokens, over the limit of {} "
                              "(4 characters a token; --max-tokens sets the limit)",
                              tokens, context.options.max_tokens));
    }
  }
  if (prompt != nullptr) check_variables(context, *prompt);
}

}  // namespace mlops::llm::lint_detail
