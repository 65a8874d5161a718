// `mlops data gc [--dry-run] [--workspace-only]`: remove cache objects nothing references.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/gc.hpp"

namespace mlops::cli {

namespace {

struct DataGcOptions {
  bool dry_run = false;
  bool workspace_only = false;
};

int run_data_gc(const DataGcOptions& options) {
  Repo repo = require_store();
  data::Cache cache(repo);
  auto keep = unwrap(data::data_roots(repo, cache, options.workspace_only ? data::GcScope::workspace_only
                                                                          : data::GcScope::all_refs));
  auto result = unwrap(data::collect_garbage(repo, cache, keep, options.dry_run));
  if (out::settings().json) {
    nlohmann::ordered_json hashes = nlohmann::ordered_json::array();
    for (const auto& h : result.removed) hashes.push_back(h.str());
    out::print_json({{"dry_run", options.dry_run}, {"objects", result.removed.size()}, {"bytes", result.bytes},
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
                    "Keep only what the workspace's pointers reference (default: also HEAD, every branch and tag)");
  add_json_flag(*command);
}

}  // namespace mlops::cli
