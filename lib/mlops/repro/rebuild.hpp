#pragma once
// Rebuilding a run from its plan (plan.hpp): fetch what the cache lacks from the default remote,
// lay out a separate git worktree of the recorded commit with its recorded diff and every
// dataset at its recorded version, and rerun the recorded command there as a new run tagged
// repro_of=ID that shares this repository's store. The user's work tree, index and branch are
// never touched; the worktree is removed on every way out unless it is to be kept.
#include <filesystem>
#include <functional>
#include <string>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/repro/plan.hpp"
#include "mlops/tracking/execute.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::repro {

struct RebuildOptions {
  std::filesystem::path workdir;  // new or an empty folder; "" for a fresh one in .mlops/tmp
  bool keep = false;              // keep the worktree afterwards
  bool stdout_to_stderr = false;  // the command's stdout goes to stderr (a JSON report follows)
};

struct Rebuilt {
  tracking::ExecutedRun executed;  // the new run
  std::filesystem::path workdir;   // where it ran (gone unless kept)
};

// Rebuilds `plan`'s run. `before_run` is called with the worktree's folder once what was missing
// has been fetched and before the worktree is made (to print the plan).
Result<Rebuilt> rebuild(const Repo& repo, const Plan& plan, const RebuildOptions& options,
                        const std::function<void(const std::filesystem::path&)>& before_run = {});

// The run the rerun command recorded itself, when it records its own as `mlops eval run` does:
// the one run started inside `outer` (the run repro opened around the command; the inner run's
// recorded MLOPS_RUN_ID names it) with `original`'s command. That run, not `outer`, holds what
// the command made, so it is the one to compare with `original`. nullopt when there is no such
// run, or more than one (then nothing tells which rebuilt `original`).
Result<std::optional<tracking::RunRecord>> run_recorded_inside(tracking::RunStore& store,
                                                               const tracking::RunRecord& outer,
                                                               const tracking::RunRecord& original);

}  // namespace mlops::repro
