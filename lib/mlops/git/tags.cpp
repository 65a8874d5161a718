#include "mlops/git/tags.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <charconv>
#include <cstdlib>

#include "mlops/git/owned.hpp"

namespace mlops::git {

namespace {

struct ParsedTag {
  std::string_view object;  // hex id of the tagged object
  std::string_view type;    // "commit", "tag", ...
  AnnotatedTag tag;
};

// "NAME <EMAIL> 1700000000 +0100"
void parse_tagger(std::string_view line, AnnotatedTag& tag) {
  auto lt = line.find('<'), gt = line.rfind('>');
  if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt) return;
  auto name = line.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  tag.tagger_name = std::string(name);
  tag.tagger_email = std::string(line.substr(lt + 1, gt - lt - 1));
  auto rest = line.substr(gt + 1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  auto space = rest.find(' ');
  auto time_text = rest.substr(0, space);
  std::from_chars(time_text.data(), time_text.data() + time_text.size(), tag.time);
  if (space != std::string_view::npos) {
    auto tz = rest.substr(space + 1);
    if (tz.size() == 5 && (tz[0] == '+' || tz[0] == '-')) {
      int hhmm = 0;
      std::from_chars(tz.data() + 1, tz.data() + 5, hhmm);
      tag.offset = (hhmm / 100 * 60 + hhmm % 100) * (tz[0] == '-' ? -1 : 1);
    }
  }
}

// A raw tag object: header lines, a blank line, the message (git's own format, tag.c).
ParsedTag parse_tag_object(std::string_view raw) {
  ParsedTag parsed;
  while (!raw.empty()) {
    auto nl = raw.find('\n');
    auto line = raw.substr(0, nl);
    raw = nl == std::string_view::npos ? std::string_view() : raw.substr(nl + 1);
    if (line.empty()) break;
    if (line.starts_with("object "))
      parsed.object = line.substr(7);
    else if (line.starts_with("type "))
      parsed.type = line.substr(5);
    else if (line.starts_with("tagger "))
      parse_tagger(line.substr(7), parsed.tag);
  }
  // A signed tag carries its signature after the message; it is not part of what was said.
  if (auto sig = raw.find("-----BEGIN PGP SIGNATURE-----"); sig != std::string_view::npos) raw = raw.substr(0, sig);
  parsed.tag.message = std::string(raw);
  return parsed;
}

// Reads and parses the tag object `target` into `tag`; what kind of object it was.
enum class Found { annotated, lightweight, unreadable };
Found read_one(const Repository& repo, git_odb* odb, const git_oid& target, AnnotatedTag& tag) {
  Owned<git_odb_object, git_odb_object_free> object;
  if (git_odb_read(&object.ptr, odb, &target) != 0) return Found::unreadable;
  git_object_t type = git_odb_object_type(object.ptr);
  if (type == GIT_OBJECT_COMMIT) return Found::lightweight;
  if (type != GIT_OBJECT_TAG) return Found::unreadable;
  std::string_view raw(static_cast<const char*>(git_odb_object_data(object.ptr)), git_odb_object_size(object.ptr));
  ParsedTag parsed = parse_tag_object(raw);
  if (parsed.type == "commit") {
    parsed.tag.commit = std::string(parsed.object);
  } else {
    // A tag of a tag (or of a tree): let libgit2 peel it; a tag that reaches no commit is skipped.
    Owned<git_object, git_object_free> tag_object, commit;
    if (git_object_lookup(&tag_object.ptr, repo.raw(), &target, GIT_OBJECT_TAG) != 0 ||
        git_object_peel(&commit.ptr, tag_object.ptr, GIT_OBJECT_COMMIT) != 0) {
      return Found::unreadable;
    }
    parsed.tag.commit = oid_hex(git_object_id(commit.ptr));
  }
  tag = std::move(parsed.tag);
  return Found::annotated;
}

}  // namespace

Result<std::vector<TagRef>> list_tag_refs(const Repository& repo, const std::function<bool(std::string_view)>& select) {
  Owned<git_reference_iterator, git_reference_iterator_free> iter;
  if (git_reference_iterator_glob_new(&iter.ptr, repo.raw(), "refs/tags/*") != 0) {
    return std::unexpected(git_error("list the git tags"));
  }
  std::vector<TagRef> refs;
  constexpr std::string_view prefix = "refs/tags/";
  for (;;) {
    Owned<git_reference, git_reference_free> ref;
    int rc = git_reference_next(&ref.ptr, iter.ptr);
    if (rc == GIT_ITEROVER) break;
    if (rc != 0) return std::unexpected(git_error("list the git tags"));
    std::string_view full = git_reference_name(ref.ptr);
    if (!full.starts_with(prefix)) continue;
    std::string_view name = full.substr(prefix.size());
    const git_oid* target = git_reference_target(ref.ptr);
    if (!target || !select(name)) continue;  // a symbolic ref under refs/tags is no registry tag
    refs.push_back({std::string(name), std::string(reinterpret_cast<const char*>(target->id), GIT_OID_RAWSZ)});
  }
  return refs;
}

Result<TagScan> read_tags(const Repository& repo, const std::vector<TagRef>& refs) {
  TagScan scan;
  if (refs.empty()) return scan;
  Owned<git_odb, git_odb_free> odb;
  if (git_repository_odb(&odb.ptr, repo.raw()) != 0) return std::unexpected(git_error("open the git object database"));
  scan.annotated.reserve(refs.size());
  for (const auto& ref : refs) {
    git_oid target;
    git_oid_fromraw(&target, reinterpret_cast<const unsigned char*>(ref.target.data()));
    AnnotatedTag tag;
    switch (read_one(repo, odb.ptr, target, tag)) {
      case Found::annotated:
        tag.name = ref.name;
        tag.id = ref.target;
        scan.annotated.push_back(std::move(tag));
        break;
      case Found::lightweight:
        scan.lightweight.push_back(ref.name);
        break;
      case Found::unreadable:
        scan.unreadable.push_back(ref.name);
        break;
    }
  }
  return scan;
}

Result<TagScan> scan_tags(const Repository& repo, const std::function<bool(std::string_view)>& select) {
  auto refs = list_tag_refs(repo, select);
  if (!refs) return std::unexpected(refs.error());
  return read_tags(repo, *refs);
}

Result<Identity> tagger_identity(const Repository& repo) {
  Identity who;
  if (const char* name = std::getenv("GIT_COMMITTER_NAME"); name && *name) who.name = name;
  if (const char* email = std::getenv("GIT_COMMITTER_EMAIL"); email && *email) who.email = email;
  if (who.name.empty() || who.email.empty()) {
    Owned<git_config, git_config_free> config;
    if (git_repository_config_snapshot(&config.ptr, repo.raw()) == 0) {
      const char* value = nullptr;
      if (who.name.empty() && git_config_get_string(&value, config.ptr, "user.name") == 0) who.name = value;
      if (who.email.empty() && git_config_get_string(&value, config.ptr, "user.email") == 0) who.email = value;
    }
  }
  if (who.name.empty() || who.email.empty()) {
    return std::unexpected(environment_error("git does not know who you are, so no tag can be written",
                                             "git config --global user.name 'Your Name' && "
                                             "git config --global user.email you@example.com"));
  }
  return who;
}

Result<void> create_annotated_tag(const Repository& repo, std::string_view name, std::string_view commit,
                                  std::string_view message, const Identity& tagger) {
  git_oid oid;
  std::string commit_hex(commit);
  if (git_oid_fromstr(&oid, commit_hex.c_str()) != 0) {
    return std::unexpected(bad_input(fmt::format("'{}' is not a commit id", commit)));
  }
  Owned<git_object, git_object_free> target;
  if (git_object_lookup(&target.ptr, repo.raw(), &oid, GIT_OBJECT_COMMIT) != 0) {
    return std::unexpected(bad_input(fmt::format("commit '{}' is not in this repository", commit)));
  }
  Owned<git_signature, git_signature_free> signature;
  if (git_signature_now(&signature.ptr, tagger.name.c_str(), tagger.email.c_str()) != 0) {
    return std::unexpected(git_error("make the tagger signature"));
  }
  git_oid tag_id;
  std::string tag_name(name), text(message);
  int rc = git_tag_create(&tag_id, repo.raw(), tag_name.c_str(), target.ptr, signature.ptr, text.c_str(), 0);
  if (rc == GIT_EEXISTS) {
    return std::unexpected(bad_input(fmt::format("tag '{}' already exists", name),
                                     "another process wrote it first; run the command again"));
  }
  if (rc != 0) return std::unexpected(git_error(fmt::format("create tag '{}'", name)));
  return {};
}

bool tag_exists(const Repository& repo, std::string_view name) {
  git_oid oid;
  std::string ref = fmt::format("refs/tags/{}", name);
  return git_reference_name_to_id(&oid, repo.raw(), ref.c_str()) == 0;
}

}  // namespace mlops::git
