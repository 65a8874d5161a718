#include "mlops/view/run_view.hpp"

#include "mlops/core/hash.hpp"
#include "mlops/data/cache.hpp"

namespace mlops::view {

namespace {

std::optional<ArtifactText> artifact_text(const data::Cache& cache, const tracking::RunRecord& run,
                                          std::string_view name, bool keep_end) {
  for (const auto& artifact : run.artifacts) {
    if (artifact.name != name || artifact.kind != "file") continue;
    auto hash = Hash::parse(artifact.hash);
    if (!hash || !cache.contains(*hash)) return std::nullopt;
    auto content = cache.read(*hash);
    if (!content) return std::nullopt;
    ArtifactText text{std::move(*content), artifact.size, false};
    if (text.text.size() > kArtifactTextLimit) {
      text.cut = true;
      text.text =
          keep_end ? text.text.substr(text.text.size() - kArtifactTextLimit) : text.text.substr(0, kArtifactTextLimit);
    }
    return text;
  }
  return std::nullopt;
}

}  // namespace

std::string RunView::label() const { return run.name.empty() ? run.id : run.id + " (" + run.name + ")"; }

Result<std::vector<RunView>> load_run_views(const Repo& repo, tracking::RunStore& store,
                                            const std::vector<std::string>& ids) {
  data::Cache cache(repo);
  std::vector<RunView> views;
  views.reserve(ids.size());
  for (const auto& id : ids) {
    RunView view;
    auto record = store.get(id);
    if (!record) return std::unexpected(std::move(record.error()));
    view.run = std::move(*record);
    auto points = store.history(id);
    if (!points) return std::unexpected(std::move(points.error()));
    for (auto& point : *points) view.history[point.key].push_back(std::move(point));
    view.output_log = artifact_text(cache, view.run, "output.log", true);
    view.git_diff = artifact_text(cache, view.run, "git.diff", false);
    views.push_back(std::move(view));
  }
  return views;
}

}  // namespace mlops::view
