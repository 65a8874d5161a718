// Reading a schema file as some commit has it, for `schema diff OLD@REV NEW`.
#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/schema/schema_io.hpp"

namespace mlops::schema {

Result<Schema> load_schema_at(const std::string& path, const std::string& rev) {
  auto repo = find_git_repo();
  if (!repo) {
    return std::unexpected(bad_input(fmt::format("'{}@{}' does not exist", path, rev),
                                     "FILE@REV reads a committed file; run it inside that git repository"));
  }
  std::error_code ec;
  const auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  const std::string relative = absolute.lexically_relative(repo->root).generic_string();
  if (relative.empty() || relative.starts_with("..")) {
    return std::unexpected(bad_input(fmt::format("'{}' is outside the repository", path)));
  }
  auto git = git::Repository::open(repo->root);
  if (!git) return std::unexpected(git.error());
  auto commit = git->resolve_commit(rev);
  if (!commit) return std::unexpected(commit.error());
  auto text = git->read_file_at(*commit, relative);
  if (!text) return std::unexpected(text.error());
  const std::string name = fmt::format("{}@{}", path, rev);
  if (!*text) {
    return std::unexpected(bad_input(fmt::format("'{}' does not exist: revision '{}' has no '{}'", name, rev, relative),
                                     "check the path and the revision (git log -- PATH)"));
  }
  return parse_schema(**text, name);
}

}  // namespace mlops::schema
