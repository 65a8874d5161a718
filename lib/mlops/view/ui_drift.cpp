// The Drift page of `mlops ui`: the drift reports kept in the store (`mlops drift check --keep`),
// newest first, and each report with its column table and a chart of every column's
// distributions (reference against current), read from the kept JSON documents.
#include <fmt/format.h>

#include "mlops/drift/kept.hpp"
#include "mlops/drift/report.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/view/chart_svg.hpp"
#include "mlops/view/html.hpp"
#include "mlops/view/page.hpp"
#include "mlops/view/ui_pages.hpp"

namespace mlops::view {

namespace {

using nlohmann::ordered_json;

// A statistic as the drift reports print it: a number, "inf" (kept as a string: JSON has no
// infinity), or a dash for none.
std::string stat_text(const ordered_json& value) {
  if (value.is_number()) return drift::format_number(value.get<double>());
  if (value.is_string()) return value.get<std::string>();
  return "-";
}

std::string text_of(const ordered_json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string percent(const ordered_json& value) {
  return value.is_number() ? fmt::format("{:.1f}%", value.get<double>() * 100) : "-";
}

std::vector<double> drift_shares(const ordered_json& array) {
  std::vector<double> values;
  if (!array.is_array()) return values;
  for (const auto& v : array) values.push_back(v.is_number() ? v.get<double>() : 0.0);
  return values;
}

// The verdict's class: drift (red) or ok (green), as the stored heading says.
const char* verdict_class(const ordered_json& doc) {
  const auto& report = doc.at("report");  // read_kept_report checked it is there
  bool drift = report.value("failed", false) || report.value("dataset_drift", false);
  return drift ? "status-failed" : "status-finished";
}

std::string column_section(const ordered_json& column, std::size_t index) {
  const std::string name = text_of(column, "name");
  const bool drifted = column.value("drifted", false);
  std::string html =
      fmt::format("<section id=\"col-{}\"><h3>{} <span class=\"{}\">{}</span></h3>\n", index, escape(name),
                  drifted ? "status-failed" : "status-finished", drifted ? "drift" : "no drift");
  html += fmt::format("<p>{} · {} statistic {} · p-value {} · threshold {}</p>\n", escape(text_of(column, "type")),
                      escape(text_of(column, "method")), stat_text(column.value("statistic", ordered_json())),
                      stat_text(column.value("p_value", ordered_json())),
                      stat_text(column.value("threshold", ordered_json())));
  if (auto unseen = column.find("unseen_categories");
      unseen != column.end() && unseen->is_array() && !unseen->empty()) {
    std::string names;
    for (std::size_t i = 0; i < unseen->size() && i < 20; ++i) {
      names += (i ? ", " : "") + escape((*unseen)[i].is_string() ? (*unseen)[i].get<std::string>() : "");
    }
    html += fmt::format("<p>Categories the reference never had: {}{}</p>\n", names, unseen->size() > 20 ? ", …" : "");
  }
  auto histogram = column.find("histogram");
  if (histogram == column.end() || !histogram->is_object()) return html + "</section>\n";
  HistogramBins bins;
  for (const auto& label : histogram->value("labels", ordered_json::array())) {
    bins.labels.push_back(label.is_string() ? label.get<std::string>() : "");
  }
  bins.reference = drift_shares(histogram->value("reference", ordered_json::array()));
  bins.current = drift_shares(histogram->value("current", ordered_json::array()));
  if (bins.labels.empty()) return html + "</section>\n";
  html += "<figure>" + histogram_chart(fmt::format("{}: reference and current", name), bins);
  html +=
      "<ul class=\"legend\"><li><span class=\"swatch s0\"></span>reference</li>"
      "<li><span class=\"swatch s1\"></span>current</li></ul>";
  html +=
      "<details><summary>Data table</summary><table><thead><tr><th>bin or category</th><th class=\"num\">"
      "reference</th><th class=\"num\">current</th></tr></thead><tbody>";
  for (std::size_t i = 0; i < bins.labels.size() && i < bins.reference.size() && i < bins.current.size(); ++i) {
    html += fmt::format("<tr><td>{}</td><td class=\"num\">{:.2f}%</td><td class=\"num\">{:.2f}%</td></tr>",
                        escape(bins.labels[i]), bins.reference[i] * 100, bins.current[i] * 100);
  }
  return html + "</tbody></table></details></figure></section>\n";
}

}  // namespace

UiResponse drift_page(const Repo& repo) {
  Page page;
  page.title = "Drift";
  auto ids = drift::list_kept_reports(repo);
  if (!ids) return error_page(500, "Drift", ids.error().message);
  if (ids->empty()) {
    page.body =
        "<p>No drift reports kept yet: keep one with <code>mlops drift check REFERENCE CURRENT --keep</code>.</p>\n";
    return ui_html_response(200, std::move(page));
  }
  std::string body = fmt::format("<p>{} kept report{}, newest first.</p>\n", ids->size(), ids->size() == 1 ? "" : "s");
  body +=
      "<div class=\"wrap\"><table><thead><tr><th>report</th><th>kept</th><th>reference</th><th>current</th>"
      "<th>verdict</th><th class=\"num\">drifted columns</th></tr></thead><tbody>\n";
  for (const auto& id : *ids) {
    auto doc = drift::read_kept_report(repo, id);
    if (!doc) {
      body += fmt::format("<tr><td><code>{}</code></td><td colspan=\"5\" role=\"alert\">{}</td></tr>\n", escape(id),
                          escape(doc.error().message));
      continue;
    }
    const auto& report = (*doc)["report"];
    auto source = [&](const char* side) {
      auto it = report.find(side);
      return it != report.end() && it->is_object() ? text_of(*it, "source") : std::string();
    };
    body += fmt::format(
        "<tr><td><a href=\"/drift/{0}\"><code>{0}</code></a></td><td>{1}</td><td><code>{2}</code></td>"
        "<td><code>{3}</code></td><td class=\"{4}\">{5}</td><td class=\"num\">{6} of {7}</td></tr>\n",
        escape(id), escape(tracking::display_time(text_of(*doc, "created"))), escape(source("reference")),
        escape(source("current")), verdict_class(*doc), escape(text_of(*doc, "verdict")),
        report.value("drifted_columns", 0), report.value("checked_columns", 0));
  }
  page.body = body + "</tbody></table></div>\n";
  return ui_html_response(200, std::move(page));
}

UiResponse drift_report_page(const Repo& repo, std::string_view id) {
  auto doc = drift::read_kept_report(repo, id);
  if (!doc) return error_page(doc.error().exit == Exit::bad_input ? 404 : 500, "Drift", doc.error().message);
  const auto& report = (*doc)["report"];
  Page page;
  page.title = fmt::format("Drift report {}", id);
  auto side = [&](const char* key) {
    auto it = report.find(key);
    if (it == report.end() || !it->is_object()) return std::string("-");
    return fmt::format("<code>{}</code> ({} rows)", escape(text_of(*it, "source")), it->value("rows", 0));
  };
  std::string body =
      fmt::format("<p class=\"{}\"><strong>{}</strong></p>\n", verdict_class(*doc), escape(text_of(*doc, "verdict")));
  body += fmt::format(
      "<dl class=\"facts\"><dt>kept</dt><dd>{}</dd><dt>reference</dt><dd>{}</dd><dt>current</dt><dd>{}</dd>"
      "<dt>drifted columns</dt><dd>{} of {} ({}; the dataset drifts at {})</dd><dt>fails on</dt><dd>{}</dd></dl>\n",
      escape(tracking::display_time(text_of(*doc, "created"))), side("reference"), side("current"),
      report.value("drifted_columns", 0), report.value("checked_columns", 0),
      percent(report.value("share_drifted", ordered_json())), percent(report.value("drift_share", ordered_json())),
      escape(text_of(report, "fail_on")));
  const ordered_json columns = report.value("columns", ordered_json::array());
  body +=
      "<h2>Columns</h2><div class=\"wrap\"><table><thead><tr><th>column</th><th>role</th><th>type</th><th>method</th>"
      "<th class=\"num\">statistic</th><th class=\"num\">p-value</th><th class=\"num\">threshold</th><th>drift</th>"
      "<th>missing reference → current</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& column = columns[i];
    if (!column.is_object()) continue;
    const bool drifted = column.value("drifted", false);
    const ordered_json missing = column.value("missing", ordered_json::object());
    body += fmt::format(
        "<tr><td><a href=\"#col-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td><td>{} → {}</td></tr>\n",
        i, escape(text_of(column, "name")), escape(text_of(column, "role")), escape(text_of(column, "type")),
        escape(text_of(column, "method")), stat_text(column.value("statistic", ordered_json())),
        stat_text(column.value("p_value", ordered_json())), stat_text(column.value("threshold", ordered_json())),
        drifted ? "status-failed" : "status-finished", drifted ? "drift" : "no",
        percent(missing.value("reference_share", ordered_json())),
        percent(missing.value("current_share", ordered_json())));
  }
  body += "</tbody></table></div>\n";
  for (const auto& skipped : report.value("skipped", ordered_json::array())) {
    body += fmt::format("<p>Not checked: <code>{}</code>: {}.</p>\n", escape(text_of(skipped, "name")),
                        escape(text_of(skipped, "reason")));
  }
  body += "<h2>Distributions</h2>\n";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].is_object()) body += column_section(columns[i], i);
  }
  page.body = std::move(body);
  return ui_html_response(200, std::move(page));
}

}  // namespace mlops::view
