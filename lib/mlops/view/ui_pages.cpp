#include "mlops/view/ui_pages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>

#include "mlops/core/suggest.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/tracking/run_query.hpp"
#include "mlops/tracking/run_store.hpp"
#include "mlops/view/html.hpp"
#include "mlops/view/page.hpp"
#include "mlops/view/report_parts.hpp"

namespace mlops::view {

namespace {

// The store for reading, or nullopt when this repository has recorded no run (opening would
// create runs.db: a write).
std::optional<tracking::RunStore> open_for_reading(const Repo& repo, std::string& problem) {
  if (!std::filesystem::exists(repo.runs_db())) {
    problem = "No runs yet: record one with 'mlops run -- CMD'.";
    return std::nullopt;
  }
  auto store = tracking::RunStore::open(repo);
  if (!store) {
    problem = store.error().message;
    return std::nullopt;
  }
  return std::move(*store);
}

std::size_t page_number(const std::string& text) {
  // Any page past the end shows the last; the cap keeps the offset it gives far from overflow.
  constexpr std::size_t kFarPastTheEnd = 1'000'000'000;
  std::size_t value = 1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size() || text.empty()) return 1;
  if (ec == std::errc::result_out_of_range) return kFarPastTheEnd;
  if (ec != std::errc() || value == 0) return 1;
  return std::min(value, kFarPastTheEnd);
}

// "Choose columns": a box per key the runs have (params, metrics, tags, the attributes that are not
// always shown), ticked for the columns shown; the form sends one "column=KEY" per ticked box.
// Plain HTML, so it works without scripts.
std::string column_chooser(tracking::RunStore& store, const std::string& where, const std::string& sort,
                           const std::vector<std::string>& shown) {
  std::vector<std::string> keys;
  for (std::string_view attribute : tracking::run_attributes()) {
    static constexpr std::string_view kAlwaysShown[] = {"id", "name", "status", "start_time", "duration", "git.commit"};
    if (std::find(std::begin(kAlwaysShown), std::end(kAlwaysShown), attribute) == std::end(kAlwaysShown))
      keys.emplace_back(attribute);
  }
  for (std::string_view kind : {"params", "metrics", "tags"}) {
    auto names = store.keys(kind);
    if (!names) continue;
    for (const auto& name : *names) keys.push_back(fmt::format("{}.{}", kind, name));
  }
  std::string html = fmt::format(
      "<details class=\"columns\"><summary>Choose columns ({} shown)</summary>"
      "<form method=\"get\" action=\"/\"><input type=\"hidden\" name=\"where\" value=\"{}\">"
      "<input type=\"hidden\" name=\"sort\" value=\"{}\">"
      // Sent with every submission, so that no ticked box means no columns, not the default ones.
      "<input type=\"hidden\" name=\"column\" value=\",\"><fieldset><legend>Columns after the run's own</legend>",
      shown.size(), escape(where), escape(sort));
  for (const auto& key : keys) {
    bool on = std::find(shown.begin(), shown.end(), key) != shown.end();
    html += fmt::format("<label><input type=\"checkbox\" name=\"column\" value=\"{0}\"{1}> {0}</label> ", escape(key),
                        on ? " checked" : "");
  }
  return html + "</fieldset><button type=\"submit\">Show these columns</button></form></details>\n";
}

// "No run has ..." from "no run has ...": the library's messages start lower case.
std::string upper_first(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

UiResponse ui_html_response(int status, Page page) {
  page.nav =
      "<li><a href=\"/\">Runs</a></li><li><a href=\"/models\">Models</a></li><li><a href=\"/drift\">Drift</a></li>" +
      page.nav;
  return {status, "text/html; charset=utf-8", render_page(page, PageAssets::linked), {}};
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  auto encode = [](std::string_view text) {
    std::string encoded;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        encoded += static_cast<char>(c);
      } else {
        encoded += fmt::format("%{:02X}", c);
      }
    }
    return encoded;
  };
  std::string query;
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    query += (query.empty() ? "" : "&") + encode(key) + "=" + encode(value);
  }
  return query;
}

UiResponse error_page(int status, std::string_view title, std::string_view message) {
  Page page;
  page.title = std::string(title);
  page.body = fmt::format("<p role=\"alert\">{}</p>\n", escape(message));
  return ui_html_response(status, std::move(page));
}

UiResponse runs_page(const Repo& repo, const UiRequest& request) {
  const std::string where = request.param("where"), sort = request.param("sort");
  // Columns come typed ("columns=a,b", the Columns box and every link) or ticked in the chooser
  // (one "column=KEY" a box); ticked boxes win.
  std::string columns_text = request.param("columns");
  if (auto ticked = request.params_of("column"); !ticked.empty()) {
    columns_text.clear();
    for (const auto& key : ticked) {
      if (!key.empty() && key != ",") columns_text += (columns_text.empty() ? "" : ",") + key;
    }
    if (columns_text.empty()) columns_text = ",";  // none ticked: no columns (the chooser's marker)
  }
  Page page;
  page.title = "Runs";
  std::string form = fmt::format(
      "<form method=\"get\" action=\"/\" role=\"search\" class=\"controls\">"
      "<label>Filter <input name=\"where\" size=\"60\" value=\"{}\" placeholder=\"metrics.acc &gt; 0.9 and "
      "params.model = 'rf'\"></label>"
      "<label>Columns <input name=\"columns\" size=\"30\" value=\"{}\" placeholder=\"params.lr,metrics.acc\"></label>"
      "<input type=\"hidden\" name=\"sort\" value=\"{}\"><button type=\"submit\">Apply</button></form>\n",
      escape(where), escape(columns_text), escape(sort));
  auto fail = [&](std::string_view message) {
    page.body = form + fmt::format("<pre role=\"alert\" class=\"error\">{}</pre>\n", escape(message));
    return ui_html_response(400, std::move(page));
  };

  tracking::RunSelection selection;
  if (!where.empty()) {
    auto query = tracking::parse_query(where);
    if (!query) return fail(query.error().message);
    selection.where = std::move(*query);
  }
  if (!sort.empty()) {
    auto key = tracking::parse_sort_key(sort);
    if (!key) return fail(key.error().message);
    selection.sort = std::move(*key);
  }
  std::vector<std::string> columns;
  for (std::size_t start = 0; start < columns_text.size();) {
    std::size_t end = std::min(columns_text.find(',', start), columns_text.size());
    std::string key = columns_text.substr(start, end - start);
    key.erase(0, key.find_first_not_of(' '));
    key.erase(key.find_last_not_of(' ') + 1);
    if (!key.empty()) {
      if (!tracking::is_run_key(key)) {
        return fail(
            fmt::format("unknown column '{}': name columns as metrics.NAME, params.NAME, tags.NAME or an "
                        "attribute such as user",
                        key));
      }
      columns.push_back(key);
    }
    start = end + 1;
  }
  selection.columns = columns;

  std::string problem;
  auto store = open_for_reading(repo, problem);
  if (!store) {
    page.body = form + fmt::format("<p>{}</p>\n", escape(problem));
    return ui_html_response(200, std::move(page));
  }
  // Only the asked-for page is read (the store counts the rest); a page past the end shows the last.
  std::size_t number = page_number(request.param("page"));
  selection.offset = (number - 1) * kRunsPerPage;
  selection.limit = kRunsPerPage;
  auto selected = tracking::select_page(*store, selection);
  if (!selected) return fail(selected.error().message);
  const std::size_t total = selected->total;
  if (total == 0 && where.empty()) {
    // A store whose runs are gone (or none recorded yet): what the CLI says, not an empty table.
    page.body = form + "<p>No runs yet: record one with <code>mlops run -- CMD</code>.</p>\n";
    return ui_html_response(200, std::move(page));
  }
  const std::size_t pages = std::max<std::size_t>(1, (total + kRunsPerPage - 1) / kRunsPerPage);
  if (number > pages) {
    number = pages;
    selection.offset = (number - 1) * kRunsPerPage;
    selected = tracking::select_page(*store, selection);
    if (!selected) return fail(selected.error().message);
  }
  const std::size_t first = (number - 1) * kRunsPerPage, last = std::min(total, first + kRunsPerPage);
  std::vector<tracking::SelectedRun> shown = std::move(selected->runs);

  // The keys shown after the fixed columns, with their values for the shown runs.
  std::vector<tracking::RunColumn> extra;
  std::vector<std::string> keys = columns;
  if (selection.where) {
    for (const auto& key : selection.where->keys()) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
  }
  for (const auto& key : keys) {
    tracking::RunColumn column{key, {}};
    for (const auto& item : shown) {
      auto it = item.values.find(key);
      column.values.push_back(it == item.values.end() ? std::nullopt : std::optional(it->second));
    }
    extra.push_back(std::move(column));
  }
  // Only when no columns were named: "columns=," (every column hidden) shows none. The metrics
  // that vary come first (runs are compared on them), then the params, kDefaultColumns in all, in
  // the order params then metrics; the rest are named above the table.
  std::vector<std::string> left_out;
  if (columns_text.empty()) {
    auto varying = tracking::varying_columns(*store, shown);
    if (varying) {
      std::vector<tracking::RunColumn> candidates;
      for (auto& column : *varying) {
        if (std::find(keys.begin(), keys.end(), column.key) == keys.end()) candidates.push_back(std::move(column));
      }
      std::size_t room = kDefaultColumns > extra.size() ? kDefaultColumns - extra.size() : 0;
      std::size_t metric_count = static_cast<std::size_t>(std::count_if(
          candidates.begin(), candidates.end(), [](const auto& column) { return column.key.starts_with("metrics."); }));
      std::size_t metrics_taken = std::min(metric_count, room);
      std::size_t params_taken = room - metrics_taken;
      for (auto& column : candidates) {
        bool metric = column.key.starts_with("metrics.");
        std::size_t& budget = metric ? metrics_taken : params_taken;
        if (budget > 0) {
          --budget;
          extra.push_back(std::move(column));
        } else {
          left_out.push_back(column.key);
        }
      }
    }
  }

  auto link = [&](std::vector<std::pair<std::string, std::string>> changes) {
    std::vector<std::pair<std::string, std::string>> params{
        {"where", where}, {"columns", columns_text}, {"sort", sort}, {"page", ""}};
    for (auto& [key, value] : changes) {
      for (auto& param : params) {
        if (param.first == key) param.second = value;
      }
    }
    std::string query = query_string(params);
    return query.empty() ? std::string("/") : "/?" + query;
  };
  // The keys of the extra columns shown, and those the filter adds (which cannot be hidden).
  std::vector<std::string> shown_keys, filter_keys;
  for (const auto& column : extra) shown_keys.push_back(column.key);
  if (selection.where) filter_keys = selection.where->keys();
  auto heading = [&](std::string_view label, const std::string& key, bool numeric, bool hideable = false) {
    std::string next = sort == key ? "-" + key : key;
    std::string state = sort == key ? " aria-sort=\"ascending\"" : sort == "-" + key ? " aria-sort=\"descending\"" : "";
    std::string hide;
    if (hideable && std::find(filter_keys.begin(), filter_keys.end(), key) == filter_keys.end()) {
      // Hiding a column names the others explicitly (the default set would bring it back).
      std::string rest;
      for (const auto& other : shown_keys) {
        if (other != key) rest += (rest.empty() ? "" : ",") + other;
      }
      hide =
          fmt::format(" <a class=\"hide\" href=\"{}\" aria-label=\"hide column {}\" title=\"hide this column\">×</a>",
                      escape(link({{"columns", rest.empty() ? std::string(",") : rest},
                                   {"sort", key == sort || "-" + key == sort ? "" : sort}})),
                      escape(key));
    }
    return fmt::format("<th{}{}><a href=\"{}\">{}</a>{}</th>", numeric ? " class=\"num\"" : "", state,
                       escape(link({{"sort", next}})), escape(label), hide);
  };

  std::string body = form + column_chooser(*store, where, sort, shown_keys);
  // Keys of the filter, sort or columns that no run has: a typo would otherwise match nothing silently.
  std::vector<std::string> named = columns;
  if (selection.where) {
    for (const auto& key : selection.where->keys()) named.push_back(key);
  }
  if (selection.sort) named.push_back(selection.sort->key);
  if (auto unknown = tracking::unknown_key_warnings(*store, named)) {
    for (const auto& warning : *unknown) {
      body += fmt::format("<p role=\"alert\" class=\"error\">{}</p>\n", escape(upper_first(warning)));
    }
  }
  if (!left_out.empty()) {
    body += fmt::format(
        "<p class=\"muted\">{} more column{} between these runs and {} not shown: {} (Choose columns shows "
        "{}).</p>\n",
        left_out.size(), left_out.size() == 1 ? " varies" : "s vary", left_out.size() == 1 ? "is" : "are",
        escape(fmt::format("{}", fmt::join(left_out, ", "))), left_out.size() == 1 ? "it" : "them");
  }
  body += fmt::format("<p>{} run{}{}{}</p>\n", total, total == 1 ? "" : "s", where.empty() ? "" : " match the filter",
                      total > kRunsPerPage ? fmt::format(" · showing {}–{}", first + 1, last) : "");
  // The sort goes along: a metric the runs are sorted by is the one the Compare page plots against.
  body += fmt::format(
      "<form method=\"get\" action=\"/compare\">{}<p><button type=\"submit\">Compare the selected runs</button></p>",
      sort.empty() ? std::string() : fmt::format("<input type=\"hidden\" name=\"sort\" value=\"{}\">", escape(sort)));
  body += "<div class=\"wrap\"><table><thead><tr><th><span class=\"skip\">select</span></th>";
  body += heading("run", "id", false) + heading("name", "name", false) + heading("status", "status", false) +
          heading("started", "start_time", false) + heading("duration", "duration", true) + "<th>commit</th>";
  for (const auto& column : extra) body += heading(column.key, column.key, column.key.starts_with("metrics."), true);
  body += "</tr></thead><tbody>\n";
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const auto& run = shown[i].run;
    body += fmt::format(
        "<tr><td><input type=\"checkbox\" name=\"id\" value=\"{0}\" aria-label=\"select {0}\"></td>"
        "<td><a href=\"/run/{0}\"><code>{0}</code></a></td><td>{1}</td><td class=\"status-{2}\">{2}</td><td "
        "class=\"nowrap\">{3}</td>"
        "<td class=\"num\">{4}</td><td><code>{5}</code></td>",
        escape(run.id), escape(run.name), tracking::to_string(run.status),
        escape(tracking::display_time(run.start_time)), tracking::display_duration(run.duration),
        run.git_commit.empty() ? "-" : escape(run.git_commit.substr(0, 8)) + (run.git_dirty ? "*" : ""));
    for (const auto& column : extra) {
      const auto& value = column.values[i];
      bool number = value && std::holds_alternative<double>(*value);
      body += fmt::format("<td{}>{}</td>", number ? " class=\"num\"" : "", escape(tracking::display_value(value)));
    }
    body += "</tr>\n";
  }
  body += "</tbody></table></div></form>\n";
  if (pages > 1) {
    body += "<nav aria-label=\"Pages\"><p>";
    if (number > 1)
      body += fmt::format("<a href=\"{}\">← newer</a> ", escape(link({{"page", std::to_string(number - 1)}})));
    body += fmt::format("page {} of {}", number, pages);
    if (number < pages)
      body += fmt::format(" <a href=\"{}\">older →</a>", escape(link({{"page", std::to_string(number + 1)}})));
    body += "</p></nav>\n";
  }
  page.body = std::move(body);
  return ui_html_response(200, std::move(page));
}

UiResponse compare_page(const Repo& repo, const UiRequest& request) {
  auto given = request.params_of("id");
  if (given.empty()) return error_page(400, "Compare", "Select runs to compare on the Runs page.");
  std::string problem;
  auto store = open_for_reading(repo, problem);
  if (!store) return error_page(404, "Compare", problem);
  std::vector<std::string> ids;
  for (const auto& id : given) {
    auto full = store->resolve(id);
    if (!full) return error_page(404, "Compare", full.error().message);
    if (std::find(ids.begin(), ids.end(), *full) == ids.end()) ids.push_back(*full);
  }
  auto runs = load_run_views(repo, *store, ids);
  if (!runs) return error_page(500, "Compare", runs.error().message);
  Page page;
  page.title = fmt::format("Compare {} run{}", runs->size(), runs->size() == 1 ? "" : "s");
  nlohmann::ordered_json charts = nlohmann::ordered_json::array();
  ReportOptions options;
  auto metrics = report_metrics(*runs, options);
  // The primary metric: ?primary=NAME (the select below), else the metric the Runs page was
  // sorted by (its Compare button carries the sort), else primary_metric()'s rule.
  std::string asked = request.param("primary");
  std::string note;
  if (asked.empty()) {
    std::string sort = request.param("sort");
    if (sort.starts_with("-") || sort.starts_with("+")) sort.erase(0, 1);
    if (sort.starts_with("metrics.") && std::ranges::find(metrics, sort.substr(8)) != metrics.end())
      options.primary = sort.substr(8);
  } else if (std::ranges::find(metrics, asked) != metrics.end()) {
    options.primary = asked;
  } else {
    std::string suggestion = closest(asked, metrics);
    note = fmt::format("<p role=\"alert\" class=\"error\">No run here logged the metric '{}'{}</p>\n", escape(asked),
                       suggestion.empty() ? "." : fmt::format(": did you mean '{}'?", escape(suggestion)));
  }
  if (options.primary.empty()) options.primary = primary_metric(*runs, metrics);
  std::string control;
  if (metrics.size() > 1) {
    control = "<form method=\"get\" action=\"/compare\" class=\"controls\">";
    for (const auto& id : ids) control += fmt::format("<input type=\"hidden\" name=\"id\" value=\"{}\">", escape(id));
    control += "<label>Primary metric (scatter plots, parallel coordinates) <select name=\"primary\">";
    for (const auto& metric : metrics) {
      control += fmt::format("<option{}>{}</option>", metric == options.primary ? " selected" : "", escape(metric));
    }
    control += "</select></label><button type=\"submit\">Show</button></form>\n";
  }
  page.body = note + control + detail::compare_section(*runs, options, metrics, charts, "/run/");
  page.data = {{"format", "mlops-ui"}, {"version", 1}, {"charts", std::move(charts)}};
  return ui_html_response(200, std::move(page));
}

UiResponse run_page(const Repo& repo, std::string_view id) {
  std::string problem;
  auto store = open_for_reading(repo, problem);
  if (!store) return error_page(404, "Run", problem);
  auto full = store->resolve(id);
  if (!full) return error_page(404, "Run", full.error().message);
  auto runs = load_run_views(repo, *store, {*full});
  if (!runs) return error_page(500, "Run", runs.error().message);
  Page page;
  page.title = fmt::format("Run {}", runs->front().label());
  nlohmann::ordered_json charts = nlohmann::ordered_json::array();
  page.body = detail::run_section(runs->front(), 0, {}, charts);
  page.data = {{"format", "mlops-ui"}, {"version", 1}, {"charts", std::move(charts)}};
  // Live: a run still logging is shown again every few seconds.
  if (runs->front().run.status == tracking::RunStatus::running) page.refresh_seconds = 5;
  return ui_html_response(200, std::move(page));
}

}  // namespace mlops::view
