// `mlops runs export ID... [-o FILE]`: runs as one JSON document, for CI and sharing.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct RunsExportOptions {
  std::vector<std::string> ids;
  std::string output;
};

int run_runs_export(const RunsExportOptions& options) {
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  std::vector<std::string> ids;
  if (options.ids.empty()) {
    for (const auto& run : unwrap(store.list_runs())) ids.push_back(run.id);
  } else {
    for (const auto& given : options.ids) ids.push_back(unwrap(store.resolve(given)));
  }
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const auto& id : ids) runs.push_back(tracking::run_to_json(unwrap(store.get(id)), unwrap(store.history(id))));
  nlohmann::ordered_json doc = {
      {"format", tracking::kExportFormat}, {"version", tracking::kExportVersion}, {"runs", std::move(runs)}};
  if (options.output.empty() || options.output == "-") {
    out::print_json(doc);
    return 0;
  }
  unwrap(write_file_atomic(options.output, doc.dump(2) + "\n"));
  out::note(fmt::format("exported {} run{} to {}", ids.size(), ids.size() == 1 ? "" : "s", options.output));
  return 0;
}

}  // namespace

void add_runs_export(CLI::App& group) {
  auto options = std::make_shared<RunsExportOptions>();
  auto* command = add_command(group, "export", "Write runs as a JSON document (all runs when no id is given)",
                              [options] { return run_runs_export(*options); });
  command->add_option("ids", options->ids, "The runs (ids or unambiguous prefixes)")->option_text("ID...");
  command->add_option("-o,--output", options->output, "Write to FILE instead of standard output")->option_text("FILE");
  command->footer(
      "Artifacts travel by hash: push their content with the data remote. Import with 'mlops runs import FILE'.");
}

}  // namespace mlops::cli
