#include "mlops/drift/kept.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <random>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/drift/report.hpp"

namespace mlops::drift {

namespace {

namespace fs = std::filesystem;

std::string id_for(std::int64_t seconds, unsigned suffix) {
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  return fmt::format("{:04}{:02}{:02}-{:02}{:02}{:02}-{:04x}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, suffix & 0xffff);
}

}  // namespace

fs::path kept_reports_dir(const Repo& repo) { return repo.store() / "drift" / "reports"; }

nlohmann::ordered_json kept_document(const Report& report, std::string_view id, std::int64_t created_seconds) {
  nlohmann::ordered_json body = render_json(report);
  // The histograms are what the Drift page draws; --json leaves them out.
  for (std::size_t i = 0; i < report.columns.size() && i < body["columns"].size(); ++i) {
    const Histogram& h = report.columns[i].histogram;
    body["columns"][i]["histogram"] = {{"labels", h.labels}, {"reference", h.reference}, {"current", h.current}};
  }
  return {{"format", kKeptFormat},
          {"version", 1},
          {"id", id},
          {"created", out::iso_utc(created_seconds)},
          {"verdict", report.verdict()},
          {"report", std::move(body)}};
}

bool valid_kept_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

Result<std::string> keep_report(const Repo& repo, const Report& report, std::int64_t now_seconds) {
  const fs::path dir = kept_reports_dir(repo);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return std::unexpected(system_error("create", dir, ec.value()));
  std::random_device random;
  std::string id;
  // Two checks in one second differ in their random suffix; a clash is tried again.
  for (int attempt = 0; attempt < 16; ++attempt) {
    id = id_for(now_seconds, random());
    if (!fs::exists(dir / (id + ".json"), ec)) break;
  }
  MLOPS_TRY(write_file_atomic(dir / (id + ".json"), kept_document(report, id, now_seconds).dump(1) + "\n", repo.tmp()));
  return id;
}

Result<std::vector<std::string>> list_kept_reports(const Repo& repo) {
  const fs::path dir = kept_reports_dir(repo);
  std::vector<std::string> ids;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return ids;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& path = it->path();
    if (path.extension() != ".json") continue;
    std::string id = path.stem().string();
    if (valid_kept_id(id)) ids.push_back(std::move(id));
  }
  if (ec) return std::unexpected(system_error("list", dir, ec.value()));
  std::sort(ids.rbegin(), ids.rend());
  return ids;
}

Result<nlohmann::ordered_json> read_kept_report(const Repo& repo, std::string_view id) {
  const fs::path path = kept_reports_dir(repo) / (std::string(id) + ".json");
  std::error_code ec;
  if (!valid_kept_id(id) || !fs::is_regular_file(path, ec)) {
    return std::unexpected(bad_input(fmt::format("no kept drift report '{}'", id),
                                     "kept reports are listed on the Drift page of 'mlops ui'"));
  }
  auto text = read_file(path);
  if (!text) return std::unexpected(std::move(text.error()));
  auto doc = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != kKeptFormat || !doc.contains("report") ||
      !doc["report"].is_object()) {
    return std::unexpected(environment_error(fmt::format("'{}' is not a kept drift report", path.string()),
                                             "remove it, or keep the report again with 'mlops drift check --keep'"));
  }
  return doc;
}

}  // namespace mlops::drift
