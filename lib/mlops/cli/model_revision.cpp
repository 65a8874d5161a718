#include "mlops/cli/model_revision.hpp"

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"

namespace mlops::cli {

namespace {

// Whether `text` reads as NAME#STAGE, NAME@vX.Y.Z or NAME@latest (NAME alone is a git branch
// or tag far more often than a model, so it is left to git).
bool looks_like_reference(std::string_view text) {
  if (text.find_first_of("@#") == std::string_view::npos || text.find('/') != std::string_view::npos) return false;
  return registry::parse_reference(text).has_value();
}

// The commit of the model version `rev` names. With `strict`, an unknown model is exit 2;
// without, NAME@vX.Y.Z of an unknown model is left to git (GTO's tag of that name).
std::string commit_of(const Repo& repo, const std::string& rev, bool strict) {
  auto ref = unwrap(registry::parse_reference(rev));
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto loaded = unwrap(registry::load(git_repo, ref.model, repo.initialised() ? &repo : nullptr));
  if (!strict && ref.stage.empty() && !loaded.state.models.contains(ref.model)) return rev;
  return unwrap(registry::resolve(loaded.state, ref))->commit;
}

}  // namespace

std::string resolve_revision(const Repo& repo, const std::string& rev) {
  return looks_like_reference(rev) ? commit_of(repo, rev, false) : rev;
}

std::string resolve_path_revision(const Repo& repo, const std::string& spec) {
  for (auto at = spec.find('@'); at != std::string::npos && at > 0; at = spec.find('@', at + 1)) {
    std::string rev = spec.substr(at + 1);
    if (looks_like_reference(rev)) return fmt::format("{}@{}", spec.substr(0, at), commit_of(repo, rev, true));
  }
  return spec;
}

}  // namespace mlops::cli
