// The HTML report: the page, the Compare view, and a Run view per run (report_run.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "mlops/core/suggest.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/tracking/run_diff.hpp"
#include "mlops/view/html.hpp"
#include "mlops/view/page.hpp"
#include "mlops/view/report.hpp"
#include "mlops/view/report_parts.hpp"

namespace mlops::view {

using detail::number_cell;

namespace {

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> final_value(const RunView& view, const std::string& metric) {
  auto it = view.run.metrics.find(metric);
  if (it == view.run.metrics.end()) return std::nullopt;
  return it->second.value;
}

// The params whose values are not the same in every run (missing counts as a value), sorted.
std::vector<std::string> varying_params(const std::vector<RunView>& runs) {
  std::set<std::string> keys;
  for (const auto& view : runs) {
    for (const auto& [key, value] : view.run.params) keys.insert(key);
  }
  std::vector<std::string> varying;
  for (const auto& key : keys) {
    std::set<std::optional<std::string>> values;
    for (const auto& view : runs) {
      auto it = view.run.params.find(key);
      values.insert(it == view.run.params.end() ? std::nullopt : std::optional(it->second));
    }
    if (values.size() > 1) varying.push_back(key);
  }
  return varying;
}

// A param's values as numbers, when every run that has it has a number.
std::optional<std::vector<std::optional<double>>> numeric_param(const std::vector<RunView>& runs,
                                                                const std::string& key) {
  std::vector<std::optional<double>> values;
  for (const auto& view : runs) {
    auto it = view.run.params.find(key);
    if (it == view.run.params.end()) {
      values.emplace_back();
      continue;
    }
    auto number = parse_number(it->second);
    if (!number) return std::nullopt;
    values.push_back(number);
  }
  return values;
}

std::string runs_table(const std::vector<RunView>& runs, const std::vector<std::string>& params,
                       const std::vector<std::string>& metrics, std::string_view link_prefix) {
  std::string html =
      "<div class=\"wrap\"><table "
      "class=\"sortable\"><thead><tr><th>run</th><th>name</th><th>status</th><th>started</th>"
      "<th class=\"num\">duration</th><th>commit</th>";
  for (const auto& key : params) html += fmt::format("<th>params.{}</th>", escape(key));
  for (const auto& key : metrics) html += fmt::format("<th class=\"num\">metrics.{}</th>", escape(key));
  html += "</tr></thead><tbody>";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& run = runs[i].run;
    html += fmt::format(
        "<tr><td><span class=\"swatch s{}\"></span><a href=\"{}{}\"><code>{}</code></a></td><td>{}</td>"
        "<td class=\"status-{}\">{}</td><td>{}</td><td class=\"num\" data-value=\"{}\">{}</td><td><code>{}</code></td>",
        i % kColors, link_prefix, escape(link_prefix == "#" ? detail::run_anchor(run) : run.id), escape(run.id),
        escape(run.name), tracking::to_string(run.status), tracking::to_string(run.status),
        escape(tracking::display_time(run.start_time)), run.duration ? fmt::format("{}", *run.duration) : "",
        tracking::display_duration(run.duration),
        run.git_commit.empty() ? "-" : escape(run.git_commit.substr(0, 8)) + (run.git_dirty ? "*" : ""));
    for (const auto& key : params) {
      auto it = run.params.find(key);
      html += it == run.params.end() ? "<td>-</td>" : fmt::format("<td>{}</td>", escape(it->second));
    }
    for (const auto& key : metrics) html += number_cell(final_value(runs[i], key));
    html += "</tr>";
  }
  return html + "</tbody></table></div>\n";
}

// What differs among the runs, section by section as `runs diff` has it, for any number of runs.
std::string differences_table(const std::vector<RunView>& runs) {
  std::vector<std::vector<tracking::RunSection>> sections;
  for (const auto& view : runs) sections.push_back(tracking::run_sections(view.run));
  std::string head = "<tr><th>key</th>";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    head += fmt::format("<th><span class=\"swatch s{}\"></span>{}</th>", i % kColors, escape(runs[i].label()));
  }
  head += "</tr>";
  std::string body;
  std::size_t variables = 0;
  for (std::size_t s = 0; s < sections.front().size(); ++s) {
    const std::string& name = sections.front()[s].name;
    std::set<std::string> keys;
    for (const auto& run : sections) {
      for (const auto& [key, value] : run[s].values) keys.insert(key);
    }
    for (const auto& key : keys) {
      std::vector<std::optional<std::string>> values;
      for (const auto& run : sections) {
        auto it = run[s].values.find(key);
        values.push_back(it == run[s].values.end() ? std::nullopt : std::optional(it->second));
      }
      if (std::all_of(values.begin(), values.end(), [&](const auto& value) { return value == values.front(); })) {
        continue;
      }
      // Variables are many and mostly noise (PWD, SHLVL): counted, as `runs diff` does without -v.
      if (name == "variables") {
        ++variables;
        continue;
      }
      body += fmt::format("<tr><td>{}.{}</td>", name, escape(key));
      for (const auto& value : values) {
        body += value ? fmt::format("<td class=\"differs\">{}</td>", escape(*value)) : "<td>-</td>";
      }
      body += "</tr>";
    }
  }
  std::string html;
  if (body.empty()) {
    html = "<p>No differences in params, metrics, data, git or environment.</p>\n";
  } else {
    html = fmt::format("<div class=\"wrap\"><table><thead>{}</thead><tbody>{}</tbody></table></div>\n", head, body);
  }
  if (variables > 0) html += fmt::format("<p class=\"muted\">{} environment variables differ.</p>\n", variables);
  return html;
}

}  // namespace

std::string detail::compare_section(const std::vector<RunView>& runs, const ReportOptions& options,
                                    const std::vector<std::string>& metrics, nlohmann::ordered_json& charts,
                                    std::string_view run_link_prefix) {
  auto params = varying_params(runs);
  std::string html = "<section id=\"compare\"><h2>Compare</h2>\n";
  html += runs_table(runs, params, metrics, run_link_prefix);

  html += "<h3 id=\"curves\">Learning curves</h3>\n";
  std::size_t drawn = 0;
  std::vector<std::string> single;  // metrics no run logged more than once: no curve to draw
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    std::vector<std::pair<const RunView*, detail::CurveSeries>> series;
    bool curve = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      auto it = runs[i].history.find(metrics[m]);
      if (it == runs[i].history.end() || it->second.empty()) continue;
      curve = curve || it->second.size() > 1;
      series.emplace_back(&runs[i], detail::curve_series(runs[i], i, metrics[m], options.buckets));
    }
    if (series.empty()) continue;
    if (!curve) {
      single.push_back(metrics[m]);
      continue;
    }
    html += detail::curve_figure(fmt::format("curve-{}", m), metrics[m], series, charts);
    ++drawn;
  }
  if (!single.empty()) {
    html += fmt::format("<p class=\"muted\">Logged once per run, so drawn under Final values only: {}.</p>\n",
                        escape(fmt::format("{}", fmt::join(single, ", "))));
  } else if (drawn == 0) {
    html += "<p>These runs logged no metrics.</p>\n";
  }

  if (!metrics.empty()) {
    html += "<h3 id=\"finals\">Final values</h3>\n";
    for (const auto& metric : metrics) {
      std::vector<Bar> bars;
      for (std::size_t i = 0; i < runs.size(); ++i) {
        if (auto value = final_value(runs[i], metric)) bars.push_back({runs[i].label(), i, *value});
      }
      if (bars.empty()) continue;
      html += fmt::format("<figure><figcaption>{} (final)</figcaption>{}</figure>\n", escape(metric),
                          bar_chart(metric + " (final value per run)", bars));
    }
    html += "<p class=\"muted\">The runs table above has these values.</p>\n";
  }

  const std::string primary = options.primary.empty() ? primary_metric(runs, metrics) : options.primary;
  std::vector<std::pair<std::string, std::vector<std::optional<double>>>> numeric;
  for (const auto& key : params) {
    if (auto values = numeric_param(runs, key)) numeric.emplace_back(key, std::move(*values));
  }
  if (!primary.empty() && !numeric.empty()) {
    html += fmt::format("<h3 id=\"scatter\">Params against {}</h3>\n", escape(primary));
    for (const auto& [key, values] : numeric) {
      std::vector<ScatterPoint> points;
      std::string rows;
      for (std::size_t i = 0; i < runs.size(); ++i) {
        auto y = final_value(runs[i], primary);
        if (!values[i] || !y) continue;
        points.push_back({runs[i].label(), i, *values[i], *y});
        rows += fmt::format("<tr><td><span class=\"swatch s{}\"></span>{}</td>{}{}</tr>", i % kColors,
                            escape(runs[i].label()), number_cell(values[i]), number_cell(y));
      }
      if (points.empty()) continue;
      html += fmt::format(
          "<figure><figcaption>params.{} against metrics.{}</figcaption>{}<details><summary>Data table</summary>"
          "<table><thead><tr><th>run</th><th class=\"num\">params.{}</th><th class=\"num\">metrics.{}</th></tr>"
          "</thead><tbody>{}</tbody></table></details></figure>\n",
          escape(key), escape(primary),
          scatter_chart("params." + key + " against metrics." + primary, "params." + key, "metrics." + primary, points),
          escape(key), escape(primary), rows);
    }
    std::vector<ParallelAxis> axes;
    for (const auto& [key, values] : numeric) axes.push_back({"params." + key, values});
    std::vector<std::optional<double>> primary_values;
    for (const auto& view : runs) primary_values.push_back(final_value(view, primary));
    axes.push_back({"metrics." + primary, std::move(primary_values)});
    std::vector<std::string> labels;
    std::vector<std::size_t> colors;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      labels.push_back(runs[i].label());
      colors.push_back(i);
    }
    html += fmt::format(
        "<h3 id=\"parallel\">Parallel coordinates</h3><figure><figcaption>numeric params and metrics.{}</figcaption>"
        "{}</figure>\n",
        escape(primary),
        parallel_chart("Parallel coordinates of the numeric params and metrics." + primary, labels, colors, axes));
  }
  html += "<h3 id=\"differences\">Differences</h3>\n" + differences_table(runs);
  return html + "</section>\n";
}

Result<void> check_report_metrics(const std::vector<RunView>& runs, const ReportOptions& options) {
  std::set<std::string> known;
  for (const auto& view : runs) {
    for (const auto& [key, point] : view.run.metrics) known.insert(key);
  }
  std::vector<std::string> candidates(known.begin(), known.end());
  auto wanted = options.metrics;
  if (!options.primary.empty()) wanted.push_back(options.primary);
  for (const auto& metric : wanted) {
    if (known.contains(metric)) continue;
    std::string suggestion = closest(metric, candidates);
    return std::unexpected(bad_input(fmt::format("none of these runs logged the metric '{}'", metric),
                                     !suggestion.empty() ? fmt::format("did you mean '{}'?", suggestion)
                                     : candidates.empty()
                                         ? std::string("these runs logged no metrics")
                                         : fmt::format("the runs logged: {}", fmt::join(candidates, ", "))));
  }
  return {};
}

std::string primary_metric(const std::vector<RunView>& runs, const std::vector<std::string>& metrics) {
  auto has_any = [](std::string_view name, std::initializer_list<std::string_view> words) {
    std::string lower(name);
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return std::ranges::any_of(words, [&](std::string_view word) { return lower.find(word) != std::string::npos; });
  };
  auto score = [&](std::string_view name) {
    return has_any(name, {"acc", "auc", "f1", "loss", "error", "score", "precision", "recall", "rmse", "mae", "mse",
                          "bleu", "rouge", "perplexity", "ppl"});
  };
  auto held_out = [&](std::string_view name) { return has_any(name, {"val", "eval", "test"}); };
  std::vector<std::string> candidates;
  for (const auto& metric : metrics) {
    // Whether the runs differ on it: NaN (a run that diverged) counts as one value of its own.
    std::set<double> finals;
    bool everywhere = true, nan = false;
    for (const auto& view : runs) {
      auto value = final_value(view, metric);
      if (!value)
        everywhere = false;
      else if (std::isnan(*value))
        nan = true;
      else
        finals.insert(*value);
    }
    if (everywhere && finals.size() + (nan ? 1 : 0) > 1) candidates.push_back(metric);
  }
  if (candidates.empty()) candidates = metrics;
  std::sort(candidates.begin(), candidates.end());
  for (const auto& metric : candidates) {
    if (score(metric) && held_out(metric)) return metric;
  }
  for (const auto& metric : candidates) {
    if (score(metric)) return metric;
  }
  return candidates.empty() ? std::string() : candidates.front();
}

std::vector<std::string> report_metrics(const std::vector<RunView>& runs, const ReportOptions& options) {
  if (!options.metrics.empty()) return options.metrics;
  std::set<std::string> keys;
  for (const auto& view : runs) {
    for (const auto& [key, point] : view.run.metrics) keys.insert(key);
  }
  return {keys.begin(), keys.end()};
}

std::string render_report_html(const std::vector<RunView>& runs, const ReportOptions& options) {
  auto metrics = report_metrics(runs, options);
  Page page;
  nlohmann::ordered_json charts = nlohmann::ordered_json::array();
  page.title =
      runs.size() == 1 ? fmt::format("Run {}", runs.front().label()) : fmt::format("Runs report: {} runs", runs.size());
  if (runs.size() > 1) page.nav += "<li><a href=\"#compare\">Compare</a></li>";
  for (const auto& view : runs) {
    page.nav +=
        fmt::format("<li><a href=\"#{}\">{}</a></li>", escape(detail::run_anchor(view.run)), escape(view.label()));
  }
  if (runs.size() > 1) page.body += detail::compare_section(runs, options, metrics, charts);
  for (std::size_t i = 0; i < runs.size(); ++i) page.body += detail::run_section(runs[i], i, options, charts);
  page.data = {{"format", "mlops-report"}, {"version", 1}, {"charts", std::move(charts)}};
  return render_page(page, PageAssets::inline_);
}

}  // namespace mlops::view
