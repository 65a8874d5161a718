#include "mlops/data/missing.hpp"

#include <fmt/format.h>

#include "mlops/git/repository.hpp"

namespace mlops::data {

Result<FetchOutcome> fetch_each(const Cache& cache, const Remote& remote, const std::vector<TrackedData>& items) {
  FetchOutcome outcome;
  for (const auto& item : items) {
    auto r = fetch(cache, remote, {item});
    if (!r) {
      if (r.error().exit != Exit::bad_input) return std::unexpected(r.error());  // the remote itself failed
      outcome.missing.push_back(MissingVersion{item, r.error(), std::nullopt});
      continue;
    }
    outcome.fetched.objects += r->objects;
    outcome.fetched.bytes += r->bytes;
    outcome.fetched.skipped += r->skipped;
    outcome.ready.push_back(item);
  }
  outcome.fetched.requests = remote.requests();
  return outcome;
}

void find_introducing_commits(const Repo& repo, std::string_view from, std::vector<MissingVersion>& missing) {
  if (missing.empty()) return;
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo || !git_repo->head_commit()) return;
  for (auto& m : missing) {
    if (m.item.pointer_file.empty()) continue;
    if (auto c = git::last_change(*git_repo, from, m.item.pointer_file); c && *c) m.commit = std::move(**c);
  }
}

Error missing_error(const std::vector<MissingVersion>& missing, std::string_view remote, std::string_view what_worked) {
  std::string list;
  for (const auto& m : missing) {
    std::string name = m.item.data_path.empty() ? m.item.pointer.hash.str() : m.item.data_path;
    list += m.commit
                ? fmt::format("\n  {} (committed in {} by {}: \"{}\")", name, m.commit->id.substr(0, 12),
                              m.commit->author, m.commit->summary)
                : fmt::format("\n  {} ({})", name, m.item.pointer_file.empty() ? m.error.message : "not committed yet");
  }
  return bad_input(
      fmt::format("{} dataset{} not on remote '{}' and not in the cache:{}", missing.size(),
                  missing.size() == 1 ? " is" : "s are", remote, list),
      fmt::format("ask the author to run 'mlops data push' in the clone that has the data; {}", what_worked));
}

}  // namespace mlops::data
