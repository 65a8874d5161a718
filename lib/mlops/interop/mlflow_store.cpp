#include "mlops/interop/mlflow_store.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>

#include "mlops/core/file.hpp"
#include "mlops/core/parallel.hpp"
#include "mlops/core/suggest.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSupported = "the MLflow 1.x-2.x file store layout (mlruns/)";

Error layout_error(const fs::path& file, std::string_view what) {
  return bad_input(fmt::format("'{}' is not in {}: {}", file.string(), kSupported, what),
                   "point at the mlruns folder MLflow wrote (MLFLOW_TRACKING_URI), or at sqlite:///mlflow.db");
}

Result<YAML::Node> read_yaml(const fs::path& file) {
  auto text = read_file(file);
  if (!text) return std::unexpected(text.error());
  try {
    YAML::Node node = YAML::Load(*text);
    // A scalar or a list would make every field lookup throw (found by tests/fuzz/mlflow_fuzz).
    if (!node.IsMap()) return std::unexpected(layout_error(file, "expected a mapping of fields"));
    return node;
  } catch (const YAML::Exception& e) {
    return std::unexpected(layout_error(file, "not valid YAML: " + e.msg));
  }
}

std::string scalar(const YAML::Node& node, const char* key) {
  YAML::Node value = node[key];
  return value && value.IsScalar() ? value.Scalar() : std::string();
}

std::optional<std::int64_t> integer(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The files below `folder`, keyed by their '/'-separated path (a key with '/' is a folder).
Result<std::map<std::string, std::string>> read_key_files(const fs::path& folder) {
  std::map<std::string, std::string> values;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return values;
  for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto text = read_file(it->path());
    if (!text) return std::unexpected(text.error());
    values.emplace(it->path().lexically_relative(folder).generic_string(), std::move(*text));
  }
  if (ec) return std::unexpected(system_error("list", folder, ec.value()));
  return values;
}

Result<void> read_metrics(const fs::path& folder, MlflowRun& run) {
  auto files = read_key_files(folder);
  if (!files) return std::unexpected(files.error());
  for (const auto& [key, text] : *files) {
    std::size_t line_no = 0;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      std::string_view line(text.data() + at, end - at);
      at = end + 1;
      ++line_no;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
      if (line.empty()) continue;
      auto bad = [&] {
        return std::unexpected(
            layout_error(folder / key, fmt::format("line {} is not 'timestamp value [step]'", line_no)));
      };
      std::size_t first = line.find(' ');
      if (first == std::string_view::npos) return bad();
      std::size_t second = line.find(' ', first + 1);
      auto timestamp = integer(line.substr(0, first));
      auto value = parse_mlflow_double(
          line.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1));
      std::optional<std::int64_t> step = 0;
      if (second != std::string_view::npos) step = integer(line.substr(second + 1));
      if (!timestamp || !value || !step) return bad();
      run.history.push_back({key, *value, *step, *timestamp});
    }
  }
  return {};
}

Result<MlflowRun> read_run(const fs::path& folder, const MlflowExperiment& experiment) {
  fs::path meta_file = folder / "meta.yaml";
  auto meta = read_yaml(meta_file);
  if (!meta) return std::unexpected(meta.error());
  if (!meta->IsMap()) return std::unexpected(layout_error(meta_file, "expected a mapping"));
  MlflowRun run;
  run.run_id = scalar(*meta, "run_id");
  if (run.run_id.empty()) run.run_id = scalar(*meta, "run_uuid");
  if (run.run_id.empty()) return std::unexpected(layout_error(meta_file, "no run_id"));
  if (run.run_id != folder.filename().string()) {
    return std::unexpected(layout_error(meta_file, fmt::format("run_id '{}' is not its folder's name", run.run_id)));
  }
  run.experiment_id = experiment.id;
  run.experiment_name = experiment.name;
  run.deleted = scalar(*meta, "lifecycle_stage") == "deleted";
  run.name = scalar(*meta, "run_name");
  run.user = scalar(*meta, "user_id");
  auto status = integer(scalar(*meta, "status"));
  if (!status || *status < 1 || *status > 5) {
    return std::unexpected(
        layout_error(meta_file, fmt::format("status '{}' is not one of 1-5", scalar(*meta, "status"))));
  }
  run.status = static_cast<int>(*status);
  auto start = integer(scalar(*meta, "start_time"));
  if (!start) return std::unexpected(layout_error(meta_file, "no start_time"));
  run.start_ms = *start;
  if (auto end = integer(scalar(*meta, "end_time"))) run.end_ms = *end;
  std::string artifact_uri = scalar(*meta, "artifact_uri");
  run.artifacts = local_path_of_uri(artifact_uri, folder / "artifacts");
  MLOPS_TRY(check_artifact_uri(run.run_id, artifact_uri));
  if (is_remote_uri(artifact_uri)) run.remote_artifacts = artifact_uri;
  if (!fs::exists(run.artifacts) && fs::exists(folder / "artifacts")) run.artifacts = folder / "artifacts";
  auto params = read_key_files(folder / "params");
  if (!params) return std::unexpected(params.error());
  run.params = std::move(*params);
  auto tags = read_key_files(folder / "tags");
  if (!tags) return std::unexpected(tags.error());
  run.tags = std::move(*tags);
  if (run.name.empty()) {
    if (auto it = run.tags.find("mlflow.runName"); it != run.tags.end()) run.name = it->second;
  }
  if (run.user.empty()) {
    if (auto it = run.tags.find("mlflow.user"); it != run.tags.end()) run.user = it->second;
  }
  MLOPS_TRY(read_metrics(folder / "metrics", run));
  return run;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

// Python's float() of what MLflow writes: repr of a float, "nan", "inf", "-inf".
std::optional<double> parse_mlflow_double(std::string_view text) {
  if (text == "nan" || text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "inf" || text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-inf" || text == "-Infinity") return -std::numeric_limits<double>::infinity();
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_remote_uri(const std::string& uri) { return !uri.starts_with("file:") && uri.find(":/") != std::string::npos; }

fs::path local_path_of_uri(const std::string& uri, const fs::path& fallback) {
  if (uri.starts_with("file://")) return fs::path(uri.substr(7));
  if (!uri.empty() && uri.front() == '/') return fs::path(uri);
  return fallback;
}

Result<void> check_artifact_uri(const std::string& run_id, const std::string& uri) {
  // An artifact folder named with '..' could point anywhere: it must be the run's own.
  for (const auto& part : fs::path(uri)) {
    if (part == "..") {
      return std::unexpected(
          bad_input(fmt::format("the artifact_uri of run '{}' climbs out of its folder: '{}'", run_id, uri),
                    "fix the run's record, or leave its experiment out with --experiment"));
    }
  }
  return {};
}

tracking::RunStatus status_from_mlflow(int status) {
  switch (status) {
    case 3:
      return tracking::RunStatus::finished;
    case 4:
      return tracking::RunStatus::failed;
    case 5:
      return tracking::RunStatus::killed;
    default:
      return tracking::RunStatus::running;  // 1 running, 2 scheduled
  }
}

int status_to_mlflow(tracking::RunStatus status) {
  switch (status) {
    case tracking::RunStatus::running:
      return 1;
    case tracking::RunStatus::finished:
      return 3;
    case tracking::RunStatus::failed:
      return 4;
    case tracking::RunStatus::killed:
      return 5;
  }
  return 1;
}

Result<MlflowStore> read_mlflow_file_store(const fs::path& root, const std::vector<std::string>& wanted) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return std::unexpected(bad_input(fmt::format("'{}' is not a folder", root.string()),
                                     "name an MLflow file store (mlruns/) or sqlite:///mlflow.db"));
  }
  MlflowStore store;
  std::vector<std::pair<MlflowExperiment, fs::path>> experiments;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name == ".trash" || name == "models" || name.starts_with(".")) continue;
    fs::path meta_file = entry.path() / "meta.yaml";
    auto meta = read_yaml(meta_file);
    if (!meta) {
      if (meta.error().exit == Exit::bad_input && !fs::exists(meta_file)) {
        return std::unexpected(layout_error(entry.path(), "a folder without meta.yaml"));
      }
      return std::unexpected(meta.error());
    }
    MlflowExperiment experiment{scalar(*meta, "experiment_id"), scalar(*meta, "name")};
    if (experiment.id.empty() || experiment.name.empty()) {
      return std::unexpected(layout_error(meta_file, "no experiment_id or name"));
    }
    if (scalar(*meta, "lifecycle_stage") == "deleted") continue;
    experiments.emplace_back(experiment, entry.path());
  }
  if (ec) return std::unexpected(system_error("list", root, ec.value()));
  if (experiments.empty()) {
    return std::unexpected(layout_error(root, "no experiment folder (<id>/meta.yaml)"));
  }
  std::sort(experiments.begin(), experiments.end(),
            [](const auto& a, const auto& b) { return a.first.id < b.first.id; });
  for (const auto& name : wanted) {
    bool found =
        std::any_of(experiments.begin(), experiments.end(), [&](const auto& e) { return e.first.name == name; });
    if (!found) {
      std::vector<std::string> names;
      for (const auto& e : experiments) names.push_back(e.first.name);
      std::string close = closest(name, names);
      return std::unexpected(
          bad_input(fmt::format("no experiment named '{}' in '{}'", name, root.string()),
                    close.empty() ? "the store has: " + join_names(names) : fmt::format("did you mean '{}'?", close)));
    }
  }
  for (const auto& [experiment, folder] : experiments) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), experiment.name) == wanted.end()) continue;
    store.experiments.push_back(experiment);
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      std::string name = entry.path().filename().string();
      if (!entry.is_directory() || name == "tags" || name == "datasets" || name == "traces") continue;
      if (fs::exists(entry.path() / "meta.yaml")) folders.push_back(entry.path());
    }
    // Thousands of small files per experiment: read on every core.
    std::vector<std::optional<Result<MlflowRun>>> read(folders.size());
    parallel_for(folders.size(), [&](std::size_t i) { read[i] = read_run(folders[i], experiment); });
    std::vector<MlflowRun> runs;
    for (auto& run : read) {
      if (!*run) return std::unexpected((*run).error());
      if ((*run)->deleted) continue;
      runs.push_back(std::move(**run));
    }
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) {
      return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.run_id < b.run_id;
    });
    for (auto& run : runs) store.runs.push_back(std::move(run));
  }
  auto versions = read_mlflow_file_registry(root);
  if (!versions) return std::unexpected(versions.error());
  store.model_versions = std::move(*versions);
  return store;
}

}  // namespace mlops::interop
