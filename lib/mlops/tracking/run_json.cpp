#include "mlops/tracking/run_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "mlops/tracking/secrets.hpp"

namespace mlops::tracking {

namespace {

using json = nlohmann::json;

// A metric point's time in JSON: ISO 8601 UTC with milliseconds, as start_time and end_time
// ("2026-11-29T02:41:07.123Z"); runs.db keeps milliseconds since the epoch.
std::string point_time_text(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buffer, ms - static_cast<std::int64_t>(seconds) * 1000);
}

// The time of a point in an imported document: that text, or milliseconds (exports of mlops
// before 0.2 wrote numbers); 0 when absent or unreadable.
std::int64_t point_time_ms(const json& entry) {
  auto it = entry.find("timestamp");
  if (it == entry.end()) return 0;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (!it->is_string()) return 0;
  const std::string& text = it->get_ref<const std::string&>();
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return 0;
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  if (rest[0] == '.')
    ms += std::strtol(std::string(rest + 1, std::min<std::size_t>(3, std::strlen(rest + 1))).c_str(), nullptr, 10);
  return ms;
}

// Reads an optional field of the expected type; a wrong type is an error naming the field.
struct Reader {
  const json& object;
  std::string_view where;
  std::optional<Error> error;

  void fail(std::string_view field, std::string_view expected) {
    if (!error)
      error = bad_input(fmt::format("malformed run document ({}): '{}' must be {}", where, field, expected),
                        "export runs with 'mlops runs export' and import that file unchanged");
  }
  std::string text(std::string_view field, bool required = false) {
    auto it = object.find(field);
    if (it == object.end() || it->is_null()) {
      if (required) fail(field, "present");
      return {};
    }
    if (!it->is_string()) {
      fail(field, "a string");
      return {};
    }
    return it->get<std::string>();
  }
  std::map<std::string, std::string> map(const json& parent, std::string_view field) {
    std::map<std::string, std::string> result;
    auto it = parent.find(field);
    if (it == parent.end() || it->is_null()) return result;
    if (!it->is_object()) {
      fail(field, "an object of strings");
      return result;
    }
    for (auto& [key, value] : it->items()) {
      if (value.is_string()) {
        result[key] = value.get<std::string>();
      } else {
        fail(fmt::format("{}.{}", field, key), "a string");
      }
    }
    return result;
  }
};

std::uint64_t unsigned_field(const json& object, std::string_view field, std::uint64_t fallback) {
  auto it = object.find(field);
  return it != object.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : fallback;
}

}  // namespace

std::optional<double> metric_value_from(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_null()) return std::nan("");
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text == "NaN") return std::nan("");
    if (text == "Infinity") return INFINITY;
    if (text == "-Infinity") return -INFINITY;
  }
  return std::nullopt;
}

nlohmann::ordered_json metric_value_json(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

nlohmann::ordered_json run_to_json(const RunRecord& run, const std::vector<MetricPoint>& history) {
  using ojson = nlohmann::ordered_json;
  ojson doc;
  doc["id"] = run.id;
  doc["name"] = run.name;
  doc["status"] = to_string(run.status);
  doc["exit_code"] = run.exit_code ? ojson(*run.exit_code) : ojson(nullptr);
  doc["user"] = run.user;
  doc["host"] = run.host;
  doc["start_time"] = run.start_time;
  doc["end_time"] = run.end_time ? ojson(*run.end_time) : ojson(nullptr);
  doc["duration"] = run.duration ? ojson(*run.duration) : ojson(nullptr);
  doc["command"] = run.command;
  doc["cwd"] = run.cwd;
  doc["git"] = {{"commit", run.git_commit}, {"branch", run.git_branch}, {"dirty", run.git_dirty}};
  doc["data_dirty"] = run.data_dirty;
  doc["params"] = run.params;
  doc["tags"] = run.tags;
  ojson metrics = ojson::object();
  for (const auto& [key, point] : run.metrics) {
    metrics[key] = {{"value", metric_value_json(point.value)},
                    {"step", point.step},
                    {"timestamp", point_time_text(point.timestamp_ms)}};
  }
  doc["metrics"] = std::move(metrics);
  ojson points = ojson::array();
  for (const auto& point : history) {
    points.push_back({{"key", point.key},
                      {"step", point.step},
                      {"value", metric_value_json(point.value)},
                      {"timestamp", point_time_text(point.timestamp_ms)}});
  }
  doc["metric_history"] = std::move(points);
  ojson data = ojson::array();
  for (const auto& version : run.data) {
    data.push_back({{"path", version.path},
                    {"pointer_file", version.pointer_file},
                    {"hash", version.hash},
                    {"size", version.size},
                    {"kind", version.kind},
                    {"state", to_string(version.state)},
                    {"pointer_hash", version.pointer_hash.empty() ? ojson(nullptr) : ojson(version.pointer_hash)}});
  }
  doc["data"] = std::move(data);
  ojson artifacts = ojson::array();
  for (const auto& artifact : run.artifacts) {
    artifacts.push_back({{"name", artifact.name},
                         {"hash", artifact.hash},
                         {"size", artifact.size},
                         {"kind", artifact.kind},
                         {"files", artifact.files}});
  }
  doc["artifacts"] = std::move(artifacts);
  doc["environment"] = run.environment;
  doc["variables"] = run.variables;
  return doc;
}

Result<ImportedRun> run_from_json(const nlohmann::json& document, std::string_view where) {
  if (!document.is_object()) {
    return std::unexpected(bad_input(fmt::format("malformed run document ({}): expected an object", where)));
  }
  Reader reader{document, where, std::nullopt};
  ImportedRun imported;
  RunRecord& run = imported.record;
  run.id = reader.text("id", true);
  run.name = reader.text("name");
  std::string status = reader.text("status", true);
  run.user = reader.text("user");
  run.host = reader.text("host");
  run.start_time = reader.text("start_time", true);
  if (auto end = reader.text("end_time"); !end.empty()) run.end_time = end;
  run.cwd = reader.text("cwd");
  if (auto it = document.find("exit_code"); it != document.end() && it->is_number_integer()) {
    run.exit_code = it->get<int>();
  }
  if (auto it = document.find("duration"); it != document.end() && it->is_number()) run.duration = it->get<double>();
  if (auto it = document.find("command"); it != document.end() && it->is_array()) {
    for (const auto& arg : *it) {
      if (arg.is_string()) run.command.push_back(arg.get<std::string>());
    }
  }
  if (auto it = document.find("git"); it != document.end() && it->is_object()) {
    Reader git{*it, where, std::nullopt};
    run.git_commit = git.text("commit");
    run.git_branch = git.text("branch");
    if (auto dirty = it->find("dirty"); dirty != it->end() && dirty->is_boolean()) run.git_dirty = dirty->get<bool>();
    if (git.error) return std::unexpected(*git.error);
  }
  run.params = reader.map(document, "params");
  run.tags = reader.map(document, "tags");
  run.environment = reader.map(document, "environment");
  run.variables = reader.map(document, "variables");
  if (reader.error) return std::unexpected(*reader.error);
  if (run.id.empty() || run.id.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz") != std::string::npos) {
    return std::unexpected(bad_input(fmt::format("malformed run document ({}): '{}' is not a run id", where, run.id)));
  }
  if (auto parsed = parse_status(status)) {
    run.status = *parsed;
  } else {
    return std::unexpected(bad_input(fmt::format("malformed run document ({}): unknown status '{}'", where, status),
                                     "a status is running, finished, failed or killed"));
  }

  auto bad = [&](std::string_view what) {
    return std::unexpected(bad_input(fmt::format("malformed run document ({}): {}", where, what)));
  };
  if (auto it = document.find("metric_history"); it != document.end() && it->is_array()) {
    for (const auto& point : *it) {
      if (!point.is_object() || !point.contains("key") || !point["key"].is_string()) {
        return bad("each metric_history entry needs a 'key'");
      }
      auto value = metric_value_from(point.value("value", json()));
      if (!value)
        return bad(fmt::format("metric '{}' has a value that is not a number", point["key"].get<std::string>()));
      imported.history.push_back(
          {point["key"].get<std::string>(), *value, point.value("step", std::int64_t{0}), point_time_ms(point)});
    }
  }
  if (imported.history.empty()) {
    if (auto it = document.find("metrics"); it != document.end() && it->is_object()) {
      for (auto& [key, entry] : it->items()) {
        auto value = metric_value_from(entry.is_object() ? entry.value("value", json()) : entry);
        if (!value) return bad(fmt::format("metric '{}' has a value that is not a number", key));
        std::int64_t step = entry.is_object() ? entry.value("step", std::int64_t{0}) : 0;
        std::int64_t timestamp = entry.is_object() ? point_time_ms(entry) : 0;
        imported.history.push_back({key, *value, step, timestamp});
      }
    }
  }
  for (const char* list : {"data", "artifacts"}) {
    auto it = document.find(list);
    if (it == document.end() || it->is_null()) continue;
    if (!it->is_array()) return bad(fmt::format("'{}' must be a list", list));
    for (const auto& entry : *it) {
      if (!entry.is_object() || !entry.contains("hash") || !entry["hash"].is_string()) {
        return bad(fmt::format("each entry of '{}' needs a 'hash'", list));
      }
      Reader item{entry, where, std::nullopt};
      if (std::string_view(list) == "data") {
        DataVersion version{item.text("path", true), item.text("pointer_file"), item.text("hash", true),
                            unsigned_field(entry, "size", 0), entry.value("kind", std::string("file"))};
        if (auto state = item.text("state"); !state.empty()) {
          auto parsed = parse_data_state(state);
          if (!parsed) return bad(fmt::format("unknown data state '{}'", state));
          version.state = *parsed;
        }
        version.pointer_hash = item.text("pointer_hash");
        run.data.push_back(std::move(version));
      } else {
        run.artifacts.push_back({item.text("name", true), item.text("hash", true), unsigned_field(entry, "size", 0),
                                 entry.value("kind", std::string("file")), unsigned_field(entry, "files", 1)});
      }
      if (item.error) return std::unexpected(*item.error);
    }
  }
  // Documents written before data states were recorded say nothing: their data counts as clean.
  if (auto it = document.find("data_dirty"); it != document.end() && it->is_boolean()) {
    run.data_dirty = it->get<bool>();
  } else {
    run.data_dirty = std::any_of(run.data.begin(), run.data.end(),
                                 [](const DataVersion& version) { return version.state != DataState::clean; });
  }
  // A run recorded by an older mlops (or written by hand) may carry what this one would redact.
  redact_record(run);
  return imported;
}

Result<std::vector<ImportedRun>> parse_export_document(std::string_view text, const ExportSource& source) {
  auto malformed = [&](std::string_view what) {
    return bad_input(fmt::format("malformed {} '{}': {}", source.kind, source.name, what), source.hint);
  };
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return std::unexpected(malformed("not valid JSON"));
  auto format = doc.is_object() ? doc.find("format") : doc.end();
  auto runs = doc.is_object() ? doc.find("runs") : doc.end();
  if (!doc.is_object() || format == doc.end() || *format != kExportFormat || runs == doc.end() || !runs->is_array()) {
    return std::unexpected(
        malformed(fmt::format("expected an object with \"format\": \"{}\" and a \"runs\" list", kExportFormat)));
  }
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() || version->get<std::int64_t>() > kExportVersion) {
    return std::unexpected(malformed(fmt::format("unsupported version {} (this mlops reads version {})",
                                                 version == doc.end() ? "none" : version->dump(), kExportVersion)));
  }
  std::vector<ImportedRun> result;
  std::size_t index = 0;
  for (const auto& entry : *runs) {
    ++index;
    try {
      auto run = run_from_json(entry, fmt::format("{}, run {}", source.name, index));
      if (!run) return std::unexpected(run.error());
      result.push_back(std::move(*run));
    } catch (const nlohmann::json::exception& e) {
      return std::unexpected(malformed(fmt::format("run {}: {}", index, e.what())));
    }
  }
  return result;
}

}  // namespace mlops::tracking
