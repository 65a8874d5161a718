// `mlops runs import FILE`: add runs from a `runs export` document (all or none).
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

struct RunsImportOptions {
  std::string file;
  bool skip_existing = false;
};

int run_runs_import(const RunsImportOptions& options) {
  std::string text = unwrap(options.file == "-" ? read_file("/dev/stdin") : read_file(options.file));
  auto runs = unwrap(tracking::parse_export_document(
      text, {"runs file", options.file, "import a file written by 'mlops runs export'"}));
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  // Checked before anything is written, so that a clash imports nothing.
  std::vector<tracking::ImportedRun*> todo;
  for (auto& run : runs) {
    if (unwrap(store.exists(run.record.id))) {
      if (options.skip_existing) continue;
      throw Failure(bad_input(fmt::format("run '{}' already exists in this repository", run.record.id),
                              "pass --skip-existing to import only the runs that are new"));
    }
    todo.push_back(&run);
  }
  std::vector<tracking::RunRecord> records;
  std::vector<std::vector<tracking::MetricPoint>> histories;
  for (auto* run : todo) {
    records.push_back(std::move(run->record));
    histories.push_back(std::move(run->history));
  }
  // One transaction: a failure part-way imports nothing.
  unwrap(store.create_all(records, histories));
  if (out::settings().json) {
    nlohmann::ordered_json ids = nlohmann::ordered_json::array();
    for (const auto& record : records) ids.push_back(record.id);
    out::print_json({{"imported", std::move(ids)}, {"skipped", runs.size() - todo.size()}});
  } else {
    out::println("imported {} run{}{}", todo.size(), todo.size() == 1 ? "" : "s",
                 runs.size() > todo.size() ? fmt::format(" ({} already present)", runs.size() - todo.size()) : "");
  }
  return 0;
}

}  // namespace

void add_runs_import(CLI::App& group) {
  auto options = std::make_shared<RunsImportOptions>();
  auto* command = add_command(group, "import", "Add runs from a file written by 'mlops runs export'",
                              [options] { return run_runs_import(*options); });
  command->add_option("file", options->file, "The JSON file ('-' for standard input)")->required()->option_text("FILE");
  command->add_flag("--skip-existing", options->skip_existing, "Skip runs that are already here instead of failing");
  add_json_flag(*command);
}

}  // namespace mlops::cli
