#include "mlops/drift/config.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "mlops/core/file.hpp"

namespace mlops::drift {

namespace {

Error at(const std::string& name, const YAML::Node& node, const std::string& message, std::string hint = {}) {
  return bad_input(fmt::format("'{}' line {}: {}", name, node.Mark().line + 1, message),
                   hint.empty() ? "see docs/drift.md ('Options', the config file) for the format of the drift config"
                                : std::move(hint));
}

Result<double> number(const std::string& name, const YAML::Node& node, const std::string& what, double lo, double hi) {
  double v;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, v) || !(v >= lo && v <= hi)) {
    return std::unexpected(at(name, node, fmt::format("{} must be a number from {} to {}", what, lo, hi)));
  }
  return v;
}

Result<Method> method(const std::string& name, const YAML::Node& node) {
  if (node.IsScalar()) {
    if (auto m = parse_method(node.Scalar())) return *m;
  }
  return std::unexpected(at(name, node, fmt::format("unknown method '{}'", node.IsScalar() ? node.Scalar() : "?"),
                            "methods: ks, wasserstein, psi, jensenshannon, chisquare, ztest"));
}

}  // namespace

Result<DriftConfig> parse_drift_config(const std::string& text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return std::unexpected(bad_input(fmt::format("'{}' line {}: {}", name, e.mark.line + 1, e.msg),
                                     "fix the YAML syntax (indentation, colons, quotes)"));
  }
  DriftConfig config;
  if (root.IsNull()) return config;
  if (!root.IsMap()) return std::unexpected(at(name, root, "expected a mapping (drift_share, thresholds, columns)"));
  try {
    for (const auto& entry : root) {
      const std::string key = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      if (key == "drift_share") {
        auto v = number(name, value, "drift_share", 0, 1);
        if (!v) return std::unexpected(v.error());
        config.drift_share = *v;
      } else if (key == "thresholds") {
        if (!value.IsMap()) return std::unexpected(at(name, value, "thresholds must map methods to numbers"));
        for (const auto& t : value) {
          auto m = method(name, t.first);
          if (!m) return std::unexpected(m.error());
          auto v = number(name, t.second, "a threshold", 0, 1e300);
          if (!v) return std::unexpected(v.error());
          config.thresholds[*m] = *v;
        }
      } else if (key == "columns") {
        if (!value.IsMap()) return std::unexpected(at(name, value, "columns must map column names to settings"));
        for (const auto& c : value) {
          ColumnSettings settings;
          if (!c.second.IsMap())
            return std::unexpected(at(name, c.second, "a column's settings must be a mapping (method, threshold)"));
          for (const auto& s : c.second) {
            const std::string field = s.first.as<std::string>();
            if (field == "method") {
              auto m = method(name, s.second);
              if (!m) return std::unexpected(m.error());
              settings.method = *m;
            } else if (field == "threshold") {
              auto v = number(name, s.second, "a threshold", 0, 1e300);
              if (!v) return std::unexpected(v.error());
              settings.threshold = *v;
            } else {
              return std::unexpected(at(name, s.first, fmt::format("unknown column setting '{}'", field),
                                        "a column takes method and threshold"));
            }
          }
          config.columns[c.first.as<std::string>()] = settings;
        }
      } else {
        return std::unexpected(at(name, entry.first, fmt::format("unknown key '{}'", key),
                                  "the keys are drift_share, thresholds and columns"));
      }
    }
  } catch (const YAML::Exception& e) {
    return std::unexpected(
        bad_input(fmt::format("'{}' line {}: {}", name, e.mark.line + 1, e.msg),
                  "see docs/drift.md ('Options', the config file) for the format of the drift config"));
  }
  return config;
}

Result<DriftConfig> load_drift_config(const std::filesystem::path& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  return parse_drift_config(*text, path.string());
}

}  // namespace mlops::drift
