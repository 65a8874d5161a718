#pragma once
// `mlops model deprecate`, as GTO: deprecate a model (NAME@deprecated), deregister a version
// (NAME@vX.Y.Z!), or unassign a stage from a version (NAME#STAGE!#N).
#include <optional>
#include <string>
#include <vector>

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

// A stage the version held until this tag: as in GTO, it now falls to the version assigned to it
// before, if any (`now` empty: none holds it).
struct StageHandover {
  std::string stage;
  std::string now;
};

struct Deprecation {
  Action action = Action::deprecate;  // deprecate, deregister_version or unassign
  std::string version;                // the version deregistered or unassigned
  NewTag tag;
  std::vector<StageHandover> handovers;  // deregister_version and unassign
};

// Writes the tag. Exit 2: an unknown model or version, a model deprecated already, a version not
// in the stage.
Result<Deprecation> deprecate(const Repo& repo, const git::Repository& git_repo, const DeprecateRequest& request);

}  // namespace mlops::registry
