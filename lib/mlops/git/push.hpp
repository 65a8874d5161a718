#pragma once
// Pushing refs to a git remote with libgit2 (no git process), for `mlops model ... --push`.
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

}  // namespace mlops::git
