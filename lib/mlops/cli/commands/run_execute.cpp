#include "mlops/cli/commands/run_execute.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/subprocess.hpp"

namespace mlops::cli {

namespace {

std::string outputs_tag(const RunOutputOptions& outputs) {
  auto normal = [](const std::vector<std::string>& paths) {
    std::vector<std::string> result;
    for (const auto& p : paths) result.push_back(std::filesystem::path(p).lexically_normal().string());
    return result;
  };
  return nlohmann::json{{"artifacts", normal(outputs.artifacts)}, {"metrics_files", normal(outputs.metrics_files)}}
      .dump();
}

}  // namespace

ExecutedRun execute_run(const Repo& repo, tracking::RunSetup setup, const RunOutputOptions& outputs,
                        const ExecuteOptions& how) {
  if (!outputs.artifacts.empty() || !outputs.metrics_files.empty()) {
    setup.tags[std::string(tracking::kOutputsTag)] = outputs_tag(outputs);
  }
  const std::vector<std::string> command = setup.command;
  auto recorder = unwrap(tracking::RunRecorder::begin(repo, std::move(setup)));
  ExecutedRun result;
  result.id = recorder.id();
  out::note(fmt::format("run {} started", result.id));

  // stdout and stderr are copied to a log in the store's tmp folder, kept as an artifact.
  auto log_path = temp_path_in(repo.tmp(), "run-output.log");
  UniqueFd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!log) throw Failure(system_error("create", log_path, errno));

  mlops::ChildSpec spec;
  spec.argv = command;
  spec.env = how.env;
  spec.env.emplace_back("MLOPS_RUN_ID", result.id);
  // Python buffers a pipe's output in blocks; unbuffered, the log keeps stdout and stderr in order.
  if (!std::getenv("PYTHONUNBUFFERED")) spec.env.emplace_back("PYTHONUNBUFFERED", "1");
  spec.log_fd = log.get();
  spec.stdout_to_stderr = how.stdout_to_stderr;
  std::fflush(stdout);  // what we printed comes before the command's output, even into a pipe
  auto outcome = unwrap(mlops::run_child(spec));
  log = UniqueFd();

  result.status = tracking::kFinished;
  if (!outcome.started) {
    result.status = tracking::kFailed;
    out::print_error(
        outcome.exec_errno == ENOENT
            ? bad_input(fmt::format("command '{}' not found", command.front()),
                        "check the spelling, or that the program is installed and on PATH")
            : bad_input(fmt::format("cannot run '{}': {}", command.front(), std::strerror(outcome.exec_errno))));
  } else if (outcome.signal != 0 || outcome.forwarded != 0) {
    result.status = tracking::kKilled;
  } else if (outcome.exit_code != 0) {
    result.status = tracking::kFailed;
  }
  result.exit_code = outcome.exit_code;

  std::error_code ec;
  if (outcome.started && std::filesystem::file_size(log_path, ec) > 0) {
    auto stored =
        tracking::store_artifact(repo, recorder.store(), result.id, log_path, std::string(tracking::kLogArtifact));
    if (!stored) result.problem = stored.error();
  }
  std::filesystem::remove(log_path, ec);
  if (outcome.started) {
    if (auto attached = attach_outputs(repo, recorder.store(), result.id, outputs); attached && !result.problem) {
      result.problem = attached;
    }
  }
  unwrap(recorder.end(result.status, outcome.exit_code));
  auto record = unwrap(recorder.store().get(result.id));
  out::note(fmt::format("run {} {} (exit {}) in {}", result.id, result.status, outcome.exit_code,
                        display_duration(record.duration)));
  return result;
}

}  // namespace mlops::cli
