#include "mlops/registry/artifact.hpp"

#include <fmt/format.h>

#include "mlops/data/cache.hpp"
#include "mlops/data/remote.hpp"
#include "mlops/data/status.hpp"
#include "mlops/data/store.hpp"

namespace mlops::registry {

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
  ArtifactCopy copy;
  copy.kind = meta.kind == "dir" ? data::Kind::dir : data::Kind::file;
  copy.path = dest.empty() ? default_artifact_path(repo, model, version) : std::filesystem::absolute(dest);

  data::Cache cache(repo);
  data::Pointer wanted;
  wanted.hash = *meta.artifact;
  wanted.kind = copy.kind;
  if (!data::version_in_cache(cache, wanted)) {
    auto fetched = data::fetch_version(repo, *meta.artifact, copy.kind, remote);
    if (!fetched) return std::unexpected(fetched.error());
    copy.fetched = true;
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
