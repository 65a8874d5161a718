// The Models page of `mlops ui`: each model's stages, versions with their lineage (commit, run,
// data, metrics, gates), and the full event history as a timeline, read from the git tags.
#include <fmt/format.h>

#include "mlops/core/output.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/view/html.hpp"
#include "mlops/view/page.hpp"
#include "mlops/view/ui_pages.hpp"

namespace mlops::view {

namespace {

std::string lineage(const registry::Version& version) {
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
  for (const auto& gate : meta.gates) html += fmt::format("{}gate {}", html.empty() ? "" : "<br>", escape(gate));
  if (meta.dirty) html += fmt::format("{}registered from a tree with uncommitted changes", html.empty() ? "" : "<br>");
  return html.empty() ? "-" : html;
}

std::string model_section(const registry::Model& model) {
  std::string html = fmt::format("<section id=\"model-{0}\"><h2>{0}{1}</h2>\n", escape(model.name),
                                 model.deprecated ? " <span class=\"muted\">(deprecated)</span>" : "");
  auto stages = model.stages();
  if (!stages.empty()) {
    html += "<h3>Stages</h3><table><thead><tr><th>stage</th><th>version</th><th>held before</th></tr></thead><tbody>";
    for (const auto& stage : stages) {
      const auto* holder = model.in_stage(stage);
      auto holders = model.stage_holders(stage);
      if (!holders.empty()) holders.pop_back();
      html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", escape(stage),
                          holder ? escape(holder->name) : "-", escape(fmt::format("{}", fmt::join(holders, ", "))));
    }
    html += "</tbody></table>\n";
  }
  html +=
      "<h3>Versions</h3><div class=\"wrap\"><table><thead><tr><th>version</th><th>commit</th><th>artifact</th>"
      "<th>lineage</th><th>state</th></tr></thead><tbody>";
  for (auto it = model.versions.rbegin(); it != model.versions.rend(); ++it) {
    const auto& version = *it;
    const auto& meta = version.message.meta;
    html +=
        fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(version.name), escape(version.commit.substr(0, 12)),
                    meta.artifact ? fmt::format("<code>{}</code>{}", escape(meta.artifact->str()),
                                                meta.size ? " (" + out::human_bytes(*meta.size) + ")" : std::string())
                                  : "-",
                    lineage(version), version.active ? (version.registered ? "active" : "stage only") : "deregistered");
  }
  html += "</tbody></table></div>\n<h3>History</h3><ol class=\"timeline\">";
  for (auto it = model.events.rbegin(); it != model.events.rend(); ++it) {
    const auto& event = *it;
    std::string when = event.record ? out::iso_utc(event.record->time) : "";
    std::string who = event.record ? event.record->author : "";
    std::string what = std::string(registry::to_string(event.action));
    if (!event.version.empty()) what += " of " + event.version;
    if (!event.stage.empty()) what += " to " + event.stage;
    std::string reason = event.record ? registry::parse_message(event.record->message).meta.reason : "";
    html += fmt::format("<li><time>{}</time> {}{}{}</li>", escape(when), escape(what),
                        who.empty() ? "" : " by " + escape(who), reason.empty() ? "" : " (" + escape(reason) + ")");
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
    page.body = "<p>No models yet: register one with <code>mlops model register NAME PATH</code>.</p>\n";
  } else {
    page.body = "<nav aria-label=\"Models\"><ul>";
    for (const auto& [name, model] : loaded->state.models) {
      page.body += fmt::format("<li><a href=\"#model-{0}\">{0}</a></li>", escape(name));
    }
    page.body += "</ul></nav>\n";
    for (const auto& [name, model] : loaded->state.models) page.body += model_section(model);
  }
  return ui_html_response(200, std::move(page));
}

}  // namespace mlops::view
