#pragma once
// Registry references where git revisions are taken: `--rev churn#production` and
// `PATH@churn#production` mean the commit that model version was registered on — the commit
// its run trained on — so "the data the production model was trained on" is one argument.
#include <string>

#include "mlops/core/repo.hpp"

namespace mlops::cli {

// `rev` itself, or the commit of the model version it names when it is a registry reference:
// NAME#STAGE, NAME@vX.Y.Z or NAME@latest of a model in the registry. Git's own syntax
// (HEAD@{1}, tags, ids) passes through; NAME#STAGE for an unknown model or stage is exit 2.
std::string resolve_revision(const Repo& repo, const std::string& rev);

// A `PATH@REV` argument with REV resolved as above; the split is at the '@' that starts a
// registry reference, so `data/train.csv@churn@v0.0.2` keeps its path whole. Anything else,
// including a plain path, is returned unchanged.
std::string resolve_path_revision(const Repo& repo, const std::string& spec);

}  // namespace mlops::cli
