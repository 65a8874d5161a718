// `mlops data export --format dvc [PATH...]`: the tracked data as .dvc files and a DVC cache.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/interop/dvc_export.hpp"

namespace mlops::cli {

namespace {

struct DataExportOptions {
  std::string format;
  std::vector<std::string> paths;
};

int run_data_export(const DataExportOptions& options) {
  Repo repo = require_store();
  // Only DVC's format so far; CLI11 checks the value, this says why when a new one is added.
  if (options.format != "dvc") throw Failure(bad_input(fmt::format("unknown format '{}'", options.format)));
  auto store_lock = unwrap(data::lock_store(repo, LockKind::shared));
  auto report = unwrap(interop::export_dvc(repo, options.paths));
  bool any_missing = false;
  if (out::settings().json) {
    nlohmann::ordered_json exported = nlohmann::ordered_json::array(), missing = nlohmann::ordered_json::array();
    for (const auto& item : report.items) {
      if (!item.missing_files.empty()) {
        any_missing = true;
        missing.push_back(
            {{"path", item.path}, {"hash", item.pointer.hash.str()}, {"missing_files", item.missing_files}});
        continue;
      }
      exported.push_back({{"path", item.path},
                          {"dvc_file", item.lock_file.empty() ? item.dvc_file : item.lock_file},
                          {"md5", item.md5},
                          {"hash", item.pointer.hash.str()},
                          {"size", item.pointer.size},
                          {"files", item.pointer.files},
                          {"changed", item.changed}});
    }
    out::print_json({{"format", "dvc"},
                     {"exported", exported},
                     {"missing", missing},
                     {"created_dvc_folder", report.created_dvc_folder},
                     {"files_read", report.files_read},
                     {"bytes_read", report.bytes_read}});
    return any_missing ? static_cast<int>(Exit::check_failed) : 0;
  }
  if (report.items.empty()) {
    out::println("nothing to export: no path is tracked with mlops");
    out::hint("track data first: mlops data add PATH");
    return 0;
  }
  std::vector<std::string> to_commit;
  if (report.created_dvc_folder) {
    out::note("wrote .dvc/config and .dvc/.gitignore, as 'dvc init' does");
    to_commit.push_back(".dvc/config");
    to_commit.push_back(".dvc/.gitignore");
  }
  for (const auto& item : report.items) {
    if (!item.missing_files.empty()) {
      any_missing = true;
      out::println("{} {}: {} file{} not in the mlops cache", out::paint("missing", out::Style::red), item.path,
                   item.missing_files.size(), item.missing_files.size() == 1 ? " is" : "s are");
      continue;
    }
    if (!item.lock_file.empty()) {
      out::println("cached {} ({}), an out of {}", item.path, item.md5, item.lock_file);
      continue;
    }
    out::println("{} {} ({})", item.changed ? out::paint("exported", out::Style::green) : "unchanged", item.dvc_file,
                 item.md5);
    if (item.changed) to_commit.push_back(item.dvc_file);
  }
  out::detail(fmt::format("read {} object{} ({})", report.files_read, report.files_read == 1 ? "" : "s",
                          out::human_bytes(report.bytes_read)));
  if (any_missing) out::hint("bring the missing data with 'mlops data pull', then export again");
  if (!to_commit.empty()) {
    std::string list;
    for (const auto& f : to_commit) list += " " + f;
    out::hint("DVC can read it now ('dvc status', 'dvc checkout'); to commit it: git add" + list);
  }
  return any_missing ? static_cast<int>(Exit::check_failed) : 0;
}

}  // namespace

void add_data_export(CLI::App& group) {
  auto options = std::make_shared<DataExportOptions>();
  auto* command =
      add_command(group, "export", "Write the tracked data in another tool's format (DVC: .dvc files and cache)",
                  [options] { return run_data_export(*options); });
  command->add_option("--format", options->format, "The format: dvc")
      ->required()
      ->check(CLI::IsMember({"dvc"}))
      ->option_text("FORMAT");
  command->add_option("paths", options->paths, "Tracked files or folders to export (all)")->type_name("PATH");
  add_json_flag(*command);
  command->footer(
      "dvc: PATH.dvc beside each PATH.mlops (DVC 3 outs: md5, size, nfiles, hash: md5) and every file, and each\n"
      "folder's .dir manifest, in .dvc/cache/files/md5/; .dvc/config is written when there is none. Exit 1 when\n"
      "some data is not in the mlops cache (it is named; nothing is written for it).\n"
      "Example: mlops data export --format dvc && dvc status");
}

}  // namespace mlops::cli
