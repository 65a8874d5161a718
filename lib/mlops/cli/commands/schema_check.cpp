// `mlops schema check DATA[@REV] [--schema FILE]`: check data against its committed schema.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/drift.hpp"
#include "mlops/cli/commands/schema.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/schema/check.hpp"
#include "mlops/schema/report.hpp"
#include "mlops/schema/source.hpp"

namespace mlops::cli {

namespace {

struct SchemaCheckOptions {
  std::string data;
  std::string schema;
  bool strict = false;
  bool markdown = false;
  std::string html;
  std::size_t examples = 5;
  std::string delimiter;
};

int run_schema_check(const SchemaCheckOptions& o) {
  schema::CheckOptions options;
  options.read.delimiter = parse_delimiter(o.delimiter);
  options.examples = o.examples;
  const std::string schema_file = o.schema.empty() ? schema::default_schema_path(o.data) : o.schema;
  // The schema first: a malformed one is reported before any data is read.
  const schema::Schema contract = load_schema_arg(schema_file);
  auto parts = open_schema_data(o.data);
  schema::CheckReport report = unwrap(schema::check_schema(contract, parts, options));
  report.data = o.data;
  report.schema = schema_file;

  if (!o.html.empty()) unwrap(write_file_atomic(o.html, schema::render_html(report, o.strict)));
  if (out::settings().json) {
    out::print_json(schema::render_json(report, o.strict));
  } else if (o.markdown) {
    out::print(schema::render_markdown(report, o.strict));
  } else {
    out::print(schema::render_text(report, o.strict, out::settings().color_stdout));
  }
  if (!o.html.empty()) out::note(fmt::format("wrote {}", o.html));
  return report.failed(o.strict) ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

void add_schema_check(CLI::App& group) {
  auto options = std::make_shared<SchemaCheckOptions>();
  auto* cmd = add_command(group, "check", "Check DATA against a schema in one streaming pass",
                          [options] { return run_schema_check(*options); });
  cmd->footer(
      "DATA is a CSV, TSV or JSONL file (optionally .gz), a folder of them, PATH@REV or PATH@MODEL#STAGE;\n"
      "the schema defaults to DATA.schema.yaml (without @REV). The schema may be FILE@REV.\n"
      "Exit status: 0 every error-level check passed (warnings are printed), 1 a check failed\n"
      "(--strict: warnings too), 2 a malformed schema or malformed data, 3 an I/O error.\n"
      "Example: mlops schema check data/new_batch.csv --schema data/train.csv.schema.yaml");
  cmd->add_option("data", options->data, "The data: a path, a folder, PATH@REV or PATH@MODEL#STAGE")->required();
  cmd->add_option("--schema", options->schema, "The schema file or FILE@REV (default DATA.schema.yaml)")
      ->option_text("FILE");
  cmd->add_flag("--strict", options->strict, "Fail on failed warnings too");
  auto* markdown = cmd->add_flag("--markdown", options->markdown, "Print a Markdown report (for a CI comment)");
  cmd->add_option("--html", options->html, "Also write a self-contained HTML report")->option_text("FILE");
  cmd->add_option("--examples", options->examples, "Distinct failing values to show per check (default 5)")
      ->option_text("N");
  cmd->add_option("--delimiter", options->delimiter, "CSV field separator (default: detected; 'tab' for TSV)")
      ->option_text("C");
  add_json_flag(*cmd);
  markdown->excludes(cmd->get_option("--json"));  // both are the one report on stdout
}

}  // namespace mlops::cli
