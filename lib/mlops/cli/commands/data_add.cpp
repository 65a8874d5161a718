// `mlops data add PATH...`: store files or folders in the cache and write their PATH.mlops pointers.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/add.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/checkout.hpp"
#include "mlops/data/pointer_conflict.hpp"
#include "mlops/data/settings.hpp"
#include "mlops/data/sharing.hpp"
#include "mlops/data/stat_cache.hpp"
#include "mlops/git/repository.hpp"

namespace mlops::cli {

namespace {

struct DataAddOptions {
  std::vector<std::string> paths;
};

int run_data_add(const DataAddOptions& options) {
  Repo repo = require_store();
  data::LinkMode link = unwrap(data::load_data_settings(repo)).link;
  auto git_repo = unwrap(git::Repository::open(repo.root));

  // Every path is checked before anything is written, so bad input changes nothing.
  std::vector<std::string> rels;
  for (const auto& path : options.paths) {
    std::string rel = unwrap(data::check_addable(repo, git_repo, path));
    if (std::find(rels.begin(), rels.end(), rel) == rels.end()) rels.push_back(rel);
  }
  // Half a dataset, left by an interrupted checkout or pull, is never recorded as a version.
  if (auto incomplete = data::incomplete_checkout(repo)) {
    for (const auto& rel : rels) {
      for (const auto& p : incomplete->paths) {
        if (rel == p || rel.starts_with(p + "/") || p.starts_with(rel + "/")) {
          throw Failure(bad_input(fmt::format("'{}' is half written by an interrupted checkout or pull", p),
                                  fmt::format("finish it with '{}' first", incomplete->command())));
        }
      }
    }
  }
  for (const auto& a : rels) {
    for (const auto& b : rels) {
      if (a != b && b.starts_with(a + "/")) {
        throw Failure(
            bad_input(fmt::format("'{}' is inside '{}', which is also being added", b, a), "add one of them"));
      }
    }
  }

  // Adding a dataset whose pointer a merge left conflicted records the workspace's data as the
  // resolution (as editing a conflicted file and `git add` does); said, never silent.
  std::vector<std::string> resolving;
  for (const auto& rel : rels) {
    auto text = read_file(repo.root / (rel + std::string(data::kPointerSuffix)));
    if (text && data::has_conflict_markers(*text)) resolving.push_back(rel);
  }

  // gc waits until the pointers name the objects written here (and vice versa).
  auto store_lock = unwrap(data::lock_store(repo, LockKind::shared));
  if (auto r = data::register_store_user(repo); !r) out::warn(r.error().message);
  data::Cache cache(repo);
  auto stat_cache = unwrap(data::StatCache::open(repo));
  std::vector<data::Pointer> pointers;
  for (const auto& rel : rels) pointers.push_back(unwrap(data::stage_path(repo, cache, *stat_cache, rel, link)));
  // Objects become durable before any pointer names them.
  unwrap(cache.flush());

  auto results = unwrap(data::write_pointers(repo, cache, *stat_cache, rels, pointers, link));
  if (auto saved = stat_cache->save(); !saved) out::warn(saved.error().message);
  std::size_t seen = stat_cache->files_read() + stat_cache->files_known();
  out::detail(fmt::format("read {} of {} file{}; the others were unchanged since they were last hashed",
                          stat_cache->files_read(), seen, seen == 1 ? "" : "s"));

  if (out::settings().json) {
    nlohmann::ordered_json added = nlohmann::ordered_json::array();
    for (const auto& r : results) {
      const auto& p = r.tracked.pointer;
      added.push_back({{"path", r.tracked.data_path},
                       {"pointer", r.tracked.pointer_file},
                       {"hash", p.hash.str()},
                       {"size", p.size},
                       {"files", p.files},
                       {"kind", data::to_string(p.kind)},
                       {"changed", r.changed}});
    }
    out::print_json({{"added", added}});
    return 0;
  }
  std::vector<std::string> to_commit;
  for (const auto& r : results) {
    const auto& p = r.tracked.pointer;
    std::string what = p.kind == data::Kind::dir
                           ? fmt::format("{}, {} file{}", out::human_bytes(p.size), p.files, p.files == 1 ? "" : "s")
                           : out::human_bytes(p.size);
    out::println("{} {} ({}, {})", r.changed ? out::paint("added", out::Style::green) : "unchanged",
                 r.tracked.data_path, what, p.hash.str().substr(0, 17));
    // Only the files this add changed: a .gitignore that already had the entry is not named.
    if (r.changed) to_commit.push_back(r.tracked.pointer_file);
    if (r.gitignored) {
      std::string folder = std::filesystem::path(r.tracked.data_path).parent_path().generic_string();
      to_commit.push_back(folder.empty() ? ".gitignore" : folder + "/.gitignore");
    }
  }
  for (const auto& rel : resolving) {
    out::note(
        fmt::format("resolved the merge conflict in '{}{}' with the data in the workspace", rel, data::kPointerSuffix));
    to_commit.push_back(rel + std::string(data::kPointerSuffix));
  }
  if (!to_commit.empty()) {
    std::sort(to_commit.begin(), to_commit.end());
    to_commit.erase(std::unique(to_commit.begin(), to_commit.end()), to_commit.end());
    std::string list;
    for (const auto& f : to_commit) list += " " + f;
    out::hint("to version it with your code, run: git add" + list);
  }
  return 0;
}

}  // namespace

void add_data_add(CLI::App& group) {
  auto options = std::make_shared<DataAddOptions>();
  auto* command = add_command(group, "add", "Store files or folders in the cache and write PATH.mlops pointers for git",
                              [options] { return run_data_add(*options); });
  command->add_option("paths", options->paths, "Files or folders to track")->required()->type_name("PATH");
  add_json_flag(*command);
  command->footer(
      "The data goes into .mlops/cache, named by its XXH3-128 hash; PATH.mlops records the version and is\n"
      "committed to git in place of the data, which is added to .gitignore. Adding unchanged data reads nothing.\n"
      "Example: mlops data add data/train.csv data/images && git add data/*.mlops data/.gitignore");
}

}  // namespace mlops::cli
