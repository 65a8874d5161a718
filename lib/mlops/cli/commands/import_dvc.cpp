// `mlops import dvc [PATH...] [--dry-run] [--keep-dvc=false] [--all-commits]`: DVC-tracked data into the
// mlops cache (with --all-commits, the versions every commit's .dvc files and dvc.lock stages name too).
#include <fmt/format.h>

#include <atomic>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/import.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/interop/dvc_import.hpp"

namespace mlops::cli {

namespace {

struct ImportDvcOptions {
  std::vector<std::string> paths;
  bool dry_run = false;
  bool keep_dvc = true;
  bool all_commits = false;
};

nlohmann::ordered_json outcome_json(const interop::DvcOutcome& o, bool dry_run) {
  nlohmann::ordered_json item = {{"path", o.out.path}, {"source", o.out.source}};
  if (!o.out.stage.empty()) item["stage"] = o.out.stage;
  item["md5"] = o.out.md5.empty() ? "" : o.out.md5 + (o.out.is_dir ? ".dir" : "");
  switch (o.kind) {
    case interop::OutcomeKind::imported:
    case interop::OutcomeKind::unchanged:
      item["kind"] = data::to_string(o.pointer.kind);
      // A dry run reads no new data, so it knows the mlops hash only of what was imported before.
      item["hash"] = dry_run && o.kind == interop::OutcomeKind::imported ? "" : o.pointer.hash.str();
      item["size"] = o.pointer.size;
      item["files"] = o.pointer.files;
      break;
    case interop::OutcomeKind::missing:
      item["reason"] = o.reason;
      item["missing_files"] = o.missing_files;
      item["fetch"] = o.fetch_command;
      break;
    case interop::OutcomeKind::skipped:
      item["reason"] = o.reason;
      break;
  }
  return item;
}

// The files of a missing out, the first five of them.
void print_missing_files(const std::vector<std::string>& files) {
  for (std::size_t i = 0; i < files.size() && i < 5; ++i) out::println("  {}", files[i]);
  if (files.size() > 5) out::println("  ... and {} more", files.size() - 5);
}

// With --all-commits: the versions of history that could not be brought in, then the count.
void print_history(const interop::DvcImportReport& report, bool dry_run) {
  if (report.commits == 0) return;
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& v : report.history) {
    const auto& o = v.outcome;
    ++counts[static_cast<int>(o.kind)];
    if (o.kind == interop::OutcomeKind::imported || o.kind == interop::OutcomeKind::unchanged) continue;
    std::string where =
        fmt::format("{} (md5 {}{}, in {} commit{}, the newest {})", o.out.path, o.out.md5, o.out.is_dir ? ".dir" : "",
                    v.commits.size(), v.commits.size() == 1 ? "" : "s", v.commits.front().substr(0, 7));
    if (o.kind == interop::OutcomeKind::missing) {
      out::println("{} {}: {}", out::paint("missing", out::Style::red), where, o.reason);
      print_missing_files(o.missing_files);
      out::println("  fetch it with: {}", o.fetch_command);
    } else {
      out::println("{} {}: {}", out::paint("skipped", out::Style::yellow), where, o.reason);
    }
  }
  out::println("{}history: {} commit{} walked, {} version{} {}, {} unchanged, {} missing, {} skipped",
               dry_run ? "dry run: " : "", report.commits, report.commits == 1 ? "" : "s", counts[0],
               counts[0] == 1 ? "" : "s", dry_run ? "would be imported" : "imported", counts[1], counts[2], counts[3]);
}

void print_report(const interop::DvcImportReport& report, bool dry_run) {
  std::vector<std::string> to_commit;
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& o : report.outcomes) {
    ++counts[static_cast<int>(o.kind)];
    switch (o.kind) {
      case interop::OutcomeKind::imported:
      case interop::OutcomeKind::unchanged: {
        const auto& p = o.pointer;
        std::string what = p.kind == data::Kind::dir ? fmt::format("{}, {} file{}", out::human_bytes(p.size), p.files,
                                                                   p.files == 1 ? "" : "s")
                                                     : out::human_bytes(p.size);
        std::string verb = o.kind == interop::OutcomeKind::unchanged ? "unchanged"
                           : dry_run                                 ? "would import"
                                                                     : out::paint("imported", out::Style::green);
        out::println("{} {} ({}) from {}", verb, o.out.path, what, o.out.source);
        if (o.kind == interop::OutcomeKind::imported && !dry_run) {
          to_commit.push_back(o.out.path + std::string(data::kPointerSuffix));
          if (o.gitignored) {
            std::string folder = std::filesystem::path(o.out.path).parent_path().generic_string();
            to_commit.push_back(folder.empty() ? ".gitignore" : folder + "/.gitignore");
          }
        }
        break;
      }
      case interop::OutcomeKind::missing:
        out::println("{} {}: {}", out::paint("missing", out::Style::red), o.out.path, o.reason);
        print_missing_files(o.missing_files);
        out::println("  fetch it with: {}", o.fetch_command);
        break;
      case interop::OutcomeKind::skipped:
        out::println("{} {}: {}", out::paint("skipped", out::Style::yellow), o.out.path, o.reason);
        break;
    }
  }
  out::println("{}{} {}, {} unchanged, {} missing, {} skipped", dry_run ? "dry run: " : "", counts[0],
               dry_run ? "would be imported" : "imported", counts[1], counts[2], counts[3]);
  if (dry_run && counts[0] > 0) {
    out::note("a dry run reads no data, so MD5s are not checked: a corrupt copy is found (and skipped) by the import");
  }
  print_history(report, dry_run);
  out::detail(fmt::format("read {} file{} ({})", report.files_read, report.files_read == 1 ? "" : "s",
                          out::human_bytes(report.bytes_read)));
  for (const auto& r : report.remotes) {
    if (r.command.empty()) {
      out::note(fmt::format("DVC remote '{}' ({}) has no kind of mlops remote", r.remote.name, r.remote.url));
    } else {
      out::note(fmt::format("DVC remote '{}' ({}) can hold mlops data beside DVC's: {}", r.remote.name, r.remote.url,
                            r.command));
    }
  }
  for (const auto& f : report.removed_dvc_files) out::note(fmt::format("removed '{}'", f));
  if (!report.removed_dvc_files.empty()) {
    std::string list;
    for (const auto& f : report.removed_dvc_files) list += " " + f;
    out::hint("record the removal: git rm --cached -q" + list);
  }
  if (counts[2] > 0) out::hint("fetch the missing data with the dvc commands above, then run 'mlops import dvc' again");
  if (report.history_file_written) {
    // Committed and pushed, the history is every clone's: PATH@REV reads the file, and the
    // versions' data reaches the remote with `data push --all-commits`.
    // The settings too: a clone without them is not set up, and `mlops init` there rewrites them.
    for (const char* file : {".mlops/dvc-history.jsonl", ".mlops/.gitignore", ".gitattributes", ".mlops/config.yaml"}) {
      to_commit.push_back(file);
    }
  }
  if (!to_commit.empty()) {
    std::sort(to_commit.begin(), to_commit.end());
    to_commit.erase(std::unique(to_commit.begin(), to_commit.end()), to_commit.end());
    std::string list;
    for (const auto& f : to_commit) list += " " + f;
    out::hint("to version it with your code, run: git add" + list);
  }
  if (report.history_file_written) {
    out::hint(
        "so that other clones can read the versions of commits made under DVC, commit "
        ".mlops/dvc-history.jsonl and run 'mlops data push --all-commits'");
  }
}

int run_import_dvc(const ImportDvcOptions& options) {
  Repo repo = require_store();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  const std::atomic<bool>& interrupted = stop_import_on_signals();
  interop::DvcImportOptions import{options.paths, options.dry_run, options.keep_dvc, options.all_commits, &interrupted};
  auto imported = interop::import_dvc(repo, git_repo, import);
  if (!imported && interrupted.load()) {
    out::warn(imported.error().message);
    if (!imported.error().hint.empty()) out::hint(imported.error().hint);
    return 130;
  }
  auto report = unwrap(std::move(imported));
  bool any_missing = std::any_of(report.outcomes.begin(), report.outcomes.end(),
                                 [](const auto& o) { return o.kind == interop::OutcomeKind::missing; }) ||
                     std::any_of(report.history.begin(), report.history.end(),
                                 [](const auto& v) { return v.outcome.kind == interop::OutcomeKind::missing; });
  if (out::settings().json) {
    nlohmann::ordered_json doc = {{"dry_run", options.dry_run}};
    for (auto kind : {interop::OutcomeKind::imported, interop::OutcomeKind::unchanged, interop::OutcomeKind::missing,
                      interop::OutcomeKind::skipped}) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const auto& o : report.outcomes) {
        if (o.kind == kind) list.push_back(outcome_json(o, options.dry_run));
      }
      doc[std::string(interop::to_string(kind))] = list;
    }
    nlohmann::ordered_json remotes = nlohmann::ordered_json::array();
    for (const auto& r : report.remotes) {
      remotes.push_back({{"name", r.remote.name}, {"url", r.remote.url}, {"command", r.command}});
    }
    doc["dvc_remotes"] = remotes;
    if (options.all_commits) {
      nlohmann::ordered_json history = nlohmann::ordered_json::array();
      for (const auto& v : report.history) {
        auto item = outcome_json(v.outcome, options.dry_run);
        item["outcome"] = interop::to_string(v.outcome.kind);
        item["commits"] = v.commits;
        history.push_back(item);
      }
      doc["history"] = {{"commits", report.commits},
                        {"versions", history},
                        {"file", report.history_file_written ? ".mlops/dvc-history.jsonl" : ""}};
    }
    doc["removed_dvc_files"] = report.removed_dvc_files;
    doc["files_read"] = report.files_read;
    doc["bytes_read"] = report.bytes_read;
    out::print_json(doc);
  } else {
    print_report(report, options.dry_run);
  }
  return any_missing ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

void add_import_dvc(CLI::App& group) {
  auto options = std::make_shared<ImportDvcOptions>();
  auto* command = add_command(group, "dvc", "Import the data of a DVC project: .dvc files and dvc.lock outs",
                              [options] { return run_import_dvc(*options); });
  command->add_option("paths", options->paths, "The .dvc files, dvc.lock files, data paths or folders to import (all)")
      ->type_name("PATH");
  command->add_flag("-n,--dry-run", options->dry_run, "Say what would be imported, missing and skipped; write nothing");
  command->add_flag("--keep-dvc", options->keep_dvc,
                    "Keep the .dvc files (the default); --keep-dvc=false removes each once all its data is imported");
  command->add_flag("--all-commits", options->all_commits,
                    "Also import the versions the .dvc files and dvc.lock stages of every commit name, so that "
                    "PATH@REV finds them");
  add_json_flag(*command);
  command->footer(
      "Data is looked for in DVC's cache (DVC 3 .dvc/cache/files/md5/ and DVC 2 .dvc/cache/), DVC remotes on a\n"
      "path, then the workspace; every file is checked against its MD5 and read once. Exit 1 when some data was\n"
      "missing (each is named with the dvc command that fetches it); run it again afterwards.\n"
      "Example: mlops import dvc --dry-run && mlops import dvc --all-commits && git add '*.mlops' .gitignore");
}

}  // namespace mlops::cli
