// Reading what the checklist looks at.
#include "mlops/ready/context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "mlops/core/suggest.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::ready {

namespace {

namespace fs = std::filesystem;

// The registered models' names, for the messages.
std::vector<std::string> model_names(const registry::State& state) {
  std::vector<std::string> names;
  for (const auto& [name, m] : state.models) names.push_back(name);
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Result<void> choose_target(Context& c, const std::string& target) {
  const auto& state = c.registry.state;
  if (target.empty()) {
    if (state.models.size() > 1)
      return std::unexpected(bad_input("several models are registered: name the one to assess",
                                       fmt::format("mlops ready MODEL (one of: {})", joined(model_names(state)))));
    if (state.models.size() == 1) c.target = state.models.begin()->first;
    return {};
  }
  c.target = target;
  if (state.find(target)) return {};
  for (const auto& p : c.prompts)
    if (p.name == target) return {};  // a prompt not registered yet: the registry items say so
  std::vector<std::string> names = model_names(state);
  for (const auto& p : c.prompts) names.push_back(p.name);
  std::string near = closest(target, names);
  return std::unexpected(
      bad_input(fmt::format("no model or prompt '{}'", target),
                near.empty() ? fmt::format("the models and prompts: {}", names.empty() ? "none" : joined(names))
                             : fmt::format("did you mean '{}'?", near)));
}

void read_production(Context& c) {
  c.model = c.registry.state.find(c.target);
  if (!c.model) return;
  c.production = c.model->in_stage(kProductionStage);
  c.holders = c.model->stage_holders(kProductionStage);
  if (!c.production) return;
  if (auto s = c.production->stages.find(kProductionStage); s != c.production->stages.end()) {
    const registry::Event& assignment = c.model->events[s->second.last_assignment];
    if (assignment.record) c.production_gates = registry::parse_message(assignment.record->message).meta.gates;
  }
}

}  // namespace

std::string Rebuild::verdict() const {
  auto it = run.tags.find("repro_verdict");
  return it == run.tags.end() ? "" : it->second;
}

namespace {

void read_run(Context& c) {
  if (!c.production) return;
  const std::string& id = c.production->message.meta.run;
  if (id.empty()) {
    c.run_problem = fmt::format("{} was registered without a run", c.production->name);
    return;
  }
  auto store = tracking::RunStore::open(c.repo);
  if (!store) {
    c.run_problem = store.error().message;
    return;
  }
  auto resolved = store->resolve(id);
  auto run = resolved ? store->get(*resolved) : Result<tracking::RunRecord>(std::unexpected(resolved.error()));
  if (!run) {
    c.run_problem = fmt::format("run {} is not in this store ({})", id, run.error().message);
    return;
  }
  c.run = std::move(*run);
  auto tags = store->column_text("tags.repro_of");
  if (!tags) return;
  std::vector<std::string> ids;
  for (const auto& [rebuild, of] : *tags)
    if (of == c.run->id) ids.push_back(rebuild);
  if (ids.empty()) return;
  std::sort(ids.rbegin(), ids.rend());  // run ids start with their time: newest first
  if (auto runs = store->list_runs_of(ids, false)) {
    for (const auto& r : *runs) {
      auto full = store->get(r.id);  // with its artifacts
      if (!full) continue;
      Rebuild rebuild{std::move(*full), std::nullopt, ""};
      if (auto it = rebuild.run.tags.find("repro_compared"); it != rebuild.run.tags.end()) {
        rebuild.compared_id = it->second;
        if (auto compared = store->get(it->second)) rebuild.compared = std::move(*compared);
      }
      c.rebuilds.push_back(std::move(rebuild));
    }
  }
}

}  // namespace

Result<Context> read_context(const Repo& repo, const std::string& target, std::uint64_t now_ns) {
  Context c;
  c.repo = repo;
  c.now_ns = now_ns;
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto loaded = registry::load(*git_repo, {}, &repo);
  if (!loaded) return std::unexpected(loaded.error());
  c.registry = std::move(*loaded);
  auto prompts = llm::list_prompts(repo);
  if (prompts) c.prompts = std::move(*prompts);
  MLOPS_TRY(choose_target(c, target));
  read_production(c);
  read_run(c);
  std::error_code ec;
  if (fs::exists(repo.root / "eval.yaml", ec)) {
    auto eval = llm::load_eval_config(repo.root / "eval.yaml");
    if (eval) {
      c.eval = std::move(*eval);
    } else {
      c.eval_problem = eval.error().message;
    }
  } else {
    c.eval_problem = "no eval.yaml";
  }
  if (fs::exists(repo.root / "monitors.yaml", ec)) {
    auto monitors = trace::load_monitor_file((repo.root / "monitors.yaml").string());
    if (monitors) {
      c.monitors = std::move(*monitors);
    } else {
      c.monitors_problem = monitors.error().message;
    }
  } else {
    c.monitors_problem = "no monitors.yaml";
  }
  c.last_check = trace::read_record(repo.store() / "monitor-check.json");
  return c;
}

Checklist assess(const Context& c) {
  Checklist list;
  list.target = c.target;
  list.version = c.production ? c.production->name : "";
  list.items = {reproducibility(c), testing(c), monitoring(c), fallback(c), cost_control(c)};
  return list;
}

}  // namespace mlops::ready
