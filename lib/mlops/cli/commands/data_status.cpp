// `mlops data status [PATH...]`: how the workspace and the cache compare with the pointers.
#include <fmt/format.h>

#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/commands/remote.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/checkout.hpp"
#include "mlops/data/ignore.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/status.hpp"

namespace mlops::cli {

namespace {

struct DataStatusOptions {
  std::vector<std::string> paths;
  bool exit_code = false;
  bool remote_asked = false;  // --remote [NAME]: also say what this remote lacks
  std::string remote;         // empty with remote_asked: the default remote
  bool verify = false;
};

nlohmann::ordered_json to_json(const data::DataStatus& s) {
  nlohmann::ordered_json j{{"path", s.tracked.data_path},
                           {"pointer", s.tracked.pointer_file},
                           {"kind", data::to_string(s.tracked.pointer.kind)},
                           {"hash", s.tracked.pointer.hash.str()},
                           {"state", data::to_string(s.state)},
                           {"in_cache", s.in_cache},
                           {"incomplete", s.incomplete}};
  if (const auto& c = s.tracked.conflict) {
    j["conflict"] = {{"ours", c->ours.hash.str()},
                     {"theirs", c->theirs.hash.str()},
                     {"base", c->base ? nlohmann::ordered_json(c->base->hash.str()) : nlohmann::ordered_json()},
                     {"files", c->files}};
  }
  if (s.tracked.pointer.kind == data::Kind::dir) {
    j["added"] = s.added;
    j["modified"] = s.modified;
    j["deleted"] = s.deleted;
  }
  return j;
}

// The label of a state, padded before it is painted so that colour codes do not eat the padding.
std::string state_label(const data::DataStatus& s) {
  auto padded = [](std::string_view text) { return fmt::format("{:<14}", text); };
  if (s.incomplete) return out::paint(padded("incomplete:"), out::Style::red);
  switch (s.state) {
    case data::State::modified:
      return out::paint(padded("modified:"), out::Style::red);
    case data::State::missing:
      return out::paint(padded("missing:"), out::Style::red);
    case data::State::stale:
      return out::paint(padded("out of date:"), out::Style::yellow);
    case data::State::conflict:
      return out::paint(padded("conflict:"), out::Style::red);
    case data::State::unchanged:
      break;
  }
  return out::paint(padded("not in cache:"), out::Style::yellow);
}

nlohmann::ordered_json to_json(const data::IgnoreFinding& f) {
  nlohmann::ordered_json removed;
  if (f.removed_in) removed = {{"commit", f.removed_in->id}, {"author", f.removed_in->author}};
  return {{"path", f.data_path},
          {"problem", f.kind == data::IgnoreFinding::Kind::not_ignored ? "not_ignored" : "untracked"},
          {"ignore_file", f.ignore_file},
          {"entry", f.entry},
          {"removed_in", removed}};
}

void print_ignore_findings(const std::vector<data::IgnoreFinding>& findings) {
  for (const auto& f : findings) {
    if (f.kind == data::IgnoreFinding::Kind::not_ignored) {
      out::println("\t{}{} (tracked, but git does not ignore it)",
                   out::paint(fmt::format("{:<14}", "not ignored:"), out::Style::red), f.data_path);
    } else {
      std::string who = f.removed_in ? fmt::format(", its pointer was removed in {} by {}",
                                                   f.removed_in->id.substr(0, 12), f.removed_in->author)
                                     : "";
      out::println("\t{}{} (ignored by '{}' in {}, but no pointer tracks it{})",
                   out::paint(fmt::format("{:<14}", "untracked:"), out::Style::yellow), f.data_path, f.entry,
                   f.ignore_file, who);
    }
  }
  for (const auto& f : findings) out::hint(f.fix());
}

void print_human(const std::vector<data::DataStatus>& statuses,
                 const std::optional<data::IncompleteCheckout>& incomplete,
                 const std::vector<data::IgnoreFinding>& ignores, bool dvc_project) {
  bool modified = false, behind = false, uncached = false;
  std::vector<const data::DataStatus*> conflicts;
  for (const auto& s : statuses) {
    if (!s.differs()) continue;
    if (s.incomplete) {
      out::println("\t{}{}", state_label(s), s.tracked.data_path);
      continue;
    }
    if (s.state == data::State::conflict) {
      // Only this dataset is stopped: the others are reported as usual.
      conflicts.push_back(&s);
      const auto& c = *s.tracked.conflict;
      out::println("\t{}{} (ours {}, theirs {})", state_label(s), s.tracked.data_path, c.ours.hash.str().substr(5, 12),
                   c.theirs.hash.str().substr(5, 12));
      for (const auto& f : c.files) out::println("\t\tboth changed: {}", f);
      continue;
    }
    modified |= s.state == data::State::modified;
    behind |= s.state == data::State::stale || s.state == data::State::missing;
    uncached |= !s.in_cache;
    std::string extra = s.state != data::State::unchanged && !s.in_cache ? " (and not in cache)" : "";
    out::println("\t{}{}{}", state_label(s), s.tracked.data_path, extra);
    for (const auto& f : s.added) out::println("\t\tadded:    {}", f);
    for (const auto& f : s.modified) out::println("\t\tmodified: {}", f);
    for (const auto& f : s.deleted) out::println("\t\tdeleted:  {}", f);
  }
  print_ignore_findings(ignores);
  if (statuses.empty() && ignores.empty()) {
    out::println("{}", dvc_project ? "No data tracked by mlops yet; this is a DVC project: bring its data in with "
                                     "'mlops import dvc --all-commits' (docs/from-dvc.md)."
                                   : "No data tracked yet; start with 'mlops data add PATH'.");
  } else if (statuses.empty()) {
    // Only ignore findings: printed above, with their hints.
  } else if (!modified && !behind && !uncached && !incomplete && conflicts.empty() && ignores.empty()) {
    out::println("Data and pointers are up to date ({} tracked).", statuses.size());
  } else {
    if (incomplete) {
      out::hint(
          fmt::format("a checkout or pull was interrupted while writing; '{}' finishes it", incomplete->command()));
    }
    // Out of date is not modified: the pointer moved on (git pull, a branch switch) and the
    // workspace holds an older version the cache knows; `data add` would revert the pointer.
    if (behind) {
      out::hint(uncached ? "'mlops data pull' brings out-of-date and missing data up to date"
                         : "'mlops data checkout' brings out-of-date and missing data up to date");
    }
    if (modified) {
      out::hint("'mlops data add PATH' records a modification; 'mlops data checkout PATH --force' discards it");
    }
    if (uncached && !behind) out::hint("'mlops data pull' fetches what is not in the cache");
    for (const auto* c : conflicts) out::hint(data::conflict_way_out(c->tracked));
  }
}

// With --remote: what the remote lacks; null without --remote. Asked before anything is printed,
// so that a wrong remote name, a missing bucket or missing credentials leave no half report.
nlohmann::ordered_json remote_report(const Repo& repo, const data::Cache& cache,
                                     const std::vector<data::TrackedData>& tracked, const DataStatusOptions& options) {
  if (!options.remote_asked) return nullptr;
  Config config = unwrap(load_config(repo));
  auto remote = open_chosen_remote(repo, config, options.remote, options.verify ? data::Verify::yes : data::Verify::no);
  const std::string name = options.remote.empty() ? config.default_remote : options.remote;
  auto statuses = unwrap(data::remote_status(cache, *remote, tracked));
  nlohmann::ordered_json missing = nlohmann::ordered_json::array();
  for (const auto& s : statuses) {
    if (s.not_on_remote == 0) continue;
    missing.push_back({{"path", s.item.data_path},
                       {"objects", s.objects},
                       {"not_on_remote", s.not_on_remote},
                       {"in_neither", s.in_neither},
                       {"unexpanded", s.unexpanded}});
  }
  return {{"name", name},
          {"url", remote->describe()},
          {"verified", options.verify},
          {"remembered", remote->remembers_contents()},
          {"lacking", !missing.empty()},
          {"missing", missing},
          {"tracked", tracked.size()}};
}

void print_remote_report(const nlohmann::ordered_json& report) {
  const std::string name = report["name"].get<std::string>();
  bool lost = false;
  for (const auto& m : report["missing"]) {
    auto not_on_remote = m["not_on_remote"].get<std::size_t>();
    auto objects = m["objects"].get<std::size_t>();
    auto in_neither = m["in_neither"].get<std::size_t>();
    lost |= in_neither > 0;
    out::println("\t{}{} ({} of {} object{} not on remote '{}'{})",
                 out::paint(fmt::format("{:<14}", "not pushed:"), out::Style::yellow), m["path"].get<std::string>(),
                 not_on_remote, objects, objects == 1 ? "" : "s", name,
                 in_neither ? fmt::format(", {} in no cache either", in_neither) : "");
  }
  if (report["missing"].empty()) {
    out::println("Remote '{}' has every object of the {} tracked.", name, report["tracked"].get<std::size_t>());
  } else {
    out::hint(fmt::format("'mlops data push --remote {}' sends what it lacks{}", name,
                          lost ? "; data in no cache must be pushed from the clone that has it" : ""));
  }
  if (report["remembered"].get<bool>()) {
    out::note(
        "(objects this machine has seen on the remote were not asked about again; --verify asks about every one)");
  }
}

int run_data_status(const DataStatusOptions& options) {
  Repo repo = require_store();
  // The whole workspace is also checked for the ignore entries mlops relies on.
  std::vector<std::string> ignore_files;
  auto tracked = options.paths.empty() ? unwrap(data::list_tracked(repo, &ignore_files))
                                       : unwrap(data::select_tracked(repo, options.paths));
  std::vector<data::IgnoreFinding> ignores;
  if (options.paths.empty()) ignores = unwrap(data::check_ignores(repo, tracked, ignore_files));
  data::Cache cache(repo);
  auto stat_cache = unwrap(data::StatCache::open(repo));
  std::vector<data::DataStatus> statuses;
  auto incomplete = data::incomplete_checkout(repo);
  for (const auto& t : tracked) {
    statuses.push_back(unwrap(data::status_of(repo, cache, *stat_cache, t)));
    if (incomplete) {
      const auto& paths = incomplete->paths;
      statuses.back().incomplete = std::find(paths.begin(), paths.end(), t.data_path) != paths.end();
    }
  }
  (void)stat_cache->save();  // only an optimisation for the next run

  bool differs =
      !ignores.empty() || std::any_of(statuses.begin(), statuses.end(), [](const auto& s) { return s.differs(); });
  auto on_remote = remote_report(repo, cache, tracked, options);
  differs |= !on_remote.is_null() && on_remote["lacking"].get<bool>();
  if (!out::settings().json) {
    // The workspace's summary first, then the remote's part, so that "up to date" is never the
    // last word under a list of what the remote lacks.
    std::error_code ec;
    print_human(statuses, incomplete, ignores, std::filesystem::is_directory(repo.root / ".dvc", ec));
    if (!on_remote.is_null()) print_remote_report(on_remote);
  } else {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& s : statuses) list.push_back(to_json(s));
    nlohmann::ordered_json ignore_list = nlohmann::ordered_json::array();
    for (const auto& f : ignores) ignore_list.push_back(to_json(f));
    nlohmann::ordered_json doc{{"clean", !differs}, {"data", list}, {"ignore", ignore_list}};
    if (!on_remote.is_null()) {
      on_remote.erase("tracked");
      doc["remote"] = on_remote;
    }
    out::print_json(doc);
  }
  return options.exit_code && differs ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

void add_data_status(CLI::App& group) {
  auto options = std::make_shared<DataStatusOptions>();
  auto* command = add_command(group, "status", "Show tracked data that differs from its pointer or is not in the cache",
                              [options] { return run_data_status(*options); });
  command->add_option("paths", options->paths, "Tracked paths to check (default: all)")->type_name("PATH");
  command->add_flag("--exit-code", options->exit_code, "Exit 1 when anything differs (for pre-commit hooks and CI)");
  command
      ->add_option_function<std::string>(
          "-r,--remote",
          [options](const std::string& name) {
            options->remote = name;
            options->remote_asked = true;
          },
          "Also say which tracked data this remote lacks (alone: the default remote)")
      ->expected(0, 1)
      ->type_name("[NAME]");
  command->add_flag("--verify", options->verify,
                    "With --remote: ask the remote about every object instead of trusting what this machine "
                    "remembers");
  add_json_flag(*command);
  command->footer(
      "Example: mlops data status --exit-code\n"
      "         mlops data status --remote --verify   # what the default remote lacks, asked again");
}

}  // namespace mlops::cli
