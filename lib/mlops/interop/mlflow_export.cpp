#include "mlops/interop/mlflow_export.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <map>

#include "mlops/core/file.hpp"
#include "mlops/core/yaml_quote.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/data/store.hpp"
#include "mlops/interop/md5.hpp"
#include "mlops/interop/mlflow_store.hpp"

namespace mlops::interop {

namespace fs = std::filesystem;

std::optional<std::int64_t> parse_time_ms(std::string_view text) {
  // 2026-11-29T02:41:07.123Z
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text.back() != 'Z')
    return std::nullopt;
  auto number = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + n, value);
    if (ec != std::errc() || end != text.data() + at + n) return std::nullopt;
    return value;
  };
  auto y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2), s = number(17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  int ms = 0;
  if (text.size() == 24 && text[19] == '.') {
    auto frac = number(20, 3);
    if (!frac) return std::nullopt;
    ms = *frac;
  }
  using namespace std::chrono;
  auto day = sys_days(year(*y) / month(static_cast<unsigned>(*mo)) / static_cast<unsigned>(*d));
  auto at = day + hours(*h) + minutes(*mi) + seconds(*s) + milliseconds(ms);
  return duration_cast<milliseconds>(at.time_since_epoch()).count();
}

namespace {

// Files are written without an fsync each (a run has many) and flushed together at the end.
Result<void> write_store_file(const fs::path& path, std::string_view text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return std::unexpected(system_error("create", path.parent_path(), ec.value()));
  auto file = AtomicFile::create(path);
  if (!file) return std::unexpected(file.error());
  MLOPS_TRY(file->write(text));
  return file->commit(Sync::no);
}

// A value as Python's float() reads it back exactly.
std::string python_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

Result<void> check_key(std::string_view kind, const std::string& key, const std::string& run) {
  if (data::is_safe_relative_path(key)) return {};
  return std::unexpected(
      bad_input(fmt::format("the {} '{}' of run {} cannot be a file name in an MLflow store", kind, key, run),
                "MLflow keeps each key as a file: rename it, or leave the run out"));
}

struct Experiment {
  std::string id;
  std::string name;
};

}  // namespace

Result<MlflowExportReport> export_mlflow(const Repo& repo, tracking::RunStore& store,
                                         const std::vector<std::string>& ids, const fs::path& dir_given) {
  std::error_code ec;
  fs::path dir = fs::absolute(dir_given, ec).lexically_normal();
  // Experiments and runs already there (an earlier export): kept, and not written again.
  std::map<std::string, Experiment> experiments;  // by name
  std::map<std::string, bool> existing_runs;
  if (fs::exists(dir) && !fs::is_empty(dir, ec)) {
    auto there = read_mlflow_file_store(dir, {});
    if (!there) return std::unexpected(there.error());
    for (const auto& e : there->experiments) experiments[e.name] = {e.id, e.name};
    for (const auto& r : there->runs) existing_runs[r.run_id] = true;
  }
  std::vector<tracking::RunRecord> records;
  std::vector<std::vector<tracking::MetricPoint>> histories;
  for (const auto& id : ids) {
    auto record = store.get(id);
    if (!record) return std::unexpected(record.error());
    for (const auto& [k, v] : record->params) MLOPS_TRY(check_key("param", k, id));
    for (const auto& [k, v] : record->tags) MLOPS_TRY(check_key("tag", k, id));
    for (const auto& [k, v] : record->metrics) MLOPS_TRY(check_key("metric", k, id));
    if (!parse_time_ms(record->start_time)) {
      return std::unexpected(
          bad_input(fmt::format("run {} has a start time mlops cannot read: '{}'", id, record->start_time)));
    }
    auto history = store.history(id);
    if (!history) return std::unexpected(history.error());
    records.push_back(std::move(*record));
    histories.push_back(std::move(*history));
  }

  MlflowExportReport report;
  std::int64_t now = tracking::now_ms();
  data::Cache cache(repo);
  fs::create_directories(dir / ".trash", ec);  // MLflow's FileStore makes it; deleted experiments go there
  if (ec) return std::unexpected(system_error("create", dir / ".trash", ec.value()));
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    MlflowExportedRun item;
    item.run_id = r.id;
    auto tag = [&](const char* key) {
      auto it = r.tags.find(key);
      return it == r.tags.end() ? std::string() : it->second;
    };
    item.experiment = tag("mlflow.experiment").empty() ? "Default" : tag("mlflow.experiment");
    item.mlflow_id = tag("mlflow.run_id");
    if (!is_md5_hex(item.mlflow_id)) item.mlflow_id = md5_hex(r.id);
    auto found = experiments.find(item.experiment);
    if (found == experiments.end()) {
      std::string exp_id = item.experiment == "Default" ? "0" : std::to_string(experiments.size() + 1);
      while (fs::exists(dir / exp_id)) exp_id = std::to_string(std::stoll(exp_id) + 1);
      fs::path exp_dir = dir / exp_id;
      MLOPS_TRY(write_store_file(
          exp_dir / "meta.yaml",
          fmt::format("artifact_location: {}\ncreation_time: {}\nexperiment_id: '{}'\nlast_update_time: {}\n"
                      "lifecycle_stage: active\nname: {}\n",
                      yaml_scalar("file://" + exp_dir.string()), now, exp_id, now, yaml_scalar(item.experiment))));
      found = experiments.emplace(item.experiment, Experiment{exp_id, item.experiment}).first;
    }
    if (existing_runs.count(item.mlflow_id)) {
      report.runs.push_back(std::move(item));
      continue;
    }
    fs::path run_dir = dir / found->second.id / item.mlflow_id;
    std::int64_t start = *parse_time_ms(r.start_time);
    std::string end = "null";
    if (r.end_time) {
      if (auto e = parse_time_ms(*r.end_time)) end = std::to_string(*e);
    }
    for (const auto& [k, v] : r.params) MLOPS_TRY(write_store_file(run_dir / "params" / k, v));
    for (const auto& [k, v] : r.tags) {
      if (k == "mlflow.run_id" || k == "mlflow.experiment") continue;  // the folders say these
      MLOPS_TRY(write_store_file(run_dir / "tags" / k, v));
    }
    std::map<std::string, std::string> metric_files;
    for (const auto& p : histories[i]) {
      std::int64_t ts = start;
      if (p.timestamp_ms != 0) ts = p.timestamp_ms;
      metric_files[p.key] += fmt::format("{} {} {}\n", ts, python_float(p.value), p.step);
    }
    for (const auto& [k, text] : metric_files) MLOPS_TRY(write_store_file(run_dir / "metrics" / k, text));
    fs::create_directories(run_dir / "artifacts", ec);
    for (const auto& a : r.artifacts) {
      auto hash = Hash::parse(a.hash);
      if (!hash || !cache.contains(*hash) || !data::is_safe_relative_path(a.name)) {
        item.missing_artifacts.push_back(a.name);
        continue;
      }
      MLOPS_TRY(data::materialize(repo, *hash, a.kind == "dir" ? data::Kind::dir : data::Kind::file,
                                  run_dir / "artifacts" / a.name));
    }
    // meta.yaml last: a run folder without it is not a run to MLflow (or to a later export).
    MLOPS_TRY(write_store_file(
        run_dir / "meta.yaml",
        fmt::format("artifact_uri: {}\nend_time: {}\nentry_point_name: ''\nexperiment_id: '{}'\n"
                    "lifecycle_stage: active\nrun_id: {}\nrun_name: {}\nrun_uuid: {}\nsource_name: ''\n"
                    "source_type: 4\nsource_version: ''\nstart_time: {}\nstatus: {}\ntags: []\nuser_id: {}\n",
                    yaml_scalar("file://" + (run_dir / "artifacts").string()), end, found->second.id, item.mlflow_id,
                    yaml_scalar(r.name), item.mlflow_id, start, status_to_mlflow(r.status), yaml_scalar(r.user))));
    item.written = true;
    report.runs.push_back(std::move(item));
  }
  MLOPS_TRY(sync_filesystem(dir));
  return report;
}

}  // namespace mlops::interop
