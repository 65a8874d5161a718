#pragma once
// What the Run and Compare views show of a run: its record (as `runs show`), its metric
// histories, and the text of its output log and git diff when their artifacts are in the cache.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::view {

// The text of a run's output.log or git.diff, cut to what a page can show.
struct ArtifactText {
  std::string text;
  std::uint64_t size = 0;  // the artifact's whole size
  bool cut = false;        // only the end (a log) or the start (a diff) is in `text`
};

struct RunView {
  tracking::RunRecord run;
  // Each metric's history in step order (as RunStore::history logs it).
  std::map<std::string, std::vector<tracking::MetricPoint>> history;
  std::optional<ArtifactText> output_log;  // unset: no output.log, or not in this cache
  std::optional<ArtifactText> git_diff;

  // "01J9… (name)", as `runs compare` heads its columns.
  std::string label() const;
};

// The most of a log or diff a page shows (the last bytes of a log, the first of a diff).
inline constexpr std::size_t kArtifactTextLimit = 64 * 1024;

// Reads the runs `ids` (full ids, in that order) with everything above. Unknown ids are bad input
// (exit 2); a log or diff missing from the cache is left out, not an error (runs imported from CI
// seldom bring their objects).
Result<std::vector<RunView>> load_run_views(const Repo& repo, tracking::RunStore& store,
                                            const std::vector<std::string>& ids);

}  // namespace mlops::view
