// The drift rules of `monitor check` and `monitor test`: `mlops drift check` run for the monitor
// module, which cannot resolve PATH@MODEL#STAGE itself (that lives with the commands).
#include <filesystem>

#include "mlops/cli/commands/drift.hpp"
#include "mlops/cli/commands/trace.hpp"
#include "mlops/drift/check.hpp"
#include "mlops/drift/reader.hpp"

namespace mlops::cli {

namespace {

// A plain relative path is read relative to the rules file, as its traces are; PATH@REV and names
// that exist only from the current folder are given as written.
std::string beside(const std::string& rules_file, const std::string& spec) {
  std::filesystem::path base = std::filesystem::path(rules_file).parent_path();
  std::filesystem::path candidate = base / spec;
  std::error_code ec;
  if (!base.empty() && std::filesystem::path(spec).is_relative() && std::filesystem::exists(candidate, ec))
    return candidate.string();
  return spec;
}

}  // namespace

trace::DriftRunner monitor_drift_runner(const std::string& rules_file) {
  return [rules_file](const trace::DriftRuleSpec& spec) -> Result<trace::DriftOutcome> {
    try {
      drift::ReadOptions read;
      drift::Dataset reference = load_drift_data(beside(rules_file, spec.reference), read);
      drift::Dataset current = load_drift_data(beside(rules_file, spec.current), read);
      drift::CheckOptions options;
      options.columns = spec.columns;
      options.prediction = spec.prediction;
      if (spec.drift_share) options.drift_share = *spec.drift_share;
      auto report = drift::check_drift(reference, current, options);
      if (!report) return std::unexpected(report.error());
      trace::DriftOutcome outcome;
      outcome.columns = report->columns.size();
      outcome.drifted = report->drifted;
      outcome.share = report->share();
      outcome.rows = report->current_rows;
      bool prediction_drift = false;
      for (const auto& c : report->columns) {
        if (!c.drifted) continue;
        outcome.drifted_names.push_back(c.name);
        if (c.role == drift::Role::prediction) prediction_drift = true;
      }
      outcome.drift = report->dataset_drift || prediction_drift;
      return outcome;
    } catch (const Failure& f) {
      return std::unexpected(f.error());
    }
  };
}

}  // namespace mlops::cli
