// `mlops import mlflow SOURCE [--experiment NAME]... [--dry-run]`: MLflow runs (from a file store or a
// SQLite database) into the runs store, and registered models into the registry.
#include <fmt/format.h>

#include <atomic>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/import.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/interop/mlflow_import.hpp"

namespace mlops::cli {

namespace {

struct ImportMlflowOptions {
  std::string source;
  std::vector<std::string> experiments;
  bool dry_run = false;
};

nlohmann::ordered_json runs_json(const std::vector<interop::MlflowImportedRun>& runs) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : runs) {
    list.push_back({{"mlflow_run_id", r.mlflow_id},
                    {"run_id", r.run_id},
                    {"experiment", r.experiment},
                    {"name", r.name},
                    {"metric_points", r.metric_points},
                    {"artifacts", r.artifacts}});
  }
  return list;
}

std::string_view outcome_name(interop::MlflowVersionOutcome::Kind kind) {
  switch (kind) {
    case interop::MlflowVersionOutcome::Kind::registered:
      return "registered";
    case interop::MlflowVersionOutcome::Kind::already:
      return "already_registered";
    case interop::MlflowVersionOutcome::Kind::skipped:
      return "skipped";
  }
  return "skipped";
}

nlohmann::ordered_json versions_json(const std::vector<interop::MlflowVersionOutcome>& versions) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& v : versions) {
    list.push_back({{"model", v.model},
                    {"mlflow_version", v.mlflow_version},
                    {"version", v.version},
                    {"outcome", outcome_name(v.kind)},
                    {"run_id", v.run_id},
                    {"artifact", v.artifact},
                    {"stages", v.stages},
                    {"deregistered", v.deregistered},
                    {"reason", v.reason}});
  }
  return list;
}

// One line per registered or skipped version, then the count.
void print_registry(const interop::MlflowRegistryReport& registry, bool dry_run) {
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& v : registry.versions) {
    ++counts[static_cast<int>(v.kind)];
    std::string what = fmt::format("{}@{} (MLflow version {})", v.model, v.version, v.mlflow_version);
    if (v.kind == interop::MlflowVersionOutcome::Kind::registered) {
      std::string extra;
      for (const auto& stage : v.stages) extra += " #" + stage;
      if (v.deregistered) extra += " (archived in MLflow: deregistered)";
      out::println("{} {} from {}{}", dry_run ? "would register" : out::paint("registered", out::Style::green), what,
                   v.artifact, extra);
    } else if (v.kind == interop::MlflowVersionOutcome::Kind::skipped) {
      out::println("{} {}: {}", out::paint("skipped", out::Style::yellow), what, v.reason);
    }
  }
  for (const auto& note : registry.notes) out::warn(note);
  if (registry.versions.empty()) return;
  out::println("{}{} model version{} {}, {} already registered, {} skipped", dry_run ? "dry run: " : "", counts[0],
               counts[0] == 1 ? "" : "s", dry_run ? "would be registered" : "registered", counts[1], counts[2]);
}

int run_import_mlflow(const ImportMlflowOptions& options) {
  Repo repo = require_store();
  const std::atomic<bool>& interrupted = stop_import_on_signals();
  interop::MlflowImportOptions import{options.source, options.experiments, options.dry_run, &interrupted};
  auto imported = interop::import_mlflow(repo, import);
  if (!imported && interrupted.load()) {
    out::warn(imported.error().message);
    if (!imported.error().hint.empty()) out::hint(imported.error().hint);
    return 130;
  }
  auto report = unwrap(std::move(imported));
  if (!report.without_remote_artifacts.empty()) {
    std::size_t n = report.without_remote_artifacts.size();
    out::warn(fmt::format("{} run{} {} imported without {} artifacts: they are on a server ({}), not here", n,
                          n == 1 ? "" : "s", options.dry_run ? "would be" : (n == 1 ? "was" : "were"),
                          n == 1 ? "its" : "their", report.remote_artifacts_example));
    out::hint(
        "to bring them, download the artifacts into an MLflow file store and import that instead, before these "
        "runs are imported (docs/from-mlflow.md)");
  }
  // A signal while registering: the registry was finished first (nothing half done), then it stops.
  auto finish = [&](int code) {
    if (!interrupted.load()) return code;
    out::warn("interrupted while registering model versions: the registry import was finished first");
    return 130;
  };
  if (out::settings().json) {
    out::print_json({{"source", options.source},
                     {"dry_run", options.dry_run},
                     {"experiments", report.experiments},
                     {"imported", runs_json(report.imported)},
                     {"already_imported", runs_json(report.already)},
                     {"model_versions", versions_json(report.registry.versions)},
                     {"notes", report.registry.notes}});
    return finish(0);
  }
  std::size_t points = 0;
  for (const auto& r : report.imported) points += r.metric_points;
  if (report.imported.size() <= 20 || out::settings().verbosity > 0) {
    for (const auto& r : report.imported) {
      out::println("{} {} {} ({}, {})", options.dry_run ? "would import" : out::paint("imported", out::Style::green),
                   r.mlflow_id, r.run_id.empty() ? "" : "as " + r.run_id, r.experiment,
                   r.name.empty() ? "no name" : r.name);
    }
  }
  out::println("{}{} run{} {} ({} metric points), {} already imported, from {} experiment{}",
               options.dry_run ? "dry run: " : "", report.imported.size(), report.imported.size() == 1 ? "" : "s",
               options.dry_run ? "would be imported" : "imported", points, report.already.size(),
               report.experiments.size(), report.experiments.size() == 1 ? "" : "s");
  print_registry(report.registry, options.dry_run);
  if (!report.imported.empty() && !options.dry_run) {
    out::hint("see them with: mlops runs list --columns tags.mlflow.run_id");
  }
  return finish(0);
}

}  // namespace

void add_import_mlflow(CLI::App& group) {
  auto options = std::make_shared<ImportMlflowOptions>();
  auto* command = add_command(group, "mlflow", "Import the experiments, runs and registered models of an MLflow store",
                              [options] { return run_import_mlflow(*options); });
  command
      ->add_option("source", options->source,
                   "The MLflow store: a folder (mlruns), a file:// URI, or sqlite:///mlflow.db")
      ->required()
      ->type_name("SOURCE");
  command->add_option("--experiment", options->experiments, "Import only this experiment (by name; repeatable)")
      ->option_text("NAME");
  command->add_flag("-n,--dry-run", options->dry_run, "Say what would be imported; write nothing");
  add_json_flag(*command);
  command->footer(
      "Every run keeps its MLflow id as the tag mlflow.run_id: importing again adds only new runs. Params, tags,\n"
      "every metric point (step and timestamp) and the artifacts (stored by hash) come along. Registered\n"
      "model versions become registry versions (MLflow version N -> v0.0.N) on their run's commit, with\n"
      "Staging/Production and aliases as stages (docs/from-mlflow.md).\n"
      "Example: mlops import mlflow mlruns --experiment churn && mlops runs list");
}

}  // namespace mlops::cli
