#include "mlops/core/temp_files.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "mlops/core/process.hpp"

namespace mlops {

namespace fs = std::filesystem;

namespace {

template <class T>
std::optional<T> number(std::string_view text) {
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_hex(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

const std::string& temp_writer_id() {
  static const std::string id = fmt::format("{}-{}-{}", host_name(), ::getpid(), process_start(::getpid()));
  return id;
}

std::optional<TempWriter> temp_writer(std::string_view name) {
  if (!name.starts_with('.') || !name.ends_with(".tmp")) return std::nullopt;
  name.remove_suffix(4);
  auto random_dot = name.rfind('.');
  if (random_dot == std::string_view::npos || random_dot == 0 || !is_hex(name.substr(random_dot + 1))) {
    return std::nullopt;
  }
  auto writer_dot = name.rfind('.', random_dot - 1);
  if (writer_dot == std::string_view::npos || writer_dot == 0) return std::nullopt;
  std::string_view writer = name.substr(writer_dot + 1, random_dot - writer_dot - 1);
  TempWriter parsed;
  if (auto pid = number<long>(writer)) {
    // The names of earlier versions: ".NAME.PID.RANDOM.tmp", and ".download-HOST.PID.RANDOM.tmp"
    // for downloads.
    parsed.pid = *pid;
    std::string_view what = name.substr(1, writer_dot - 1);
    if (what.starts_with("download-")) parsed.host = std::string(what.substr(9));
    return parsed;
  }
  // "HOST-PID-START": the host may hold '-', so the numbers are taken from the right.
  auto start_dash = writer.rfind('-');
  if (start_dash == std::string_view::npos || start_dash == 0) return std::nullopt;
  auto pid_dash = writer.rfind('-', start_dash - 1);
  if (pid_dash == std::string_view::npos || pid_dash == 0) return std::nullopt;
  auto pid = number<long>(writer.substr(pid_dash + 1, start_dash - pid_dash - 1));
  auto start = number<std::uint64_t>(writer.substr(start_dash + 1));
  if (!pid || !start) return std::nullopt;
  parsed.host = std::string(writer.substr(0, pid_dash));
  parsed.pid = *pid;
  parsed.start = *start;
  return parsed;
}

StaleTemps remove_stale_temps(const fs::path& dir, std::chrono::seconds max_age_other_hosts, bool remove) {
  StaleTemps removed;
  std::error_code ec;
  fs::directory_iterator entries(dir, ec);
  if (ec) return removed;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : entries) {
    auto writer = temp_writer(entry.path().filename().string());
    if (!writer) continue;
    bool stale = false;
    if (writer->host.empty() || writer->host == host_name()) {
      stale = !process_running(writer->pid, writer->start);
    } else {
      auto written = fs::last_write_time(entry.path(), ec);
      stale = !ec && now - written > max_age_other_hosts;
    }
    if (!stale) continue;
    auto size = entry.is_regular_file(ec) ? entry.file_size(ec) : 0;
    if (ec) size = 0;
    if (!remove || fs::remove(entry.path(), ec)) {
      ++removed.files;
      removed.bytes += size;
    }
  }
  return removed;
}

}  // namespace mlops
