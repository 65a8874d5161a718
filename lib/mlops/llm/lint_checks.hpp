#pragma once
// The linter's stages (lint.cpp runs them in order): the front matter (lint_front_matter.cpp),
// the template body (lint_body.cpp), and the text as a whole: secrets (lint_secrets.cpp).
#include <string>
#include <string_view>
#include <vector>

#include "mlops/llm/lint.hpp"
#include "mlops/llm/prompt.hpp"

namespace mlops::llm::lint_detail {

struct Context {
  std::string path;
  std::string stem;  // the name the file's name implies
  LintOptions options;
  std::vector<Finding> findings;

  void add(Position at, std::string_view code, std::string message);
};

// P201 (YAML), P202, P204, P205, P206, P207, P208, P404. `parts` has a front matter.
void check_front_matter(Context& context, const PromptParts& parts);

// P301 (every tag scanning cannot read), P302 (the first structural error), P303, P304, P305,
// P401-P403 and P501. `prompt` is the parsed file when it parsed, else nullptr (the body is
// then checked on its own).
void check_body(Context& context, const PromptParts& parts, const Prompt* prompt);

// P502: API keys, tokens and private keys anywhere in the (normalised) text.
void check_secrets(Context& context, std::string_view text);

}  // namespace mlops::llm::lint_detail
