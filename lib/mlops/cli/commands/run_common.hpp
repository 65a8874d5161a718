#pragma once
// What `mlops run -- CMD`, `run start` and `run end` share: the options that describe a run,
// and attaching metrics files and artifacts to it once its work is done.
#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "mlops/core/repo.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

struct RunSetupOptions {
  std::string name;
  std::vector<std::string> params;  // k=v
  std::string params_file;
  std::vector<std::string> tags;  // k=v
};

struct RunOutputOptions {
  std::vector<std::string> metrics_files;
  std::vector<std::string> artifacts;
};

void add_setup_options(CLI::App& command, RunSetupOptions& options);
void add_output_options(CLI::App& command, RunOutputOptions& options);

// The params and tags the options give (the params file first, --param overriding it); bad
// input for a k=v without '=' or an unreadable params file.
tracking::RunSetup setup_from(const RunSetupOptions& options, std::vector<std::string> command);

// Reads the metrics files and stores the artifacts for run `id`. Every file is tried; the
// errors are printed, and the first is returned so that the caller can choose its exit code.
std::optional<Error> attach_outputs(const Repo& repo, tracking::RunStore& store, const std::string& id,
                                    const RunOutputOptions& options);

// The run that `mlops log` and `run end` address as given: --run ID, else $MLOPS_RUN_ID; bad
// input when neither is set (checked before the store is opened, so nothing is created).
std::string requested_run(const std::string& option);

}  // namespace mlops::cli
