#pragma once
// A registered version's artifact on disk (`mlops model get`): copied out of the cache, fetched
// first from a data remote when the cache lacks it, verified against the hash its tag records.
#include <filesystem>
#include <string>
#include <string_view>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/registry/state.hpp"

namespace mlops::registry {

struct ArtifactCopy {
  std::filesystem::path path;  // where it was written (absolute)
  data::Kind kind = data::Kind::file;
  bool fetched = false;  // it came from the data remote
  std::string remote;    // the data remote's name, when fetched
};

// Bad input (exit 2) when `remote` is given but names no configured data remote; the hint names
// `mlops remote add` with it when it is a path or URL.
Result<void> check_data_remote(const Repo& repo, std::string_view remote);

// The registry's own place for a version's artifact: .mlops/models/NAME/VERSION/FILE.
std::filesystem::path default_artifact_path(const Repo& repo, const Model& model, const Version& version);

// Writes the artifact of `version` to `dest` (default_artifact_path when empty), fetching what the
// cache lacks from data remote `remote` (the default one when empty). A version whose tag records
// no artifact is exit 2.
Result<ArtifactCopy> get_artifact(const Repo& repo, const Model& model, const Version& version,
                                  const std::filesystem::path& dest, std::string_view remote);

}  // namespace mlops::registry
