#pragma once
// Rolling a stage back (`mlops model rollback`): the stage goes back to the version that held it
// before (the latest earlier holder still registered), or to a named version, by a new assignment
// tag whose `Reason:` trailer says it is a rollback and of what.
#include <optional>
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"

namespace mlops::registry {

struct RollbackRequest {
  std::string model;
  std::string stage;            // checked against the allowed stages by the caller
  std::optional<Reference> to;  // default: the previous holder
  std::string message;          // the user's text for the tag message
  bool force = false;           // roll back a deprecated model (which brings it back)
};

struct Rollback {
  std::string from;  // the version that held the stage ("" when none did)
  std::string to;
  NewTag tag;
  bool undeprecated = false;  // the model was deprecated and is not any more (with force)
};

// Writes the rollback tag and checks that it took effect (promote.hpp: check_took_effect). Exit 2:
// an unknown model or version, no version in the stage and no --to, no earlier holder, the target
// holding the stage already, a deprecated model without `force`.
Result<Rollback> rollback(const Repo& repo, const git::Repository& git_repo, const RollbackRequest& request);

}  // namespace mlops::registry
