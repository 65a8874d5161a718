// `mlops model history [NAME]`: every registry event, oldest first.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/registry/metadata.hpp"

namespace mlops::cli {

namespace {

struct ModelHistoryOptions {
  std::string name;
};

int run_model_history(const ModelHistoryOptions& options) {
  Repo repo = require_git_repo();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  if (!options.name.empty()) unwrap(registry::check_model_name(options.name));
  auto loaded = model::load(git_repo, options.name);
  const auto& state = loaded.state;
  if (!options.name.empty()) unwrap(registry::find_model(state, options.name));

  // All models' events merged in the order they were folded: tagger time, then counter.
  struct Row {
    const registry::Model* model;
    const registry::Event* event;
  };
  std::vector<Row> rows;
  for (const auto& [name, m] : state.models) {
    for (const auto& e : m.events) rows.push_back({&m, &e});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.event->record->time < b.event->record->time; });

  if (out::settings().json) {
    nlohmann::ordered_json events = nlohmann::ordered_json::array();
    for (const auto& row : rows) events.push_back(model::event_json(*row.model, *row.event));
    out::print_json({{"events", events}});
    return 0;
  }
  if (rows.empty()) {
    out::note("No registry events yet");
    return 0;
  }
  out::Table table({"TIME", "MODEL", "EVENT", "VERSION", "STAGE", "AUTHOR", "COMMIT", "MESSAGE"});
  for (const auto& row : rows) {
    const auto& r = *row.event->record;
    auto message = registry::parse_message(r.message);
    std::string text = message.body.empty() ? message.subject : message.body.substr(0, message.body.find('\n'));
    std::string event(registry::to_string(row.event->action));
    if (row.event->action == registry::Action::assign && message.meta.rollback()) {
      // A rollback: say so, and why (the reason, then the user's text).
      event = "rollback";
      text = message.body.empty() ? message.meta.reason
                                  : message.meta.reason + ": " + message.body.substr(0, message.body.find('\n'));
    }
    table.add_row({out::iso_utc(r.time), row.model->name, event, row.event->version.empty() ? "-" : row.event->version,
                   row.event->stage.empty() ? "-" : row.event->stage, r.author, model::short_commit(r.commit), text});
  }
  out::print(table.render());
  return 0;
}

}  // namespace

void add_model_history(CLI::App& group) {
  auto options = std::make_shared<ModelHistoryOptions>();
  auto* command = add_command(group, "history", "Show every registry event (of one model, or of all)",
                              [options] { return run_model_history(*options); });
  command->add_option("name", options->name, "Model name (default: all models)");
  add_json_flag(*command);
}

}  // namespace mlops::cli
