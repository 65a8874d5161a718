// A single self-contained HTML page: no scripts, fonts or images from anywhere; charts are
// inline SVG.
#include <fmt/format.h>

#include <algorithm>

#include "mlops/core/html_escape.hpp"
#include "mlops/drift/report.hpp"

namespace mlops::drift {

namespace {

// Reference and current shares as overlaid bars, one pair per bin or category.
std::string chart(const Histogram& h) {
  const double width = 640, height = 180, left = 40, bottom = 20, top = 8;
  const std::size_t n = h.labels.size();
  if (n == 0) return {};
  double peak = 0;
  for (std::size_t i = 0; i < n; ++i) peak = std::max({peak, h.reference[i], h.current[i]});
  if (peak <= 0) peak = 1;
  const double plot_w = width - left - 4, plot_h = height - bottom - top;
  const double slot = plot_w / static_cast<double>(n);
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img">)", width,
      height);
  svg += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#888"/>)", left, top + plot_h, width - 4);
  svg += fmt::format(R"(<text x="2" y="{}" font-size="10" fill="#555">{:.0f}%</text>)", top + 8, peak * 100);
  for (std::size_t i = 0; i < n; ++i) {
    double x = left + slot * static_cast<double>(i) + slot * 0.1;
    double w = slot * 0.8;
    double hr = h.reference[i] / peak * plot_h, hc = h.current[i] / peak * plot_h;
    std::string tip = fmt::format("{}: reference {:.2f}%, current {:.2f}%", html_escape(h.labels[i]),
                                  h.reference[i] * 100, h.current[i] * 100);
    svg += fmt::format(
        R"(<g><title>{}</title><rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="#4c78a8" fill-opacity="0.6"/>)",
        tip, x, top + plot_h - hr, w, hr);
    svg += fmt::format(
        R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="#f58518" fill-opacity="0.6"/></g>)", x,
        top + plot_h - hc, w, hc);
  }
  std::string first = html_escape(h.labels.front()), last = html_escape(h.labels.back());
  svg += fmt::format(R"(<text x="{}" y="{}" font-size="10" fill="#555">{}</text>)", left, height - 6, first);
  if (n > 1)
    svg += fmt::format(R"(<text x="{}" y="{}" font-size="10" fill="#555" text-anchor="end">{}</text>)", width - 4,
                       height - 6, last);
  svg += "</svg>";
  return svg;
}

}  // namespace

std::string render_html(const Report& report) {
  std::string html = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mlops drift report</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left}
th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums}
.drift{color:#b00020;font-weight:bold}.ok{color:#1b7f3b}.col{margin:1.5em 0;border-top:1px solid #eee;padding-top:.5em}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
</style></head><body>
)";
  html += fmt::format("<h1>Drift report: <span class=\"{}\">{}</span></h1>\n", report.drift_found() ? "drift" : "ok",
                      html_escape(report.verdict(false)));
  html += fmt::format(
      "<p>Reference <code>{}</code> ({} rows), current <code>{}</code> ({} rows). {} of {} columns drifted "
      "({:.1f}%; the dataset drifts at {:.1f}%).</p>\n",
      html_escape(report.reference), report.reference_rows, html_escape(report.current), report.current_rows,
      report.drifted, report.columns.size(), report.share() * 100, report.drift_share * 100);
  html +=
      "<table><tr><th>column</th><th>type</th><th>method</th><th>statistic</th><th>p-value</th><th>threshold</th>"
      "<th>drift</th><th>missing ref → cur</th></tr>\n";
  for (const auto& c : report.columns) {
    std::string name =
        c.role == Role::feature ? html_escape(c.name) : fmt::format("{} ({})", html_escape(c.name), to_string(c.role));
    html += fmt::format(
        "<tr><td><a href=\"#col-{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td "
        "class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"{}\">{}</td><td>{:.1f}% → {:.1f}%{}</td></tr>\n",
        &c - report.columns.data(), name, to_string(c.type), html_escape(display_name(c.method)),
        format_number(c.statistic), format_number(c.p_value), format_number(c.threshold), c.drifted ? "drift" : "ok",
        c.drifted ? "drift" : "ok", c.reference_missing_share() * 100, c.current_missing_share() * 100,
        c.missing_changed ? " ⚠" : "");
  }
  html += "</table>\n";
  for (const auto& s : report.skipped)
    html += fmt::format("<p>Skipped <code>{}</code>: {}.</p>\n", html_escape(s.name), html_escape(s.reason));
  html +=
      R"(<p class="legend"><span style="background:#4c78a8;opacity:.6"></span>reference<span style="background:#f58518;opacity:.6"></span>current</p>)";
  for (const auto& c : report.columns) {
    html += fmt::format("<div class=\"col\" id=\"col-{}\"><h2>{} <small class=\"{}\">{}</small></h2>\n",
                        &c - report.columns.data(), html_escape(c.name), c.drifted ? "drift" : "ok",
                        c.drifted ? "drift" : "no drift");
    html +=
        fmt::format("<p>{} · {} = {}{} · threshold {}</p>\n", to_string(c.type), html_escape(display_name(c.method)),
                    format_number(uses_p_value(c.method) ? c.p_value : c.statistic),
                    uses_p_value(c.method) ? fmt::format(" (statistic {})", format_number(c.statistic)) : "",
                    format_number(c.threshold));
    if (!c.unseen.empty()) {
      std::string names;
      for (std::size_t i = 0; i < c.unseen.size() && i < 20; ++i) names += (i ? ", " : "") + html_escape(c.unseen[i]);
      html += fmt::format("<p>Unseen categories: {}</p>\n", names);
    }
    html += chart(c.histogram);
    html += "</div>\n";
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace mlops::drift
