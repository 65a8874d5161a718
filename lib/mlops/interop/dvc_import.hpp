#pragma once
// `mlops import dvc`: every out of the `.dvc` files and `dvc.lock` stages of a DVC project,
// found in DVC's cache, a DVC remote on a path, or the workspace, verified against its MD5,
// stored in the mlops cache, and tracked by a `PATH.mlops` pointer (with its .gitignore entry),
// through the same calls `mlops data add` makes. Every DVC file is read and checked before
// anything is written, so a malformed one changes nothing.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/interop/dvc_config.hpp"
#include "mlops/interop/dvc_file.hpp"

namespace mlops::git {
class Repository;
}

namespace mlops::interop {

struct DvcImportOptions {
  std::vector<std::string> paths;  // .dvc files, dvc.lock files, data paths or folders; empty: all
  bool dry_run = false;
  bool keep_dvc = true;  // false: remove each .dvc file once all its outs are imported
  // Also the versions the `.dvc` files of every commit (`git rev-list --all`) name, recorded in
  // .mlops/dvc-history.jsonl (data/dvc_history.hpp, committed) so that PATH@REV finds them in
  // commits that have no PATH.mlops, in every clone.
  bool all_commits = false;
  // Set (by a signal handler) to stop between objects: what was stored is made durable and
  // remembered first, and the import returns an error saying how much was kept.
  const std::atomic<bool>* stop = nullptr;
};

enum class OutcomeKind { imported, unchanged, missing, skipped };
std::string_view to_string(OutcomeKind kind);

struct DvcOutcome {
  DvcOut out;
  OutcomeKind kind = OutcomeKind::skipped;
  std::string reason;                      // missing and skipped: why
  std::vector<std::string> missing_files;  // missing: the files (of a folder) not found
  std::string fetch_command;               // missing: the DVC command that would fetch it
  data::Pointer pointer;                   // imported and unchanged: what PATH.mlops says
  bool gitignored = false;                 // imported: an entry was added to a .gitignore
};

// A DVC remote, and the mlops remote it could become.
struct OfferedRemote {
  DvcRemote remote;
  std::string command;  // empty when mlops has no kind of remote for its URL
};

// With all_commits: one version of a path that some commits' `.dvc` files name.
struct DvcHistoryVersion {
  DvcOutcome outcome;                // imported (stored now or before), missing, or skipped
  std::vector<std::string> commits;  // the commits that name it (full ids)
};

struct DvcImportReport {
  std::vector<DvcOutcome> outcomes;
  std::vector<DvcHistoryVersion> history;  // with all_commits
  std::size_t commits = 0;                 // with all_commits: the commits walked
  bool history_file_written = false;       // with all_commits: .mlops/dvc-history.jsonl changed, to commit
  std::vector<OfferedRemote> remotes;
  std::vector<std::string> removed_dvc_files;  // with keep_dvc false
  std::uint64_t files_read = 0;
  std::uint64_t bytes_read = 0;
};

// The DVC files of the work tree, sorted: every `*.dvc` and `dvc.lock`, outside .git, .dvc and .mlops.
Result<std::vector<std::string>> list_dvc_files(const Repo& repo);
// The outs of one of them (a dvc.lock with the wdirs of the dvc.yaml beside it).
Result<std::vector<DvcOut>> read_dvc_outs(const Repo& repo, const std::string& file);

// Every out named by the DVC files of the work tree (or those `paths` select), checked: unknown
// fields, outs outside the repository and paths that select nothing are bad input.
Result<std::vector<DvcOut>> find_dvc_outs(const Repo& repo, const std::vector<std::string>& paths);

Result<DvcImportReport> import_dvc(const Repo& repo, const git::Repository& git_repo, const DvcImportOptions& options);

}  // namespace mlops::interop
