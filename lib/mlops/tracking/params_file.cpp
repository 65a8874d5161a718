#include "mlops/tracking/params_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "mlops/core/file.hpp"

namespace mlops::tracking {

namespace {

bool has_extension(const std::filesystem::path& path, std::initializer_list<std::string_view> extensions) {
  std::string ext = path.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto candidate : extensions) {
    if (ext == candidate) return true;
  }
  return false;
}

Error malformed(const std::filesystem::path& path, std::string_view what, std::string hint = {}) {
  return bad_input(fmt::format("malformed file '{}': {}", path.string(), what), std::move(hint));
}

Result<YAML::Node> load_yaml(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  try {
    return YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return std::unexpected(malformed(path,
                                     fmt::format("line {}, column {}: {}", e.mark.line + 1, e.mark.column + 1, e.msg),
                                     "fix the YAML or JSON syntax at that place"));
  }
}

void flatten_params(const YAML::Node& node, const std::string& prefix, std::map<std::string, std::string>& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      for (const auto& entry : node) {
        std::string key = entry.first.Scalar();
        flatten_params(entry.second, prefix.empty() ? key : prefix + "." + key, out);
      }
      break;
    case YAML::NodeType::Sequence: {
      YAML::Emitter emitter;
      emitter << YAML::Flow << node;
      out[prefix] = emitter.c_str();
      break;
    }
    case YAML::NodeType::Scalar:
      out[prefix] = node.Scalar();
      break;
    default:
      out[prefix] = "null";
      break;
  }
}

void flatten_metrics_json(const nlohmann::json& node, const std::string& prefix, std::int64_t timestamp,
                          std::vector<MetricPoint>& out, std::string& bad_key) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      flatten_metrics_json(*it, prefix.empty() ? it.key() : prefix + "." + it.key(), timestamp, out, bad_key);
    }
  } else if (node.is_array()) {
    std::int64_t step = 0;
    for (const auto& item : node) {
      if (!item.is_number()) {
        if (bad_key.empty()) bad_key = prefix;
        return;
      }
      out.push_back({prefix, item.get<double>(), step++, timestamp});
    }
  } else if (node.is_number()) {
    out.push_back({prefix, node.get<double>(), 0, timestamp});
  } else if (node.is_boolean()) {
    out.push_back({prefix, node.get<bool>() ? 1.0 : 0.0, 0, timestamp});
  } else if (bad_key.empty()) {
    bad_key = prefix;
  }
}

std::optional<double> yaml_number(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  if (auto value = parse_metric_value(node.Scalar())) return value;
  double number = 0;
  if (YAML::convert<double>::decode(node, number)) return number;  // .nan, .inf, 1e3
  return std::nullopt;
}

void flatten_metrics_yaml(const YAML::Node& node, const std::string& prefix, std::int64_t timestamp,
                          std::vector<MetricPoint>& out, std::string& bad_key) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      std::string key = entry.first.Scalar();
      flatten_metrics_yaml(entry.second, prefix.empty() ? key : prefix + "." + key, timestamp, out, bad_key);
    }
  } else if (node.IsSequence()) {
    std::int64_t step = 0;
    for (const auto& item : node) {
      auto value = yaml_number(item);
      if (!value) {
        if (bad_key.empty()) bad_key = prefix;
        return;
      }
      out.push_back({prefix, *value, step++, timestamp});
    }
  } else if (auto value = yaml_number(node)) {
    out.push_back({prefix, *value, 0, timestamp});
  } else if (bad_key.empty()) {
    bad_key = prefix;
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<double> parse_metric_value(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) return std::nullopt;
  if (ec != std::errc()) return std::nullopt;
  return value;
}

Result<std::map<std::string, std::string>> read_params_file(const std::filesystem::path& path) {
  auto root = load_yaml(path);
  if (!root) return std::unexpected(root.error());
  if (!root->IsMap()) {
    return std::unexpected(malformed(path, "expected a map of param names to values",
                                     "write 'name: value' lines (YAML) or a JSON object"));
  }
  std::map<std::string, std::string> params;
  flatten_params(*root, "", params);
  return params;
}

Result<std::vector<MetricPoint>> parse_metrics_csv(std::string_view text, const std::filesystem::path& source,
                                                   std::int64_t timestamp_ms) {
  std::vector<MetricPoint> points;
  points.reserve(text.size() / 16);
  int step_col = 0, name_col = 1, value_col = 2;
  std::size_t line_no = 0;
  bool first = true;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_no;
    line = trim(line);
    if (line.empty()) continue;
    std::string_view fields[3];
    int count = 0;
    for (std::string_view rest = line;; ++count) {
      auto comma = rest.find(',');
      if (count < 3) fields[count] = trim(rest.substr(0, comma));
      if (comma == std::string_view::npos) {
        ++count;
        break;
      }
      rest = rest.substr(comma + 1);
    }
    if (first) {
      first = false;
      std::int64_t probe = 0;
      auto [end, ec] = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), probe);
      if (ec != std::errc() || end != fields[0].data() + fields[0].size()) {
        // A header line: it says which column is which.
        step_col = name_col = value_col = -1;
        for (int i = 0; i < std::min(count, 3); ++i) {
          if (fields[i] == "step") step_col = i;
          if (fields[i] == "name" || fields[i] == "key" || fields[i] == "metric") name_col = i;
          if (fields[i] == "value") value_col = i;
        }
        if (count != 3 || step_col < 0 || name_col < 0 || value_col < 0) {
          return std::unexpected(malformed(source,
                                           fmt::format("line {}: expected the header 'step,name,value'", line_no),
                                           "write one 'step,name,value' line per point, e.g. 3,loss,0.25"));
        }
        continue;
      }
    }
    if (count != 3) {
      return std::unexpected(
          malformed(source, fmt::format("line {}: expected 3 fields (step,name,value), found {}", line_no, count)));
    }
    MetricPoint point;
    std::string_view step = fields[step_col];
    auto [end, ec] = std::from_chars(step.data(), step.data() + step.size(), point.step);
    if (ec != std::errc() || end != step.data() + step.size()) {
      return std::unexpected(malformed(source, fmt::format("line {}: step '{}' is not a whole number", line_no, step)));
    }
    auto value = parse_metric_value(fields[value_col]);
    if (!value) {
      return std::unexpected(
          malformed(source, fmt::format("line {}: value '{}' is not a number", line_no, fields[value_col])));
    }
    if (fields[name_col].empty()) {
      return std::unexpected(malformed(source, fmt::format("line {}: the metric name is empty", line_no)));
    }
    point.key = std::string(fields[name_col]);
    point.value = *value;
    point.timestamp_ms = timestamp_ms;
    points.push_back(std::move(point));
  }
  return points;
}

Result<std::vector<MetricPoint>> read_metrics_file(const std::filesystem::path& path, std::int64_t timestamp_ms) {
  std::vector<MetricPoint> points;
  std::string bad_key;
  if (has_extension(path, {".csv"})) {
    auto text = read_file(path);
    if (!text) return std::unexpected(text.error());
    return parse_metrics_csv(*text, path, timestamp_ms);
  }
  if (has_extension(path, {".json"})) {
    auto text = read_file(path);
    if (!text) return std::unexpected(text.error());
    nlohmann::json root;
    try {
      root = nlohmann::json::parse(*text);
    } catch (const nlohmann::json::parse_error& e) {
      std::string what = e.what();
      if (auto pos = what.find("parse error"); pos != std::string::npos) what = what.substr(pos);
      return std::unexpected(malformed(path, what));
    } catch (const nlohmann::json::out_of_range& e) {  // a number too large for a double (found by fuzzing)
      std::string what = e.what();
      if (auto pos = what.find("number overflow"); pos != std::string::npos) what = what.substr(pos);
      return std::unexpected(malformed(path, what));
    }
    if (!root.is_object()) {
      return std::unexpected(malformed(path, "expected an object of metric names to numbers"));
    }
    flatten_metrics_json(root, "", timestamp_ms, points, bad_key);
  } else {
    auto root = load_yaml(path);
    if (!root) return std::unexpected(root.error());
    if (!root->IsMap()) {
      return std::unexpected(malformed(path, "expected a map of metric names to numbers"));
    }
    flatten_metrics_yaml(*root, "", timestamp_ms, points, bad_key);
  }
  if (!bad_key.empty()) {
    return std::unexpected(malformed(path, fmt::format("metric '{}' is not a number", bad_key),
                                     "a metric is a number, or a list of numbers (one per step)"));
  }
  return points;
}

}  // namespace mlops::tracking
