#include "mlops/llm/prompt_ref.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <system_error>
#include <vector>

#include "mlops/core/file.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/artifact.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/registry/semver.hpp"
#include "mlops/registry/tag_name.hpp"

namespace mlops::llm {

namespace {

// The names a mistyped one may have meant: the work tree's prompts/**/*.prompt and the models
// registered as prompts.
std::vector<std::string> known_prompt_names(const Repo& repo) {
  std::vector<std::string> names;
  const std::filesystem::path folder = repo.root / "prompts";
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".prompt") continue;
    names.push_back(it->path().lexically_relative(folder).replace_extension().generic_string());
  }
  if (auto git_repo = git::Repository::open(repo.root)) {
    if (auto loaded = registry::load(*git_repo, {}, repo.initialised() ? &repo : nullptr)) {
      for (const auto& [model_name, model] : loaded->state.models) {
        if (std::any_of(model.versions.begin(), model.versions.end(),
                        [](const registry::Version& v) { return v.message.meta.type == "prompt"; }))
          names.push_back(model_name);
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Error unknown_prompt(const Repo& repo, std::string_view name) {
  // `prompts/x` for x: the folder is part of every name already.
  std::string_view word = name.starts_with("prompts/") ? name.substr(8) : name;
  std::string near = closest(word, known_prompt_names(repo));
  std::string list_hint =
      fmt::format("the prompts are the files prompts/NAME.prompt under '{}'; list them with 'mlops prompt list'",
                  repo.root.string());
  // A name with a folder may have been meant as a path (file_without_extension): both are named.
  std::string looked_at = name.find('/') == std::string_view::npos
                              ? fmt::format("'{}' does not exist", prompt_file_for(name))
                              : fmt::format("neither '{}' nor '{}.prompt' exists", prompt_file_for(name), name);
  return bad_input(fmt::format("no prompt '{}' ({})", name, looked_at),
                   near.empty() ? list_hint : fmt::format("did you mean '{}'? {}", near, list_hint));
}

// `prompts/x` (a path completed by the shell, without its extension) names the file `prompts/x.prompt`
// relative to the current folder, when prompts/NAME.prompt does not exist.
std::optional<std::filesystem::path> file_without_extension(const Repo& repo, std::string_view name) {
  if (name.find('/') == std::string_view::npos) return std::nullopt;
  std::filesystem::path candidate{std::string(name) + ".prompt"};
  std::error_code ec;
  if (!std::filesystem::is_regular_file(candidate, ec)) return std::nullopt;
  if (registry::valid_model_name(name) && std::filesystem::is_regular_file(repo.root / prompt_file_for(name), ec))
    return std::nullopt;
  return candidate;
}

Result<PromptSource> from_work_tree(const Repo& repo, std::string_view name) {
  PromptSource source;
  source.origin = PromptOrigin::work_tree;
  source.name = std::string(name);
  source.path = prompt_file_for(name);
  source.label = source.path;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(repo.root / source.path, ec))
    return std::unexpected(unknown_prompt(repo, name));
  auto text = read_file(repo.root / source.path);
  if (!text) return std::unexpected(text.error());
  source.text = std::move(*text);
  return source;
}

Result<PromptSource> from_file(const Repo& repo, std::string_view reference) {
  PromptSource source;
  source.origin = PromptOrigin::file;
  // Named in messages as written, without `dir/..` detours ("scratch/../prompts/a.prompt").
  std::filesystem::path given{std::string(reference)};
  std::filesystem::path path = given.lexically_normal();
  source.name = path.stem().string();
  auto relative = repo.relative(path);
  source.path = relative ? *relative : path.string();
  source.label = path.string();
  auto text = read_prompt_file(given);
  if (!text) return std::unexpected(text.error());
  source.text = std::move(*text);
  return source;
}

Result<PromptSource> from_git(const Repo& repo, const git::Repository& git_repo, std::string_view name,
                              std::string_view rev) {
  PromptSource source;
  source.origin = PromptOrigin::git_revision;
  source.name = std::string(name);
  source.path = prompt_file_for(name);
  source.revision = std::string(rev);
  source.label = fmt::format("{}@{}", source.path, rev);
  auto commit = git_repo.resolve_commit(rev);
  if (!commit) {
    return std::unexpected(
        bad_input(fmt::format("'{}' names no git revision nor a registered version of '{}'", rev, name),
                  "give a commit, branch or tag (NAME@HEAD~1), or a registered version (NAME@v0.0.1, "
                  "NAME#production)"));
  }
  source.commit = *commit;
  auto text = git_repo.read_file_at(*commit, source.path);
  if (!text) return std::unexpected(text.error());
  if (!*text) {
    return std::unexpected(bad_input(fmt::format("'{}' has no '{}'", rev, source.path),
                                     fmt::format("see the commits that changed it: git log -- {}", source.path)));
  }
  source.text = std::move(**text);
  (void)repo;
  return source;
}

// The registry's version of prompt `name`: its artifact, from the cache or the data remote.
Result<PromptSource> from_registry(const Repo& repo, const git::Repository& git_repo, const registry::Reference& ref,
                                   std::string_view reference) {
  auto loaded = registry::load(git_repo, ref.model, repo.initialised() ? &repo : nullptr);
  if (!loaded) return std::unexpected(loaded.error());
  auto model = registry::find_model(loaded->state, ref.model);
  if (!model) {
    std::string near = closest(ref.model, known_prompt_names(repo));
    if (!near.empty()) {
      std::string meant =
          reference.starts_with(ref.model) ? near + std::string(reference.substr(ref.model.size())) : near;
      return std::unexpected(
          bad_input(model.error().message, fmt::format("did you mean '{}'? {}", meant, model.error().hint)));
    }
    return std::unexpected(model.error());
  }
  auto version = registry::resolve(loaded->state, ref);
  if (!version) return std::unexpected(version.error());
  const auto& meta = (*version)->message.meta;
  if (meta.kind == "dir") {
    return std::unexpected(
        bad_input(fmt::format("'{}' is {} {}, a folder, not a prompt file", reference, ref.model, (*version)->name),
                  "register a prompt with: mlops model register NAME --path prompts/NAME.prompt"));
  }
  PromptSource source;
  source.origin = PromptOrigin::registry;
  source.name = ref.model;
  source.path = meta.path.empty() ? prompt_file_for(ref.model) : meta.path;
  source.revision = (*version)->name;
  source.commit = (*version)->commit;
  source.label = std::string(reference) == ref.model + "@" + (*version)->name
                     ? std::string(reference)
                     : fmt::format("{} ({})", reference, (*version)->name);
  // The artifact is copied out to a temporary file (fetched from the data remote when the cache
  // lacks it, and verified), read, and removed.
  std::error_code ec;
  std::filesystem::create_directories(repo.tmp(), ec);
  std::filesystem::path temp = repo.tmp() / fmt::format("prompt-{}-{}", ::getpid(), (*version)->name);
  auto copy = registry::get_artifact(repo, **model, **version, temp, "");
  if (!copy) return std::unexpected(copy.error());
  auto text = read_file(temp);
  std::filesystem::remove(temp, ec);
  if (!text) return std::unexpected(text.error());
  source.text = std::move(*text);
  return source;
}

}  // namespace

std::string prompt_file_for(std::string_view name) { return fmt::format("prompts/{}.prompt", name); }

Result<PromptSource> read_prompt_source(const Repo& repo, std::string_view reference) {
  if (reference.empty()) return std::unexpected(bad_input("an empty prompt name", "give NAME, NAME@REV or NAME#STAGE"));
  std::size_t hash = reference.find('#');
  std::size_t at = reference.find('@');
  std::string_view name = reference.substr(0, std::min(hash, at));
  if (hash == std::string_view::npos && at == std::string_view::npos && reference.ends_with(".prompt")) {
    return from_file(repo, reference);
  }
  if (hash == std::string_view::npos && at == std::string_view::npos) {
    if (auto file = file_without_extension(repo, reference)) return from_file(repo, file->string());
  }
  if (!registry::valid_model_name(name)) {
    return std::unexpected(bad_input(fmt::format("'{}' is not a prompt name", name),
                                     "prompt names are registry names: letters, digits, '-', '_', '/'"));
  }
  if (hash == std::string_view::npos && at == std::string_view::npos) return from_work_tree(repo, name);

  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  std::string_view rev = at != std::string_view::npos && (hash == std::string_view::npos || at < hash)
                             ? reference.substr(at + 1)
                             : std::string_view{};
  bool registry_form = hash != std::string_view::npos || rev == "latest" || registry::SemVer::parse(rev).has_value();
  if (registry_form) {
    auto ref = registry::parse_reference(reference);
    if (!ref) return std::unexpected(ref.error());
    if (hash != std::string_view::npos) return from_registry(repo, *git_repo, *ref, reference);
    // NAME@vX.Y.Z: the registry's when it has that version, else a git tag of that name.
    auto loaded = registry::load(*git_repo, ref->model, repo.initialised() ? &repo : nullptr);
    if (!loaded) return std::unexpected(loaded.error());
    auto model = loaded->state.models.find(ref->model);
    bool registered = model != loaded->state.models.end() &&
                      (rev == "latest" ? model->second.latest() != nullptr : model->second.find(rev) != nullptr);
    if (registered || rev == "latest") return from_registry(repo, *git_repo, *ref, reference);
  }
  if (rev.empty()) return std::unexpected(bad_input(fmt::format("'{}' names no revision after '@'", reference)));
  return from_git(repo, *git_repo, name, rev);
}

Result<Prompt> load_prompt_reference(const Repo& repo, std::string_view reference) {
  auto source = read_prompt_source(repo, reference);
  if (!source) return std::unexpected(source.error());
  return parse_prompt(source->text, source->label);
}

}  // namespace mlops::llm
