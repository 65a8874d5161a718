#include "mlops/trace/monitor_record.hpp"

#include <nlohmann/json.hpp>

#include "mlops/core/file.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::trace {

MonitorCheckRecord make_record(const MonitorReport& report, std::string rules_file, std::uint64_t checked_ns) {
  MonitorCheckRecord r;
  r.checked_ns = checked_ns;
  r.at_ns = report.at_ns;
  r.rules_file = std::move(rules_file);
  r.rules = report.results.size();
  r.with_data = 0;
  for (const auto& result : report.results) {
    if (fails(result.state)) r.failed.push_back(result.rule->alert);
    // A sum over an empty window is 0 and "ok", but was evaluated over nothing.
    if (result.samples > 0 && result.state != AlertState::no_data && result.state != AlertState::insufficient)
      ++*r.with_data;
  }
  return r;
}

Result<void> write_record(const std::filesystem::path& path, const MonitorCheckRecord& r) {
  nlohmann::ordered_json j;
  j["checked_at"] = format_time(r.checked_ns);
  j["checked_unix_nano"] = r.checked_ns;
  j["at"] = format_time(r.at_ns);
  j["at_unix_nano"] = r.at_ns;
  j["rules_file"] = r.rules_file;
  j["rules"] = r.rules;
  if (r.with_data) j["with_data"] = *r.with_data;
  j["failed"] = r.failed;
  j["passed"] = r.passed();
  return write_file_atomic(path, j.dump(2) + "\n");
}

std::optional<MonitorCheckRecord> read_record(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto text = read_file(path);
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    MonitorCheckRecord r;
    r.checked_ns = j.at("checked_unix_nano").get<std::uint64_t>();
    r.at_ns = j.at("at_unix_nano").get<std::uint64_t>();
    r.rules_file = j.at("rules_file").get<std::string>();
    r.rules = j.at("rules").get<std::size_t>();
    r.failed = j.at("failed").get<std::vector<std::string>>();
    if (j.contains("with_data")) r.with_data = j.at("with_data").get<std::size_t>();
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace mlops::trace
