#include "mlops/core/process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <string_view>

namespace mlops {

const std::string& host_name() {
  static const std::string name = [] {
    char buffer[256] = {};
    if (::gethostname(buffer, sizeof buffer - 1) != 0) return std::string("host");
    std::string host;
    for (const char* c = buffer; *c != '\0' && host.size() < 64; ++c) {
      host += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '-';
    }
    return host.empty() ? std::string("host") : host;
  }();
  return name;
}

std::uint64_t process_start(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // "PID (COMM) STATE ..." where COMM may hold spaces and parentheses: fields count from the last
  // ')'. The start time is field 22, the 20th after it.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::string_view rest(stat);
  rest.remove_prefix(close + 1);
  for (int field = 0; field < 19; ++field) {
    auto space = rest.find(' ', 1);
    if (space == std::string_view::npos) return 0;
    rest.remove_prefix(space);
  }
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  std::uint64_t start = 0;
  std::from_chars(rest.data(), rest.data() + rest.size(), start);
  return start;
}

bool process_running(long pid, std::uint64_t start) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  if (start == 0) return true;
  std::uint64_t now = process_start(pid);
  return now == 0 || now == start;  // unknown: assume it is the same one
}

}  // namespace mlops
