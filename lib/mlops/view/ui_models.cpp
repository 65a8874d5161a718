// The Models page of `mlops ui`: each model's stages, versions with their lineage (commit, run,
// data, metrics, gates), and the full event history as a timeline, read from the git tags.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <unordered_map>

#include "mlops/core/output.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/tracking/run_store.hpp"
#include "mlops/view/html.hpp"
#include "mlops/view/page.hpp"
#include "mlops/view/ui_pages.hpp"

namespace mlops::view {

namespace {

// What `mlops repro` last said of a version: its rebuilds are runs tagged repro_of=RUN, with
// repro_verdict (and repro_target=MODEL@VERSION when a version was named) set when it finished.
struct ReproRuns {
  using Tags = std::unordered_map<std::string, std::string>;  // run id -> tag value
  Tags of, verdict, target;

  // Read from the store when this repository has runs; without runs.db nothing is opened (it would
  // be created: a write).
  static ReproRuns read(const Repo& repo, std::optional<tracking::RunStore>& store) {
    ReproRuns runs;
    if (!std::filesystem::exists(repo.runs_db())) return runs;
    auto opened = tracking::RunStore::open(repo);
    if (!opened) return runs;
    store = std::move(*opened);
    runs.of = store->column_text("tags.repro_of").value_or(Tags{});
    runs.verdict = store->column_text("tags.repro_verdict").value_or(Tags{});
    runs.target = store->column_text("tags.repro_target").value_or(Tags{});
    return runs;
  }

  // The newest rebuild of `run` made for `target` (or for the run itself, naming no version).
  std::optional<std::string> last(const std::string& run, const std::string& target_name) const {
    std::optional<std::string> newest;
    for (const auto& [id, original] : of) {
      if (original != run) continue;
      auto it = target.find(id);
      if (it != target.end() && it->second != target_name) continue;
      if (!newest || id > *newest) newest = id;  // run ids sort by their start time
    }
    return newest;
  }
};

std::string repro_cell(const ReproRuns& runs, std::optional<tracking::RunStore>& store, const std::string& model,
                       const registry::Version& version) {
  const auto& run = version.message.meta.run;
  if (run.empty()) return "<span class=\"muted\">no run to rebuild</span>";
  auto id = runs.last(run, model + "@" + version.name);
  if (!id) return "<span class=\"muted\">never rebuilt</span>";
  auto record = store->get(*id);
  std::string said;
  if (auto it = runs.verdict.find(*id); it != runs.verdict.end()) {
    said = it->second;
  } else if (record && record->status == tracking::RunStatus::running) {
    said = "running";
  } else {
    // repro stopped before comparing (an error after the rerun): no verdict to show.
    said = fmt::format("no verdict (run {})", record ? std::string(tracking::to_string(record->status)) : "missing");
  }
  const bool good = said == "bit-identical" || said == "equal-within-tolerance";
  return fmt::format("<span class=\"{}\">{}</span><br>rebuilt as <a href=\"/run/{}\"><code>{}</code></a>{}",
                     good                ? "status-finished"
                     : said == "running" ? "muted"
                                         : "status-failed",
                     escape(said), escape(*id), escape(*id),
                     record ? " on " + escape(tracking::display_time(record->start_time)) : std::string());
}

std::string gate_line(const std::string& gate) {
  // "metrics.auc >= 0.9: pass (value 0.93, bound >= 0.9)": a failed one was forced through.
  bool passed = gate.find(": pass") != std::string::npos;
  return fmt::format("<span class=\"{}\">gate {}</span>", passed ? "status-finished" : "status-failed", escape(gate));
}

// The gates each promotion of `version` checked: they are on the assignment tags, not on the
// registration's.
std::string promotion_gates(const registry::Model& model, const registry::Version& version) {
  std::string html;
  for (const auto& event : model.events) {
    if (event.action != registry::Action::assign || event.version != version.name || !event.record) continue;
    for (const auto& gate : registry::parse_message(event.record->message).meta.gates) {
      html += fmt::format("<br>to {}: {}", escape(event.stage), gate_line(gate));
    }
  }
  return html;
}

std::string lineage(const registry::Model& model, const registry::Version& version) {
  const auto& meta = version.message.meta;
  std::string html;
  if (!meta.run.empty()) {
    html += fmt::format("run <a href=\"/run/{0}\"><code>{0}</code></a>", escape(meta.run));
  }
  for (const auto& [path, hash] : meta.data) {
    html += fmt::format("{}data <code>{}</code> = <code>{}</code>", html.empty() ? "" : "<br>", escape(path),
                        escape(hash.str()));
  }
  for (const auto& [name, value] : meta.metrics) {
    html += fmt::format("{}{} = {}", html.empty() ? "" : "<br>", escape(name), registry::format_number(value));
  }
  for (const auto& gate : meta.gates) html += fmt::format("{}{}", html.empty() ? "" : "<br>", gate_line(gate));
  if (meta.dirty) html += fmt::format("{}registered from a tree with uncommitted changes", html.empty() ? "" : "<br>");
  std::string gates = promotion_gates(model, version);
  if (html.empty() && !gates.empty()) gates.erase(0, 4);  // no "<br>" first
  html += gates;
  return html.empty() ? "-" : html;
}

std::string model_section(const registry::Model& model, const ReproRuns& repro_runs,
                          std::optional<tracking::RunStore>& store) {
  std::string html = fmt::format("<section id=\"model-{0}\"><h2>{0}{1}</h2>\n", escape(model.name),
                                 model.deprecated ? " <span class=\"muted\">(deprecated)</span>" : "");
  auto stages = model.stages();
  if (!stages.empty()) {
    html +=
        "<h3>Stages</h3><table><thead><tr><th>stage</th><th>version</th><th>held before (newest first)</th></tr>"
        "</thead><tbody>";
    for (const auto& stage : stages) {
      const auto* holder = model.in_stage(stage);
      // Every change of holder, oldest first: the last is the holder now; the ones before it,
      // newest first, are who held the stage before (a version back after a rollback is in both).
      auto holders = model.stage_holders(stage);
      if (!holders.empty()) holders.pop_back();
      std::reverse(holders.begin(), holders.end());
      html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", escape(stage),
                          holder ? escape(holder->name) : "-", escape(fmt::format("{}", fmt::join(holders, ", "))));
    }
    html += "</tbody></table>\n";
  }
  html +=
      "<h3>Versions</h3><div class=\"wrap\"><table><thead><tr><th>version</th><th>commit</th><th>artifact</th>"
      "<th>lineage</th><th>last repro</th><th>state</th></tr></thead><tbody>";
  for (auto it = model.versions.rbegin(); it != model.versions.rend(); ++it) {
    const auto& version = *it;
    const auto& meta = version.message.meta;
    html +=
        fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(version.name), escape(version.commit.substr(0, 12)),
                    meta.artifact ? fmt::format("<code>{}</code>{}", escape(meta.artifact->str()),
                                                meta.size ? " (" + out::human_bytes(*meta.size) + ")" : std::string())
                                  : "-",
                    lineage(model, version), repro_cell(repro_runs, store, model.name, version),
                    version.active ? (version.registered ? "active" : "stage only") : "deregistered");
  }
  html += "</tbody></table></div>\n<h3>History</h3><ol class=\"timeline\">";
  for (auto it = model.events.rbegin(); it != model.events.rend(); ++it) {
    const auto& event = *it;
    // As every runs table writes times: "2026-12-02 01:40:14 UTC".
    std::string when = event.record ? tracking::display_time(out::iso_utc(event.record->time)) : "";
    std::string who = event.record ? event.record->author : "";
    std::string what = std::string(registry::to_string(event.action));
    if (!event.version.empty()) what += " of " + event.version;
    if (!event.stage.empty()) what += " to " + event.stage;
    auto message = event.record ? registry::parse_message(event.record->message) : registry::Message{};
    const std::string& reason = message.meta.reason;
    // The user's own words (-m), as `mlops model history` shows them, and the gates checked.
    std::string said = message.body.empty() ? "" : ": <q>" + escape(message.body) + "</q>";
    std::string gates;
    for (const auto& gate : message.meta.gates) gates += "<br>" + gate_line(gate);
    html += fmt::format("<li><time>{}</time> {}{}{}{}{}</li>", escape(when), escape(what),
                        who.empty() ? "" : " by " + escape(who), reason.empty() ? "" : " (" + escape(reason) + ")",
                        said, gates);
  }
  return html + "</ol></section>\n";
}

}  // namespace

UiResponse models_page(const Repo& repo) {
  Page page;
  page.title = "Models";
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return error_page(500, "Models", git_repo.error().message);
  // Without the store: reading must not write the tag cache.
  auto loaded = registry::load(*git_repo, {}, nullptr);
  if (!loaded) return error_page(500, "Models", loaded.error().message);
  if (loaded->state.models.empty()) {
    page.body =
        "<p>No models yet: register a run's artifact with <code>mlops model register NAME --run ID</code>, or a file "
        "with <code>mlops model register NAME --path PATH</code> (docs/registry.md).</p>\n";
  } else {
    page.body = "<nav aria-label=\"Models\"><ul>";
    for (const auto& [name, model] : loaded->state.models) {
      page.body += fmt::format("<li><a href=\"#model-{0}\">{0}</a></li>", escape(name));
    }
    page.body += "</ul></nav>\n";
    std::optional<tracking::RunStore> store;
    const ReproRuns repro_runs = ReproRuns::read(repo, store);
    for (const auto& [name, model] : loaded->state.models) page.body += model_section(model, repro_runs, store);
  }
  return ui_html_response(200, std::move(page));
}

}  // namespace mlops::view
