// The terminal and Markdown renderings of a schema check (report.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "mlops/core/output.hpp"
#include "mlops/schema/report.hpp"
#include "mlops/schema/values.hpp"

namespace mlops::schema {

namespace {

std::string verdict(const CheckReport& report, bool strict) {
  const std::size_t errors = report.failed_count(Severity::error), warnings = report.failed_count(Severity::warn);
  const std::size_t checked = static_cast<std::size_t>(std::count_if(
      report.checks.begin(), report.checks.end(), [](const CheckResult& c) { return c.status != Status::skipped; }));
  std::string what = report.failed(strict) ? "FAILED" : "passed";
  return fmt::format("schema check {}: {} rows, {} checks, {} failed ({} error{}, {} warning{})", what, report.rows,
                     checked, errors + warnings, errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
}

std::string subject(const CheckResult& c) { return c.column.empty() ? "(table)" : c.column; }

// A failed warning under --strict counts as an error.
bool counts_as_error(const CheckResult& c, bool strict) { return c.severity == Severity::error || strict; }

std::string cell(std::string_view text) {
  std::string s;
  for (char ch : text) {
    if (ch == '|')
      s += "\\|";
    else if (ch == '\n' || ch == '\r')
      s += ' ';
    else if (ch == '`')
      s += '\'';
    else
      s += ch;
  }
  return s;
}

}  // namespace

std::string unexpected_words(const CheckResult& c) {
  if (c.check == "rows" || (c.check == "columns" && c.unexpected == 0)) return c.note;
  if (c.check == "present") return c.note;
  return fmt::format("{} ({})", c.unexpected, percent(c.unexpected_share));
}

std::string examples_words(const CheckResult& c) {
  std::string out;
  for (std::size_t i = 0; i < c.examples.size(); ++i) {
    const Example& e = c.examples[i];
    std::string value = e.missing ? "null" : fmt::format("'{}'", e.value);
    if (c.check == "columns") value = e.value;
    std::string where;
    if (e.first_row)
      where = fmt::format(" (row {}, first in row {})", e.row, e.first_row);
    else if (e.row)
      where = fmt::format(" (row {})", e.row);
    out += (i ? ", " : "") + value + where;
  }
  return out;
}

std::string render_text(const CheckReport& report, bool strict, bool color) {
  std::string out;
  std::vector<const CheckResult*> shown;
  for (const auto& c : report.checks) {
    if (c.status != Status::passed) shown.push_back(&c);
  }
  // Errors first, then warnings, then skipped checks; in schema order within each.
  std::stable_sort(shown.begin(), shown.end(), [&](const CheckResult* a, const CheckResult* b) {
    auto rank = [&](const CheckResult* c) {
      return c->status == Status::skipped ? 2 : counts_as_error(*c, strict) ? 0 : 1;
    };
    return rank(a) < rank(b);
  });
  for (const CheckResult* c : shown) {
    std::string label;
    if (c->status == Status::skipped) {
      label = "SKIP ";
    } else if (counts_as_error(*c, strict)) {
      label = color ? out::paint("FAIL ", out::Style::red) : "FAIL ";
    } else {
      label = color ? out::paint("WARN ", out::Style::yellow) : "WARN ";
    }
    out += fmt::format("{} {} {}: expected {}", label, subject(*c), c->check, c->expected);
    if (c->status == Status::skipped) {
      out += fmt::format(" (skipped: {})\n", c->note);
      continue;
    }
    const bool counted = c->check != "present" && c->check != "rows" && c->check != "columns";
    out += counted ? fmt::format("; unexpected {}", unexpected_words(*c)) : fmt::format("; found {}", c->note);
    if (c->mostly < 1) out += fmt::format(", mostly {}", format_number(c->mostly));
    out += "\n";
    // The columns check's note already names the missing and extra columns.
    if (!c->examples.empty() && c->check != "columns") out += fmt::format("      {}\n", examples_words(*c));
  }
  std::string summary = verdict(report, strict);
  if (color) summary = out::paint(summary, report.failed(strict) ? out::Style::red : out::Style::green);
  return out + summary + "\n";
}

std::string render_markdown(const CheckReport& report, bool strict) {
  std::string md = fmt::format("### Schema check: {}\n\n", report.failed(strict) ? "failed" : "passed");
  md += fmt::format("`{}` against `{}`: {}.\n\n", cell(report.data), cell(report.schema), verdict(report, strict));
  md += "| status | severity | column | check | expected | unexpected | examples |\n";
  md += "|---|---|---|---|---|---:|---|\n";
  for (const auto& c : report.checks) {
    std::string status = c.status == Status::failed ? "**failed**" : std::string(to_string(c.status));
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", status, to_string(c.severity), cell(subject(c)),
                      c.check, cell(c.expected), cell(c.status == Status::skipped ? c.note : unexpected_words(c)),
                      cell(examples_words(c)));
  }
  return md;
}

}  // namespace mlops::schema
