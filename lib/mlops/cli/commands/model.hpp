#pragma once
// `mlops model ...`: the model registry on git tags. One file per leaf command
// (model_<verb>.cpp); what several of them share is declared here.
#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"

namespace mlops::cli {

void add_model_register(CLI::App& group);
void add_model_promote(CLI::App& group);
void add_model_rollback(CLI::App& group);
void add_model_deprecate(CLI::App& group);
void add_model_list(CLI::App& group);
void add_model_show(CLI::App& group);
void add_model_history(CLI::App& group);
void add_model_get(CLI::App& group);
void add_model_push(CLI::App& group);
void add_model_check_ref(CLI::App& group);

namespace model {

// Reads the registry (of `name` only when given) and reports what was left out: lightweight
// tags (with -v), unreadable tags and malformed trailers (warnings naming the tag).
registry::Loaded load(const git::Repository& repo, std::string_view name = {});

// With --push, before anything is written: exit 2 when git remote `remote` is not configured.
void check_git_remote(const git::Repository& git_repo, bool push, const std::string& remote = "origin");

// With --push, before anything is written: exit 2 when the tags could not be published (no git
// remote 'origin', or no default data remote for the artifacts of `name`;
// registry::check_publishable).
void check_publishable(const Repo& repo, const git::Repository& git_repo, std::string_view name, bool push,
                       bool registering = false);

// What publish() did, reported after the command's result (docs/conventions.md: notes and
// hints after the result).
struct Published {
  bool pushed = false;
  std::string git_remote;          // where the tags went (when pushed)
  std::string data_remote;         // the data remote's name, when artifacts had to go there
  std::string data_remote_url;     // and its URL
  std::vector<std::string> notes;  // "Uploaded ...", "Pushed ..."
  std::string hint;                // without --push: the command that pushes
  // Prints the notes, then the hint.
  void report() const;
  // {"git_remote", "data_remote", "data_remote_url"} (null when not pushed), for a command's JSON.
  void add_json(nlohmann::ordered_json& doc) const;
};

// After tags of model `name` were written: with --push, uploads the artifacts they name to the
// default data remote and pushes them (registry::publish); else the hint names the command to run.
Published publish(const Repo& repo, const git::Repository& git_repo, std::string_view name,
                  const std::vector<std::string>& tags, bool push, const std::string& remote = "origin");

// publish() for the one tag this very command just created. With `retry` (an automatic version or
// a stage counter, never one the user named): when the remote holds another tag of that name (two
// clones took the same version or counter), takes the remote's (registry::take_remote_tags),
// calls `redo` to write the command's tag again against the fetched state (it returns the new
// tag's name, or throws) and pushes that, up to 3 times, saying what happened; `tag` ends as the
// tag written. `redone` completes "...; <redone> NEW instead" ("registered as").
Published publish_created(const Repo& repo, const git::Repository& git_repo, std::string_view name, std::string& tag,
                          bool push, bool retry, const std::function<std::string()>& redo, std::string_view redone,
                          const std::string& remote = "origin");

// The URL of data remote `name` in the config ("" when unknown), for JSON that names a remote.
std::string data_remote_url(const Repo& repo, std::string_view name);

std::string short_commit(std::string_view commit);

// A version's lineage as JSON (the `model show` document for one version).
nlohmann::ordered_json version_json(const registry::Model& model, const registry::Version& version);
// One event as JSON (a `model history` row).
nlohmann::ordered_json event_json(const registry::Model& model, const registry::Event& event);

// The `-m/--message`, `--push` options every writing command takes.
struct WriteOptions {
  std::string message;
  bool push = false;
};
void add_write_options(CLI::App& command, WriteOptions& options);

}  // namespace model
}  // namespace mlops::cli
