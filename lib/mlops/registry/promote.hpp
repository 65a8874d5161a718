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

// Exit 2 for a stage change (`verb`: "promote", "roll back") of a deprecated model without --force.
Error deprecated_error(const Model& model, std::string_view verb, std::string_view stage, std::string_view version);

// After stage tag `tag` was written: exit 3 unless `version` holds `stage` now. A tag dated in
// the future (a clock running ahead where it was written) orders after it and keeps the stage;
// the message names that tag.
Result<void> check_took_effect(const Repo& repo, const git::Repository& git_repo, std::string_view model,
                               std::string_view stage, std::string_view version, std::string_view tag);

struct PromoteRequest {
  Reference version;  // NAME@vX.Y.Z or NAME@latest
  std::string stage;  // checked against the allowed stages by the caller
  std::vector<tracking::Query> requires_;
  std::optional<ChampionRule> champion;
  std::string message;  // the user's text for the tag message
  bool force = false;   // promote a deprecated model (which brings it back)
};

struct Promotion {
  enum class Outcome { promoted, already_there, gates_failed };
  Outcome outcome = Outcome::promoted;
  std::string version;  // the version the reference resolved to
  std::string commit;   // its commit, where the tag goes
  GateReport report;
  NewTag tag;                 // when promoted
  bool undeprecated = false;  // the model was deprecated and is not any more (with force)
};

// Promotes, or reports why nothing was written: the version holds the stage already, or a gate
// failed. A gate that cannot be evaluated, an unknown model or version, and a deprecated model
// without `force` (promoting would silently bring it back, as GTO folds it) are exit 2.
Result<Promotion> promote(const Repo& repo, const git::Repository& git_repo, const PromoteRequest& request);

}  // namespace mlops::registry
