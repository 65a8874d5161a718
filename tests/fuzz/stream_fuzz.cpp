// The run stream that the Python module (or any process) writes, one JSON object a line.
#include <map>
#include <string>
#include <vector>

#include "fuzz.hpp"
#include "mlops/tracking/stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto text = mlops::fuzz::text(data, size);
  std::vector<mlops::tracking::MetricPoint> metrics;
  std::map<std::string, std::string> params, tags;
  while (!text.empty()) {
    auto end = text.find('\n');
    (void)mlops::tracking::parse_stream_line(text.substr(0, end), metrics, params, tags);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return 0;
}
