#include "mlops/llm/prompt_register.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/llm/lint.hpp"
#include "mlops/registry/register.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::llm {

Result<Prompt> parse_prompt_to_register(std::string_view text, std::string_view file, std::string_view what,
                                        std::string hint, const std::filesystem::path& base_dir) {
  LintOptions options;
  options.base_dir = base_dir;
  options.secrets_always = true;
  std::vector<Finding> errors;
  for (auto& f : lint_prompt(text, file, options)) {
    if (f.severity == Severity::error) {
      errors.push_back(std::move(f));
    } else {
      out::warn(f.str());
    }
  }
  if (!errors.empty()) {
    bool secret = std::any_of(errors.begin(), errors.end(), [](const Finding& f) { return f.code == "P502"; });
    if (secret) {
      hint =
          "a secret never goes into the registry (its tags and artifacts are pushed to remotes), and no "
          "'mlops-lint: disable' comment lets it in: remove it from the file, give it to the service at run time, "
          "and rotate the key if it was ever committed";
    } else {
      hint += " (a finding you have reviewed can be silenced by a 'mlops-lint: disable=CODE' comment on its line)";
    }
    if (errors.size() == 1) {
      return std::unexpected(
          bad_input(fmt::format("{} is not a valid prompt: {}", what, errors.front().str()), std::move(hint)));
    }
    std::string message = fmt::format("{} is not a valid prompt ({} lint errors):", what, errors.size());
    constexpr std::size_t kShown = 10;
    for (std::size_t i = 0; i < errors.size() && i < kShown; ++i) message += "\n  " + errors[i].str();
    if (errors.size() > kShown) message += fmt::format("\n  ... and {} more", errors.size() - kShown);
    return std::unexpected(bad_input(std::move(message), std::move(hint)));
  }
  // Lint reports every parse failure as an error finding, so this parses; its error stays the
  // answer should the two ever disagree.
  return parse_prompt(text, file);
}

Result<Prompt> prompt_to_register(const std::filesystem::path& given) {
  const std::filesystem::path path = given.lexically_normal();
  auto text = read_prompt_file(given);
  if (!text) return std::unexpected(text.error());
  return parse_prompt_to_register(
      *text, path.string(), fmt::format("'{}'", path.string()),
      fmt::format("see every finding with 'mlops prompt lint {}', fix the file and register it again", path.string()),
      path.has_parent_path() ? path.parent_path() : std::filesystem::path("."));
}

Result<std::optional<Prompt>> run_prompt_to_register(const Repo& repo, std::string_view run, std::string_view artifact,
                                                     bool declared) {
  auto store = tracking::RunStore::open(repo);
  if (!store) return std::unexpected(store.error());
  auto id = store->resolve(run);
  if (!id) return std::unexpected(id.error());
  auto record = store->get(*id);
  if (!record) return std::unexpected(record.error());
  auto picked = registry::pick_artifact(*record, artifact);
  if (!picked) return std::unexpected(picked.error());
  const auto& a = **picked;
  if (!declared && !a.name.ends_with(".prompt")) return std::optional<Prompt>();
  std::string what = fmt::format("artifact '{}' of run {}", a.name, *id);
  if (a.kind != "file") {
    return std::unexpected(bad_input(fmt::format("{} is a folder, not a prompt file", what),
                                     "register the prompt file itself: --artifact NAME.prompt"));
  }
  auto hash = Hash::parse(a.hash);
  if (!hash) return std::unexpected(bad_input(fmt::format("run '{}' recorded a malformed hash for '{}'", *id, a.name)));
  auto text = data::Cache(repo).read(*hash);
  if (!text) return std::unexpected(text.error());
  auto prompt = parse_prompt_to_register(
      *text, a.name, what,
      "lint the prompt file the run used ('mlops prompt lint'), fix it, and register a run made with the fixed file",
      {});
  if (!prompt) return std::unexpected(prompt.error());
  return std::optional<Prompt>(std::move(*prompt));
}

}  // namespace mlops::llm
