#pragma once
// The `mlops remote` commands, one file each: remote_<verb>.cpp.
#include <CLI/CLI.hpp>
#include <string>

#include "mlops/core/config.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/remote.hpp"

namespace mlops::cli {
void add_remote_add(CLI::App& group);
void add_remote_modify(CLI::App& group);
void add_remote_list(CLI::App& group);
void add_remote_remove(CLI::App& group);

// Checks a remote's name (letters, digits, '-', '_', '.'); exit 2 otherwise.
void check_remote_name(const std::string& name);
// The configured remote `name`, or exit 2 with "did you mean".
const RemoteConfig& require_remote(const Config& config, const std::string& name);
// The remote a command uses: `name` (--remote), or the default remote when it is empty, opened with
// `overrides`. A name that is not configured (from --remote or MLOPS_DEFAULT_REMOTE) is exit 2
// with "did you mean".
std::unique_ptr<data::Remote> open_chosen_remote(const Repo& repo, const Config& config, const std::string& name,
                                                 data::Verify verify = data::Verify::no,
                                                 const data::RemoteOverrides& overrides = {});
// Only the check of open_chosen_remote, for commands that open the remote later (model get).
void check_remote_choice(const Config& config, const std::string& name);

// `-j,--jobs N` of the commands that transfer (data push, pull, fetch): transfers in flight at
// once, over the remote's `jobs` setting and MLOPS_REMOTE_<NAME>_JOBS.
struct JobsOption {
  int value = 0;
  bool given = false;
};
void add_jobs_option(CLI::App& command, JobsOption& jobs);
// The overrides --jobs asks for (none when it was not given); exit 2 unless N is 1 to 512.
data::RemoteOverrides jobs_override(const JobsOption& jobs);

// Refuses (exit 2) to write `value` of `key` into the committed config when it is a secret.
void refuse_committed_secret(const std::string& remote, const std::string& key, const std::string& value);
}  // namespace mlops::cli
