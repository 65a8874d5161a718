#include "mlops/llm/prompt_register.hpp"

#include <fmt/format.h>

#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/llm/lint.hpp"
#include "mlops/registry/register.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::llm {

Result<Prompt> parse_prompt_to_register(std::string_view text, std::string_view file, std::string_view what,
                                        std::string hint) {
  auto prompt = parse_prompt(text, file);
  if (prompt) return prompt;
  // Lint reports every parse failure as an error finding; its line carries the rule's code.
  std::string finding;
  for (const auto& f : lint_prompt(text, file)) {
    if (f.severity == Severity::error) {
      finding = f.str();
      break;
    }
  }
  if (finding.empty()) return prompt;
  return std::unexpected(bad_input(fmt::format("{} is not a valid prompt: {}", what, finding), std::move(hint)));
}

Result<Prompt> prompt_to_register(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  return parse_prompt_to_register(
      *text, path.string(), fmt::format("'{}'", path.string()),
      fmt::format("see every finding with 'mlops prompt lint {}', fix the file and register it again", path.string()));
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
      "lint the prompt file the run used ('mlops prompt lint'), fix it, and register a run made with the fixed file");
  if (!prompt) return std::unexpected(prompt.error());
  return std::optional<Prompt>(std::move(*prompt));
}

}  // namespace mlops::llm
