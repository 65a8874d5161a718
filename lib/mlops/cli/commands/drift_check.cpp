// `mlops drift check REFERENCE CURRENT`: column-by-column drift between two datasets.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/drift.hpp"
#include "mlops/cli/commands/schema.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/drift/check.hpp"
#include "mlops/drift/config.hpp"
#include "mlops/drift/kept.hpp"
#include "mlops/drift/profile.hpp"
#include "mlops/drift/reader.hpp"
#include "mlops/drift/report.hpp"
#include "mlops/drift/settings.hpp"
#include "mlops/drift/source.hpp"
#include "mlops/schema/check.hpp"
#include "mlops/schema/report.hpp"

namespace mlops::cli {

namespace {

namespace fs = std::filesystem;

struct DriftCheckOptions {
  std::string reference;
  std::string current;
  std::vector<std::string> columns, exclude, numeric, categorical;
  std::string prediction, target;
  std::string config;
  std::optional<double> drift_share;
  std::string fail_on = "dataset";
  std::string method;
  std::string delimiter;
  bool all_stats = false;
  bool markdown = false;
  std::string html;
  std::string schema;  // also check CURRENT against this schema (mlops schema check)
  bool keep = false;   // keep the report in the store (.mlops/drift/reports/) for `mlops ui`
};

// drift_share: the flag, else --config, else .mlops/config.yaml in the repository, else 0.5.
double drift_share(const DriftCheckOptions& o, const drift::DriftConfig& config) {
  if (o.drift_share) return *o.drift_share;
  if (config.drift_share) return *config.drift_share;
  if (auto repo = find_store(); repo) return unwrap(drift::load_drift_share(*repo));
  return drift::kDefaultDriftShare;
}

int run_drift_check(const DriftCheckOptions& o) {
  // --keep needs a store; asked first, so that a check outside one fails before reading any data.
  std::optional<Repo> keep_in;
  if (o.keep) keep_in = require_store();
  drift::ReadOptions read;
  read.delimiter = parse_delimiter(o.delimiter);
  drift::DriftConfig config;
  if (!o.config.empty()) config = unwrap(drift::load_drift_config(o.config));

  drift::CheckOptions check;
  check.columns = o.columns;
  check.exclude = o.exclude;
  check.numeric = o.numeric;
  check.categorical = o.categorical;
  check.prediction = o.prediction;
  check.target = o.target;
  check.thresholds = config.thresholds;
  check.per_column = config.columns;
  check.all_stats = o.all_stats;
  check.histograms = !o.html.empty() || o.keep;
  if (!o.method.empty()) {
    check.method = drift::parse_method(o.method);
    if (!check.method) {
      throw Failure(bad_input(fmt::format("unknown method '{}'", o.method),
                              "methods: ks, wasserstein, psi, jensenshannon, chisquare, ztest"));
    }
  }
  for (const auto& name : o.numeric) {
    if (std::find(o.categorical.begin(), o.categorical.end(), name) != o.categorical.end()) {
      throw Failure(
          bad_input(fmt::format("column '{}' is both --numeric and --categorical", name), "give one of them"));
    }
  }
  check.drift_share = drift_share(o, config);
  check.fail_on = *drift::parse_fail_on(o.fail_on);  // CLI11 checked it is one of the three

  // A saved profile (`mlops drift profile`) stands for the reference data.
  const bool profile = drift::is_profile(o.reference);
  drift::Dataset reference = profile ? unwrap(drift::read_profile(o.reference)) : load_drift_data(o.reference, read);
  if (drift::is_profile(o.current)) {
    throw Failure(bad_input(fmt::format("'{}' is a drift profile; only the reference can be one", o.current),
                            "give the current data as a CSV, TSV or JSONL file"));
  }
  // --schema: CURRENT is opened (mapped, inflated) once; the schema check and drift each parse it.
  std::optional<schema::CheckReport> contract;
  drift::Dataset current;
  if (o.schema.empty()) {
    current = load_drift_data(o.current, read);
  } else {
    const schema::Schema rules = load_schema_arg(o.schema);
    auto parts = open_schema_data(o.current);
    schema::CheckOptions options;
    options.read = read;
    contract = unwrap(schema::check_schema(rules, parts, options));
    contract->data = o.current;
    contract->schema = o.schema;
    current = unwrap(drift::read_dataset(o.current, parts, read));
  }
  for (const auto& [name, settings] : config.columns) {
    if (!reference.find(name) && !current.find(name))
      out::warn(fmt::format("'{}' names column '{}', which neither dataset has", o.config, name));
  }
  drift::Report report = unwrap(drift::check_drift(reference, current, check));
  if (report.columns.empty()) {
    throw Failure(bad_input("no column could be checked",
                            report.skipped.empty() ? "choose columns with --columns"
                                                   : fmt::format("'{}' was skipped: {}", report.skipped.front().name,
                                                                 report.skipped.front().reason)));
  }

  for (const auto& s : report.skipped) out::warn(fmt::format("column '{}' not checked: {}", s.name, s.reason));
  for (const auto& c : report.columns) {
    if (c.constant_reference) {
      out::warn(fmt::format(
          "column '{}' is constant in the reference: its Wasserstein distance is normed by 0.001 instead of 0",
          c.name));
    }
  }
  if (!o.html.empty()) unwrap(write_file_atomic(o.html, drift::render_html(report)));
  std::string kept;
  if (keep_in) kept = unwrap(drift::keep_report(*keep_in, report, static_cast<std::int64_t>(std::time(nullptr))));

  // `failed` is true exactly when the exit code is 1 (docs/conventions.md): a failed --schema
  // check fails the command as drift does.
  const bool failed = report.failed() || (contract && contract->failed(false));
  if (out::settings().json) {
    auto doc = drift::render_json(report);
    doc["failed"] = failed;
    if (contract) doc["schema"] = schema::render_json(*contract, false);
    if (keep_in) {
      doc["kept"] = {
          {"id", kept},
          {"path", fs::relative(drift::kept_reports_dir(*keep_in) / (kept + ".json"), keep_in->root).string()}};
    }
    out::print_json(doc);
  } else if (o.markdown) {
    out::print(drift::render_markdown(report));
    if (contract) out::print("\n" + schema::render_markdown(*contract, false));
  } else {
    out::print(drift::render_table(report, out::settings().color_stdout));
    if (contract) out::print("\n" + schema::render_text(*contract, false, out::settings().color_stdout));
  }
  if (!o.html.empty()) out::note(fmt::format("wrote {}", o.html));
  if (keep_in) out::note(fmt::format("kept drift report {} (the Drift page of 'mlops ui' shows it)", kept));

  return failed ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

char parse_delimiter(const std::string& text) {
  if (text.empty()) return 0;
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') return text[0];
  throw Failure(bad_input(fmt::format("bad delimiter '{}'", text),
                          "give one character, e.g. --delimiter ';' or --delimiter tab"));
}

drift::Dataset load_drift_data(const std::string& given, const drift::ReadOptions& read) {
  // PATH@churn#production: the data the production model was trained on.
  std::string spec = given;
  std::error_code ec;
  if (!std::filesystem::exists(given, ec)) {
    if (auto repo = find_store(); repo) spec = resolve_path_revision(*repo, given);
  }
  auto parts = unwrap(drift::open_source(spec));
  // Reports name the data as the user did (churn#production), not by the commit it stands for.
  return unwrap(drift::read_dataset(given, parts, read));
}

void add_drift_check(CLI::App& group) {
  auto options = std::make_shared<DriftCheckOptions>();
  auto* cmd = add_command(group, "check", "Compare CURRENT with REFERENCE column by column and report drift",
                          [options] { return run_drift_check(*options); });
  cmd->footer(
      "REFERENCE and CURRENT are CSV, TSV or JSONL files (optionally .gz), or PATH@REV: the data\n"
      "version that PATH.mlops pointed to at git revision REV. REFERENCE may also be a profile\n"
      "saved by `mlops drift profile` (then KS and Wasserstein give way to Jensen-Shannon).\n"
      "Exit status: 0 no drift, 1 drift (see --fail-on) or a failed --schema check, 2 bad input.\n"
      "Example: mlops drift check data/train.csv@v1.0 data/today.csv --prediction score --html drift.html");
  cmd->add_option("reference", options->reference,
                  "The reference data: a path, PATH@REV, or PATH@MODEL#STAGE (the version the model was trained on)")
      ->required();
  cmd->add_option("current", options->current, "The current data: a path, PATH@REV or PATH@MODEL#STAGE")->required();
  cmd->add_option("--columns", options->columns, "Check only these columns (comma-separated)")
      ->delimiter(',')
      ->option_text("A,B");
  cmd->add_option("--exclude", options->exclude, "Leave these columns out")->delimiter(',')->option_text("C");
  cmd->add_option("--numeric", options->numeric, "Treat these columns as numeric")->delimiter(',')->option_text("C");
  cmd->add_option("--categorical", options->categorical, "Treat these columns as categorical")
      ->delimiter(',')
      ->option_text("C");
  cmd->add_option("--prediction", options->prediction, "The model's prediction column (reported first)")
      ->option_text("COL");
  cmd->add_option("--target", options->target, "The target column (reported as target drift)")->option_text("COL");
  cmd->add_option("--config", options->config, "Per-column methods and thresholds, drift share (YAML)")
      ->option_text("FILE");
  cmd->add_option("--drift-share", options->drift_share,
                  "Share of drifted columns that means dataset drift (default 0.5)")
      ->check(CLI::Range(0.0, 1.0))
      ->option_text("X");
  cmd->add_option("--fail-on", options->fail_on, "Exit 1 on dataset drift, on any drifted column, or never")
      ->check(CLI::IsMember({"dataset", "column", "never"}))
      ->option_text("WHAT");
  cmd->add_option("--method", options->method,
                  "Judge every column with this method (ks, wasserstein, psi, jensenshannon, chisquare, ztest)")
      ->option_text("M");
  cmd->add_option("--delimiter", options->delimiter, "CSV field separator (default: detected; 'tab' for TSV)")
      ->option_text("C");
  cmd->add_flag("--all-stats", options->all_stats, "Compute every applicable statistic for each column");
  cmd->add_flag("--markdown", options->markdown, "Print a Markdown report (for a CI comment)");
  cmd->add_option("--html", options->html, "Also write a self-contained HTML report with charts")->option_text("FILE");
  cmd->add_option("--schema", options->schema,
                  "Also check CURRENT against this schema (mlops schema check); exit 1 when it fails")
      ->option_text("FILE");
  cmd->add_flag("--keep", options->keep,
                "Keep the report in the store (.mlops/drift/reports/), for the Drift page of 'mlops ui'");
  add_json_flag(*cmd);
}

}  // namespace mlops::cli
