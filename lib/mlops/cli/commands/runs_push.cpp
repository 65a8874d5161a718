// `mlops runs push [ID...] [--remote NAME]`: publish finished runs (and their artifacts) on a data
// remote, for anyone to pull; no git push rights needed (tracking/share.hpp).
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/tracking/share.hpp"

namespace mlops::cli {

namespace {

struct RunsPushOptions {
  std::vector<std::string> ids;
  std::string remote;
  bool verify = false;
};

nlohmann::ordered_json id_list(const std::vector<std::string>& ids) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& id : ids) list.push_back(id);
  return list;
}

int run_runs_push(const RunsPushOptions& options) {
  Repo repo = require_store();
  auto store = open_runs_store(repo);
  std::vector<std::string> ids;
  if (options.ids.empty()) {
    for (const auto& run : unwrap(store.list_runs(false))) ids.push_back(run.id);
  } else {
    for (const auto& given : options.ids) {
      std::string id = unwrap(store.resolve(given));
      if (unwrap(store.get(id)).status == tracking::RunStatus::running) {
        throw Failure(bad_input(fmt::format("run '{}' is still running: only finished runs are pushed", id),
                                "push it when it has ended ('mlops run end ID' closes a run opened with 'run start')"));
      }
      ids.push_back(std::move(id));
    }
  }
  Config config = unwrap(load_config(repo));
  auto remote = open_chosen_remote(repo, config, options.remote, options.verify ? data::Verify::yes : data::Verify::no);
  auto result = unwrap(tracking::push_runs(repo, store, *remote, ids, options.verify));
  if (out::settings().json) {
    out::print_json({{"remote", remote->describe()},
                     {"pushed", id_list(result.pushed)},
                     {"already", id_list(result.already)},
                     {"unfinished", id_list(result.unfinished)},
                     {"artifact_objects", result.artifact_objects},
                     {"artifact_bytes", result.artifact_bytes}});
    return 0;
  }
  out::println("{} run{} pushed to {} ({} artifact object{}, {}), {} already there", result.pushed.size(),
               result.pushed.size() == 1 ? "" : "s", remote->describe(), result.artifact_objects,
               result.artifact_objects == 1 ? "" : "s", out::human_bytes(result.artifact_bytes), result.already.size());
  if (!result.unfinished.empty()) {
    out::note(fmt::format("not pushed: {} unfinished run{} (still running: {}{})", result.unfinished.size(),
                          result.unfinished.size() == 1 ? "" : "s", result.unfinished.front(),
                          result.unfinished.size() > 1 ? ", ..." : ""));
  }
  return 0;
}

}  // namespace

void add_runs_push(CLI::App& group) {
  auto options = std::make_shared<RunsPushOptions>();
  auto* command = add_command(group, "push",
                              "Publish finished runs and their artifacts on a data remote (all runs when no id is "
                              "given)",
                              [options] { return run_runs_push(*options); });
  command->add_option("ids", options->ids, "The runs (ids or unambiguous prefixes)")->option_text("ID...");
  command->add_option("-r,--remote", options->remote, "Remote to use (default: the default remote)")->type_name("NAME");
  command->add_flag("--verify", options->verify,
                    "Ask the remote about every artifact object instead of trusting what this machine remembers "
                    "it has, and send the missing ones again (after objects were deleted from it by other means)");
  add_json_flag(*command);
  command->footer(
      "Runs are immutable documents under runs/ on the remote; pushes from many machines at once merge.\n"
      "Example: mlops run --id-file .mlops/run.id -- python3 train.py && mlops runs push \"$(cat .mlops/run.id)\"");
}

}  // namespace mlops::cli
