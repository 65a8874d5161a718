#pragma once
// `mlops model deprecate`, as GTO: deprecate a model (NAME@deprecated), deregister a version
// (NAME@vX.Y.Z!), or unassign a stage from a version (NAME#STAGE!#N).
#include <optional>
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"

namespace mlops::registry {

struct DeprecateRequest {
  std::string model;
  std::optional<Reference> version;  // none: the model itself
  std::string stage;                 // with a version: unassign this stage from it
  std::string message;               // the user's text for the tag message
};

struct Deprecation {
  Action action = Action::deprecate;  // deprecate, deregister_version or unassign
  std::string version;                // the version deregistered or unassigned
  NewTag tag;
};

// Writes the tag. Exit 2: an unknown model or version, a model deprecated already, a version not
// in the stage.
Result<Deprecation> deprecate(const Repo& repo, const git::Repository& git_repo, const DeprecateRequest& request);

}  // namespace mlops::registry
