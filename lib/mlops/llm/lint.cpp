#include "mlops/llm/lint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "mlops/llm/lint_checks.hpp"
#include "mlops/llm/prompt.hpp"
#include "mlops/llm/prompt_chars.hpp"

namespace mlops::llm {

namespace {

const std::vector<LintRule> kLintRules = {
    {"P101", Severity::error, "the file is not UTF-8"},
    {"P102", Severity::warning, "the file starts with a byte order mark"},
    {"P103", Severity::warning, "lines end with CRLF"},
    {"P201", Severity::error, "malformed front matter"},
    {"P202", Severity::warning, "unknown front matter key"},
    {"P203", Severity::warning, "no front matter"},
    {"P204", Severity::error, "name does not match the file's name"},
    {"P205", Severity::error, "name breaks the registry's name rule"},
    {"P206", Severity::error, "config value out of range"},
    {"P207", Severity::warning, "JSON output without a schema"},
    {"P208", Severity::error, "output schema file missing or not JSON"},
    {"P301", Severity::error, "unknown or malformed tag"},
    {"P302", Severity::error, "unbalanced or misplaced block"},
    {"P303", Severity::warning, "another template syntax's placeholder"},
    {"P304", Severity::error, "empty body"},
    {"P305", Severity::warning, "empty role section"},
    {"P401", Severity::error, "variable used but not declared"},
    {"P402", Severity::warning, "variable declared but not used"},
    {"P403", Severity::warning, "untrusted variable not fenced"},
    {"P404", Severity::warning, "untrusted names an undeclared variable"},
    {"P501", Severity::warning, "estimated tokens over the limit"},
    {"P502", Severity::error, "secret in the text"},
};

bool is_code_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ',';
}

// The codes a `mlops-lint: disable=...` comment turns off, by line (0 = the whole file).
std::map<int, std::set<std::string, std::less<>>> disabled_codes(std::string_view text) {
  std::map<int, std::set<std::string, std::less<>>> out;
  int line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t eol = text.find('\n', start);
    std::string_view content = text.substr(start, eol == std::string_view::npos ? std::string_view::npos : eol - start);
    for (std::size_t at = content.find("mlops-lint:"); at != std::string_view::npos;
         at = content.find("mlops-lint:", at + 1)) {
      std::string_view rest = chars::trim_blanks(content.substr(at + 11));
      int target;
      if (rest.starts_with("disable-file=")) {
        rest.remove_prefix(13);
        target = 0;
      } else if (rest.starts_with("disable=")) {
        rest.remove_prefix(8);
        std::string_view whole = chars::trim_blanks(content);
        bool comment_only = whole.starts_with("#") || (whole.starts_with("{{!") && whole.ends_with("}}"));
        target = comment_only ? line + 1 : line;
      } else {
        continue;
      }
      std::size_t length = 0;
      while (length < rest.size() && is_code_char(rest[length])) ++length;
      std::string_view codes = rest.substr(0, length);
      while (!codes.empty()) {
        std::size_t comma = codes.find(',');
        std::string code(codes.substr(0, comma));
        std::transform(code.begin(), code.end(), code.begin(), [](char c) { return c == 'p' ? 'P' : c; });
        if (!code.empty()) out[target].insert(code == "ALL" ? "all" : code);
        if (comma == std::string_view::npos) break;
        codes.remove_prefix(comma + 1);
      }
    }
    if (eol == std::string_view::npos) break;
    start = eol + 1;
    ++line;
  }
  return out;
}

bool is_disabled(const std::map<int, std::set<std::string, std::less<>>>& codes, int line, std::string_view code) {
  for (int key : {0, line}) {
    auto it = codes.find(key);
    if (it != codes.end() && (it->second.contains(code) || it->second.contains("all"))) return true;
  }
  return false;
}

// Raw bytes: P101, P102, P103. False when the file cannot be read further (not UTF-8).
bool check_encoding(lint_detail::Context& context, std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    context.add({1, 1}, "P102", "the file starts with a UTF-8 byte order mark (save it without one)");
    text.remove_prefix(3);
  }
  if (auto bad = invalid_utf8_at(text)) {
    auto error = read_prompt(text, context.path).error();
    context.add(error.at, "P101", fmt::format("{}; save the file as UTF-8", error.message));
    return false;
  }
  std::size_t crlf = text.find("\r\n");
  if (crlf != std::string_view::npos) {
    std::string_view before = text.substr(0, crlf);
    int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    std::size_t lines = 0;
    for (std::size_t at = crlf; at != std::string_view::npos; at = text.find("\r\n", at + 2)) ++lines;
    context.add({line, 1}, "P103",
                fmt::format("{} line{} end with CRLF (use LF line ends)", lines, lines == 1 ? "" : "s"));
  }
  return true;
}

}  // namespace

namespace lint_detail {

void Context::add(Position at, std::string_view code, std::string message) {
  const LintRule* rule = find_rule(code);
  findings.push_back(Finding{path, at.line, at.column, std::string(code), rule ? rule->severity : Severity::error,
                             std::move(message)});
}

}  // namespace lint_detail

std::string_view to_string(Severity severity) { return severity == Severity::error ? "error" : "warning"; }

std::optional<Severity> parse_severity(std::string_view text) {
  if (text == "error") return Severity::error;
  if (text == "warning") return Severity::warning;
  return std::nullopt;
}

const std::vector<LintRule>& lint_rules() { return kLintRules; }

const LintRule* find_rule(std::string_view code) {
  for (const LintRule& rule : kLintRules) {
    if (rule.code == code) return &rule;
  }
  return nullptr;
}

std::string Finding::str() const {
  return fmt::format("{}:{}:{}: {} {} {}", path, line, column, code, to_string(severity), message);
}

nlohmann::json Finding::to_json() const {
  return {{"path", path},      {"line", line}, {"column", column}, {"code", code}, {"severity", to_string(severity)},
          {"message", message}};
}

std::vector<Finding> lint_prompt(std::string_view text, std::string_view path, const LintOptions& options) {
  lint_detail::Context context;
  context.path = std::string(path);
  context.stem = std::filesystem::path(std::string(path)).filename().string();
  if (context.stem.ends_with(".prompt")) context.stem.resize(context.stem.size() - 7);
  context.options = options;

  if (check_encoding(context, text)) {
    std::string normalised = normalise_prompt(text);
    auto parts = split_prompt(normalised, path);
    if (!parts) {
      context.add({1, 1}, "P201", "the front matter opened by '---' is not closed (end it with a line '---')");
    } else {
      if (!parts->has_front_matter) {
        context.add({1, 1}, "P203",
                    "no front matter (start the file with '---', name, model, input.schema, then '---')");
      } else {
        check_front_matter(context, *parts);
      }
      auto prompt = read_prompt(text, path);
      if (!prompt && prompt.error().kind == PromptError::Kind::front_matter &&
          std::none_of(context.findings.begin(), context.findings.end(),
                       [](const Finding& f) { return f.code == "P201"; })) {
        context.add(prompt.error().at, "P201", prompt.error().message);
      }
      check_body(context, *parts, prompt ? &*prompt : nullptr);
    }
    check_secrets(context, normalised);
    auto codes = disabled_codes(normalised);
    std::erase_if(context.findings, [&](const Finding& f) {
      return !(options.secrets_always && f.code == "P502") && is_disabled(codes, f.line, f.code);
    });
  }
  std::stable_sort(context.findings.begin(), context.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return std::move(context.findings);
}

}  // namespace mlops::llm
