// `mlops schema infer DATA[@REV] [-o FILE]`: write a schema inferred from data, to be committed.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/drift.hpp"
#include "mlops/cli/commands/schema.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/schema/infer.hpp"
#include "mlops/schema/schema_io.hpp"
#include "mlops/schema/source.hpp"

namespace mlops::cli {

namespace {

struct SchemaInferOptions {
  std::string data;
  std::string output;
  std::size_t max_values = 20;
  std::string ranges = "observed";
  std::string delimiter;
  bool force = false;
};

int run_schema_infer(const SchemaInferOptions& o) {
  schema::InferOptions options;
  options.read.delimiter = parse_delimiter(o.delimiter);
  options.max_values = o.max_values;
  options.ranges = *schema::parse_ranges(o.ranges);  // CLI11 checked it is one of the three
  const std::string output = o.output.empty() ? schema::default_schema_path(o.data) : o.output;
  const bool to_stdout = output == "-";
  if (to_stdout && out::settings().json) {
    // Both would be the one document on stdout.
    throw Failure(bad_input("--json and -o - both print to stdout",
                            "with -o - the schema itself is the output; use -o FILE with --json for a JSON summary"));
  }
  // Before reading the data: a curated schema is not overwritten by accident, and a missing
  // folder is the user's to create.
  std::error_code ec;
  if (!to_stdout) {
    if (std::filesystem::exists(output, ec) && !o.force) {
      // The new schema goes beside the old one, so that the diff shows what curating changed.
      const std::string fresh =
          output.ends_with(".yaml") ? output.substr(0, output.size() - 5) + ".new.yaml" : output + ".new";
      throw Failure(bad_input(
          fmt::format("'{}' exists", output),
          fmt::format("it may hold checks you curated; to compare, write the new schema to another file and diff "
                      "them: `mlops schema infer {} -o {}` then `mlops schema diff {} {}`; to replace it, add --force",
                      o.data, fresh, output, fresh)));
    }
    const auto parent = std::filesystem::path(output).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      throw Failure(bad_input(fmt::format("cannot write '{}': folder '{}' does not exist", output, parent.string()),
                              fmt::format("create it first (mkdir -p {}) or choose another -o", parent.string())));
    }
  }
  auto parts = open_schema_data(o.data);
  const schema::Inferred inferred = unwrap(schema::infer_schema(parts, options));
  const std::string text = schema::write_schema(inferred.schema);
  if (to_stdout) {
    out::print(text);
    return 0;
  }
  unwrap(write_file_atomic(output, text));
  if (out::settings().json) {
    nlohmann::ordered_json doc;
    doc["schema"] = output;
    doc["data"] = o.data;
    doc["rows"] = inferred.rows;
    doc["columns"] = inferred.schema.columns.size();
    out::print_json(doc);
  } else {
    out::note(fmt::format("wrote {}: {} columns of {} ({} rows)", output, inferred.schema.columns.size(), o.data,
                          inferred.rows));
    out::hint(
        fmt::format("review it, commit it, and check new data with `mlops schema check DATA --schema {}`", output));
  }
  return 0;
}

}  // namespace

void add_schema_infer(CLI::App& group) {
  auto options = std::make_shared<SchemaInferOptions>();
  auto* cmd = add_command(group, "infer", "Write a schema (a data contract) inferred from DATA",
                          [options] { return run_schema_infer(*options); });
  cmd->footer(
      "DATA is a CSV, TSV or JSONL file (optionally .gz), a folder of them, PATH@REV or PATH@MODEL#STAGE.\n"
      "Types, columns and nullability become errors; observed ranges, value sets, lengths and\n"
      "uniqueness become warnings (docs/schema.md, 'Inference rules').\n"
      "Example: mlops schema infer data/train.csv --ranges padded");
  cmd->add_option("data", options->data, "The data: a path, a folder, PATH@REV or PATH@MODEL#STAGE")->required();
  cmd->add_option("-o,--output", options->output,
                  "Where to write the schema ('-' for stdout; default DATA.schema.yaml)")
      ->option_text("FILE");
  cmd->add_option("--max-values", options->max_values,
                  "List the values of string columns with at most N distinct values (0: never; default 20)")
      ->option_text("N");
  cmd->add_option("--ranges", options->ranges, "Numeric and date ranges: none, observed (default) or padded")
      ->check(CLI::IsMember({"none", "observed", "padded"}))
      ->option_text("HOW");
  cmd->add_option("--delimiter", options->delimiter, "CSV field separator (default: detected; 'tab' for TSV)")
      ->option_text("C");
  cmd->add_flag("--force", options->force, "Replace an existing schema file");
  add_json_flag(*cmd);
}

}  // namespace mlops::cli
