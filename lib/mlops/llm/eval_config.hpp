#pragma once
// The evaluation config, `eval.yaml` (docs/eval.md, "eval.yaml"):
//   prompt: prompts/support.prompt     # the prompt file to render for every case
//   golden: data/golden.jsonl          # the golden set
//   providers:
//     - id: assistant
//       command: python3 bot/answer.py # a string (sh -c) or a list (argv)
//       timeout: 30s
//       format: json                   # auto (default) | json | text
//       config: {temperature: 0}       # merged over the prompt's config, in MLOPS_PROVIDER_CONFIG
//   assert:
//     - type: icontains-all
//     - {type: rouge-l, threshold: 0.4, weight: 0.5}
//   threshold: 1                       # the weighted share of assertions a case must pass
// Paths are relative to the config's folder. Every error names the file and the line (exit 2).
#include <filesystem>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/llm/assert.hpp"
#include "mlops/llm/provider.hpp"

namespace mlops::llm {

struct EvalConfig {
  std::filesystem::path file;    // as given
  std::filesystem::path folder;  // the config's folder: paths below are relative to it
  std::string description;
  std::filesystem::path prompt;                  // resolved against folder
  std::filesystem::path golden;                  // resolved against folder
  std::size_t prompt_line = 0, golden_line = 0;  // where they are named, for errors
  std::vector<ProviderSpec> providers;
  std::vector<Assertion> assertions;
  double threshold = 1.0;
};

Result<EvalConfig> load_eval_config(const std::filesystem::path& file);
// As load_eval_config, from text (`file` names it in errors and gives the folder).
Result<EvalConfig> parse_eval_config(std::string_view text, const std::filesystem::path& file);

}  // namespace mlops::llm
