// `mlops runs delete ID...`: forget runs (their artifacts stay in the cache until gc).
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct RunsDeleteOptions {
  std::vector<std::string> ids;
};

int run_runs_delete(const RunsDeleteOptions& options) {
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  // Every id is resolved before anything is deleted: one bad id deletes nothing.
  std::vector<std::string> ids;
  for (const auto& given : options.ids) ids.push_back(unwrap(store.resolve(given)));
  for (const auto& id : ids) {
    unwrap(store.remove(id));
    out::println("deleted run {}", id);
  }
  return 0;
}

}  // namespace

void add_runs_delete(CLI::App& group) {
  auto options = std::make_shared<RunsDeleteOptions>();
  auto* command = add_command(group, "delete", "Delete runs and everything recorded with them",
                              [options] { return run_runs_delete(*options); });
  command->alias("rm");
  command->add_option("ids", options->ids, "The runs (ids or unambiguous prefixes)")->required()->option_text("ID...");
}

}  // namespace mlops::cli
