// `mlops data diff [REV_A [REV_B]] [PATH...]`: which data changed between two commits, or between
// a commit (default HEAD) and the workspace.
#include <fmt/format.h>

#include <set>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/diff.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::cli {

namespace {

struct DataDiffOptions {
  std::vector<std::string> args;  // [REV_A [REV_B]] [PATH...]
};

nlohmann::ordered_json version_json(const std::optional<data::Version>& v) {
  if (!v) return nullptr;
  return {{"kind", data::to_string(v->kind)}, {"hash", v->hash.str()}, {"size", v->size}};
}

const char* change_name(data::PathDiff::Change c) {
  switch (c) {
    case data::PathDiff::Change::added:
      return "added";
    case data::PathDiff::Change::deleted:
      return "deleted";
    case data::PathDiff::Change::modified:
      return "modified";
    case data::PathDiff::Change::out_of_date:
      return "stale";  // as in `data status --json`; people read "out of date"
    case data::PathDiff::Change::conflict:
      return "conflict";
  }
  return "modified";
}

int run_data_diff(const DataDiffOptions& options) {
  Repo repo = require_store();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  // Leading arguments that name commits are revisions; a name that is also a tracked path is
  // taken as a path (write `--` before paths to be explicit).
  std::vector<std::string> revs, paths;
  for (const auto& arg : options.args) {
    bool is_path = std::filesystem::exists(arg) || std::filesystem::exists(arg + std::string(data::kPointerSuffix));
    if (paths.empty() && revs.size() < 2 && !is_path && git_repo.resolve_commit(resolve_revision(repo, arg))) {
      revs.push_back(arg);
    } else {
      paths.push_back(arg);
    }
  }
  if (!git_repo.head_commit() && revs.empty()) {
    throw Failure(bad_input("the repository has no commits yet, so there is nothing to compare with",
                            "commit the pointers first: git add *.mlops && git commit"));
  }
  std::string a_name = revs.empty() ? "HEAD" : revs[0];
  std::string b_name = revs.size() == 2 ? revs[1] : "workspace";

  data::Cache cache(repo);
  auto a_items = unwrap(data::list_tracked_at(repo, resolve_revision(repo, a_name)));
  std::vector<data::TrackedData> b_items;
  if (revs.size() == 2) {
    b_items = unwrap(data::list_tracked_at(repo, resolve_revision(repo, b_name)));
  } else {
    // Both the workspace's pointers and the commit's: data deleted since the commit shows as deleted.
    b_items = unwrap(data::list_tracked(repo));
    for (const auto& item : a_items) {
      if (std::none_of(b_items.begin(), b_items.end(), [&](const auto& t) { return t.data_path == item.data_path; }))
        b_items.push_back(item);
    }
  }
  // Every path argument must name data that one of the sides tracks (or a folder holding some):
  // a mistyped revision must not read as "no changes".
  std::vector<std::string> wanted;
  for (const auto& p : paths) {
    auto rel = repo.relative(p);
    std::string r = rel ? *rel : p;
    if (r.ends_with(data::kPointerSuffix)) r.resize(r.size() - data::kPointerSuffix.size());
    auto names = [&](const data::TrackedData& t) {
      return r == "." || t.data_path == r || t.data_path.starts_with(r + "/");
    };
    if (!rel ||
        (std::none_of(a_items.begin(), a_items.end(), names) && std::none_of(b_items.begin(), b_items.end(), names))) {
      throw Failure(bad_input(fmt::format("'{}' is neither a revision nor tracked data", p),
                              "name a commit, branch, tag or MODEL#STAGE ('git log --oneline', 'git tag'), or a "
                              "tracked path ('mlops data status')"));
    }
    wanted.push_back(r);
  }
  data::Side a = data::side_at(cache, a_items);
  data::Side b;
  if (revs.size() == 2) {
    b = data::side_at(cache, b_items);
  } else {
    auto stat_cache = unwrap(data::StatCache::open(repo));
    b = unwrap(data::side_in_workspace(repo, cache, *stat_cache, b_items));
    (void)stat_cache->save();
  }
  auto diffs = data::diff_sides(a, b);
  auto is_wanted = [&](const std::string& path) {
    return paths.empty() || std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
             return w == "." || path == w || path.starts_with(w + "/");
           });
  };
  std::erase_if(diffs, [&](const data::PathDiff& d) { return !is_wanted(d.path); });
  // Versions from the DVC era that `import dvc --all-commits` could not bring in: a path that
  // existed then is not "added", and one whose version is missing on both sides is not left out
  // without a word.
  std::vector<std::pair<std::string, data::DvcNotImported>> not_imported;  // (revision, version)
  std::set<std::string> old_not_imported, new_not_imported;
  for (std::size_t i = 0; i < revs.size(); ++i) {
    for (auto& m : unwrap(data::dvc_not_imported_at(repo, resolve_revision(repo, revs[i])))) {
      if (!is_wanted(m.path)) continue;
      (i == 0 ? old_not_imported : new_not_imported).insert(m.path);
      not_imported.emplace_back(revs[i], std::move(m));
    }
  }
  for (auto& d : diffs) {
    bool unknown = (d.change == data::PathDiff::Change::added && old_not_imported.count(d.path)) ||
                   (d.change == data::PathDiff::Change::deleted && new_not_imported.count(d.path));
    if (unknown) d.change = data::PathDiff::Change::modified;
  }

  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& d : diffs) {
      nlohmann::ordered_json j{{"path", d.path},
                               {"change", change_name(d.change)},
                               {"old", version_json(d.old_version)},
                               {"new", version_json(d.new_version)}};
      if (!d.old_version && old_not_imported.count(d.path)) j["old_not_imported"] = true;
      if (!d.new_version && new_not_imported.count(d.path)) j["new_not_imported"] = true;
      if (!d.files_added.empty() || !d.files_modified.empty() || !d.files_deleted.empty()) {
        j["files"] = {{"added", d.files_added}, {"modified", d.files_modified}, {"deleted", d.files_deleted}};
      }
      list.push_back(j);
    }
    nlohmann::ordered_json missing = nlohmann::ordered_json::array();
    for (const auto& [rev, m] : not_imported) {
      missing.push_back({{"revision", rev},
                         {"path", m.path},
                         {"md5", m.dvc_hash},
                         {"reason", m.reason},
                         {"missing_files", m.files},
                         {"fetch", m.fetch}});
    }
    out::print_json({{"a", a_name}, {"b", b_name}, {"changes", list}, {"not_imported", missing}});
    return 0;
  }
  for (const auto& [rev, m] : not_imported) {
    out::warn(fmt::format("the DVC version of '{}' at '{}' (md5 {}) was not imported ({}): the diff cannot compare it",
                          m.path, rev, m.dvc_hash, m.reason));
  }
  if (!not_imported.empty()) {
    out::hint(fmt::format("fetch it with '{}', then run 'mlops import dvc --all-commits'",
                          not_imported.front().second.fetch));
  }
  if (diffs.empty()) {
    out::println("No data changes between {} and {}.", a_name, b_name);
    return 0;
  }
  // Aligned columns: the change (padded before it is painted), the path, then the versions.
  std::size_t path_width = 0;
  for (const auto& d : diffs) path_width = std::max(path_width, d.path.size());
  for (const auto& d : diffs) {
    auto short_hash = [&](const std::optional<data::Version>& v, const std::set<std::string>& not_there) {
      if (!v && not_there.count(d.path)) return std::string("not imported");
      return v ? v->hash.hex().substr(0, 12) : std::string(12, '-');
    };
    out::Style style = d.change == data::PathDiff::Change::added ? out::Style::green
                       : d.change == data::PathDiff::Change::deleted || d.change == data::PathDiff::Change::conflict
                           ? out::Style::red
                           : out::Style::yellow;
    out::println(
        "{} {:<{}}  {} -> {}",
        out::paint(fmt::format("{:<11}",
                               d.change == data::PathDiff::Change::out_of_date ? "out of date" : change_name(d.change)),
                   style),
        d.path, path_width, short_hash(d.old_version, old_not_imported), short_hash(d.new_version, new_not_imported));
    for (const auto& f : d.files_added) out::println("            + {}", f);
    for (const auto& f : d.files_modified) out::println("            ~ {}", f);
    for (const auto& f : d.files_deleted) out::println("            - {}", f);
  }
  bool behind = std::any_of(diffs.begin(), diffs.end(),
                            [](const auto& d) { return d.change == data::PathDiff::Change::out_of_date; });
  if (behind)
    out::hint("out of date: the pointer moved on (git pull, a branch switch); 'mlops data checkout' updates it");
  for (const auto& item : b_items) {
    if (item.conflict) out::hint(data::conflict_way_out(item));
  }
  return 0;
}

}  // namespace

void add_data_diff(CLI::App& group) {
  auto options = std::make_shared<DataDiffOptions>();
  auto* command = add_command(group, "diff", "Show data that changed between commits, or since a commit (default HEAD)",
                              [options] { return run_data_diff(*options); });
  command
      ->add_option("args", options->args,
                   "[REV_A [REV_B]] [PATH...]: with no revision, HEAD against the workspace; "
                   "with one, REV_A against the workspace")
      ->type_name("REV|PATH");
  add_json_flag(*command);
}

}  // namespace mlops::cli
