#pragma once
// What the git hooks mlops installs do (`mlops hooks run HOOK`, cli/commands/hooks_run.cpp). Each
// returns the hook's exit code: 0 lets git go on, 1 (Exit::check_failed) stops the commit or push.
// Notes, warnings and hints go to stderr through mlops::out.
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/tracked.hpp"

namespace mlops::hooks {

// pre-commit: blocks a commit whose pointers do not match their data, whose staged pointer names
// data no cache or remote has, that stages merge-conflict markers or data git does not ignore.
Result<int> pre_commit(const Repo& repo);

// pre-push [REMOTE URL]: uploads the data of every commit in the pushed range (git's ref lines on
// `in`, or the pre-commit framework's environment). `model_artifacts` gives the registered
// models' artifacts, uploaded when tags are pushed.
Result<int> pre_push(const Repo& repo, const std::vector<std::string>& args, std::istream& in,
                     const std::function<std::vector<data::TrackedData>()>& model_artifacts);

// post-checkout (PREV NEW BRANCH-FLAG) and post-merge (SQUASH-FLAG): brings out-of-date and missing
// data up to date. Never fails git's command: problems are warnings.
Result<int> sync_workspace(const Repo& repo, std::string_view hook, const std::vector<std::string>& args);

}  // namespace mlops::hooks
