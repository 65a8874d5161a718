#include "mlops/tracking/stream.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "mlops/core/file.hpp"
#include "mlops/tracking/run_json.hpp"

namespace mlops::tracking {

namespace {

using json = nlohmann::json;

// As an exported run reads it, except that a stream line must carry a value (no null).
std::optional<double> stream_value(const json& value) {
  if (value.is_null()) return std::nullopt;
  return metric_value_from(value);
}

// A JSON object of text values (numbers and booleans are kept as their JSON text).
std::optional<std::string> read_pairs(const json& object, std::map<std::string, std::string>& into) {
  if (!object.is_object()) return "expected an object of KEY: VALUE";
  for (const auto& [key, value] : object.items()) {
    if (key.empty()) return "an empty key";
    into[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_stream_line(std::string_view line, std::vector<MetricPoint>& metrics,
                                             std::map<std::string, std::string>& params,
                                             std::map<std::string, std::string>& tags) {
  auto doc = json::parse(line, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return "not a JSON object";
  if (auto it = doc.find("metric"); it != doc.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) return "'metric' is not a name";
    auto value = doc.find("value");
    if (value == doc.end()) return "a metric without a value";
    auto number = stream_value(*value);
    if (!number) return fmt::format("metric value {} is not a number", value->dump());
    MetricPoint point{it->get<std::string>(), *number, 0, now_ms()};
    if (auto step = doc.find("step"); step != doc.end()) {
      if (!step->is_number_integer()) return "'step' is not an integer";
      point.step = step->get<std::int64_t>();
    }
    if (auto stamp = doc.find("timestamp"); stamp != doc.end()) {
      if (!stamp->is_number_integer()) return "'timestamp' is not an integer (milliseconds)";
      point.timestamp_ms = stamp->get<std::int64_t>();
    }
    metrics.push_back(std::move(point));
    return std::nullopt;
  }
  if (auto it = doc.find("params"); it != doc.end()) return read_pairs(*it, params);
  if (auto it = doc.find("tags"); it != doc.end()) return read_pairs(*it, tags);
  return "neither a metric, params nor tags";
}

Result<StreamBatch> StreamReader::ingest(RunStore& store, std::string_view id, bool last) {
  StreamBatch batch;
  UniqueFd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return batch;
    return std::unexpected(system_error("read", path_, errno));
  }
  if (::lseek(fd.get(), static_cast<off_t>(offset_), SEEK_SET) < 0) {
    return std::unexpected(system_error("read", path_, errno));
  }
  std::string text;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::unexpected(system_error("read", path_, errno));
    if (got == 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(got));
  }
  // While the writer may still write, a line without its newline is not finished yet.
  std::size_t usable = last ? text.size() : text.rfind('\n') + 1;  // npos + 1 == 0
  std::vector<MetricPoint> metrics;
  std::map<std::string, std::string> tags;
  std::size_t pos = 0;
  while (pos < usable) {
    auto newline = text.find('\n', pos);
    std::size_t end = newline == std::string::npos || newline >= usable ? usable : newline;
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++line_;
    if (line.empty()) continue;
    // Params are stored line by line: one that changes a logged param is refused alone.
    std::map<std::string, std::string> params;
    if (auto problem = parse_stream_line(line, metrics, params, tags)) {
      batch.warnings.push_back(fmt::format("line {} of the run stream is skipped: {}", line_, *problem));
      continue;
    }
    if (!params.empty()) {
      if (auto logged = store.log_params(id, params); !logged) {
        batch.errors.push_back(logged.error());
      } else {
        batch.params += params.size();
      }
    }
  }
  offset_ += std::min(usable, text.size());
  if (!metrics.empty()) {
    MLOPS_TRY(store.log_metrics(id, metrics));
    batch.metrics = metrics.size();
  }
  if (!tags.empty()) {
    MLOPS_TRY(store.set_tags(id, tags));
    batch.tags = tags.size();
  }
  return batch;
}

}  // namespace mlops::tracking
