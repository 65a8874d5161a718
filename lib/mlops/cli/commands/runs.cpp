// `mlops runs list|show|compare|diff|delete|export|import`, and the store they share.
#include "mlops/cli/commands/runs.hpp"

#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/output.hpp"

namespace mlops::cli {

tracking::RunStore open_runs_store(const Repo& repo) {
  auto store = unwrap(tracking::RunStore::open(repo));
  for (const auto& id : unwrap(store.mark_lost_runs())) {
    out::warn(fmt::format("run {} was left running by an 'mlops run' process that is gone: marked killed", id));
  }
  return store;
}

void register_runs(CLI::App& app) {
  auto* group =
      add_group(app, "runs", "List, show, compare, diff, report, plot, delete, export and import recorded runs");
  group->footer("Run ids may be shortened to any unambiguous prefix.");
  add_runs_list(*group);
  add_runs_show(*group);
  add_runs_compare(*group);
  add_runs_diff(*group);
  add_runs_delete(*group);
  add_runs_export(*group);
  add_runs_import(*group);
  add_runs_push(*group);
  add_runs_pull(*group);
  add_runs_report(*group);
  add_runs_plot(*group);
}

}  // namespace mlops::cli
