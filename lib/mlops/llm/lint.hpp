#pragma once
// The prompt linter (`mlops prompt lint`, docs/prompts.md "Lint rules"). Each rule has a code
// (P101 ...), a severity and a documented example; findings print as
//   path:line:col: CODE severity message
// A line containing `mlops-lint: disable=CODE[,CODE...]` (in a YAML `#` comment or a template
// `{{! }}` comment; `all` for every code) silences those codes on that line, or on the next line
// when the comment is the only thing on its line. `mlops-lint: disable-file=CODE,...` silences
// them in the whole file.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::llm {

enum class Severity { warning, error };
std::string_view to_string(Severity severity);  // "warning" | "error"
std::optional<Severity> parse_severity(std::string_view text);

struct LintRule {
  std::string_view code;  // "P202"
  Severity severity;
  std::string_view summary;  // "unknown key"
};
// Every rule, in code order.
const std::vector<LintRule>& lint_rules();
const LintRule* find_rule(std::string_view code);

struct Finding {
  std::string path;  // as given
  int line = 1;
  int column = 1;
  std::string code;
  Severity severity = Severity::error;
  std::string message;

  std::string str() const;  // "path:line:col: CODE severity message"
  nlohmann::json to_json() const;
};

struct LintOptions {
  std::size_t max_tokens = 4096;  // P501: the estimated tokens of the template's own text
  // Where `output.schema` is looked up (the prompt file's folder); empty: not checked.
  std::filesystem::path base_dir;
  // P502 findings stay even on lines a disable comment silences (registration: a secret never
  // goes into the registry, whatever the file says about itself).
  bool secrets_always = false;
};

// Lints one prompt file's bytes; `path` names it in findings and its stem is the expected name.
// Never fails: whatever is wrong is a finding. Findings are sorted by line and column.
std::vector<Finding> lint_prompt(std::string_view text, std::string_view path, const LintOptions& options = {});

}  // namespace mlops::llm
