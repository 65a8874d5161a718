// `mlops data gc [--dry-run] [--workspace-only]`: remove cache objects nothing references.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/gc.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct DataGcOptions {
  bool dry_run = false;
  bool workspace_only = false;
};

// A version named by a hash and kind ("file" or "dir"), as runs and registry tags record them.
void add_version(std::vector<data::TrackedData>& items, const std::string& hash, const std::string& kind) {
  auto parsed = Hash::parse(hash);
  if (!parsed) return;
  data::TrackedData item;
  item.pointer.hash = *parsed;
  item.pointer.kind = kind == "dir" ? data::Kind::dir : data::Kind::file;
  items.push_back(std::move(item));
}

// Besides data pointers, run artifacts (runs.db) and registered model versions (the Artifact
// and Kind trailers of annotated tags) keep their objects: gc must never delete a model.
std::vector<Hash> run_and_model_roots(const Repo& repo, const data::Cache& cache) {
  std::vector<data::TrackedData> items;
  if (std::filesystem::exists(repo.runs_db())) {
    auto store = unwrap(tracking::RunStore::open(repo));
    for (const auto& run : unwrap(store.list_runs())) {
      for (const auto& a : unwrap(store.get(run.id)).artifacts) add_version(items, a.hash, a.kind);
    }
  }
  auto models = model_artifacts(repo);
  items.insert(items.end(), models.begin(), models.end());
  return data::objects_of(cache, items);
}

int run_data_gc(const DataGcOptions& options) {
  Repo repo = require_store();
  data::Cache cache(repo);
  auto keep = unwrap(
      data::data_roots(repo, cache, options.workspace_only ? data::GcScope::workspace_only : data::GcScope::all_refs));
  auto more = run_and_model_roots(repo, cache);
  keep.insert(keep.end(), more.begin(), more.end());
  auto result = unwrap(data::collect_garbage(repo, cache, keep, options.dry_run));
  if (out::settings().json) {
    nlohmann::ordered_json hashes = nlohmann::ordered_json::array();
    for (const auto& h : result.removed) hashes.push_back(h.str());
    out::print_json({{"dry_run", options.dry_run},
                     {"objects", result.removed.size()},
                     {"bytes", result.bytes},
                     {"removed", hashes}});
    return 0;
  }
  if (options.dry_run) {
    for (const auto& h : result.removed) out::println("would remove {}", h.str());
    out::println("{} object{} would be removed, freeing {}", result.removed.size(),
                 result.removed.size() == 1 ? "" : "s", out::human_bytes(result.bytes));
  } else {
    out::println("removed {} object{}, freed {}", result.removed.size(), result.removed.size() == 1 ? "" : "s",
                 out::human_bytes(result.bytes));
  }
  return 0;
}

}  // namespace

void add_data_gc(CLI::App& group) {
  auto options = std::make_shared<DataGcOptions>();
  auto* command = add_command(group, "gc", "Remove cache objects that no pointer references",
                              [options] { return run_data_gc(*options); });
  command->add_flag("-n,--dry-run", options->dry_run, "List what would be removed and the bytes freed; remove nothing");
  command->add_flag("-w,--workspace-only", options->workspace_only,
                    "Keep only what the workspace's pointers reference (default: also HEAD, every branch and tag); "
                    "run artifacts and registered models are always kept");
  add_json_flag(*command);
}

}  // namespace mlops::cli
