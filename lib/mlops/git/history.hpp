#pragma once
// Everything git still holds a version of: the commits of every ref and their history, the index,
// the stash, the reflogs (within git's own expiry) and the other work trees of the repository.
// `mlops data gc` keeps the data of all of it; the pre-push hook walks the commits of a push.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tree.hpp"

namespace mlops::git {

// Every distinct blob whose file name ends with `suffix` (content, and one path it was found at)
// in any of: the commits reachable from HEAD and every ref (branches, tags, remote-tracking
// branches, the stash and its older entries), the commits of reflog entries newer than git's
// gc.reflogExpireUnreachable (default 30 days; "never" keeps all), the HEAD and the index (every
// merge stage) of the main and every linked work tree. Blobs and trees seen once are not read again.
// With `also_named`, files of exactly that name are collected too (one walk for both).
Result<std::vector<CommittedFile>> files_in_every_version(const Repository& repo, std::string_view suffix,
                                                          std::string_view also_named = {});

// Which revisions `data push|fetch|gc --all-commits|--all-tags|--all-branches` name, as DVC's flags do.
struct RevisionScope {
  bool all_commits = false;   // every commit reachable from HEAD or any ref (`git rev-list --all`)
  bool all_tags = false;      // the commit every tag points at
  bool all_branches = false;  // the tip of every local branch
  bool any() const { return all_commits || all_tags || all_branches; }
};

struct RevisionFiles {
  std::vector<CommittedFile> files;  // every distinct blob (content), with one path it was found at
  std::size_t revisions = 0;         // commits named (with all_commits: walked)
  std::vector<std::string> commits;  // their full ids
};

// The distinct blobs whose file name ends with `suffix` in the revisions `scope` names. Each tree
// and blob is read once however many commits share it, so 10,000 commits that change one pointer
// each read about one new tree path per commit.
Result<RevisionFiles> files_in_revisions(const Repository& repo, const RevisionScope& scope, std::string_view suffix);

// The work trees of the repository: the main one first (when it has one), then the linked ones
// whose folders still exist.
Result<std::vector<std::filesystem::path>> work_trees(const Repository& repo);

// The oldest reflog entry time (seconds since the epoch) that git's gc would keep unreachable:
// now minus gc.reflogExpireUnreachable. nullopt: entries never expire. `now` for tests.
std::optional<std::int64_t> reflog_cutoff(const Repository& repo, std::int64_t now);
// Parses git's expiry values in the forms people write ("30.days.ago", "2 weeks ago", "90 days",
// "now", "never", "false", "all"). The cutoff in seconds since the epoch ("now" and "all": every entry
// is older); nullopt for "never"; an unparseable value
// is treated as "never" (keeping more is the safe side).
std::optional<std::int64_t> parse_expiry(std::string_view text, std::int64_t now);

struct CommitInfo {
  std::string id;      // full id
  std::string author;  // "Name <email>"
  std::int64_t time = 0;
  std::string summary;
};

// The commits reachable from `include` but not from `exclude` (`git rev-list INCLUDE --not
// EXCLUDE`), newest first. Ids in `exclude` that this repository does not have are ignored.
Result<std::vector<CommitInfo>> commits_between(const Repository& repo, const std::vector<std::string>& include,
                                                const std::vector<std::string>& exclude);

// The ids of the refs under `prefix` ("refs/remotes/origin/"), peeled to commits.
Result<std::vector<std::string>> ref_commits(const Repository& repo, std::string_view prefix);

// The commit that introduced the current content of `path` on the history of `from` (the newest
// commit whose file differs from its first parent's): who to ask about data nobody pushed.
Result<std::optional<CommitInfo>> last_change(const Repository& repo, std::string_view from, std::string_view path);

// The paths whose name ends with `suffix` that the next commit changes: the index differs from
// HEAD's tree there (added, modified, deleted; every path of an unborn branch's index).
Result<std::vector<std::string>> staged_paths(const Repository& repo, std::string_view suffix);

// The email git authors commits with (GIT_AUTHOR_EMAIL, else user.email; empty when unset).
std::string user_email(const Repository& repo);

}  // namespace mlops::git
