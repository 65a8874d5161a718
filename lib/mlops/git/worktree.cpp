#include "mlops/git/worktree.hpp"

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <vector>

#include "mlops/core/subprocess.hpp"

namespace mlops::git {

namespace {

// Checking out a large tree can take minutes; a hung git should not hang us forever.
constexpr std::chrono::minutes kTimeout{30};

// Runs git with `args`; the error carries git's own message (its last lines).
Result<void> run_git(const std::vector<std::string>& args, std::string_view action, Exit exit) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto captured = capture_output(argv, kTimeout);
  if (!captured) return std::unexpected(captured.error());
  if (captured->exit_code == 0) return {};
  std::string message = captured->output;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  Error error = exit == Exit::bad_input ? bad_input(fmt::format("cannot {}", action), message)
                                        : environment_error(fmt::format("cannot {}", action), message);
  return std::unexpected(std::move(error));
}

}  // namespace

Result<void> add_worktree(const std::filesystem::path& repo_root, const std::filesystem::path& dir,
                          std::string_view commit) {
  return run_git(
      {"-C", repo_root.string(), "worktree", "add", "--quiet", "--detach", dir.string(), std::string(commit)},
      fmt::format("check out {} in '{}'", commit.substr(0, 12), dir.string()), Exit::environment);
}

Result<void> apply_patch(const std::filesystem::path& dir, const std::filesystem::path& patch_file) {
  return run_git({"-C", dir.string(), "apply", "--binary", "--whitespace=nowarn", patch_file.string()},
                 "apply the run's recorded diff", Exit::bad_input);
}

Result<void> remove_worktree(const std::filesystem::path& repo_root, const std::filesystem::path& dir) {
  std::error_code ec;
  // Files placed read-only (link modes) sit in writable folders, so they can be removed.
  std::filesystem::remove_all(dir, ec);
  if (ec) return std::unexpected(system_error("remove", dir, ec.value()));
  return run_git({"-C", repo_root.string(), "worktree", "prune"}, "forget the removed worktree", Exit::environment);
}

}  // namespace mlops::git
