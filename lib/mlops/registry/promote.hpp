#pragma once
// Promoting a version to a stage (`mlops model promote`): resolve the version, check and evaluate
// the gates (gates.hpp) on the registry as it is under the lock, and write the assignment tag
// with the gates' results as trailers.
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/gates.hpp"
#include "mlops/registry/registry.hpp"

namespace mlops::registry {

struct PromoteRequest {
  Reference version;  // NAME@vX.Y.Z or NAME@latest
  std::string stage;  // checked against the allowed stages by the caller
  std::vector<tracking::Query> requires_;
  std::optional<ChampionRule> champion;
  std::string message;  // the user's text for the tag message
};

struct Promotion {
  enum class Outcome { promoted, already_there, gates_failed };
  Outcome outcome = Outcome::promoted;
  std::string version;  // the version the reference resolved to
  std::string commit;   // its commit, where the tag goes
  GateReport report;
  NewTag tag;  // when promoted
};

// Promotes, or reports why nothing was written: the version holds the stage already, or a gate
// failed. A gate that cannot be evaluated, an unknown model or version is exit 2.
Result<Promotion> promote(const Repo& repo, const git::Repository& git_repo, const PromoteRequest& request);

}  // namespace mlops::registry
