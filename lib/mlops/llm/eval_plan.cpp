#include "mlops/llm/eval_plan.hpp"

#include <fmt/format.h>

#include "mlops/core/hash.hpp"
#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

namespace {

std::string shown_path(const std::filesystem::path& path, const Repo* repo) {
  if (repo) {
    if (auto relative = repo->relative(path)) return *relative;
  }
  return path.lexically_normal().generic_string();
}

}  // namespace

Result<EvalPlan> make_plan(EvalConfig config, const Repo* repo) {
  EvalPlan plan;
  auto prompt = load_prompt(config.prompt);
  if (!prompt) return std::unexpected(prompt.error());
  auto golden = read_golden(config.golden);
  if (!golden) return std::unexpected(golden.error());
  auto golden_hash = hash_file(config.golden);
  if (!golden_hash) return std::unexpected(golden_hash.error());

  plan.prompts.reserve(golden->cases.size());
  for (const auto& c : golden->cases) {
    auto rendered = render_prompt(*prompt, c.input);
    if (!rendered) {
      return std::unexpected(bad_input(fmt::format("golden case '{}' ('{}' line {}): {}", c.id, config.golden.string(),
                                                   c.line, rendered.error().message),
                                       "give the case every variable the prompt requires in its \"input\""));
    }
    plan.prompts.push_back(rendered->chat ? rendered->to_json().dump() : rendered->text);
  }
  plan.prompt_config = prompt->config;
  plan.prompt_file = shown_path(config.prompt, repo);
  plan.prompt_name = prompt->name;
  plan.prompt_version = prompt->version_string();
  plan.golden_file = shown_path(config.golden, repo);
  // The hash of the file's bytes: for a golden set tracked with `data add`, its
  // data version.
  plan.golden_version = golden_hash->str();
  plan.golden = std::move(*golden);
  plan.config = std::move(config);
  return plan;
}

}  // namespace mlops::llm
