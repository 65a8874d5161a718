#pragma once
// The run stream: a file of JSON lines that a program run by `mlops run` appends to (the Python
// module python/mlops does, through $MLOPS_RUN_STREAM), so that it logs without starting a
// process per point; `mlops run` reads it into the run while the program runs and once more when
// it ends (docs/runs.md, "Logging from Python"). One object per line:
//   {"metric": NAME, "value": NUMBER | "NaN" | "Infinity" | "-Infinity", "step": N, "timestamp": MS}
//   {"params": {KEY: TEXT, ...}}      {"tags": {KEY: TEXT, ...}}
// Only whole lines are read while the writer may still write; a malformed line is skipped with a
// warning naming the line.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::tracking {

// What one read of the stream found.
struct StreamBatch {
  std::size_t metrics = 0;
  std::size_t params = 0;
  std::size_t tags = 0;
  std::vector<std::string> warnings;  // malformed lines, named by number
  std::vector<Error> errors;          // what the store refused (a param changed): bad input
};

class StreamReader {
 public:
  explicit StreamReader(std::filesystem::path path) : path_(std::move(path)) {}

  // Reads the lines added since the last call into run `id` (all metric points in one
  // transaction). `last`: the writer is gone, so a final line without its newline is read too.
  // A stream that does not exist (the program never logged) reads as empty.
  Result<StreamBatch> ingest(RunStore& store, std::string_view id, bool last);

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::uint64_t offset_ = 0;  // bytes read so far (whole lines)
  std::size_t line_ = 0;      // lines read so far
};

// Parses one line into `metrics`, `params` or `tags` (appended); an error message for a
// malformed one.
std::optional<std::string> parse_stream_line(std::string_view line, std::vector<MetricPoint>& metrics,
                                             std::map<std::string, std::string>& params,
                                             std::map<std::string, std::string>& tags);

}  // namespace mlops::tracking
