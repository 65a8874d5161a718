// `mlops drift profile REFERENCE -o FILE`: save what `drift check` keeps of a reference, so that
// later checks can run against the profile instead of the data.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/drift.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/drift/dataset.hpp"
#include "mlops/drift/profile.hpp"
#include "mlops/drift/reader.hpp"

namespace mlops::cli {

namespace {

struct DriftProfileOptions {
  std::string reference;
  std::string output;
  std::vector<std::string> columns, exclude, numeric, categorical;
  std::string delimiter;
};

int run_drift_profile(const DriftProfileOptions& o) {
  drift::ReadOptions read;
  read.delimiter = parse_delimiter(o.delimiter);
  for (const auto& name : o.numeric) {
    if (std::find(o.categorical.begin(), o.categorical.end(), name) != o.categorical.end()) {
      throw Failure(
          bad_input(fmt::format("column '{}' is both --numeric and --categorical", name), "give one of them"));
    }
  }
  // Before reading the data: a missing folder is the user's to create (no surprise folders).
  const std::filesystem::path output(o.output);
  const auto parent = output.parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    throw Failure(bad_input(fmt::format("cannot write '{}': folder '{}' does not exist", o.output, parent.string()),
                            fmt::format("create it first (mkdir -p {}) or choose another -o", parent.string())));
  }
  if (drift::is_profile(o.reference)) {
    throw Failure(
        bad_input(fmt::format("'{}' is already a drift profile", o.reference), "give the reference data itself"));
  }
  drift::Dataset reference = load_drift_data(o.reference, read);
  drift::ProfileOptions options{o.columns, o.exclude, o.numeric, o.categorical};
  const std::string text = unwrap(drift::make_profile(reference, options));
  unwrap(write_file_atomic(output, text));

  std::size_t columns = 0;
  for (const auto& c : reference.columns) {
    const bool listed = o.columns.empty() || std::find(o.columns.begin(), o.columns.end(), c.name) != o.columns.end();
    const bool excluded = std::find(o.exclude.begin(), o.exclude.end(), c.name) != o.exclude.end();
    columns += listed && !excluded ? 1 : 0;
  }
  if (out::settings().json) {
    nlohmann::ordered_json doc;
    doc["profile"] = o.output;
    doc["source"] = reference.source;
    doc["rows"] = reference.rows;
    doc["columns"] = columns;
    out::print_json(doc);
  } else {
    out::note(fmt::format("wrote {}: {} columns of {} ({} rows)", o.output, columns, reference.source, reference.rows));
  }
  return 0;
}

}  // namespace

void add_drift_profile(CLI::App& group) {
  auto options = std::make_shared<DriftProfileOptions>();
  auto* cmd = add_command(group, "profile", "Save a reference profile (bins and counts) for later drift checks",
                          [options] { return run_drift_profile(*options); });
  cmd->footer(
      "The profile keeps, per column, what PSI, Jensen-Shannon, chi-square and the Z-test need;\n"
      "`mlops drift check FILE.json CURRENT` then uses it as the reference.\n"
      "Example: mlops drift profile data/train.csv@v1.0 -o reference.json");
  cmd->add_option("reference", options->reference, "The reference data: a path, PATH@REV, or PATH@MODEL#STAGE")
      ->required();
  cmd->add_option("-o,--output", options->output, "Write the profile (JSON) to this file")
      ->required()
      ->option_text("FILE");
  cmd->add_option("--columns", options->columns, "Profile only these columns (comma-separated)")
      ->delimiter(',')
      ->option_text("A,B");
  cmd->add_option("--exclude", options->exclude, "Leave these columns out")->delimiter(',')->option_text("C");
  cmd->add_option("--numeric", options->numeric, "Treat these columns as numeric")->delimiter(',')->option_text("C");
  cmd->add_option("--categorical", options->categorical, "Treat these columns as categorical")
      ->delimiter(',')
      ->option_text("C");
  cmd->add_option("--delimiter", options->delimiter, "CSV field separator (default: detected; 'tab' for TSV)")
      ->option_text("C");
  add_json_flag(*cmd);
}

}  // namespace mlops::cli
