// The Run view of the report, and the curve figures the Compare view shares with it.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "mlops/core/output.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/secrets.hpp"
#include "mlops/view/html.hpp"
#include "mlops/view/report_parts.hpp"

namespace mlops::view::detail {

namespace {

std::string pairs_table(const std::map<std::string, std::string>& pairs, std::string_view key_header,
                        std::string_view value_header) {
  std::string html = fmt::format("<div class=\"wrap\"><table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
                                 key_header, value_header);
  for (const auto& [key, value] : pairs) {
    html += fmt::format("<tr><td>{}</td><td>{}</td></tr>", escape(key), escape(value));
  }
  return html + "</tbody></table></div>\n";
}

std::string fact(std::string_view name, const std::string& html_value) {
  return fmt::format("<dt>{}</dt><dd>{}</dd>", name, html_value);
}

// The facts `runs show` prints above its tables.
std::string facts(const tracking::RunRecord& run) {
  std::string html = "<dl class=\"facts\">";
  html += fact("run", fmt::format("<code>{}</code>", escape(run.id)));
  if (!run.name.empty()) html += fact("name", escape(run.name));
  html += fact("status", fmt::format("<span class=\"status-{0}\">{0}</span>{1}", tracking::to_string(run.status),
                                     run.exit_code ? fmt::format(" (exit {})", *run.exit_code) : std::string()));
  html += fact("started", fmt::format("{} by {} on {}", escape(tracking::display_time(run.start_time)),
                                      escape(run.user), escape(run.host)));
  if (run.end_time) {
    html += fact("ended", fmt::format("{} ({})", escape(tracking::display_time(*run.end_time)),
                                      tracking::display_duration(run.duration)));
  }
  if (!run.command.empty()) {
    html += fact("command", fmt::format("<code>{}</code>{}", escape(tracking::display_command(run.command)),
                                        run.cwd.empty() ? "" : fmt::format(" (in <code>{}</code>)", escape(run.cwd))));
  }
  html +=
      fact("git",
           fmt::format("{}{}{}", run.git_commit.empty() ? "(no commit)" : "<code>" + escape(run.git_commit) + "</code>",
                       run.git_branch.empty() ? "" : " on " + escape(run.git_branch),
                       run.git_dirty ? " + uncommitted changes (artifact git.diff)" : ""));
  if (run.data_dirty) {
    html += fact("data", "data-dirty: ran on data that its pointers do not describe (see the data table)");
  }
  if (auto it = run.tags.find(std::string(tracking::kDiffLeftOutTag)); it != run.tags.end()) {
    auto left_out = tracking::DiffLeftOut::from_json(it->second);
    if (!left_out.empty()) html += fact("diff", "incomplete: left out of git.diff: " + escape(left_out.describe()));
  }
  if (auto it = run.tags.find(std::string(tracking::kRedactedTag)); it != run.tags.end()) {
    auto redactions = tracking::Redactions::from_json(it->second);
    if (auto values = redactions.describe_values(); !values.empty()) {
      html += fact("redacted", "credential-looking values recorded as [redacted]: " + escape(values));
    }
  }
  return html + "</dl>\n";
}

std::string text_block(std::string_view title, const ArtifactText& text, bool keep_end) {
  std::string note;
  if (text.cut) {
    note = fmt::format(" <span class=\"muted\">({} of {}, the {})</span>", out::human_bytes(text.text.size()),
                       out::human_bytes(text.size), keep_end ? "end" : "start");
  }
  return fmt::format("<details><summary>{}{}</summary><pre>{}</pre></details>\n", title, note, escape(text.text));
}

}  // namespace

CurveSeries curve_series(const RunView& run, std::size_t color, const std::string& metric, std::size_t buckets) {
  CurveSeries series{run.label(), color, {}, {}, {}};
  auto it = run.history.find(metric);
  if (it == run.history.end() || it->second.empty()) return series;
  const auto& history = it->second;
  std::vector<Point> points;
  points.reserve(history.size());
  for (const auto& point : history) points.push_back({static_cast<double>(point.step), point.value});
  const std::int64_t start = history.front().timestamp_ms;
  for (std::size_t i : downsample_min_max_indices(points, buckets)) {
    series.steps.push_back(points[i].x);
    series.seconds.push_back(static_cast<double>(history[i].timestamp_ms - start) / 1000.0);
    series.values.push_back(points[i].y);
  }
  return series;
}

std::string number_cell(std::optional<double> value) {
  if (!value) return "<td class=\"num\">-</td>";
  std::string text = tracking::display_number(*value);
  return fmt::format("<td class=\"num\" data-value=\"{0}\">{0}</td>", text);
}

std::string run_anchor(const tracking::RunRecord& run) { return "run-" + run.id; }

std::string curve_figure(const std::string& id, const std::string& metric,
                         const std::vector<std::pair<const RunView*, CurveSeries>>& series,
                         nlohmann::ordered_json& charts) {
  std::vector<LineSeries> lines;
  nlohmann::ordered_json data_series = nlohmann::ordered_json::array();
  std::string legend = "<ul class=\"legend\">";
  std::string rows;
  for (const auto& [view, curve] : series) {
    LineSeries line{curve.label, curve.color, {}};
    for (std::size_t i = 0; i < curve.steps.size(); ++i) line.points.push_back({curve.steps[i], curve.values[i]});
    lines.push_back(std::move(line));
    data_series.push_back({{"label", curve.label},
                           {"color", curve.color % kColors},
                           {"dash", dash_of(curve.color)},
                           {"step", curve.steps},
                           {"time", curve.seconds},
                           {"value", curve.values}});
    legend += fmt::format("<li><span class=\"swatch s{}\"></span>{}{}</li>", curve.color % kColors,
                          dash_mark(curve.color), escape(curve.label));
    // The data table summarises the whole history, not the drawn sample.
    const auto& history = view->history.at(metric);
    std::optional<double> low, high;
    std::int64_t low_step = 0, high_step = 0;
    for (const auto& point : history) {
      if (std::isnan(point.value)) continue;
      if (!low || point.value < *low) low = point.value, low_step = point.step;
      if (!high || point.value > *high) high = point.value, high_step = point.step;
    }
    auto final_point = view->run.metrics.find(metric);
    rows += fmt::format(
        "<tr><td><span class=\"swatch s{}\"></span>{}</td><td class=\"num\">{}</td>{}{}<td "
        "class=\"num\">{}</td>{}<td class=\"num\">{}</td>{}</tr>",
        curve.color % kColors, escape(curve.label), history.size(), number_cell(history.front().value),
        number_cell(low), low ? std::to_string(low_step) : "-", number_cell(high),
        high ? std::to_string(high_step) : "-",
        number_cell(final_point == view->run.metrics.end() ? std::optional<double>()
                                                           : std::optional<double>(final_point->second.value)));
  }
  legend += "</ul>";
  charts.push_back({{"id", id}, {"metric", metric}, {"series", std::move(data_series)}});
  std::string html = fmt::format("<figure><figcaption>{}</figcaption>{}", escape(metric), legend);
  html += line_chart(id, metric, "step", lines);
  html += fmt::format(
      "<details><summary>Data table: {}</summary><div class=\"wrap\"><table><thead><tr><th>run</th><th "
      "class=\"num\">points</th><th class=\"num\">first</th><th class=\"num\">min</th><th class=\"num\">at "
      "step</th><th class=\"num\">max</th><th class=\"num\">at step</th><th class=\"num\">final</th></tr></thead>"
      "<tbody>{}</tbody></table></div></details></figure>\n",
      escape(metric), rows);
  return html;
}

std::string run_section(const RunView& view, std::size_t index, const ReportOptions& options,
                        nlohmann::ordered_json& charts) {
  const auto& run = view.run;
  std::string html =
      fmt::format("<section id=\"{}\" class=\"run\"><h2>Run <code>{}</code>{}</h2>\n", escape(run_anchor(run)),
                  escape(run.id), run.name.empty() ? "" : " " + escape(run.name));
  html += facts(run);
  if (!run.params.empty()) html += "<h3>Params</h3>" + pairs_table(run.params, "param", "value");
  if (!run.metrics.empty()) {
    html +=
        "<h3>Metrics</h3><div class=\"wrap\"><table><thead><tr><th>metric</th><th class=\"num\">value</th><th "
        "class=\"num\">step</th><th class=\"num\">points</th></tr></thead><tbody>";
    for (const auto& [key, point] : run.metrics) {
      auto it = view.history.find(key);
      html += fmt::format("<tr><td>{}</td>{}<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>", escape(key),
                          number_cell(point.value), point.step, it == view.history.end() ? 0 : it->second.size());
    }
    html += "</tbody></table></div>\n";
    std::size_t chart = 0;
    for (const auto& [key, history] : view.history) {
      if (history.size() < 2) continue;
      std::vector<std::pair<const RunView*, CurveSeries>> series{{&view, curve_series(view, 0, key, options.buckets)}};
      html += curve_figure(fmt::format("run-{}-curve-{}", index, chart++), key, series, charts);
    }
  }
  std::map<std::string, std::string> tags;
  for (const auto& [key, value] : run.tags) {
    if (key != tracking::kRedactedTag && key != tracking::kDiffLeftOutTag) tags.emplace(key, value);
  }
  if (!tags.empty()) html += "<h3>Tags</h3>" + pairs_table(tags, "tag", "value");
  if (!run.data.empty()) {
    html +=
        "<h3>Data</h3><div class=\"wrap\"><table><thead><tr><th>path</th><th>pointer</th><th>version</th><th "
        "class=\"num\">size</th><th>state</th><th>pointer said</th></tr></thead><tbody>";
    for (const auto& version : run.data) {
      html += fmt::format(
          "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td>"
          "<td><code>{}</code></td></tr>",
          escape(version.path), escape(version.pointer_file), escape(version.hash), out::human_bytes(version.size),
          tracking::to_string(version.state), escape(version.pointer_hash));
    }
    html += "</tbody></table></div>\n";
  }
  if (!run.artifacts.empty()) {
    html +=
        "<h3>Artifacts</h3><div class=\"wrap\"><table><thead><tr><th>name</th><th>hash</th><th "
        "class=\"num\">size</th><th>kind</th></tr></thead><tbody>";
    for (const auto& artifact : run.artifacts) {
      html += fmt::format(
          "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\" data-value=\"{}\">{}</td><td>{}</td></tr>",
          escape(artifact.name), escape(artifact.hash), artifact.size, out::human_bytes(artifact.size),
          artifact.kind == "dir" ? fmt::format("dir ({} files)", artifact.files) : escape(artifact.kind));
    }
    html += "</tbody></table></div>\n";
  }
  if (view.output_log) html += text_block("Output log (output.log)", *view.output_log, true);
  if (view.git_diff) html += text_block("Uncommitted changes (git.diff)", *view.git_diff, false);
  if (!run.environment.empty()) {
    html += "<details><summary>Environment</summary>" + pairs_table(run.environment, "key", "value") + "</details>\n";
  }
  if (!run.variables.empty()) {
    html += fmt::format("<details><summary>Environment variables ({}, secrets redacted)</summary>{}</details>\n",
                        run.variables.size(), pairs_table(run.variables, "variable", "value"));
  }
  return html + "</section>\n";
}

}  // namespace mlops::view::detail
