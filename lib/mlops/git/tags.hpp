#pragma once
// Annotated git tags: reading many of them fast, and creating one without ever overwriting.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {

struct AnnotatedTag {
  std::string name;       // without "refs/tags/"
  std::string id;         // the tag object's id (20 raw bytes): what caches key on
  std::string commit;     // the commit it points to, peeled through nested tags
  std::int64_t time = 0;  // tagger time, seconds since the epoch
  int offset = 0;         // tagger's UTC offset, minutes
  std::string tagger_name;
  std::string tagger_email;
  std::string message;
};

struct TagScan {
  std::vector<AnnotatedTag> annotated;
  std::vector<std::string> lightweight;  // names of selected tags that point straight at a commit
  std::vector<std::string> unreadable;   // selected tags whose objects are missing or not commits
};

// A tag ref: its name and the object it points to (20 raw bytes).
struct TagRef {
  std::string name;
  std::string target;
};

// The refs under refs/tags/ whose names `select` accepts, without reading any object
// (packed-refs is read in one go).
Result<std::vector<TagRef>> list_tag_refs(const Repository& repo, const std::function<bool(std::string_view)>& select);

// Reads each ref's object once from the object database and parses it in place (no git process,
// no revwalk), sorting the refs into annotated tags, lightweight ones and unreadable ones.
Result<TagScan> read_tags(const Repository& repo, const std::vector<TagRef>& refs);

// list_tag_refs, then read_tags.
Result<TagScan> scan_tags(const Repository& repo, const std::function<bool(std::string_view)>& select);

struct Identity {
  std::string name;
  std::string email;
};
// Who tags: GIT_COMMITTER_NAME / GIT_COMMITTER_EMAIL, else git's user.name / user.email.
// Exit 3 with git's hint when neither is set.
Result<Identity> tagger_identity(const Repository& repo);

// Creates the annotated tag `name` on `commit` (a full commit id) with `message`, tagged now by
// `tagger`. The ref is created with git's lock-file protocol and never replaces an existing tag:
// when `name` exists the result is an error (exit 2) and nothing changes.
Result<void> create_annotated_tag(const Repository& repo, std::string_view name, std::string_view commit,
                                  std::string_view message, const Identity& tagger);

// Whether refs/tags/NAME exists (annotated or not).
bool tag_exists(const Repository& repo, std::string_view name);

}  // namespace mlops::git
