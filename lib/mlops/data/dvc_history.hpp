#pragma once
// The data versions of commits made under DVC, as `mlops import dvc --all-commits` found them.
// Those commits have `.dvc` files where later ones have pointers; PATH@REV (tracked.cpp), `data
// push|fetch --all-commits|--all-tags|--all-branches` (revisions.cpp) and `data gc` (gc.cpp) read
// their versions here. The file, `.mlops/dvc-history.jsonl` in the work tree, is committed with
// the code, so every clone reads the history the import found (the MD5 memo, dvc-import.db,
// stays local like the cache it indexes). One JSON object a line, sorted by commit and path, so
// that its diffs stay small:
//   {"commit":"<full id>","path":"data/train.csv","hash":"xxh3:…","kind":"file","size":1234,"files":1}
//   {"commit":"<full id>","path":"data/images","missing":{"dvc_hash":"….dir","reason":"…","files":[…],"fetch":"…"}}
// The second form is a version the import could not bring in (missing or corrupt): PATH@REV and
// `data diff` name it instead of saying "not tracked".
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/pointer.hpp"

namespace mlops::git {
class Repository;
}

namespace mlops::data {

// Where the history is: beside the committed config, in the work tree's own .mlops folder.
inline constexpr std::string_view kDvcHistoryName = "dvc-history.jsonl";
std::filesystem::path dvc_history_file(const Repo& repo);
// The line `.mlops/.gitignore` needs so that git sees the file (everything else there is local).
inline constexpr std::string_view kDvcHistoryGitignoreLine = "!/dvc-history.jsonl";

struct DvcNotImported {
  std::string path;
  std::string dvc_hash;  // the MD5 (`.dir` for a folder)
  std::string reason;
  std::vector<std::string> files;  // the files not found
  std::string fetch;               // the DVC command that fetches it
};

// Keyed by (full commit id, data path).
using DvcHistoryKey = std::pair<std::string, std::string>;
struct DvcHistory {
  std::map<DvcHistoryKey, Pointer> versions;  // each pointer's `path` is the data path's file name
  std::map<DvcHistoryKey, DvcNotImported> missing;
};

// Reads `text` (the file's content; `source` names it in errors): a malformed line is bad input
// naming its line.
Result<DvcHistory> parse_dvc_history(std::string_view text, const std::string& source);
// The canonical text: sorted, one object a line.
std::string format_dvc_history(const DvcHistory& history);

// The work tree's history; empty when the file does not exist. Parsed once per process while the
// file stays the same (the pre-push hook asks for every commit it pushes).
Result<DvcHistory> read_dvc_history(const Repo& repo);
// As read_dvc_history, for commands to which that history is only one part (every pointer of a
// commit, the versions of a push, the pre-push hook): a damaged file (a merge conflict, say) is
// named in one warning a process and read as empty, rather than stopping them.
DvcHistory read_dvc_history_or_warn(const Repo& repo);
// Merges what an import found into the file, under a lock (two imports at once both land): a
// version found replaces what was recorded for its commit and path, missing or not; a missing one
// never replaces a version an earlier import brought in (its objects are in the cache or a
// remote). Written atomically, only when its text changes, and never created empty; adds
// kDvcHistoryGitignoreLine to `.mlops/.gitignore`, and the root `.gitattributes` lines of
// data/attributes.hpp (the file merges as a union). Returns whether the file changed.
Result<bool> merge_dvc_history(const Repo& repo, const DvcHistory& found);

// One version of a data path in the history imported from DVC, as `data log` lists it: the
// commit that brought it (the oldest of a run of commits, newest first, that name it).
struct DvcEraVersion {
  std::string commit;  // full id
  std::int64_t time = 0;
  std::string author;  // "Name <email>"
  std::string summary;
  std::optional<Pointer> pointer;  // nullopt: the version was not imported (see `missing`)
  std::optional<DvcNotImported> missing;
};
// The versions of `data_path` the work tree's history records in the commits reachable from
// HEAD, newest first; empty without the file or an entry for the path.
Result<std::vector<DvcEraVersion>> dvc_era_versions(const Repo& repo, const git::Repository& git_repo,
                                                    const std::string& data_path);

}  // namespace mlops::data
