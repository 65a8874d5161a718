#pragma once
// Reading committed files without touching the work tree or the index.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::git {

struct CommittedFile {
  std::string path;  // '/'-separated, relative to the work tree
  std::string content;
};

// Every file in commit REV whose name ends with `suffix`, with its content.
Result<std::vector<CommittedFile>> files_with_suffix_at(const Repository& repo, std::string_view rev,
                                                        std::string_view suffix);

struct FileVersion {
  std::string commit;                  // full id
  std::int64_t time = 0;               // commit time, seconds since the epoch
  std::string author;                  // "Name <email>"
  std::string summary;                 // first line of the message
  std::optional<std::string> content;  // nullopt: the file was deleted in this commit
};

// The commits reachable from HEAD that changed `path`, newest first (`git log -- PATH`, following
// first parents' content: a commit is listed when its file differs from its first parent's).
Result<std::vector<FileVersion>> file_history(const Repository& repo, std::string_view path);

// Commit ids of HEAD, every local branch and every tag (peeled), without duplicates.
Result<std::vector<std::string>> all_ref_commits(const Repository& repo);

}  // namespace mlops::git
