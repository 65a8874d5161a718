// The HTML rendering of a schema check (report.hpp): one self-contained page, no scripts.
#include <fmt/format.h>

#include <string>

#include "mlops/core/html_escape.hpp"
#include "mlops/schema/report.hpp"

namespace mlops::schema {

std::string render_html(const CheckReport& report, bool strict) {
  const bool failed = report.failed(strict);
  std::string html = fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Schema check: {}</title>\n"
      "<style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}"
      "td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}}"
      ".failed{{background:#fdd}}.warn{{background:#ffd}}.skipped{{color:#888}}code{{font-size:90%}}</style>\n"
      "</head><body>\n<h1>Schema check {}</h1>\n<p><code>{}</code> against <code>{}</code>: {} rows; {} failed "
      "error checks, {} failed warnings.</p>\n",
      html_escape(report.data), failed ? "failed" : "passed", html_escape(report.data), html_escape(report.schema),
      report.rows, report.failed_count(Severity::error), report.failed_count(Severity::warn));
  html +=
      "<table><tr><th>status</th><th>severity</th><th>column</th><th>check</th><th>expected</th><th>unexpected</th>"
      "<th>examples</th></tr>\n";
  for (const auto& c : report.checks) {
    std::string cls;
    if (c.status == Status::skipped)
      cls = "skipped";
    else if (c.status == Status::failed)
      cls = c.severity == Severity::error || strict ? "failed" : "warn";
    html += fmt::format(
        "<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", cls,
        to_string(c.status), to_string(c.severity), html_escape(c.column.empty() ? "(table)" : c.column), c.check,
        html_escape(c.expected), html_escape(c.status == Status::skipped ? c.note : unexpected_words(c)),
        html_escape(examples_words(c)));
  }
  return html + "</table>\n</body></html>\n";
}

}  // namespace mlops::schema
