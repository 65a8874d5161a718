#include "mlops/registry/artifact.hpp"

#include <fmt/format.h>

#include "mlops/core/config.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/status.hpp"
#include "mlops/data/store.hpp"

namespace mlops::registry {

namespace {

// Before fetching an artifact the cache lacks: an error naming the command that fixes it when
// there is no data remote to fetch from, or the remote does not have it either.
Result<void> check_fetchable(const Repo& repo, const Model& model, const Version& version, std::string_view remote) {
  const auto& hash = *version.message.meta.artifact;
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  std::string name = remote.empty() ? config->default_remote : std::string(remote);
  if (name.empty()) {
    return std::unexpected(bad_input(
        fmt::format("the artifact of '{}' {} ({}) is not in the cache, and no data remote is set to fetch it from",
                    model.name, version.name, hash.str()),
        "add the data remote its registry pushed to: mlops remote add NAME URL --default (or pass --remote NAME)"));
  }
  auto opened = data::open_named_remote(repo, *config, name);
  if (!opened) return std::unexpected(opened.error());
  auto present = (*opened)->contains({hash});
  if (!present) return std::unexpected(present.error());
  if (!present->front()) {
    return std::unexpected(bad_input(
        fmt::format("the artifact of '{}' {} ({}) is neither in the cache nor on data remote '{}'", model.name,
                    version.name, hash.str(), name),
        fmt::format("in the clone that registered it, run 'mlops model push {}' (it uploads the artifact to the "
                    "data remote), then run this again",
                    model.name)));
  }
  return {};
}

}  // namespace

Result<void> check_data_remote(const Repo& repo, std::string_view remote) {
  if (remote.empty()) return {};
  auto config = load_config(repo);
  if (!config) return std::unexpected(config.error());
  if (config->find_remote(remote)) return {};
  // Data commands name remotes; a path or URL is what `mlops remote add` takes.
  bool looks_like_location = remote.find('/') != std::string_view::npos || remote.starts_with(".") ||
                             remote.find("://") != std::string_view::npos;
  if (looks_like_location) {
    return std::unexpected(bad_input(
        fmt::format("--remote takes the name of a data remote, and '{}' looks like a path or URL", remote),
        fmt::format("add it first: mlops remote add NAME {} (--default makes it the default), then pass --remote NAME",
                    remote)));
  }
  std::vector<std::string> names;
  for (const auto& configured : config->remotes) names.push_back(configured.name);
  std::string best = closest(remote, names);
  std::string guess = best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
  return std::unexpected(bad_input(
      fmt::format("unknown data remote '{}'", remote),
      names.empty() ? std::string("no data remote is configured: add one with 'mlops remote add NAME URL --default'")
                    : fmt::format("the data remotes are {}{}; add one with 'mlops remote add NAME URL'",
                                  fmt::join(names, ", "), guess)));
}

std::filesystem::path default_artifact_path(const Repo& repo, const Model& model, const Version& version) {
  const auto& meta = version.message.meta;
  std::string base = meta.path.empty() ? "artifact" : std::filesystem::path(meta.path).filename().string();
  return repo.store() / "models" / model.name / version.name / base;
}

Result<ArtifactCopy> get_artifact(const Repo& repo, const Model& model, const Version& version,
                                  const std::filesystem::path& dest, std::string_view remote) {
  const auto& meta = version.message.meta;
  if (!meta.artifact) {
    return std::unexpected(bad_input(fmt::format("'{}' {} records no artifact", model.name, version.name),
                                     "its tag has no 'Artifact:' trailer: it was not registered by mlops"));
  }
  if (auto checked = check_data_remote(repo, remote); !checked) return std::unexpected(checked.error());
  ArtifactCopy copy;
  copy.kind = meta.kind == "dir" ? data::Kind::dir : data::Kind::file;
  copy.path = dest.empty() ? default_artifact_path(repo, model, version) : std::filesystem::absolute(dest);

  data::Cache cache(repo);
  data::Pointer wanted;
  wanted.hash = *meta.artifact;
  wanted.kind = copy.kind;
  if (!data::version_in_cache(cache, wanted)) {
    if (auto available = check_fetchable(repo, model, version, remote); !available) {
      return std::unexpected(available.error());
    }
    auto fetched = data::fetch_version(repo, *meta.artifact, copy.kind, remote);
    if (!fetched) return std::unexpected(fetched.error());
    copy.fetched = true;
    copy.remote = std::string(remote);
    if (copy.remote.empty()) {
      auto config = load_config(repo);
      if (config) copy.remote = config->default_remote;
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(copy.path.parent_path(), ec);
  if (ec) return std::unexpected(system_error("create", copy.path.parent_path(), ec.value()));
  if (auto placed = data::materialize(repo, *meta.artifact, copy.kind, copy.path); !placed) {
    return std::unexpected(placed.error());
  }
  return copy;
}

}  // namespace mlops::registry
