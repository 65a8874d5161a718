#include "mlops/git/push.hpp"

#include <fmt/format.h>
#include <git2.h>

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

}  // namespace

Result<void> push_refs(const Repository& repo, std::string_view remote, const std::vector<std::string>& refspecs) {
  std::string name(remote);
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo.raw(), name.c_str()) != 0) {
    return std::unexpected(bad_input(fmt::format("no git remote '{}'", remote),
                                     fmt::format("add it with 'git remote add {} URL'", remote)));
  }
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
    return std::unexpected(git_error(fmt::format("push to '{}'", remote)));
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
