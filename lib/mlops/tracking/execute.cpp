#include "mlops/tracking/execute.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <thread>

#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/subprocess.hpp"
#include "mlops/tracking/display.hpp"
#include "mlops/tracking/params_file.hpp"
#include "mlops/tracking/secrets.hpp"
#include "mlops/tracking/stream.hpp"

namespace mlops::tracking {

namespace {

Result<std::map<std::string, std::string>> parse_pairs(const std::vector<std::string>& pairs, std::string_view flag) {
  std::map<std::string, std::string> result;
  for (const auto& pair : pairs) {
    auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return std::unexpected(bad_input(fmt::format("'{}' given to {} is not KEY=VALUE", pair, flag),
                                       fmt::format("write it as {} lr=0.01", flag)));
    }
    result[pair.substr(0, equals)] = pair.substr(equals + 1);
  }
  return result;
}

std::string outputs_tag(const RunOutputs& outputs) {
  auto normal = [](const std::vector<std::string>& paths) {
    std::vector<std::string> result;
    for (const auto& p : paths) result.push_back(std::filesystem::path(p).lexically_normal().string());
    return result;
  };
  return nlohmann::json{{"artifacts", normal(outputs.artifacts)}, {"metrics_files", normal(outputs.metrics_files)}}
      .dump();
}

RunStatus status_of(const ChildOutcome& outcome) {
  if (!outcome.started) return RunStatus::failed;
  if (outcome.signal != 0 || outcome.forwarded != 0) return RunStatus::killed;
  return outcome.exit_code == 0 ? RunStatus::finished : RunStatus::failed;
}

// Stores the command's output as the artifact output.log, with credential-looking values redacted.
Result<void> store_log(const Repo& repo, RunStore& store, const std::string& id, const std::filesystem::path& log) {
  auto clean = temp_path_in(repo.tmp(), "run-output.redacted.log");
  auto redacted = redact_file(log, clean);
  std::error_code ec;
  if (!redacted) {
    std::filesystem::remove(clean, ec);
    return std::unexpected(redacted.error());
  }
  auto stored = store_artifact(repo, store, id, *redacted > 0 ? clean : log, std::string(kLogArtifact));
  std::filesystem::remove(clean, ec);
  if (!stored) return std::unexpected(stored.error());
  if (*redacted == 0) return {};
  Redactions output;
  output.output = *redacted;
  out::warn(fmt::format("credential-looking values in the command's output are recorded as [redacted]: {}",
                        output.describe_values()));
  return store.add_redactions(id, output);
}

// Reads the run stream into the run every second while the command runs, on a connection of its
// own, so that `runs show` sees a long training's metrics as they come.
class StreamTail {
 public:
  StreamTail(const Repo& repo, std::string id, StreamReader& reader)
      : thread_([this, &repo, id = std::move(id), &reader](std::stop_token stop) { loop(stop, repo, id, reader); }) {}
  ~StreamTail() { stop(); }

  // Stops the thread and waits for it; what it found is then in batches.
  void stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    thread_.join();
  }
  std::vector<StreamBatch> batches;

 private:
  void loop(std::stop_token stop, const Repo& repo, const std::string& id, StreamReader& reader) {
    std::mutex mutex;
    std::condition_variable_any wake;
    std::unique_lock lock(mutex);
    std::optional<RunStore> store;
    for (;;) {
      // Returns at once when a stop is requested; the final read after the command does the rest.
      wake.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
      if (stop.stop_requested()) return;
      if (!store) {
        auto opened = RunStore::open(repo);
        if (!opened) return;  // the final read after the command reports what is wrong
        store.emplace(std::move(*opened));
      }
      auto batch = reader.ingest(*store, id, false);
      if (!batch) return;
      batches.push_back(std::move(*batch));
    }
  }

  std::jthread thread_;
};

// Prints what reading the stream found wrong; returns the first refusal.
std::optional<Error> report_stream(const std::vector<StreamBatch>& batches) {
  std::optional<Error> first;
  for (const auto& batch : batches) {
    for (const auto& warning : batch.warnings) out::warn(warning);
    for (const auto& error : batch.errors) {
      out::print_error(error);
      if (!first) first = error;
    }
  }
  return first;
}

}  // namespace

Result<RunSetup> make_setup(const SetupInput& input, std::vector<std::string> command) {
  RunSetup setup;
  setup.name = input.name;
  setup.command = std::move(command);
  if (!input.params_file.empty()) {
    auto params = read_params_file(input.params_file);
    if (!params) return std::unexpected(params.error());
    setup.params = std::move(*params);
  }
  auto params = parse_pairs(input.params, "--param");
  if (!params) return std::unexpected(params.error());
  for (auto& [key, value] : *params) setup.params[key] = value;
  auto tags = parse_pairs(input.tags, "--tag");
  if (!tags) return std::unexpected(tags.error());
  setup.tags = std::move(*tags);
  return setup;
}

std::optional<Error> attach_outputs(const Repo& repo, RunStore& store, const std::string& id,
                                    const RunOutputs& outputs) {
  std::optional<Error> first;
  auto report = [&](Error error) {
    out::print_error(error);
    if (!first) first = std::move(error);
  };
  for (const auto& file : outputs.metrics_files) {
    auto points = read_metrics_file(file, now_ms());
    if (!points) {
      report(points.error());
      continue;
    }
    if (auto logged = store.log_metrics(id, *points); !logged) report(logged.error());
  }
  for (const auto& path : outputs.artifacts) {
    std::string name = std::filesystem::path(path).lexically_normal().filename().string();
    if (name.empty()) name = std::filesystem::path(path).lexically_normal().parent_path().filename().string();
    if (auto stored = store_artifact(repo, store, id, path, name); !stored) report(stored.error());
  }
  return first;
}

Result<ExecutedRun> execute_run(const Repo& repo, RunSetup setup, const RunOutputs& outputs,
                                const ExecuteOptions& how) {
  if (!outputs.artifacts.empty() || !outputs.metrics_files.empty()) {
    setup.tags[std::string(kOutputsTag)] = outputs_tag(outputs);
  }
  const std::vector<std::string> command = setup.command;
  // The program gets the params as given; the record may hold [redacted] for some of them.
  const std::string params_json = nlohmann::json(setup.params).dump();
  // From here until the run's end is recorded, a termination signal goes to the command (or
  // waits for it to start) instead of ending mlops with the run left open.
  ForwardSignals forwarding;
  auto recorder = RunRecorder::begin(repo, std::move(setup));
  if (!recorder) return std::unexpected(recorder.error());
  ExecutedRun result;
  result.id = recorder->id();
  out::note(fmt::format("run {} started", result.id));
  if (!how.id_file.empty()) {
    if (auto written = write_file_atomic(how.id_file, result.id + "\n"); !written) {
      (void)recorder->end(RunStatus::failed, std::nullopt);
      return std::unexpected(written.error());
    }
  }

  // stdout and stderr are copied to a log in the store's tmp folder, kept as an artifact.
  auto log_path = temp_path_in(repo.tmp(), "run-output.log");
  UniqueFd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!log) {
    Error error = system_error("create", log_path, errno);
    (void)recorder->end(RunStatus::failed, std::nullopt);  // never left "running"
    return std::unexpected(std::move(error));
  }

  ChildSpec spec;
  spec.argv = command;
  spec.env = how.env;
  spec.env.emplace_back("MLOPS_RUN_ID", result.id);
  spec.env.emplace_back("MLOPS_PARAMS", params_json);
  StreamReader stream(std::filesystem::absolute(repo.tmp() / fmt::format("run-{}.stream", result.id)));
  spec.env.emplace_back("MLOPS_RUN_STREAM", stream.path().string());
  // Python buffers a pipe's output in blocks; unbuffered, the log keeps stdout and stderr in order.
  if (!std::getenv("PYTHONUNBUFFERED")) spec.env.emplace_back("PYTHONUNBUFFERED", "1");
  spec.log_fd = log.get();
  spec.stdout_to_stderr = how.stdout_to_stderr;
  std::fflush(stdout);  // what we printed comes before the command's output, even into a pipe
  StreamTail tail(repo, result.id, stream);
  auto outcome = run_child(spec);
  std::int64_t ended = now_ms();  // the run's end: what follows is mlops's bookkeeping
  tail.stop();
  log = UniqueFd();
  std::vector<StreamBatch> batches = std::move(tail.batches);
  auto last = stream.ingest(recorder->store(), result.id, true);
  std::error_code removed;
  std::filesystem::remove(stream.path(), removed);
  if (last) {
    batches.push_back(std::move(*last));
  } else {
    out::print_error(last.error());
    result.problem = last.error();
  }
  if (auto refused = report_stream(batches); refused && !result.problem) result.problem = refused;
  if (!outcome) {
    std::error_code ec;
    std::filesystem::remove(log_path, ec);
    (void)recorder->end(RunStatus::failed, std::nullopt);
    return std::unexpected(outcome.error());
  }

  result.status = status_of(*outcome);
  result.exit_code = outcome->exit_code;
  if (!outcome->started) {
    out::print_error(
        outcome->exec_errno == ENOENT
            ? bad_input(fmt::format("command '{}' not found", command.front()),
                        "check the spelling, or that the program is installed and on PATH")
            : bad_input(fmt::format("cannot run '{}': {}", command.front(), std::strerror(outcome->exec_errno))));
  }

  std::error_code ec;
  if (outcome->started && std::filesystem::file_size(log_path, ec) > 0) {
    if (auto stored = store_log(repo, recorder->store(), result.id, log_path); !stored) result.problem = stored.error();
  }
  std::filesystem::remove(log_path, ec);
  if (outcome->started) {
    if (auto attached = attach_outputs(repo, recorder->store(), result.id, outputs); attached && !result.problem) {
      result.problem = attached;
    }
  }
  MLOPS_TRY(recorder->end(result.status, outcome->exit_code, ended));
  auto record = recorder->store().get(result.id);
  if (!record) return std::unexpected(record.error());
  result.duration = record->duration;
  // "killed (exit 0)" would read as a contradiction: the command ended by itself after mlops
  // passed a signal on to it.
  std::string ending = outcome->signal == 0 && outcome->forwarded != 0
                           ? fmt::format("exit {} after SIG{}", outcome->exit_code, sigabbrev_np(outcome->forwarded))
                           : fmt::format("exit {}", outcome->exit_code);
  out::note(fmt::format("run {} {} ({}) in {}", result.id, result.status, ending, display_duration(record->duration)));
  return result;
}

Result<std::string> requested_run(const std::string& given) {
  if (!given.empty()) return given;
  const char* env = std::getenv("MLOPS_RUN_ID");
  if (!env || !*env) {
    return std::unexpected(bad_input("no run to log to: not inside 'mlops run' and no --run given",
                                     "run the command with 'mlops run -- CMD', or name a run with --run ID"));
  }
  return std::string(env);
}

}  // namespace mlops::tracking
