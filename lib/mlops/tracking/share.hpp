#pragma once
// Runs shared through a data remote, with no server and no git push rights: `runs push|pull`,
// `data push` (the runs registered models name), `model register --push`, `repro` of a run made
// elsewhere. On the remote (docs/runs.md, "Sharing runs"):
//   runs/docs/<ID>.json       one run as a `runs export` document ({"format": "mlops-runs",
//                             "version": 1, "runs": [RUN]}); written once, never replaced
//   runs/index/<SEGMENT>.json {"format": "mlops-runs-index", "version": 1, "runs": [{"id", "hash",
//                             "name", "status", "start_time"}]}: one new segment per push that
//                             published something, named by time, host, process and chance
// The index is the union of its segments by run id, so pushes from many machines at once lose
// nothing. Order of writes: artifact objects, then the run document, then the index segment, so
// whatever the index names can be fetched.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// A run as the remote's index lists it.
struct SharedRun {
  std::string id;
  Hash hash;  // of the run document's bytes as pushed
  std::string name;
  std::string status;
  std::string start_time;
};

// The union of the index segments on `remote`, by run id (the first segment, by key, that names
// an id wins; segments never disagree unless a document was replaced by hand).
Result<std::map<std::string, SharedRun>> read_run_index(const Repo& repo, const data::Remote& remote);

// The run in a run document fetched from a remote, with `id` (the index's word for it) checked;
// `where` names the document in errors. Anything else is bad input, never an exception.
Result<ImportedRun> parse_run_document(std::string_view text, std::string_view where, std::string_view id);
// The runs an index segment lists; nullopt when it is not a segment this mlops reads. Entries
// without an id or a valid hash are left out.
std::optional<std::vector<SharedRun>> parse_index_segment(std::string_view text);

// The document of a run (the `runs export` format with one run), as pushed.
std::string run_document(const RunRecord& record, const std::vector<MetricPoint>& history);

struct PushRunsResult {
  std::vector<std::string> pushed;      // published by this push
  std::vector<std::string> already;     // the remote had them with the same content
  std::vector<std::string> unfinished;  // still running: not pushed
  std::size_t artifact_objects = 0;     // objects uploaded for their artifacts
  std::uint64_t artifact_bytes = 0;
};

// Publishes runs `ids` (full ids; running ones are skipped and listed) with their artifacts'
// objects. A run the remote holds with other content under the same id is bad input (exit 2)
// naming both, checked before anything is written. `recheck`: the artifacts of the runs the
// remote already has are pushed too (what the remote lacks is sent; with a remote opened with
// Verify::yes, the remote is asked rather than this machine's memory of it).
Result<PushRunsResult> push_runs(const Repo& repo, RunStore& store, const data::Remote& remote,
                                 const std::vector<std::string>& ids, bool recheck = false);

struct PullRunsResult {
  std::vector<std::string> pulled;   // added to the local store
  std::vector<std::string> already;  // here with the same content
  std::size_t artifact_objects = 0;  // objects downloaded for their artifacts
  std::uint64_t artifact_bytes = 0;
};

// Adds the runs of the remote's index that `wanted` names (ids or unambiguous prefixes; all when
// empty) and their artifacts' objects to the local store, all runs or none. Unknown or
// ambiguous ids, and a local run with the same id and other content, are bad input (exit 2)
// naming both; nothing is written then.
Result<PullRunsResult> pull_runs(const Repo& repo, RunStore& store, const data::Remote& remote,
                                 const std::vector<std::string>& wanted);

}  // namespace mlops::tracking
