#pragma once
// Pushing refs to a git remote with libgit2 (no git process), for `mlops model ... --push`.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {

// Pushes `refspecs` ("refs/tags/x:refs/tags/x") to `remote`. Credentials: the ssh agent for ssh
// URLs; none for local paths and anonymous remotes. Unknown remote: exit 2. Unreachable remote,
// refused credentials or a ref the remote rejected: exit 3, naming the ref and the reason.
Result<void> push_refs(const Repository& repo, std::string_view remote, const std::vector<std::string>& refspecs);

// Whether git remote `remote` is configured (no network): exit 2 naming it when it is not, so a
// --push can stop before anything is written.
Result<void> check_remote_configured(const Repository& repo, std::string_view remote);

// A tag as a remote advertises it (`git ls-remote --tags`).
struct RemoteTag {
  std::string id;      // the object the ref points to (40 hex digits): the tag object when annotated
  std::string commit;  // the commit an annotated tag peels to ("" when the remote did not say)
};
// The tags remote `remote` has, by name (without refs/tags/). Errors as push_refs.
Result<std::map<std::string, RemoteTag, std::less<>>> remote_tags(const Repository& repo, std::string_view remote);

// The object refs/tags/NAME points to here (40 hex digits), or "" when there is no such tag.
std::string local_tag_id(const Repository& repo, std::string_view name);

// Fetches refs/tags/NAME for each of `names` from `remote` (forced: the remote's replaces ours),
// and nothing else. Errors as push_refs.
Result<void> fetch_tags(const Repository& repo, std::string_view remote, const std::vector<std::string>& names);

// Deletes refs/tags/NAME here; a missing tag is not an error.
Result<void> delete_tag(const Repository& repo, std::string_view name);

}  // namespace mlops::git
