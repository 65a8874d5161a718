#include <fmt/format.h>

#include "mlops/drift/report.hpp"

namespace mlops::drift {

namespace {

// Table cells must not break the Markdown table.
std::string cell(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == '|')
      s += "\\|";
    else if (c == '\n')
      s += ' ';
    else
      s += c;
  }
  return s;
}

}  // namespace

std::string render_markdown(const Report& report) {
  std::string md = fmt::format("### Drift check: {}\n\n", report.verdict(false));
  md += fmt::format(
      "Reference `{}` ({} rows) vs current `{}` ({} rows): **{} of {} columns drifted** ({:.1f}%, dataset drift at "
      "{:.1f}%).\n\n",
      cell(report.reference), report.reference_rows, cell(report.current), report.current_rows, report.drifted,
      report.columns.size(), report.share() * 100, report.drift_share * 100);
  md += "| column | type | method | statistic | p-value | threshold | drift | missing ref → cur |\n";
  md += "|---|---|---|---:|---:|---:|---|---|\n";
  for (const auto& c : report.columns) {
    std::string name = c.role == Role::feature ? c.name : fmt::format("{} ({})", c.name, to_string(c.role));
    md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {:.1f}% → {:.1f}%{} |\n", cell(name), to_string(c.type),
                      method_label(c), format_number(c.statistic), format_number(c.p_value), format_number(c.threshold),
                      c.drifted ? "**drift**" : "ok", c.reference_missing_share() * 100,
                      c.current_missing_share() * 100, c.missing_changed ? " ⚠" : "");
  }
  for (const auto& c : report.columns) {
    if (c.unseen.empty()) continue;
    std::string names;
    for (std::size_t i = 0; i < c.unseen.size() && i < 10; ++i)
      names += (i ? ", " : "") + fmt::format("`{}`", cell(c.unseen[i]));
    if (c.unseen.size() > 10) names += fmt::format(" and {} more", c.unseen.size() - 10);
    md += fmt::format("\nUnseen categories in `{}`: {}\n", cell(c.name), names);
  }
  if (!report.skipped.empty()) {
    md += "\nSkipped:\n";
    for (const auto& s : report.skipped) md += fmt::format("- `{}`: {}\n", cell(s.name), s.reason);
  }
  return md;
}

}  // namespace mlops::drift
