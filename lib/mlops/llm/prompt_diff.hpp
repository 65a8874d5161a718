#pragma once
// The difference between two versions of a prompt (`mlops prompt diff`): what changed in the
// front matter, said in words, and a unified diff of the normalised files.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

struct PromptChange {
  std::string field;        // "model", "config.temperature", "variable question", "output.format", "body"
  std::string before;       // "" when added
  std::string after;        // "" when removed
  std::string str() const;  // "config.temperature: 0.2 -> 0.5"
};

struct PromptDiff {
  bool same = false;  // the versions are equal
  std::vector<PromptChange> changes;
  std::string unified;  // "--- A\n+++ B\n@@ -1,3 +1,3 @@\n..." (empty when same)
  nlohmann::json to_json() const;
};

// Compares `a` and `b`, whose normalised texts are `a_text` and `b_text` (labels name them in
// the unified diff's header).
PromptDiff diff_prompts(const Prompt& a, std::string_view a_text, std::string_view a_label, const Prompt& b,
                        std::string_view b_text, std::string_view b_label);

// A unified diff of two texts by lines, with `context` lines around each change ("" when equal).
std::string unified_diff(std::string_view a, std::string_view b, std::string_view a_label, std::string_view b_label,
                         int context = 3);

}  // namespace mlops::llm
