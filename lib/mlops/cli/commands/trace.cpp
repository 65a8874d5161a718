// `mlops trace`: figures from OpenTelemetry trace exports of GenAI applications.
#include "mlops/cli/commands/trace.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/file.hpp"

namespace mlops::cli {

void check_output_path(const std::string& path, std::string_view option) {
  std::filesystem::path p(path);
  std::filesystem::path folder = p.parent_path().empty() ? std::filesystem::path(".") : p.parent_path();
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec))
    throw Failure(bad_input(fmt::format("cannot write '{}' ({}): it is a folder", path, option),
                            fmt::format("give a file name: {} {}/metrics", option, path)));
  if (!std::filesystem::is_directory(folder, ec))
    throw Failure(
        bad_input(fmt::format("cannot write '{}' ({}): folder '{}' does not exist", path, option, folder.string()),
                  fmt::format("create it first (mkdir -p {}) or give another {}", folder.string(), option)));
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    int err = errno;
    throw Failure(environment_error(fmt::format("cannot write '{}' ({}): {}", path, option, std::strerror(err)),
                                    fmt::format("give a {} in a folder you may write to", option)));
  }
}

void write_output(const std::string& path, std::string_view text) {
  auto written = write_file_atomic(path, text);
  if (written) return;
  Error e = written.error();
  // The atomic writer names its temporary file; the user knows the file they asked for.
  if (auto colon = e.message.rfind(": "); colon != std::string::npos)
    e.message = fmt::format("cannot write '{}'{}", path, e.message.substr(colon));
  throw Failure(std::move(e));
}

void register_trace(CLI::App& app) {
  auto* group =
      add_group(app, "trace", "Read OpenTelemetry trace exports of GenAI applications (latency, tokens, cost)");
  add_trace_stats(*group);
}

}  // namespace mlops::cli
