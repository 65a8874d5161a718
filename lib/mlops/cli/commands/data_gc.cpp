// `mlops data gc [--dry-run] [--workspace-only [--all-commits --all-tags --all-branches]]
//                [--include-unpushed] [--grace D] [--remote NAME]`:
// remove objects nothing references any more, never the only copy of committed data.
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/temp_files.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/gc.hpp"
#include "mlops/data/manifest.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/revisions.hpp"
#include "mlops/data/settings.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct DataGcOptions {
  bool dry_run = false;
  bool workspace_only = false;
  bool include_unpushed = false;
  bool yes = false;
  std::string grace;
  std::string remote;
  git::RevisionScope history;
};

// Versions named outside git: run artifacts and the data runs recorded (runs.db), registered
// model versions and the data they were trained on (registry tags). gc never deletes a model.
std::vector<data::TrackedData> run_and_model_roots(const Repo& repo) {
  std::vector<data::TrackedData> items;
  data::Cache cache(repo);
  auto add = [&](const std::string& hash, const std::string& kind) {
    auto parsed = Hash::parse(hash);
    if (!parsed) return;
    data::TrackedData item;
    item.pointer.hash = *parsed;
    item.pointer.kind = kind == "dir" ? data::Kind::dir : data::Kind::file;
    items.push_back(std::move(item));
  };
  if (std::filesystem::exists(repo.runs_db())) {
    auto store = unwrap(tracking::RunStore::open(repo));
    for (const auto& run : unwrap(store.list_runs())) {
      auto record = unwrap(store.get(run.id));
      for (const auto& a : record.artifacts) add(a.hash, a.kind);
      for (const auto& d : record.data) add(d.hash, d.kind);
    }
  }
  auto models = registered_versions(repo);
  items.insert(items.end(), models.begin(), models.end());
  return items;
}

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string grace_text(std::chrono::seconds grace) {
  auto s = grace.count();
  if (s == 0) return "0";
  if (s % (7 * 86400) == 0) return fmt::format("{}w", s / (7 * 86400));
  if (s % 86400 == 0) return fmt::format("{}d", s / 86400);
  if (s % 3600 == 0) return fmt::format("{}h", s / 3600);
  if (s % 60 == 0) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

// Asks on the terminal; anything but y/yes declines.
bool confirm(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

bool interactive(const DataGcOptions& options) {
  return !options.dry_run && !options.yes && !out::settings().json && ::isatty(0) && ::isatty(2);
}

void print_result(const DataGcOptions& options, const data::GcPlan& plan, const std::vector<Hash>& removed,
                  std::uint64_t bytes, const std::string& where, const StaleTemps& temps) {
  if (out::settings().json) {
    nlohmann::ordered_json hashes = nlohmann::ordered_json::array();
    for (const auto& h : removed) hashes.push_back(h.str());
    out::print_json(
        {{"dry_run", options.dry_run},
         {"remote", options.remote.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(options.remote)},
         {"objects", removed.size()},
         {"bytes", bytes},
         {"removed", hashes},
         {"kept",
          {{"referenced", plan.referenced},
           {"recent", plan.kept_recent.size()},
           {"unpushed", plan.kept_unpushed.size()}}},
         {"stale_temp_files", {{"files", temps.files}, {"bytes", temps.bytes}}}});
    return;
  }
  if (temps.files > 0) {
    out::println("{} {} left in .mlops/tmp by commands that were killed, {} {}",
                 options.dry_run ? "would remove" : "removed", plural(temps.files, "temp file"),
                 options.dry_run ? "freeing" : "freed", out::human_bytes(temps.bytes));
  }
  if (options.dry_run) {
    for (const auto& h : removed) out::println("would remove {}", h.str());
    out::println("{} would be removed{}, freeing {}", plural(removed.size(), "object"), where, out::human_bytes(bytes));
  } else {
    out::println("removed {}{}, freed {}", plural(removed.size(), "object"), where, out::human_bytes(bytes));
  }
}

// What was kept although nothing references it, and how to change that.
void print_kept(const DataGcOptions& options, const data::GcPlan& plan, std::chrono::seconds grace) {
  if (out::settings().json) return;
  if (!plan.kept_recent.empty()) {
    out::println("kept {} ({}) newer than the grace period ({})", plural(plan.kept_recent.size(), "object"),
                 out::human_bytes(plan.bytes_recent), grace_text(grace));
  }
  if (!plan.kept_unpushed.empty()) {
    out::println("kept {} ({}) that {}", plural(plan.kept_unpushed.size(), "object"),
                 out::human_bytes(plan.bytes_unpushed),
                 plan.remote.empty() ? std::string("no remote has (there is no default remote)")
                                     : fmt::format("the default remote '{}' does not have", plan.remote));
    out::hint(plan.remote.empty()
                  ? "they may be the only copy; 'mlops remote add NAME URL --default' and 'mlops data push' keep them "
                    "safe, or remove them anyway with --include-unpushed"
                  : "they may be the only copy; remove them anyway with --include-unpushed");
  }
  (void)options;
}

int run_local_gc(const Repo& repo, const DataGcOptions& options, data::GcOptions gc, const StaleTemps& temps) {
  data::Cache cache(repo);
  std::set<Hash> confirmed;
  bool ask = interactive(options);
  if (options.dry_run || ask) {
    data::GcPlan plan;
    {
      auto lock = unwrap(data::lock_store(repo, LockKind::shared));
      plan = unwrap(data::plan_gc(repo, cache, gc));
    }
    if (options.dry_run) {
      print_result(options, plan, plan.remove, plan.bytes, "", temps);
      print_kept(options, plan, gc.grace);
      return 0;
    }
    print_kept(options, plan, gc.grace);
    if (plan.remove.empty()) {
      out::println("nothing to remove");
      return 0;
    }
    if (!confirm(fmt::format("remove {} from the cache, freeing {}?", plural(plan.remove.size(), "object"),
                             out::human_bytes(plan.bytes)))) {
      out::println("nothing removed");
      return 0;
    }
    confirmed.insert(plan.remove.begin(), plan.remove.end());
  }
  // Decided again under the exclusive lock: only what is still garbage, and what the user saw.
  auto lock = unwrap(data::lock_store(repo, LockKind::exclusive));
  auto plan = unwrap(data::plan_gc(repo, cache, gc));
  auto result = unwrap(data::remove_from_cache(repo, cache, plan, ask ? &confirmed : nullptr));
  print_result(options, plan, result.removed, result.bytes, "", temps);
  if (!ask) print_kept(options, plan, gc.grace);
  return 0;
}

int run_remote_gc(const Repo& repo, const DataGcOptions& options, data::GcOptions gc, const StaleTemps& temps) {
  Config config = unwrap(load_config(repo));
  auto remote = open_chosen_remote(repo, config, options.remote);
  data::Cache cache(repo);
  data::GcPlan plan;
  {
    auto lock = unwrap(data::lock_store(repo, LockKind::shared));  // manifests may be fetched into the cache
    plan = unwrap(data::plan_remote_gc(repo, cache, *remote, gc));
  }
  std::string where = fmt::format(" from remote '{}'", options.remote);
  if (options.dry_run) {
    unwrap(data::save_remote_plan(repo, options.remote, plan));
    print_result(options, plan, plan.remove, plan.bytes, where, temps);
    print_kept(options, plan, gc.grace);
    if (!plan.remove.empty() && !out::settings().json) {
      out::hint(fmt::format("to remove them, run 'mlops data gc --remote {}' within an hour", options.remote));
    }
    return 0;
  }
  auto shown = unwrap(data::load_remote_plan(repo, options.remote));
  std::size_t agreed = 0;
  for (const auto& h : plan.remove) agreed += shown.count(h);
  if (interactive(options) && agreed > 0 &&
      !confirm(fmt::format("remove {} from remote '{}'?", plural(agreed, "object"), options.remote))) {
    out::println("nothing removed");
    return 0;
  }
  auto result = unwrap(data::remove_from_remote(*remote, plan, &shown));
  data::forget_remote_plan(repo, options.remote);
  print_result(options, plan, result.removed, result.bytes, where, temps);
  return 0;
}

int run_data_gc(const DataGcOptions& options) {
  // Not require_store(), which removes stale temp files unseen: gc says what it freed.
  Repo repo = unwrap(find_store());
  StaleTemps temps = remove_stale_temps(repo.tmp(), std::chrono::hours(24), !options.dry_run);
  auto settings = unwrap(data::load_data_settings(repo));
  data::GcOptions gc;
  gc.scope = options.workspace_only ? data::GcScope::workspace_only : data::GcScope::all_refs;
  gc.include_unpushed = options.include_unpushed;
  gc.grace = settings.gc_grace;
  if (!options.grace.empty()) {
    auto grace = data::parse_duration(options.grace);
    if (!grace) {
      throw Failure(bad_input(fmt::format("--grace '{}' is not a duration", options.grace),
                              "write it as 0, 90s, 30m, 12h, 1d or 2w"));
    }
    gc.grace = *grace;
  }
  gc.extra_roots = run_and_model_roots(repo);
  if (options.history.any()) {
    // DVC's `gc -w --all-tags`: the workspace and the revisions named. Without --workspace-only gc
    // keeps every version git holds, which already includes them: the flags then change nothing.
    if (options.workspace_only) {
      data::Cache cache(repo);
      auto history = unwrap(data::versions_in_revisions(repo, cache, options.history, {}));
      gc.extra_roots.insert(gc.extra_roots.end(), history.versions.begin(), history.versions.end());
      gc.extra_roots.insert(gc.extra_roots.end(), history.unreadable.begin(), history.unreadable.end());
      out::note(fmt::format("keeping the data of {} revision{} besides the workspace ({} pointer version{})",
                            history.revisions, history.revisions == 1 ? "" : "s", history.versions.size(),
                            history.versions.size() == 1 ? "" : "s"));
    } else {
      out::note(
          "gc keeps every version git holds (all commits, branches and tags) unless --workspace-only: "
          "--all-commits, --all-tags and --all-branches widen --workspace-only and change nothing here");
    }
  }
  if (!options.remote.empty()) {
    if (options.include_unpushed) {
      throw Failure(bad_input("--include-unpushed applies to the cache, not to '--remote'",
                              "leave it out: a remote's objects are checked against what git references"));
    }
    return run_remote_gc(repo, options, std::move(gc), temps);
  }
  return run_local_gc(repo, options, std::move(gc), temps);
}

}  // namespace

void add_data_gc(CLI::App& group) {
  auto options = std::make_shared<DataGcOptions>();
  auto* command = add_command(group, "gc", "Remove cache objects that nothing references and that are safe elsewhere",
                              [options] { return run_data_gc(*options); });
  command->add_flag("-n,--dry-run", options->dry_run, "List what would be removed and the bytes freed; remove nothing");
  command->add_flag("-w,--workspace-only", options->workspace_only,
                    "Keep only what the workspace's pointers reference (default: also every version git still "
                    "holds); run artifacts and registered models are always kept");
  command->add_flag("--include-unpushed", options->include_unpushed,
                    "Also remove unreferenced objects the default remote does not have (they may be the only copy)");
  command
      ->add_option("--grace", options->grace,
                   "Keep objects newer than this (0, 30m, 12h, 1d, 2w; default: gc.grace in config, else 1d)")
      ->type_name("DURATION");
  command
      ->add_option("-r,--remote", options->remote,
                   "Clean this remote instead of the cache (run with --dry-run first; the real run removes only "
                   "what the dry run listed)")
      ->type_name("NAME");
  command->add_flag("-y,--yes", options->yes, "Do not ask for confirmation on a terminal");
  add_revision_flags(*command, options->history, "keep");
  add_json_flag(*command);
  command->footer(
      "Kept: what HEAD, every branch, tag and remote-tracking branch and their history, the index, the stash,\n"
      "reflogs (within git's expiry), every work tree sharing the store, runs and registered models reference;\n"
      "objects newer than the grace period; objects the default remote lacks (unless --include-unpushed).\n"
      "With --workspace-only: the workspace, runs and models, plus what --all-commits/--all-tags/--all-branches name.\n"
      "Example: mlops data gc --dry-run && mlops data gc\n"
      "         mlops data gc --remote shared --workspace-only --all-tags --dry-run   # keep released versions only");
}

}  // namespace mlops::cli
