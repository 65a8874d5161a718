// `mlops model list`: every model with its latest version and the version in each stage.
#include <algorithm>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/registry/settings.hpp"

namespace mlops::cli {

namespace {

int run_model_list() {
  Repo repo = require_git_repo();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto loaded = model::load(git_repo);
  const auto& models = loaded.state.models;
  // Tags GTO wrote are listed in any git repository; an empty registry in one that mlops was never
  // set up in is most likely the wrong folder, not an empty registry.
  if (models.empty() && !repo.initialised()) unwrap(find_store(repo.root));

  // Stage columns: the configured stages in their order, then any other stage some tag uses.
  std::vector<std::string> columns;
  if (repo.initialised()) columns = unwrap(registry::load_stages(repo));
  for (const auto& [name, m] : models) {
    for (const auto& stage : m.stages()) {
      if (std::find(columns.begin(), columns.end(), stage) == columns.end()) columns.push_back(stage);
    }
  }

  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [name, m] : models) {
      const auto* latest = m.latest();
      nlohmann::ordered_json stages = nlohmann::ordered_json::object();
      for (const auto& stage : m.stages()) stages[stage] = m.in_stage(stage)->name;
      list.push_back({{"name", name},
                      {"latest", latest ? nlohmann::ordered_json(latest->name) : nullptr},
                      {"deprecated", m.deprecated},
                      {"stages", stages}});
    }
    out::print_json({{"models", list}});
    return 0;
  }
  if (models.empty()) {
    out::note("No models registered yet: see 'mlops model register --help'");
    return 0;
  }
  std::vector<std::string> header{"MODEL", "LATEST"};
  for (const auto& c : columns) header.push_back(c);
  out::Table table(header);
  for (const auto& [name, m] : models) {
    const auto* latest = m.latest();
    std::string latest_text = latest ? latest->name : "-";
    if (m.deprecated) latest_text += " " + out::paint("(deprecated)", out::Style::dim);
    std::vector<std::string> row{name, latest_text};
    for (const auto& c : columns) {
      const auto* holder = m.in_stage(c);
      row.push_back(holder ? holder->name : "-");
    }
    table.add_row(std::move(row));
  }
  out::print(table.render());
  return 0;
}

}  // namespace

void add_model_list(CLI::App& group) {
  auto* command =
      add_command(group, "list", "List models with their latest version and the version in each stage", run_model_list);
  add_json_flag(*command);
}

}  // namespace mlops::cli
