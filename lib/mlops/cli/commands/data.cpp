// `mlops data`: version datasets next to the code that uses them.
#include "mlops/cli/commands/data.hpp"

#include <algorithm>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tags.hpp"
#include "mlops/registry/metadata.hpp"

namespace mlops::cli {

std::vector<data::TrackedData> select_data(const Repo& repo, const std::vector<std::string>& paths,
                                           const std::string& rev) {
  if (rev.empty()) return unwrap(data::select_tracked(repo, paths));
  return unwrap(data::select_tracked_at(repo, resolve_revision(repo, rev), paths));
}

namespace {

data::TrackedData version_item(const Hash& hash, std::string_view kind) {
  data::TrackedData item;
  item.pointer.hash = hash;
  item.pointer.kind = kind == "dir" ? data::Kind::dir : data::Kind::file;
  return item;
}

// Every annotated tag's registry metadata (tags without it have none of the trailers).
std::vector<registry::Metadata> registry_metadata(const Repo& repo) {
  std::vector<registry::Metadata> found;
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto tags = unwrap(git::scan_tags(git_repo, [](std::string_view) { return true; }));
  for (const auto& tag : tags.annotated) found.push_back(registry::parse_message(tag.message).meta);
  return found;
}

}  // namespace

std::vector<data::TrackedData> model_artifacts(const Repo& repo) {
  std::vector<data::TrackedData> items;
  for (const auto& meta : registry_metadata(repo)) {
    if (meta.artifact) items.push_back(version_item(*meta.artifact, meta.kind));
  }
  return items;
}

std::vector<std::string> registered_runs(const Repo& repo) {
  std::vector<std::string> ids;
  for (const auto& meta : registry_metadata(repo)) {
    if (!meta.run.empty() && std::find(ids.begin(), ids.end(), meta.run) == ids.end()) ids.push_back(meta.run);
  }
  return ids;
}

std::vector<data::TrackedData> registered_versions(const Repo& repo) {
  data::Cache cache(repo);
  std::vector<data::TrackedData> items;
  for (const auto& meta : registry_metadata(repo)) {
    if (meta.artifact) items.push_back(version_item(*meta.artifact, meta.kind));
    // The data a version was trained on (the trailer does not say whether it is a folder).
    for (const auto& [path, hash] : meta.data)
      items.push_back(version_item(hash, data::looks_like_manifest(cache, hash) ? "dir" : "file"));
  }
  return items;
}

nlohmann::ordered_json missing_json(const std::vector<data::MissingVersion>& missing) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& m : missing) {
    list.push_back({{"path", m.item.data_path},
                    {"hash", m.item.pointer.hash.str()},
                    {"commit", m.commit ? nlohmann::ordered_json(m.commit->id) : nlohmann::ordered_json()},
                    {"author", m.commit ? nlohmann::ordered_json(m.commit->author) : nlohmann::ordered_json()},
                    {"error", m.error.message}});
  }
  return list;
}

void print_transfer(std::string_view verb, const std::string& remote, const data::TransferResult& result) {
  if (out::settings().json) {
    out::print_json({{"remote", remote},
                     {"objects", result.objects},
                     {"bytes", result.bytes},
                     {"skipped", result.skipped},
                     {"requests", result.requests}});
    return;
  }
  out::println("{} object{} {} ({}), {} already there{}", result.objects, result.objects == 1 ? "" : "s", verb,
               out::human_bytes(result.bytes), result.skipped,
               result.remembered && result.skipped > 0 ? " (as this machine remembers; --verify asks the remote)" : "");
}

void register_data(CLI::App& app) {
  auto* group = add_group(app, "data", "Version data files and folders: add, status, checkout, push, pull, ...");
  add_data_add(*group);
  add_data_status(*group);
  add_data_checkout(*group);
  add_data_diff(*group);
  add_data_log(*group);
  add_data_push(*group);
  add_data_pull(*group);
  add_data_fetch(*group);
  add_data_gc(*group);
  add_data_verify(*group);
  add_data_mv(*group);
  add_data_remove(*group);
  add_data_export(*group);
}

}  // namespace mlops::cli
