// `mlops repro MODEL@VERSION | MODEL#STAGE | RUN_ID [--workdir DIR] [--keep] [--dry-run] [--rtol X] [--atol Y]`:
// rebuild a run from its git commit and data versions in a worktree of its own, rerun its
// command as a new run tagged repro_of=ID, and check that what it made is bit-identical.
// The user's work tree and index are never touched. Planning: repro/plan.hpp; the rebuild:
// repro/rebuild.hpp; the verdict:
// repro/compare.hpp.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/metadata.hpp"
#include "mlops/repro/compare.hpp"
#include "mlops/repro/plan.hpp"
#include "mlops/repro/rebuild.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/tracking/execute.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/run_json.hpp"
#include "mlops/tracking/share.hpp"

namespace mlops::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

struct Options {
  std::string target;
  std::string workdir;
  bool keep = false;
  bool dry_run = false;
  repro::Tolerance tolerance;
};

// The run to rebuild, and the model version that named it, if one did.
struct Target {
  std::string run_id;
  std::string model;
  std::string version;
  std::optional<Hash> registered;  // the version's artifact: the rebuild must make it again
};

// A run made in another clone and pushed to the default data remote (`runs push`, or `data push` of
// a registered version's run): pulled, so that a fresh clone can rebuild it. The run's id when it
// came; nullopt when there is no default remote or the remote does not hold it.
std::optional<std::string> pull_run(const Repo& repo, tracking::RunStore& store, const std::string& id) {
  auto config = load_config(repo);
  if (!config || config->default_remote.empty()) return std::nullopt;
  auto remote = unwrap(data::open_named_remote(repo, *config, {}));
  auto index = unwrap(tracking::read_run_index(repo, *remote));
  auto it = index.lower_bound(id);
  if (it == index.end() || !it->first.starts_with(id)) return std::nullopt;
  (void)unwrap(tracking::pull_runs(repo, store, *remote, {id}));
  out::note(fmt::format("pulled run '{}' from remote '{}'", it->first, config->default_remote));
  return it->first;
}

Target resolve_target(const Repo& repo, const git::Repository& git_repo, tracking::RunStore& store,
                      const std::string& text) {
  // A run id is lower-case base 32; a registry reference has '@' or '#'.
  if (text.find_first_of("@#") == std::string::npos) {
    auto id = store.resolve(text);
    if (!id && !model::load(git_repo, text).state.models.contains(text)) {
      if (auto pulled = pull_run(repo, store, text)) return {*pulled, {}, {}, {}};
    }
    if (!id && model::load(git_repo, text).state.models.contains(text)) {
      throw Failure(
          bad_input(fmt::format("'{}' is a model, not a run", text),
                    fmt::format("name a version: mlops repro {0}@latest, {0}@v1.2.3 or {0}#production", text)));
    }
    return {unwrap(std::move(id)), {}, {}, {}};
  }
  auto ref = unwrap(registry::parse_reference(text));
  auto loaded = model::load(git_repo, ref.model);
  const registry::Version& version = *unwrap(registry::resolve(loaded.state, ref));
  const auto& meta = version.message.meta;
  if (meta.run.empty()) {
    throw Failure(bad_input(
        fmt::format("{} {} was registered without a run, so there is no command to rerun", ref.model, version.name),
        "register versions from their training run: mlops model register NAME --run ID"));
  }
  auto id = store.resolve(meta.run);
  if (!id) {
    if (auto pulled = pull_run(repo, store, meta.run)) return {*pulled, ref.model, version.name, meta.artifact};
    throw Failure(bad_input(
        fmt::format("run '{}' that made {} {} is not in this repository's runs, nor on the default data remote",
                    meta.run, ref.model, version.name),
        "push it from where it ran ('mlops runs push ID' there), or bring it by hand: 'mlops runs export ID -o "
        "run.json' there, then 'mlops runs import run.json' here"));
  }
  return {*id, ref.model, version.name, meta.artifact};
}

// --workdir must be new or an empty folder; otherwise a fresh folder in the store's tmp/ (the
// same filesystem as the cache, so link modes stay cheap).
fs::path choose_workdir(const Options& options) {
  if (options.workdir.empty()) return {};
  fs::path dir = fs::absolute(options.workdir).lexically_normal();
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec))) {
    throw Failure(bad_input(fmt::format("'{}' exists and is not an empty folder", options.workdir),
                            "name a new folder with --workdir, or leave it out for a temporary one"));
  }
  return dir;
}

std::string short_hash(const std::string& hash) { return hash.substr(0, 17); }

std::string describe(const tracking::RunRecord& run, const Target& target) {
  std::string text = fmt::format("run {} ({})", run.id, run.name);
  if (!target.model.empty()) text += fmt::format(", which made {} {}", target.model, target.version);
  return text;
}

// --- the plan (--dry-run) ---

// What the run's git.diff left out ({"max_file_bytes", "too_big", "binary"}), null when nothing.
ordered_json diff_left_out_json(const tracking::RunRecord& run) {
  auto left_out = tracking::DiffLeftOut::of(run);
  if (left_out.empty()) return nullptr;
  return ordered_json::parse(left_out.to_json());
}

ordered_json plan_json(const repro::Plan& plan, const Target& target, const fs::path& workdir) {
  const auto& run = plan.run;
  ordered_json data = ordered_json::array();
  for (const auto& input : plan.data) {
    data.push_back({{"path", input.version.path},
                    {"hash", input.version.hash},
                    {"kind", input.version.kind},
                    {"source", repro::to_string(input.source)}});
  }
  ordered_json compared = ordered_json::array();
  for (const auto& a : plan.compared) compared.push_back({{"name", a.name}, {"hash", a.hash}});
  return {{"run", run.id},
          {"model", target.model.empty() ? ordered_json() : ordered_json(target.model)},
          {"version", target.version.empty() ? ordered_json() : ordered_json(target.version)},
          {"commit", run.git_commit},
          {"dirty", run.git_dirty},
          {"diff", plan.diff ? ordered_json(plan.diff->str()) : ordered_json()},
          {"diff_left_out", diff_left_out_json(run)},
          {"data", data},
          {"command", run.command},
          {"cwd", run.cwd},
          {"params", run.params},
          {"artifacts", plan.artifacts},
          {"metrics_files", plan.metrics_files},
          {"compared", compared},
          {"remote", plan.remote.empty() ? ordered_json() : ordered_json(plan.remote)},
          {"workdir", workdir.empty() ? ordered_json() : ordered_json(workdir.string())}};
}

void print_plan(const repro::Plan& plan, const Target& target, const fs::path& workdir, std::string_view heading) {
  const auto& run = plan.run;
  auto label = [](std::string_view text) { return out::paint(fmt::format("{:<9}", text), out::Style::bold); };
  out::println("{} {}", heading, describe(run, target));
  out::println("{} {}{}", label("commit"), run.git_commit,
               run.git_dirty ? " + its recorded diff (the tree was dirty)" : "");
  for (const auto& input : plan.data) {
    out::println("{} {} {} ({}{})", label("data"), input.version.path, short_hash(input.version.hash),
                 repro::to_string(input.source),
                 input.source == repro::Source::remote ? fmt::format(" '{}'", plan.remote) : "");
  }
  out::println("{} {}{}", label("command"), tracking::display_command(run.command),
               run.cwd.empty() ? "" : fmt::format("   (in {})", run.cwd));
  if (!run.params.empty()) out::println("{} {} recorded", label("params"), run.params.size());
  for (const auto& a : plan.compared) out::println("{} {} {}", label("compare"), a.name, short_hash(a.hash));
  if (plan.compared.empty()) out::println("{} no artifacts recorded: the final metrics are compared", label("compare"));
  if (!workdir.empty()) out::println("{} {}", label("worktree"), workdir.string());
}

// --- the report ---

struct Verdict {
  repro::Comparison comparison;
  std::optional<bool> registered_rebuilt;  // for a model version: whether its artifact came out again
  repro::Verdict verdict() const {
    auto verdict = comparison.verdict();
    if (verdict != repro::Verdict::bit_identical || registered_rebuilt.value_or(true)) return verdict;
    return comparison.close_enough() ? repro::Verdict::equal_within_tolerance : repro::Verdict::differs;
  }
  bool identical() const { return verdict() == repro::Verdict::bit_identical; }
  bool passed() const { return verdict() != repro::Verdict::differs; }
};

std::string verdict_json(repro::Verdict verdict) {
  std::string text(repro::to_string(verdict));
  std::replace(text.begin(), text.end(), ' ', '-');
  return text;
}

ordered_json report_json(const tracking::RunRecord& original, const tracking::RunRecord& rebuilt, const Target& target,
                         const Verdict& verdict, const fs::path& workdir, bool kept, bool interrupted) {
  const auto& c = verdict.comparison;
  ordered_json artifacts = ordered_json::array();
  for (const auto& a : c.artifacts) {
    artifacts.push_back({{"name", a.name},
                         {"original", a.original},
                         {"rebuilt", a.rebuilt ? ordered_json(*a.rebuilt) : ordered_json()},
                         {"identical", a.identical()}});
  }
  ordered_json metrics = ordered_json::array();
  for (const auto& m : c.metrics) {
    ordered_json delta;
    if (m.original && m.rebuilt) delta = *m.rebuilt - *m.original;
    metrics.push_back({{"name", m.name},
                       {"original", m.original ? tracking::metric_value_json(*m.original) : ordered_json()},
                       {"rebuilt", m.rebuilt ? tracking::metric_value_json(*m.rebuilt) : ordered_json()},
                       {"delta", delta.is_number() && std::isfinite(delta.get<double>()) ? delta : ordered_json()},
                       {"equal", m.equal()},
                       {"within_tolerance", m.within(c.tolerance)}});
  }
  ordered_json environment = ordered_json::array();
  for (const auto& e : c.environment) {
    environment.push_back({{"key", e.key},
                           {"original", e.original ? ordered_json(*e.original) : ordered_json()},
                           {"rebuilt", e.rebuilt ? ordered_json(*e.rebuilt) : ordered_json()}});
  }
  ordered_json causes = ordered_json::array();
  if (!verdict.identical()) {
    for (auto cause : c.causes) {
      causes.push_back({{"cause", repro::to_string(cause)}, {"text", repro::explain(cause, original)}});
    }
  }
  ordered_json doc = {{"verdict", interrupted ? std::string("interrupted") : verdict_json(verdict.verdict())},
                      {"run", original.id},
                      {"rebuilt_run", rebuilt.id},
                      {"model", target.model.empty() ? ordered_json() : ordered_json(target.model)},
                      {"version", target.version.empty() ? ordered_json() : ordered_json(target.version)},
                      {"commit", original.git_commit},
                      {"dirty", original.git_dirty},
                      {"diff_left_out", diff_left_out_json(original)},
                      {"exit_code",
                       {{"original", original.exit_code ? ordered_json(*original.exit_code) : ordered_json()},
                        {"rebuilt", rebuilt.exit_code ? ordered_json(*rebuilt.exit_code) : ordered_json()}}},
                      {"artifacts", artifacts}};
  if (target.registered) {
    doc["registered_artifact"] = {{"hash", target.registered->str()},
                                  {"rebuilt", verdict.registered_rebuilt.value_or(false)}};
  }
  doc["metrics"] = metrics;
  doc["environment"] = environment;
  doc["tolerance"] =
      c.tolerance.given() ? ordered_json{{"rtol", c.tolerance.rtol}, {"atol", c.tolerance.atol}} : ordered_json();
  doc["likely_causes"] = causes;
  doc["workdir"] = kept ? ordered_json(workdir.string()) : ordered_json();
  return doc;
}

void print_report(const tracking::RunRecord& original, const tracking::RunRecord& rebuilt, const Target& target,
                  const Verdict& verdict) {
  const auto& c = verdict.comparison;
  bool identical = verdict.identical();
  auto result = verdict.verdict();
  std::string label(repro::to_string(result));
  out::println("{}: {} rebuilt as run {}",
               out::paint(label, result == repro::Verdict::differs ? out::Style::red : out::Style::green),
               describe(original, target), rebuilt.id);
  if (result == repro::Verdict::equal_within_tolerance) {
    out::println("every metric is within rtol={} atol={} of the original; the artifacts differ",
                 tracking::display_number(c.tolerance.rtol), tracking::display_number(c.tolerance.atol));
  }
  if (!c.exit_code_equal) {
    out::println("the command exited {} (the original exited {})", rebuilt.exit_code.value_or(-1),
                 original.exit_code.value_or(-1));
  }
  if (!c.artifacts.empty()) {
    out::Table table({"ARTIFACT", "ORIGINAL", "REBUILT", ""});
    for (const auto& a : c.artifacts) {
      table.add_row(
          {a.name, a.original, a.rebuilt ? *a.rebuilt : "(not made)",
           a.identical() ? out::paint("identical", out::Style::green) : out::paint("differs", out::Style::red)});
    }
    out::print(table.render());
  }
  if (verdict.registered_rebuilt && !*verdict.registered_rebuilt) {
    out::println("the registered artifact of {} {} ({}) was not made again", target.model, target.version,
                 target.registered->str());
  }
  bool metrics_differ = std::any_of(c.metrics.begin(), c.metrics.end(), [](const auto& m) { return !m.equal(); });
  if (metrics_differ || (c.artifacts.empty() && !c.metrics.empty())) {
    bool tolerant = c.tolerance.given();
    std::vector<std::string> header{"METRIC", "ORIGINAL", "REBUILT", "DELTA"};
    if (tolerant) header.push_back("WITHIN");
    out::Table table(header);
    for (const auto& m : c.metrics) {
      std::string delta = m.original && m.rebuilt && !m.equal() ? tracking::display_delta(*m.original, *m.rebuilt) : "";
      std::vector<std::string> row{m.name, m.original ? tracking::display_number(*m.original) : "-",
                                   m.rebuilt ? tracking::display_number(*m.rebuilt) : "-", delta};
      if (tolerant) row.push_back(m.within(c.tolerance) ? "yes" : out::paint("no", out::Style::red));
      table.add_row(std::move(row));
    }
    for (std::size_t i = 1; i < 4; ++i) table.right_align(i);
    out::print(table.render());
  } else if (!c.metrics.empty()) {
    out::println("{} metric{} equal", c.metrics.size(), c.metrics.size() == 1 ? "" : "s");
  }
  if (!identical) {
    for (auto cause : c.causes) out::println("likely cause: {}", repro::explain(cause, original));
  }
  if (!c.environment.empty()) {
    out::println("{}", identical ? "environment differences (none changed the result):"
                                 : "environment differences that may explain it:");
    for (const auto& e : c.environment) {
      out::println("  {}: {} -> {}", e.key, e.original.value_or("(none)"), e.rebuilt.value_or("(none)"));
    }
  }
}

int run_repro(const Options& options) {
  Repo repo = require_store();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto store = unwrap(tracking::RunStore::open(repo));
  Target target = resolve_target(repo, git_repo, store, options.target);
  auto original = unwrap(store.get(target.run_id));
  fs::path chosen = choose_workdir(options);
  repro::Plan plan = unwrap(repro::make_plan(repo, git_repo, original));
  if (original.status != tracking::RunStatus::finished) {
    out::warn(fmt::format("run {} is {} (exit {}); rebuilding it anyway", original.id, original.status,
                          original.exit_code.value_or(-1)));
  }
  if (auto left_out = tracking::DiffLeftOut::of(original); !left_out.empty()) {
    out::warn(fmt::format("run {}'s git.diff is incomplete, it left out {}: the rebuild may not match it exactly",
                          original.id, left_out.describe()));
    out::hint("version such files with 'mlops data add' or commit them, so that later runs rebuild whole");
  }

  if (options.dry_run) {
    if (out::settings().json) {
      ordered_json doc = plan_json(plan, target, chosen);
      doc["dry_run"] = true;
      out::print_json(doc);
    } else {
      print_plan(plan, target, chosen, "Would rebuild");
    }
    return 0;
  }

  repro::RebuildOptions how{chosen, options.keep, out::settings().json};
  auto done = unwrap(repro::rebuild(repo, plan, how, [&](const fs::path& workdir) {
    if (!out::settings().json) print_plan(plan, target, options.keep ? workdir : fs::path(), "Rebuilding");
  }));
  const tracking::ExecutedRun& executed = done.executed;
  const fs::path& workdir = done.workdir;
  auto outer = unwrap(store.get(executed.id));
  // A command that records its own run (`mlops eval run`) made its artifacts there, not in the
  // run repro opened around it: that run is the rebuild to compare.
  auto inner = unwrap(repro::run_recorded_inside(store, outer, original));
  const tracking::RunRecord& rebuilt = inner ? *inner : outer;
  Verdict verdict{repro::compare_runs(original, rebuilt, options.tolerance), std::nullopt};
  if (target.registered) {
    verdict.registered_rebuilt = std::any_of(rebuilt.artifacts.begin(), rebuilt.artifacts.end(),
                                             [&](const auto& a) { return a.hash == target.registered->str(); });
  }
  bool interrupted = executed.status == tracking::RunStatus::killed;
  // What repro said stays on the rebuilt run, for the Models page of `mlops ui` and `runs list`.
  std::map<std::string, std::string> said{
      {"repro_verdict", interrupted ? "interrupted" : verdict_json(verdict.verdict())}};
  if (!target.model.empty()) said["repro_target"] = target.model + "@" + target.version;
  if (inner) said["repro_compared"] = inner->id;  // the verdict is about that run (mlops ready reads it)
  unwrap(store.set_tags(outer.id, std::move(said)));
  if (out::settings().json) {
    auto doc = report_json(original, rebuilt, target, verdict, workdir, options.keep, interrupted);
    doc["outer_run"] = inner ? ordered_json(outer.id) : ordered_json();
    out::print_json(doc);
  } else if (interrupted) {
    out::println("interrupted: run {} was killed, so there is nothing to compare", outer.id);
  } else {
    print_report(original, rebuilt, target, verdict);
    if (inner) out::note(fmt::format("run {} is the one its command recorded, inside run {}", inner->id, outer.id));
  }
  if (options.keep) out::note(fmt::format("the worktree is kept in {}", workdir.string()));
  // A Ctrl-C ends us as it ended the command (130), not as a failed check.
  if (interrupted) return executed.exit_code;
  return verdict.passed() ? 0 : static_cast<int>(Exit::check_failed);
}

}  // namespace

void register_repro(CLI::App& app) {
  auto options = std::make_shared<Options>();
  auto* command = add_command(
      app, "repro", "Rebuild a model or run from its git commit and data versions, and check it is bit-identical",
      [options] { return run_repro(*options); });
  command->add_option("target", options->target, "MODEL@VERSION, MODEL#STAGE, MODEL@latest, or a run id (prefix)")
      ->required();
  command
      ->add_option("--workdir", options->workdir,
                   "Build in DIR (new or empty) instead of a temporary folder under .mlops/tmp")
      ->option_text("DIR");
  command->add_flag("--keep", options->keep, "Keep the worktree afterwards (it is removed by default)");
  command->add_flag("-n,--dry-run", options->dry_run,
                    "Print the plan (commit, data versions, command) and run nothing");
  command
      ->add_option("--rtol", options->tolerance.rtol,
                   "Metrics within this relative tolerance of the original count as equal (artifacts need not be "
                   "bit-identical)")
      ->check(CLI::NonNegativeNumber)
      ->option_text("X");
  command
      ->add_option("--atol", options->tolerance.atol,
                   "Metrics within this absolute tolerance count as equal (with --rtol: atol + rtol * |original|)")
      ->check(CLI::NonNegativeNumber)
      ->option_text("Y");
  add_json_flag(*command);
  command->footer(
      "The rebuild runs in a separate git worktree of the run's commit (with its recorded diff when the tree was\n"
      "dirty, and every dataset at its recorded version, fetched from the default remote when missing), as a new\n"
      "run tagged repro_of=ID. Exit 0: bit-identical (or, with --rtol/--atol, equal within tolerance); 1: differs;\n"
      "2: cannot be rebuilt (no command, commit or data).\n"
      "Example: mlops repro churn@v0.0.1\n"
      "         mlops repro churn#production --rtol 1e-6 --atol 1e-9   # GPU training, threads");
}

}  // namespace mlops::cli
