#include "mlops/llm/eval_plan.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>
#include <vector>

#include "mlops/core/hash.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/llm/prompt.hpp"

namespace mlops::llm {

namespace {

std::string shown_path(const std::filesystem::path& path, const Repo* repo) {
  if (repo) {
    if (auto relative = repo->relative(path)) return *relative;
  }
  return path.lexically_normal().generic_string();
}

// A prompt or golden set that eval.yaml names and that is not there: the line, the folder paths
// are relative to, and a file of the same kind close to the name.
Result<void> check_named_file(const EvalConfig& config, const std::filesystem::path& path, std::size_t line,
                              std::string_view what) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return {};
  std::string folder = config.folder.empty() ? std::string(".") : config.folder.generic_string();
  std::string hint = fmt::format("paths in '{}' are relative to its folder '{}'", config.file.string(), folder);
  std::vector<std::string> near;
  auto parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(parent, ec)) {
    if (entry.is_regular_file(ec) && entry.path().extension() == path.extension())
      near.push_back(entry.path().filename().string());
  }
  if (auto name = closest(path.filename().string(), near); !name.empty()) {
    auto suggested = path.parent_path() / name;
    if (!config.folder.empty()) suggested = suggested.lexically_relative(config.folder);
    hint = fmt::format("did you mean '{}'? ({})", suggested.generic_string(), hint);
  }
  return std::unexpected(bad_input(fmt::format("'{}' line {}: {} file '{}' does not exist", config.file.string(), line,
                                               what, path.lexically_normal().generic_string()),
                                   hint));
}

}  // namespace

Result<EvalPlan> make_plan(EvalConfig config, const Repo* repo) {
  EvalPlan plan;
  MLOPS_TRY(check_named_file(config, config.prompt, config.prompt_line, "prompt"));
  MLOPS_TRY(check_named_file(config, config.golden, config.golden_line, "golden set"));
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
  plan.config_file = shown_path(config.file, repo);
  // The hash of the file's bytes: for a golden set tracked with `data add`, its
  // data version.
  plan.golden_version = golden_hash->str();
  plan.golden = std::move(*golden);
  plan.config = std::move(config);
  return plan;
}

}  // namespace mlops::llm
