// `mlops data remove PATH... [--keep-data]`: stop tracking data (pointer and .gitignore entry).
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/move.hpp"
#include "mlops/data/stat_cache.hpp"

namespace mlops::cli {

namespace {

struct DataRemoveOptions {
  std::vector<std::string> paths;
  bool keep_data = false;
};

int run_data_remove(const DataRemoveOptions& options) {
  Repo repo = require_store();
  data::Cache cache(repo);
  auto stat_cache = unwrap(data::StatCache::open(repo));
  nlohmann::ordered_json removed = nlohmann::ordered_json::array();
  for (const auto& path : options.paths) {
    auto item = unwrap(data::remove_tracked(repo, cache, *stat_cache, path,
                                            options.keep_data ? data::KeepData::yes : data::KeepData::no));
    removed.push_back({{"path", item.data_path}, {"pointer", item.pointer_file}, {"kept_data", options.keep_data}});
    if (!out::settings().json) {
      out::println("stopped tracking {}{}", item.data_path, options.keep_data ? " (the files stay)" : "");
    }
  }
  if (out::settings().json) {
    out::print_json({{"removed", removed}});
  } else {
    out::hint(
        "commit it: git add -A (the pointers and .gitignore files), then git commit; the cache keeps the "
        "versions until 'mlops data gc'");
  }
  return 0;
}

}  // namespace

void add_data_remove(CLI::App& group) {
  auto options = std::make_shared<DataRemoveOptions>();
  auto* command = add_command(group, "remove", "Stop tracking data: remove its pointer, .gitignore entry and files",
                              [options] { return run_data_remove(*options); });
  command->add_option("paths", options->paths, "Tracked data (or pointers) to stop tracking")
      ->required()
      ->type_name("PATH");
  command->add_flag("-k,--keep-data", options->keep_data, "Leave the files in the workspace (untracked, not ignored)");
  add_json_flag(*command);
  command->footer("Example: mlops data remove data/old.csv && git add -A data && git commit -m 'drop old data'");
}

}  // namespace mlops::cli
