// The model registry of an MLflow file store (`mlruns/models/`), as MLflow's registry FileStore
// writes it: one folder per registered model, `version-<N>/meta.yaml` per version, `aliases/<alias>`
// holding a version number.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "mlops/core/file.hpp"
#include "mlops/interop/mlflow_store.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

namespace {

Error registry_layout_error(const fs::path& file, std::string_view what) {
  return bad_input(fmt::format("'{}' is not an MLflow model registry file: {}", file.string(), what),
                   "fix or remove it, or import the runs of a copy without mlruns/models/");
}

Result<YAML::Node> read_registry_yaml(const fs::path& file) {
  auto text = read_file(file);
  if (!text) return std::unexpected(text.error());
  try {
    YAML::Node node = YAML::Load(*text);
    if (!node.IsMap()) return std::unexpected(registry_layout_error(file, "expected a mapping"));
    return node;
  } catch (const YAML::Exception& e) {
    return std::unexpected(registry_layout_error(file, "not valid YAML: " + e.msg));
  }
}

std::string registry_scalar(const YAML::Node& node, const char* key) {
  YAML::Node value = node[key];
  return value && value.IsScalar() ? value.Scalar() : std::string();
}

std::optional<int> version_number(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

Result<MlflowModelVersion> read_version(const fs::path& folder, const std::string& model) {
  fs::path meta_file = folder / "meta.yaml";
  auto meta = read_registry_yaml(meta_file);
  if (!meta) return std::unexpected(meta.error());
  MlflowModelVersion version;
  version.model = model;
  auto number = version_number(registry_scalar(*meta, "version"));
  if (!number) return std::unexpected(registry_layout_error(meta_file, "no version number"));
  if (folder.filename().string() != fmt::format("version-{}", *number)) {
    return std::unexpected(registry_layout_error(meta_file, "its version is not its folder's number"));
  }
  version.version = *number;
  version.stage = registry_scalar(*meta, "current_stage");
  version.source = registry_scalar(*meta, "source");
  version.run_id = registry_scalar(*meta, "run_id");
  version.status = registry_scalar(*meta, "status");
  return version;
}

}  // namespace

Result<std::vector<MlflowModelVersion>> read_mlflow_file_registry(const fs::path& root) {
  std::vector<MlflowModelVersion> versions;
  fs::path models = root / "models";
  std::error_code ec;
  if (!fs::is_directory(models, ec)) return versions;
  // Each listing has its own error code: an absent aliases/ (a model without aliases, the usual
  // case) is not a failure to list anything.
  std::error_code list_ec;
  for (const auto& model_dir : fs::directory_iterator(models, list_ec)) {
    if (!model_dir.is_directory()) continue;
    fs::path meta_file = model_dir.path() / "meta.yaml";
    // A folder without meta.yaml is no registered model (one MLflow was creating, or left empty).
    std::error_code meta_ec;
    if (!fs::exists(meta_file, meta_ec)) continue;
    auto meta = read_registry_yaml(meta_file);
    if (!meta) return std::unexpected(meta.error());
    std::string name = registry_scalar(*meta, "name");
    if (name.empty()) return std::unexpected(registry_layout_error(meta_file, "no name"));
    std::size_t first = versions.size();
    std::error_code model_ec;
    for (const auto& entry : fs::directory_iterator(model_dir.path(), model_ec)) {
      if (!entry.is_directory() || !entry.path().filename().string().starts_with("version-")) continue;
      auto version = read_version(entry.path(), name);
      if (!version) return std::unexpected(version.error());
      // MLflow marks a deleted version by this stage and keeps its folder.
      if (version->stage == "Deleted_Internal") continue;
      versions.push_back(std::move(*version));
    }
    if (model_ec) return std::unexpected(system_error("list", model_dir.path(), model_ec.value()));
    fs::path aliases = model_dir.path() / "aliases";
    std::error_code aliases_ec;
    if (!fs::is_directory(aliases, aliases_ec)) continue;
    for (const auto& entry : fs::directory_iterator(aliases, aliases_ec)) {
      if (!entry.is_regular_file()) continue;
      auto text = read_file(entry.path());
      if (!text) return std::unexpected(text.error());
      auto number = version_number(*text);
      if (!number) return std::unexpected(registry_layout_error(entry.path(), "not a version number"));
      for (std::size_t i = first; i < versions.size(); ++i) {
        if (versions[i].version == *number) versions[i].aliases.push_back(entry.path().filename().string());
      }
    }
    if (aliases_ec) return std::unexpected(system_error("list", aliases, aliases_ec.value()));
  }
  if (list_ec) return std::unexpected(system_error("list", models, list_ec.value()));
  std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
    return a.model != b.model ? a.model < b.model : a.version < b.version;
  });
  for (auto& v : versions) std::sort(v.aliases.begin(), v.aliases.end());
  return versions;
}

}  // namespace mlops::interop
