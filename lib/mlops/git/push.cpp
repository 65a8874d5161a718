#include "mlops/git/push.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <filesystem>
#include <optional>
#include <string_view>

#include "mlops/git/owned.hpp"

namespace mlops::git {

namespace {

struct PushState {
  std::vector<std::string> rejected;  // "refs/tags/x: reason"
  int credential_attempts = 0;
};

int on_credentials(git_credential** out, const char* /*url*/, const char* username, unsigned int allowed,
                   void* payload) {
  auto* state = static_cast<PushState*>(payload);
  // libgit2 asks again after a refused credential; a second refusal is final.
  if (++state->credential_attempts > 1) return GIT_EAUTH;
  if (allowed & GIT_CREDENTIAL_SSH_KEY) {
    return git_credential_ssh_key_from_agent(out, username ? username : "git");
  }
  if (allowed & GIT_CREDENTIAL_DEFAULT) return git_credential_default_new(out);
  return GIT_PASSTHROUGH;
}

int on_update(const char* refname, const char* status, void* payload) {
  if (status) static_cast<PushState*>(payload)->rejected.push_back(fmt::format("{}: {}", refname, status));
  return 0;
}

// The folder `url` names when it is a repository on this disk with a work tree (a `.git` folder).
std::optional<std::string> non_bare_local_repository(const char* url) {
  if (!url) return std::nullopt;
  std::string_view text(url);
  if (text.starts_with("file://")) {
    text.remove_prefix(7);
  } else if (text.find("://") != std::string_view::npos || text.find(':') != std::string_view::npos) {
    return std::nullopt;  // ssh, https, host:path
  }
  std::error_code ec;
  std::filesystem::path path(text);
  if (!std::filesystem::is_directory(path / ".git", ec)) return std::nullopt;
  return path.string();
}

}  // namespace

namespace {

Result<git_remote*> lookup_remote(const Repository& repo, std::string_view remote) {
  std::string name(remote);
  // libgit2 1.5's git_remote_lookup leaks its regex match data when the remote does not exist,
  // so existence is checked on the list of names first.
  git_strarray names{};
  bool known = false;
  if (git_remote_list(&names, repo.raw()) == 0) {
    for (std::size_t i = 0; i < names.count; ++i) known = known || name == names.strings[i];
    git_strarray_dispose(&names);
  }
  git_remote* raw = nullptr;
  if (!known || git_remote_lookup(&raw, repo.raw(), name.c_str()) != 0) {
    return std::unexpected(bad_input(fmt::format("no git remote '{}'", remote),
                                     fmt::format("add it with 'git remote add {} URL'", remote)));
  }
  return raw;
}

}  // namespace

Result<void> check_remote_configured(const Repository& repo, std::string_view remote) {
  auto looked_up = lookup_remote(repo, remote);
  if (!looked_up) return std::unexpected(looked_up.error());
  git_remote_free(*looked_up);
  return {};
}

Result<std::map<std::string, RemoteTag, std::less<>>> remote_tags(const Repository& repo, std::string_view remote) {
  auto looked_up = lookup_remote(repo, remote);
  if (!looked_up) return std::unexpected(looked_up.error());
  Owned<git_remote, git_remote_free> handle;
  handle.ptr = *looked_up;
  PushState state;
  git_remote_callbacks callbacks;
  git_remote_init_callbacks(&callbacks, GIT_REMOTE_CALLBACKS_VERSION);
  callbacks.credentials = on_credentials;
  callbacks.payload = &state;
  if (git_remote_connect(handle.ptr, GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr) != 0) {
    return std::unexpected(git_error(fmt::format("connect to '{}'", remote)));
  }
  const git_remote_head** heads = nullptr;
  std::size_t count = 0;
  if (git_remote_ls(&heads, &count, handle.ptr) != 0) {
    git_remote_disconnect(handle.ptr);
    return std::unexpected(git_error(fmt::format("list the refs of '{}'", remote)));
  }
  constexpr std::string_view prefix = "refs/tags/";
  constexpr std::string_view peeled = "^{}";
  std::map<std::string, RemoteTag, std::less<>> tags;
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view name = heads[i]->name;
    if (!name.starts_with(prefix)) continue;
    name.remove_prefix(prefix.size());
    if (name.ends_with(peeled)) {
      name.remove_suffix(peeled.size());
      tags[std::string(name)].commit = oid_hex(&heads[i]->oid);
    } else {
      tags[std::string(name)].id = oid_hex(&heads[i]->oid);
    }
  }
  git_remote_disconnect(handle.ptr);
  return tags;
}

std::string local_tag_id(const Repository& repo, std::string_view name) {
  std::string ref = fmt::format("refs/tags/{}", name);
  git_oid oid;
  if (git_reference_name_to_id(&oid, repo.raw(), ref.c_str()) != 0) return "";
  return oid_hex(&oid);
}

Result<void> fetch_tags(const Repository& repo, std::string_view remote, const std::vector<std::string>& names) {
  if (names.empty()) return {};
  auto looked_up = lookup_remote(repo, remote);
  if (!looked_up) return std::unexpected(looked_up.error());
  Owned<git_remote, git_remote_free> handle;
  handle.ptr = *looked_up;
  std::vector<std::string> refspecs;
  for (const auto& name : names) refspecs.push_back(fmt::format("+refs/tags/{0}:refs/tags/{0}", name));
  std::vector<char*> specs;
  for (const auto& spec : refspecs) specs.push_back(const_cast<char*>(spec.c_str()));
  git_strarray array{specs.data(), specs.size()};
  PushState state;
  git_fetch_options options;
  git_fetch_options_init(&options, GIT_FETCH_OPTIONS_VERSION);
  options.callbacks.credentials = on_credentials;
  options.callbacks.payload = &state;
  options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  options.prune = GIT_FETCH_NO_PRUNE;
  if (git_remote_fetch(handle.ptr, &array, &options, nullptr) != 0) {
    return std::unexpected(git_error(fmt::format("fetch tags from '{}'", remote)));
  }
  return {};
}

Result<void> delete_tag(const Repository& repo, std::string_view name) {
  std::string tag(name);
  int rc = git_tag_delete(repo.raw(), tag.c_str());
  if (rc != 0 && rc != GIT_ENOTFOUND) return std::unexpected(git_error(fmt::format("delete tag '{}'", name)));
  return {};
}

Result<void> push_refs(const Repository& repo, std::string_view remote, const std::vector<std::string>& refspecs) {
  auto looked_up = lookup_remote(repo, remote);
  if (!looked_up) return std::unexpected(looked_up.error());
  git_remote* raw = *looked_up;
  std::unique_ptr<git_remote, void (*)(git_remote*)> handle(raw, git_remote_free);
  std::vector<char*> specs;
  for (const auto& spec : refspecs) specs.push_back(const_cast<char*>(spec.c_str()));
  git_strarray array{specs.data(), specs.size()};
  PushState state;
  git_push_options options;
  git_push_options_init(&options, GIT_PUSH_OPTIONS_VERSION);
  options.callbacks.credentials = on_credentials;
  options.callbacks.push_update_reference = on_update;
  options.callbacks.payload = &state;
  if (git_remote_push(raw, &array, &options) != 0) {
    Error error = git_error(fmt::format("push to '{}'", remote));
    // libgit2 pushes to a repository on this disk only when it is bare; git itself would push the
    // tags (only a checked-out branch is refused), so the way out is git, or a bare origin.
    if (auto path = non_bare_local_repository(git_remote_url(raw))) {
      error.exit = Exit::environment;
      error.message = fmt::format(
          "cannot push to git remote '{}': '{}' is not a bare repository (it has a work tree), and mlops pushes only "
          "to bare repositories on this disk",
          remote, *path);
      error.hint = fmt::format(
          "push the tags with git itself ('git push {} --tags'), or make the origin a bare repository ('git clone "
          "--bare {} ORIGIN.git' and 'git remote set-url {} ORIGIN.git')",
          remote, *path, remote);
    }
    return std::unexpected(error);
  }
  if (!state.rejected.empty()) {
    std::string list;
    for (const auto& r : state.rejected) list += (list.empty() ? "" : "; ") + r;
    return std::unexpected(environment_error(fmt::format("remote '{}' rejected the push: {}", remote, list),
                                             "fetch its tags ('git fetch --tags') and compare"));
  }
  return {};
}

}  // namespace mlops::git
