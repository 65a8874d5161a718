// `mlops runs export ID... [-o FILE]`: runs as one JSON document, for CI and sharing.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/interop/mlflow_export.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct RunsExportOptions {
  std::vector<std::string> ids;
  std::string output;
  std::string format = "json";
};

// --format mlflow: the runs as an MLflow file store in DIR (-o DIR, or the last argument).
int run_runs_export_mlflow(const Repo& repo, tracking::RunStore& store, RunsExportOptions options) {
  std::string dir = options.output;
  if (dir.empty()) {
    if (options.ids.empty()) {
      throw Failure(bad_input("--format mlflow needs the folder to write the MLflow store to",
                              "name it: mlops runs export --format mlflow mlruns"));
    }
    dir = options.ids.back();
    options.ids.pop_back();
  }
  std::vector<std::string> ids;
  if (options.ids.empty()) {
    for (const auto& run : unwrap(store.list_runs(false))) ids.push_back(run.id);
  } else {
    for (const auto& given : options.ids) ids.push_back(unwrap(store.resolve(given)));
  }
  auto report = unwrap(interop::export_mlflow(repo, store, ids, dir));
  std::size_t written = 0;
  for (const auto& r : report.runs) {
    written += r.written ? 1 : 0;
    for (const auto& a : r.missing_artifacts) {
      out::warn(fmt::format("artifact '{}' of run {} is not in the cache: not exported", a, r.run_id));
    }
  }
  if (out::settings().json) {
    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    for (const auto& r : report.runs) {
      runs.push_back({{"run_id", r.run_id},
                      {"mlflow_run_id", r.mlflow_id},
                      {"experiment", r.experiment},
                      {"written", r.written},
                      {"missing_artifacts", r.missing_artifacts}});
    }
    out::print_json({{"format", "mlflow"}, {"dir", dir}, {"runs", runs}});
    return 0;
  }
  out::println("exported {} run{} to the MLflow store {} ({} there already)", written, written == 1 ? "" : "s", dir,
               report.runs.size() - written);
  out::hint(fmt::format("see them with: mlflow ui --backend-store-uri {}", dir));
  return 0;
}

int run_runs_export(const RunsExportOptions& options) {
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  if (options.format == "mlflow") return run_runs_export_mlflow(repo, store, options);
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
  command->add_option("-o,--output", options->output, "Write to FILE (--format mlflow: the folder DIR)")
      ->option_text("FILE");
  command->add_option("--format", options->format, "json (mlops' document) or mlflow (an MLflow file store)")
      ->check(CLI::IsMember({"json", "mlflow"}))
      ->option_text("FORMAT");
  add_json_flag(*command);
  command->footer(
      "Artifacts travel by hash: push their content with the data remote. Import with 'mlops runs import FILE'.\n"
      "--format mlflow [ID...] DIR writes an MLflow file store (runs by their mlflow.experiment tag, artifacts\n"
      "materialised), which 'mlops import mlflow DIR' and MLflow read; runs already in DIR are skipped.\n"
      "Example: mlops runs export --format mlflow mlruns && mlops import mlflow mlruns");
}

}  // namespace mlops::cli
