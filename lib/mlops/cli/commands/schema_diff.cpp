// `mlops schema diff OLD NEW`: the changes between two schemas, in words (for a pull request).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/schema.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/schema/diff.hpp"

namespace mlops::cli {

namespace {

struct SchemaDiffOptions {
  std::string before;
  std::string after;
  bool exit_code = false;
};

std::string_view sign(schema::ChangeKind k) {
  switch (k) {
    case schema::ChangeKind::added:
      return "+";
    case schema::ChangeKind::removed:
      return "-";
    default:
      return "~";
  }
}

int run_schema_diff(const SchemaDiffOptions& o) {
  const schema::Schema before = load_schema_arg(o.before);
  const schema::Schema after = load_schema_arg(o.after);
  const auto changes = schema::diff_schemas(before, after);
  if (out::settings().json) {
    nlohmann::ordered_json doc;
    doc["old"] = o.before;
    doc["new"] = o.after;
    auto list = nlohmann::ordered_json::array();
    for (const auto& c : changes) {
      list.push_back({{"column", c.column.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.column)},
                      {"check", c.check.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.check)},
                      {"kind", schema::to_string(c.kind)},
                      {"text", c.text}});
    }
    doc["changes"] = std::move(list);
    out::print_json(doc);
  } else if (changes.empty()) {
    out::note(fmt::format("no changes between {} and {}", o.before, o.after));
  } else {
    std::string text;
    for (const auto& c : changes) {
      text += fmt::format("{} {}: {} ({})\n", sign(c.kind), c.column.empty() ? "(table)" : c.column, c.text,
                          schema::to_string(c.kind));
    }
    out::print(text);
  }
  return o.exit_code && !changes.empty() ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

void add_schema_diff(CLI::App& group) {
  auto options = std::make_shared<SchemaDiffOptions>();
  auto* cmd = add_command(group, "diff", "Show what changed between two schemas, in words",
                          [options] { return run_schema_diff(*options); });
  cmd->footer(
      "OLD and NEW are schema files or FILE@REV (a commit, branch, tag or MODEL#STAGE).\n"
      "Each change says whether it loosens the contract (more data passes) or tightens it.\n"
      "Example: mlops schema diff data/train.csv.schema.yaml@main data/train.csv.schema.yaml");
  cmd->add_option("old", options->before, "The old schema: FILE or FILE@REV")->required();
  cmd->add_option("new", options->after, "The new schema: FILE or FILE@REV")->required();
  cmd->add_flag("--exit-code", options->exit_code, "Exit 1 when the schemas differ");
  add_json_flag(*cmd);
}

}  // namespace mlops::cli
