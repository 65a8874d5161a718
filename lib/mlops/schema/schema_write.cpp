// The canonical YAML text of a schema: fixed key order, flow style for the long form of a check,
// and one quoting rule, so that the same schema always gives the same bytes.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/yaml_quote.hpp"
#include "mlops/drift/text.hpp"
#include "mlops/schema/schema_io.hpp"
#include "mlops/schema/values.hpp"

namespace mlops::schema {

namespace {

bool looks_numeric(std::string_view t) {
  double v;
  bool integral;
  int decimals;
  return drift::parse_number(t, v, integral, decimals);
}

// Text values: plain when safe, else double-quoted. `numbers_plain` for values of numeric
// columns, which read back the same either way and read better plain.
std::string scalar(std::string_view t, bool numbers_plain = false) {
  if (yaml_plain_safe(t) || (numbers_plain && looks_numeric(t) && t.find_first_of(" #,[]{}:") == std::string_view::npos))
    return std::string(t);
  return yaml_double_quoted(t);
}

// The long form's trailing keys: `mostly` when not 1, `severity` when not error.
void tail(std::vector<std::string>& fields, double mostly, Severity severity) {
  if (mostly != 1) fields.push_back(fmt::format("mostly: {}", format_number(mostly)));
  if (severity != Severity::error) fields.push_back(fmt::format("severity: {}", to_string(severity)));
}

std::string flow(const std::vector<std::string>& fields) {
  std::string out = "{";
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? ", " : "") + fields[i];
  return out + "}";
}

// `short_text` when the check has the default mostly and severity, else {value_key: short, ...}.
std::string check(std::string_view value_key, const std::string& short_text, double mostly, Severity severity) {
  if (mostly == 1 && severity == Severity::error) return short_text;
  std::vector<std::string> fields{fmt::format("{}: {}", value_key, short_text)};
  tail(fields, mostly, severity);
  return flow(fields);
}

bool numeric(Type t) { return t == Type::integer || t == Type::floating; }

void write_column(std::string& out, const ColumnRules& c) {
  out += fmt::format("  - name: {}\n", scalar(c.name));
  auto line = [&](std::string_view key, const std::string& value) { out += fmt::format("    {}: {}\n", key, value); };
  if (c.type) line("type", check("is", std::string(to_string(c.type->type)), c.type->mostly, c.type->severity));
  if (c.nullable) line("nullable", check("is", c.nullable->allowed ? "true" : "false", 1, c.nullable->severity));
  if (c.present) line("present", check("min", format_number(c.present->min), 1, c.present->severity));
  if (c.unique) line("unique", check("is", c.unique->unique ? "true" : "false", c.unique->mostly, c.unique->severity));
  const bool plain_numbers = numeric(c.value_type());
  if (c.values) {
    std::string list = "[";
    for (std::size_t i = 0; i < c.values->allowed.size(); ++i)
      list += (i ? ", " : "") + scalar(c.values->allowed[i], plain_numbers);
    list += "]";
    line("values", check("in", list, c.values->mostly, c.values->severity));
  }
  if (c.range) {
    std::vector<std::string> fields;
    if (c.range->min) fields.push_back(fmt::format("min: {}", scalar(*c.range->min, plain_numbers)));
    if (c.range->max) fields.push_back(fmt::format("max: {}", scalar(*c.range->max, plain_numbers)));
    tail(fields, c.range->mostly, c.range->severity);
    line("range", flow(fields));
  }
  if (c.length) {
    std::vector<std::string> fields;
    if (c.length->min) fields.push_back(fmt::format("min: {}", *c.length->min));
    if (c.length->max) fields.push_back(fmt::format("max: {}", *c.length->max));
    tail(fields, c.length->mostly, c.length->severity);
    line("length", flow(fields));
  }
  if (c.regex) line("regex", check("pattern", yaml_double_quoted(c.regex->pattern), c.regex->mostly, c.regex->severity));
}

}  // namespace

std::string write_schema(const Schema& schema) {
  std::string out =
      "# A data contract, checked by `mlops schema check` (docs/schema.md). Edit it freely;\n"
      "# unknown keys are errors. Severity warn: reported, fails only with --strict.\n";
  out += fmt::format("version: {}\n", schema.version);
  if (schema.rows || schema.columns_rule) {
    out += "table:\n";
    if (schema.rows) {
      std::vector<std::string> fields;
      if (schema.rows->min) fields.push_back(fmt::format("min: {}", *schema.rows->min));
      if (schema.rows->max) fields.push_back(fmt::format("max: {}", *schema.rows->max));
      tail(fields, 1, schema.rows->severity);
      out += fmt::format("  rows: {}\n", flow(fields));
    }
    if (schema.columns_rule) {
      out += fmt::format("  columns: {}\n", check("is", std::string(to_string(schema.columns_rule->rule)), 1,
                                                  schema.columns_rule->severity));
    }
  }
  if (schema.columns.empty()) return out + "columns: []\n";
  out += "columns:\n";
  for (const auto& c : schema.columns) write_column(out, c);
  return out;
}

}  // namespace mlops::schema
