// The history flags of `data push|fetch|gc`: which git revisions' pointer versions to include.
#include <fmt/format.h>

#include <set>
#include <utility>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/revisions.hpp"

namespace mlops::cli {

void add_revision_flags(CLI::App& command, git::RevisionScope& scope, const std::string& verb) {
  auto* commits = command.add_flag("--all-commits", scope.all_commits,
                                   fmt::format("Also {} the data of every commit (as 'git rev-list --all')", verb));
  auto* tags = command.add_flag("--all-tags", scope.all_tags, fmt::format("Also {} the data every tag names", verb));
  auto* branches = command.add_flag("--all-branches", scope.all_branches,
                                    fmt::format("Also {} the data of every local branch's tip", verb));
  if (auto* rev = command.get_option_no_throw("--rev")) {
    for (auto* flag : {commits, tags, branches}) flag->excludes(rev);
  }
}

std::vector<data::TrackedData> select_history(const Repo& repo, const std::vector<std::string>& paths,
                                              const git::RevisionScope& scope, std::size_t* revisions) {
  data::Cache cache(repo);
  auto history = unwrap(data::versions_in_revisions(repo, cache, scope, paths));
  // The workspace's pointers: those that match, without failing on a path only history knows.
  std::vector<data::TrackedData> items;
  auto here = unwrap(data::list_tracked(repo));
  for (auto& item : here) {
    bool wanted = paths.empty();
    for (const auto& p : paths) {
      std::string path = p;
      while (path.size() > 1 && path.back() == '/') path.pop_back();
      if (path == "." || item.data_path == path || item.pointer_file == path || item.data_path.starts_with(path + "/"))
        wanted = true;
    }
    if (wanted) items.push_back(std::move(item));
  }
  std::size_t versions = history.versions.size();
  // A version the workspace names too is listed once (with the workspace's paths).
  std::set<std::pair<std::string, Hash>> listed;
  for (const auto& item : items) listed.emplace(item.data_path, item.pointer.hash);
  for (auto* from : {&history.versions, &history.unreadable}) {
    for (auto& item : *from) {
      if (listed.emplace(item.data_path, item.pointer.hash).second) items.push_back(std::move(item));
    }
  }
  if (!history.unreadable.empty()) {
    out::warn(fmt::format(
        "{} pointer version{} in history do not parse (first: '{}'); the hashes they mention "
        "are included",
        history.unreadable.size(), history.unreadable.size() == 1 ? "" : "s", history.unreadable.front().pointer_file));
  }
  out::note(fmt::format("{} revision{} named, {} pointer version{} in them", history.revisions,
                        history.revisions == 1 ? "" : "s", versions, versions == 1 ? "" : "s"));
  if (revisions) *revisions = history.revisions;
  return items;
}

void print_history_transfer(std::string_view verb, const std::string& remote, const data::TransferResult& result,
                            std::size_t revisions, const std::vector<data::TrackedData>& missing) {
  if (out::settings().json) {
    nlohmann::ordered_json lost = nlohmann::ordered_json::array();
    for (const auto& item : missing) lost.push_back({{"path", item.data_path}, {"hash", item.pointer.hash.str()}});
    out::print_json({{"remote", remote},
                     {"objects", result.objects},
                     {"bytes", result.bytes},
                     {"skipped", result.skipped},
                     {"requests", result.requests},
                     {"revisions", revisions},
                     {"missing", lost}});
    return;
  }
  print_transfer(verb, remote, result);
  if (missing.empty()) return;
  std::string list;
  for (std::size_t i = 0; i < missing.size() && i < 5; ++i) {
    list += fmt::format("\n  {} {}", missing[i].data_path, missing[i].pointer.hash.str());
  }
  if (missing.size() > 5) list += fmt::format("\n  ... and {} more", missing.size() - 5);
  out::warn(fmt::format("{} version{} named by history {} neither in the cache nor on {}; the others were {}:{}",
                        missing.size(), missing.size() == 1 ? "" : "s", missing.size() == 1 ? "is" : "are", remote,
                        verb, list));
  out::hint("push them from a clone whose cache has them ('mlops data push --all-commits' there)");
}

}  // namespace mlops::cli
