#pragma once
// The `mlops data` commands, one file each: data_<verb>.cpp.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "mlops/core/json_output.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/data/missing.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/history.hpp"

namespace mlops::cli {
void add_data_add(CLI::App& group);
void add_data_status(CLI::App& group);
void add_data_checkout(CLI::App& group);
void add_data_diff(CLI::App& group);
void add_data_log(CLI::App& group);
void add_data_push(CLI::App& group);
void add_data_pull(CLI::App& group);
void add_data_fetch(CLI::App& group);
void add_data_gc(CLI::App& group);
void add_data_verify(CLI::App& group);
void add_data_mv(CLI::App& group);
void add_data_remove(CLI::App& group);
void add_data_export(CLI::App& group);

// The pointers named by PATH arguments (all when none), in the workspace or at git revision REV.
std::vector<data::TrackedData> select_data(const Repo& repo, const std::vector<std::string>& paths,
                                           const std::string& rev);
// The artifact of every registered model version (the Artifact and Kind trailers of annotated
// tags), as items `data::push` and `data::objects_of` take: models are data that must travel too.
std::vector<data::TrackedData> model_artifacts(const Repo& repo);
// The runs registered model versions were made by (the Run trailer), each once.
std::vector<std::string> registered_runs(const Repo& repo);
// model_artifacts, and the data versions registered versions were trained on: what gc keeps.
std::vector<data::TrackedData> registered_versions(const Repo& repo);
// Prints a transfer summary ("3 objects pushed (12.0 MiB), 5 already there") or its JSON.
// `data fetch/pull --json`'s "missing": [{"path", "hash", "commit", "author", "error"}].
nlohmann::ordered_json missing_json(const std::vector<data::MissingVersion>& missing);
void print_transfer(std::string_view verb, const std::string& remote, const data::TransferResult& result);

// `--all-commits`, `--all-tags`, `--all-branches` (data_revisions.cpp): the pointer versions of
// git history, for push, fetch and gc.
void add_revision_flags(CLI::App& command, git::RevisionScope& scope, const std::string& verb);
// The workspace's pointers selected by `paths` and the versions the revisions of `scope` name
// (DVC's brancher: the workspace first). Notes how many revisions and versions it found.
std::vector<data::TrackedData> select_history(const Repo& repo, const std::vector<std::string>& paths,
                                              const git::RevisionScope& scope, std::size_t* revisions = nullptr);
// print_transfer, with the revisions named and the versions that are neither in the cache nor on
// the remote (warned about, listed in JSON as "missing"; the others moved all the same).
void print_history_transfer(std::string_view verb, const std::string& remote, const data::TransferResult& result,
                            std::size_t revisions, const std::vector<data::TrackedData>& missing);
}  // namespace mlops::cli
