#include "mlops/git/history.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <set>
#include <unordered_set>

#include "mlops/git/owned.hpp"

namespace mlops::git {

namespace fs = std::filesystem;

namespace {

std::string oid_key(const git_oid* oid) { return std::string(reinterpret_cast<const char*>(oid->id), GIT_OID_RAWSZ); }

// Collects suffix-named blobs (and those named `also_named`) from trees, commits and indexes,
// reading each tree and blob once.
class BlobCollector {
 public:
  BlobCollector(git_repository* repo, std::string_view suffix, std::string_view also_named = {})
      : repo_(repo), suffix_(suffix), also_named_(also_named) {}

  bool wanted(std::string_view name) const {
    return (name.size() > suffix_.size() && name.ends_with(suffix_)) || (!also_named_.empty() && name == also_named_);
  }

  // Queues a commit (or anything that peels to one) for the history walk.
  void add_root(const git_oid* oid) {
    if (!git_oid_is_zero(oid)) roots_.push_back(*oid);
  }

  Result<void> add_blob(const git_oid* oid, std::string path) {
    if (!blobs_.insert(oid_key(oid)).second) return {};
    Owned<git_blob, git_blob_free> blob;
    if (git_blob_lookup(&blob.ptr, repo_, oid) != 0) {
      // An index entry or reflog commit whose object git itself has lost: nothing to keep there.
      return {};
    }
    auto size = static_cast<std::size_t>(git_blob_rawsize(blob.ptr));
    files_.push_back(
        CommittedFile{std::move(path), std::string(static_cast<const char*>(git_blob_rawcontent(blob.ptr)), size)});
    return {};
  }

  Result<void> add_tree(const git_tree* tree, const std::string& prefix) {
    std::size_t n = git_tree_entrycount(tree);
    for (std::size_t i = 0; i < n; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
      std::string_view name = git_tree_entry_name(entry);
      auto type = git_tree_entry_type(entry);
      if (type == GIT_OBJECT_TREE) {
        if (!trees_.insert(oid_key(git_tree_entry_id(entry))).second) continue;
        Owned<git_tree, git_tree_free> sub;
        if (git_tree_lookup(&sub.ptr, repo_, git_tree_entry_id(entry)) != 0)
          return std::unexpected(git_error("read a tree"));
        if (auto r = add_tree(sub.ptr, prefix + std::string(name) + "/"); !r) return r;
      } else if (type == GIT_OBJECT_BLOB && wanted(name)) {
        if (auto r = add_blob(git_tree_entry_id(entry), prefix + std::string(name)); !r) return r;
      }
    }
    return {};
  }

  Result<void> add_index(git_index* index) {
    std::size_t n = git_index_entrycount(index);
    for (std::size_t i = 0; i < n; ++i) {
      const git_index_entry* entry = git_index_get_byindex(index, i);
      std::string_view path = entry->path;
      auto slash = path.rfind('/');
      std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
      if (!wanted(name)) continue;
      if (auto r = add_blob(&entry->id, std::string(path)); !r) return r;
    }
    return {};
  }

  // Reads the tree of the commit `oid` peels to (a tag's target, say), without its history.
  // Returns false when it is not a commit.
  Result<bool> add_commit_tree(const git_oid* oid) {
    Owned<git_object, git_object_free> object, commit;
    if (git_object_lookup(&object.ptr, repo_, oid, GIT_OBJECT_ANY) != 0) return false;
    if (git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) return false;
    auto* c = reinterpret_cast<git_commit*>(commit.ptr);
    if (!trees_.insert(oid_key(git_commit_tree_id(c))).second) return true;
    Owned<git_tree, git_tree_free> tree;
    if (git_commit_tree(&tree.ptr, c) != 0) return std::unexpected(git_error("read a commit's tree"));
    if (auto r = add_tree(tree.ptr, ""); !r) return std::unexpected(r.error());
    return true;
  }

  // Walks the history of every root queued, reading each commit's tree; counts the commits.
  Result<void> walk() {
    Owned<git_revwalk, git_revwalk_free> walk;
    if (git_revwalk_new(&walk.ptr, repo_) != 0) return std::unexpected(git_error("walk the history"));
    bool any = false;
    for (const auto& oid : roots_) {
      Owned<git_object, git_object_free> object, commit;
      if (git_object_lookup(&object.ptr, repo_, &oid, GIT_OBJECT_ANY) != 0) continue;
      if (git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) continue;  // a tag of a blob, say
      if (git_revwalk_push(walk.ptr, git_object_id(commit.ptr)) == 0) any = true;
    }
    if (!any) return {};
    git_oid oid;
    while (git_revwalk_next(&oid, walk.ptr) == 0) {
      ++commits_;
      walked_.push_back(oid_hex(&oid));
      Owned<git_commit, git_commit_free> commit;
      if (git_commit_lookup(&commit.ptr, repo_, &oid) != 0) return std::unexpected(git_error("read a commit"));
      if (!trees_.insert(oid_key(git_commit_tree_id(commit.ptr))).second) continue;
      Owned<git_tree, git_tree_free> tree;
      if (git_commit_tree(&tree.ptr, commit.ptr) != 0) return std::unexpected(git_error("read a commit's tree"));
      if (auto r = add_tree(tree.ptr, ""); !r) return r;
    }
    return {};
  }

  std::vector<CommittedFile> take() { return std::move(files_); }
  std::size_t commits() const { return commits_; }
  std::vector<std::string> take_walked() { return std::move(walked_); }

 private:
  git_repository* repo_;
  std::string_view suffix_;
  std::string_view also_named_;
  std::vector<git_oid> roots_;
  std::unordered_set<std::string> trees_, blobs_;
  std::vector<CommittedFile> files_;
  std::size_t commits_ = 0;
  std::vector<std::string> walked_;  // the ids of the commits walk() read, in its order
};

// Queues the commits of `name`'s reflog entries newer than `cutoff` (all with nullopt).
void add_reflog(BlobCollector& collector, git_repository* repo, const char* name, std::optional<std::int64_t> cutoff,
                bool ignore_expiry = false) {
  Owned<git_reflog, git_reflog_free> reflog;
  if (git_reflog_read(&reflog.ptr, repo, name) != 0) return;
  std::size_t n = git_reflog_entrycount(reflog.ptr);
  for (std::size_t i = 0; i < n; ++i) {
    const git_reflog_entry* entry = git_reflog_entry_byindex(reflog.ptr, i);
    const git_signature* who = git_reflog_entry_committer(entry);
    if (!ignore_expiry && cutoff && who && who->when.time < *cutoff) continue;
    collector.add_root(git_reflog_entry_id_new(entry));
    collector.add_root(git_reflog_entry_id_old(entry));
  }
}

// HEAD, the index and the HEAD reflog of one work tree's repository handle.
Result<void> add_work_tree_state(BlobCollector& collector, git_repository* repo, std::optional<std::int64_t> cutoff) {
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) collector.add_root(&head);
  add_reflog(collector, repo, "HEAD", cutoff);
  if (!git_repository_is_bare(repo)) {
    Owned<git_index, git_index_free> index;
    if (git_repository_index(&index.ptr, repo) != 0) return std::unexpected(git_error("read the git index"));
    if (auto r = collector.add_index(index.ptr); !r) return r;
  }
  return {};
}

// The main work tree's repository when `repo` is a linked one; nullptr otherwise.
git_repository* open_main(git_repository* repo) {
  if (!git_repository_is_worktree(repo)) return nullptr;
  git_repository* main = nullptr;
  if (git_repository_open(&main, git_repository_commondir(repo)) != 0) return nullptr;
  return main;
}

// Adds the commit every reference resolves to as a root, and calls each(name) for every reference.
template <class Each>
Result<void> add_every_reference(BlobCollector& collector, git_repository* repo, Each&& each) {
  Owned<git_reference_iterator, git_reference_iterator_free> it;
  if (git_reference_iterator_new(&it.ptr, repo) != 0) return std::unexpected(git_error("list references"));
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it.ptr) == 0) {
    Owned<git_reference, git_reference_free> owned;
    owned.ptr = ref;
    Owned<git_reference, git_reference_free> resolved;
    if (git_reference_resolve(&resolved.ptr, ref) == 0) collector.add_root(git_reference_target(resolved.ptr));
    each(std::string_view(git_reference_name(ref)));
  }
  return {};
}

}  // namespace

std::optional<std::int64_t> parse_expiry(std::string_view text, std::int64_t now) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(t.begin());
  if (t == "never" || t == "false") return std::nullopt;
  if (t == "now" || t == "all") return std::numeric_limits<std::int64_t>::max();  // every entry has expired
  // "<N>[. ]<unit>[s][[. ]ago]"
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || n < 0) return std::nullopt;
  std::string rest(end, static_cast<std::size_t>(t.data() + t.size() - end));
  for (auto& c : rest) {
    if (c == '.') c = ' ';
  }
  while (!rest.empty() && rest.front() == ' ') rest.erase(rest.begin());
  if (rest.ends_with(" ago")) rest.resize(rest.size() - 4);
  while (!rest.empty() && rest.back() == ' ') rest.pop_back();
  if (rest.ends_with("s") && rest.size() > 1) rest.pop_back();
  static constexpr std::pair<std::string_view, std::int64_t> units[] = {
      {"second", 1},       {"minute", 60},        {"hour", 3600},        {"day", 86400},
      {"week", 7 * 86400}, {"month", 30 * 86400}, {"year", 365 * 86400},
  };
  for (const auto& [name, seconds] : units) {
    if (rest == name) return now - n * seconds;
  }
  return std::nullopt;
}

std::optional<std::int64_t> reflog_cutoff(const Repository& repo, std::int64_t now) {
  std::string value = "30.days.ago";
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repo.raw()) == 0) {
    const char* text = nullptr;
    if (git_config_get_string(&text, config, "gc.reflogExpireUnreachable") == 0 && text) value = text;
    git_config_free(config);
  }
  return parse_expiry(value, now);
}

Result<std::vector<CommittedFile>> files_in_every_version(const Repository& repo, std::string_view suffix,
                                                          std::string_view also_named) {
  BlobCollector collector(repo.raw(), suffix, also_named);
  auto cutoff = reflog_cutoff(repo, static_cast<std::int64_t>(std::time(nullptr)));

  // Every ref (branches, tags, remote-tracking branches, notes, the stash) and its reflog; the
  // stash's reflog holds the older stash entries, which git never expires while they are listed.
  auto refs = add_every_reference(collector, repo.raw(), [&](std::string_view name) {
    add_reflog(collector, repo.raw(), std::string(name).c_str(), cutoff, name == "refs/stash");
  });
  if (!refs) return std::unexpected(refs.error());

  // HEAD, index and HEAD reflog of this work tree, the main one and every linked one.
  if (auto r = add_work_tree_state(collector, repo.raw(), cutoff); !r) return std::unexpected(r.error());
  Owned<git_repository, git_repository_free> main;
  main.ptr = open_main(repo.raw());
  git_repository* common = main.ptr ? main.ptr : repo.raw();
  if (main.ptr) {
    if (auto r = add_work_tree_state(collector, main.ptr, cutoff); !r) return std::unexpected(r.error());
  }
  git_strarray names{};
  if (git_worktree_list(&names, common) == 0) {
    for (std::size_t i = 0; i < names.count; ++i) {
      Owned<git_worktree, git_worktree_free> wt;
      if (git_worktree_lookup(&wt.ptr, common, names.strings[i]) != 0) continue;
      Owned<git_repository, git_repository_free> wt_repo;
      if (git_repository_open_from_worktree(&wt_repo.ptr, wt.ptr) != 0) continue;  // its folder is gone
      if (auto r = add_work_tree_state(collector, wt_repo.ptr, cutoff); !r) {
        git_strarray_dispose(&names);
        return std::unexpected(r.error());
      }
    }
    git_strarray_dispose(&names);
  }
  if (auto r = collector.walk(); !r) return std::unexpected(r.error());
  return collector.take();
}

Result<RevisionFiles> files_in_revisions(const Repository& repo, const RevisionScope& scope, std::string_view suffix) {
  BlobCollector collector(repo.raw(), suffix);
  RevisionFiles found;
  std::set<std::string> tips;  // branch and tag tips already read (one commit may be both)
  // Tips first: with --all-commits the walk below reads their trees again for nothing otherwise,
  // but the tree set makes that free, and the tips alone need no walk.
  auto read_tips = [&](const char* glob) -> Result<void> {
    Owned<git_reference_iterator, git_reference_iterator_free> it;
    if (git_reference_iterator_glob_new(&it.ptr, repo.raw(), glob) != 0)
      return std::unexpected(git_error("list references"));
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, it.ptr) == 0) {
      Owned<git_reference, git_reference_free> owned;
      owned.ptr = ref;
      Owned<git_object, git_object_free> target;
      if (git_reference_peel(&target.ptr, ref, GIT_OBJECT_COMMIT) != 0) continue;  // a tag of a blob
      if (!tips.insert(oid_key(git_object_id(target.ptr))).second) continue;
      auto added = collector.add_commit_tree(git_object_id(target.ptr));
      if (!added) return std::unexpected(added.error());
      if (*added) {
        ++found.revisions;
        found.commits.push_back(oid_hex(git_object_id(target.ptr)));
      }
    }
    return {};
  };
  if (!scope.all_commits) {
    if (scope.all_branches) {
      if (auto r = read_tips("refs/heads/*"); !r) return std::unexpected(r.error());
    }
    if (scope.all_tags) {
      if (auto r = read_tips("refs/tags/*"); !r) return std::unexpected(r.error());
    }
  } else {
    // `git rev-list --all`: HEAD and every ref, and their history, which holds every tip too.
    git_oid head;
    if (git_reference_name_to_id(&head, repo.raw(), "HEAD") == 0) collector.add_root(&head);
    if (auto r = add_every_reference(collector, repo.raw(), [](std::string_view) {}); !r)
      return std::unexpected(r.error());
    if (auto r = collector.walk(); !r) return std::unexpected(r.error());
    found.revisions = collector.commits();
    found.commits = collector.take_walked();
  }
  found.files = collector.take();
  return found;
}

Result<std::vector<fs::path>> work_trees(const Repository& repo) {
  std::vector<fs::path> paths;
  Owned<git_repository, git_repository_free> main;
  main.ptr = open_main(repo.raw());
  git_repository* common = main.ptr ? main.ptr : repo.raw();
  if (const char* dir = git_repository_workdir(common)) paths.emplace_back(fs::path(dir).lexically_normal());
  git_strarray names{};
  if (git_worktree_list(&names, common) == 0) {
    for (std::size_t i = 0; i < names.count; ++i) {
      Owned<git_worktree, git_worktree_free> wt;
      if (git_worktree_lookup(&wt.ptr, common, names.strings[i]) != 0) continue;
      std::error_code ec;
      fs::path p = git_worktree_path(wt.ptr);
      if (fs::is_directory(p, ec)) paths.push_back(p.lexically_normal());
    }
    git_strarray_dispose(&names);
  }
  for (auto& p : paths) {
    std::string s = p.string();
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    p = s;
  }
  return paths;
}

Result<std::vector<CommitInfo>> commits_between(const Repository& repo, const std::vector<std::string>& include,
                                                const std::vector<std::string>& exclude) {
  std::vector<CommitInfo> commits;
  Owned<git_revwalk, git_revwalk_free> walk;
  if (git_revwalk_new(&walk.ptr, repo.raw()) != 0) return std::unexpected(git_error("walk the history"));
  git_revwalk_sorting(walk.ptr, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  bool any = false;
  for (const auto& id : include) {
    auto commit = repo.resolve_commit(id);
    if (!commit) return std::unexpected(commit.error());
    git_oid oid;
    git_oid_fromstr(&oid, commit->c_str());
    if (git_revwalk_push(walk.ptr, &oid) == 0) any = true;
  }
  if (!any) return commits;
  for (const auto& id : exclude) {
    git_oid oid;
    if (git_oid_fromstr(&oid, id.c_str()) != 0) continue;
    Owned<git_commit, git_commit_free> known;
    if (git_commit_lookup(&known.ptr, repo.raw(), &oid) != 0) continue;  // not here: nothing to hide
    git_revwalk_hide(walk.ptr, &oid);
  }
  git_oid oid;
  while (git_revwalk_next(&oid, walk.ptr) == 0) {
    Owned<git_commit, git_commit_free> commit;
    if (git_commit_lookup(&commit.ptr, repo.raw(), &oid) != 0) return std::unexpected(git_error("read a commit"));
    const git_signature* author = git_commit_author(commit.ptr);
    const char* summary = git_commit_summary(commit.ptr);
    commits.push_back(CommitInfo{oid_hex(&oid), fmt::format("{} <{}>", author->name, author->email),
                                 static_cast<std::int64_t>(git_commit_time(commit.ptr)), summary ? summary : ""});
  }
  return commits;
}

Result<std::vector<std::string>> ref_commits(const Repository& repo, std::string_view prefix) {
  std::vector<std::string> ids;
  std::string glob = std::string(prefix) + "*";
  Owned<git_reference_iterator, git_reference_iterator_free> it;
  if (git_reference_iterator_glob_new(&it.ptr, repo.raw(), glob.c_str()) != 0)
    return std::unexpected(git_error("list references"));
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it.ptr) == 0) {
    Owned<git_reference, git_reference_free> owned;
    owned.ptr = ref;
    Owned<git_object, git_object_free> target;
    if (git_reference_peel(&target.ptr, ref, GIT_OBJECT_COMMIT) != 0) continue;
    ids.push_back(oid_hex(git_object_id(target.ptr)));
  }
  return ids;
}

Result<std::optional<CommitInfo>> last_change(const Repository& repo, std::string_view from, std::string_view path) {
  auto start = repo.resolve_commit(from);
  if (!start) return std::unexpected(start.error());
  Owned<git_revwalk, git_revwalk_free> walk;
  if (git_revwalk_new(&walk.ptr, repo.raw()) != 0) return std::unexpected(git_error("walk the history"));
  git_revwalk_sorting(walk.ptr, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  git_oid oid;
  git_oid_fromstr(&oid, start->c_str());
  if (git_revwalk_push(walk.ptr, &oid) != 0) return std::optional<CommitInfo>{};
  std::string p(path);
  auto blob_of = [&](git_commit* commit) -> std::optional<git_oid> {
    Owned<git_tree, git_tree_free> tree;
    if (git_commit_tree(&tree.ptr, commit) != 0) return std::nullopt;
    Owned<git_tree_entry, git_tree_entry_free> entry;
    if (git_tree_entry_bypath(&entry.ptr, tree.ptr, p.c_str()) != 0) return std::nullopt;
    return *git_tree_entry_id(entry.ptr);
  };
  while (git_revwalk_next(&oid, walk.ptr) == 0) {
    Owned<git_commit, git_commit_free> commit;
    if (git_commit_lookup(&commit.ptr, repo.raw(), &oid) != 0) return std::unexpected(git_error("read a commit"));
    auto mine = blob_of(commit.ptr);
    std::optional<git_oid> parents;
    if (git_commit_parentcount(commit.ptr) > 0) {
      Owned<git_commit, git_commit_free> parent;
      if (git_commit_parent(&parent.ptr, commit.ptr, 0) == 0) parents = blob_of(parent.ptr);
    }
    bool same = mine.has_value() == parents.has_value() && (!mine || git_oid_equal(&*mine, &*parents));
    if (same) continue;
    const git_signature* author = git_commit_author(commit.ptr);
    const char* summary = git_commit_summary(commit.ptr);
    return std::optional<CommitInfo>(CommitInfo{oid_hex(&oid), fmt::format("{} <{}>", author->name, author->email),
                                                static_cast<std::int64_t>(git_commit_time(commit.ptr)),
                                                summary ? summary : ""});
  }
  return std::optional<CommitInfo>{};
}

Result<std::vector<std::string>> staged_paths(const Repository& repo, std::string_view suffix) {
  Owned<git_index, git_index_free> index;
  if (git_repository_index(&index.ptr, repo.raw()) != 0) return std::unexpected(git_error("read the git index"));
  Owned<git_tree, git_tree_free> head_tree;
  {
    Owned<git_object, git_object_free> head;
    if (git_revparse_single(&head.ptr, repo.raw(), "HEAD^{tree}") == 0) {
      if (git_tree_lookup(&head_tree.ptr, repo.raw(), git_object_id(head.ptr)) != 0)
        return std::unexpected(git_error("read HEAD's tree"));
    }
  }
  Owned<git_diff, git_diff_free> diff;
  if (git_diff_tree_to_index(&diff.ptr, repo.raw(), head_tree.ptr, index.ptr, nullptr) != 0)
    return std::unexpected(git_error("compare the index with HEAD"));
  std::vector<std::string> paths;
  std::size_t n = git_diff_num_deltas(diff.ptr);
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(diff.ptr, i);
    for (const char* p : {delta->old_file.path, delta->new_file.path}) {
      if (!p) continue;
      std::string_view path = p;
      if (path.size() > suffix.size() && path.ends_with(suffix) &&
          std::find(paths.begin(), paths.end(), path) == paths.end())
        paths.emplace_back(path);
    }
  }
  return paths;
}

std::string user_email(const Repository& repo) {
  if (const char* env = std::getenv("GIT_AUTHOR_EMAIL"); env && *env) return env;  // as git's own ident
  std::string email;
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, repo.raw()) == 0) {
    const char* text = nullptr;
    if (git_config_get_string(&text, config, "user.email") == 0 && text) email = text;
    git_config_free(config);
  }
  return email;
}

}  // namespace mlops::git
