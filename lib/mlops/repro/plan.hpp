#pragma once
// What `mlops repro` needs before it runs anything: the recorded run, and the checks that it can
// be rebuilt here — a command to rerun, its commit in this repository, every data version (and a
// dirty run's diff) in the cache or on the default remote. A problem is bad input (exit 2) with
// the way out; `--dry-run` prints the plan this makes.
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::repro {

// Where the objects of a data version (or of the diff) come from.
enum class Source { cache, remote };
const char* to_string(Source source);

struct DataInput {
  tracking::DataVersion version;
  Source source = Source::cache;
};

struct Plan {
  tracking::RunRecord run;
  std::optional<Hash> diff;  // a dirty run's recorded diff, applied to the commit
  Source diff_source = Source::cache;
  std::vector<DataInput> data;
  // The run's --artifact and --metrics-file paths (relative to its folder), collected again.
  std::vector<std::string> artifacts;
  std::vector<std::string> metrics_files;
  // The outputs the rebuild must reproduce: the run's artifacts but its log and diff.
  std::vector<tracking::Artifact> compared;
  std::string remote;  // the remote that missing objects are fetched from ("" when none is needed)
};

// Checks that `run` can be rebuilt in `repo` and says how.
Result<Plan> make_plan(const Repo& repo, const git::Repository& git_repo, tracking::RunRecord run);

// Whether an artifact is one every run records on its own (its output log, its diff).
bool is_bookkeeping(const tracking::Artifact& artifact);

}  // namespace mlops::repro
