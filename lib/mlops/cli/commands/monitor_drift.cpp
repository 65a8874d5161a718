// The drift rules of `monitor check` and `monitor test`: `mlops drift check` run for the monitor
// module, which cannot resolve PATH@MODEL#STAGE itself (that lives with the commands).
#include <fmt/format.h>

#include <filesystem>

#include "mlops/cli/commands/drift.hpp"
#include "mlops/cli/commands/trace.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/drift/check.hpp"
#include "mlops/drift/reader.hpp"

namespace mlops::cli {

namespace {

// A plain relative path is read relative to the rules file, as its traces are; PATH@REV and names
// that exist only from the current folder are given as written. A path found in neither place is
// named relative to the rules file, where it was looked for first.
std::string beside(const std::string& rules_file, const std::string& spec) {
  std::filesystem::path base = std::filesystem::path(rules_file).parent_path();
  std::filesystem::path candidate = base / spec;
  std::error_code ec;
  if (base.empty() || !std::filesystem::path(spec).is_relative()) return spec;
  if (std::filesystem::exists(candidate, ec)) return candidate.string();
  if (spec.find('@') == std::string::npos && !std::filesystem::exists(spec, ec)) return candidate.string();
  return spec;
}

}  // namespace

trace::DriftRunner monitor_drift_runner(const std::string& rules_file) {
  return [rules_file](const trace::DriftRuleSpec& spec) -> Result<trace::DriftOutcome> {
    try {
      drift::ReadOptions read;
      drift::Dataset reference = load_drift_data(beside(rules_file, spec.reference), read);
      drift::Dataset current = load_drift_data(beside(rules_file, spec.current), read);
      // A column the data lacks, in the rule's words (the drift check would name --columns).
      for (const auto& name : spec.columns) {
        for (const drift::Dataset* data : {&reference, &current}) {
          if (data->find(name)) continue;
          std::vector<std::string> names;
          for (const auto& c : data->columns) names.push_back(c.name);
          std::string near = closest(name, names);
          std::string all;
          for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
          return std::unexpected(bad_input(
              fmt::format("column '{}' of columns: is not in '{}'", name, data->source),
              fmt::format("{}the columns are: {}", near.empty() ? "" : fmt::format("did you mean '{}'? ", near), all)));
        }
      }
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
