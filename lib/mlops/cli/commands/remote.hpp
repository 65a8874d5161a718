#pragma once
// The `mlops remote` commands, one file each: remote_<verb>.cpp.
#include <CLI/CLI.hpp>
#include <string>

#include "mlops/core/config.hpp"
#include "mlops/core/repo.hpp"

namespace mlops::cli {
void add_remote_add(CLI::App& group);
void add_remote_modify(CLI::App& group);
void add_remote_list(CLI::App& group);
void add_remote_remove(CLI::App& group);

// Checks a remote's name (letters, digits, '-', '_', '.'); exit 2 otherwise.
void check_remote_name(const std::string& name);
// The configured remote `name`, or exit 2 with "did you mean".
const RemoteConfig& require_remote(const Config& config, const std::string& name);
// Refuses (exit 2) to write `value` of `key` into the committed config when it is a secret.
void refuse_committed_secret(const std::string& remote, const std::string& key, const std::string& value);
}  // namespace mlops::cli
