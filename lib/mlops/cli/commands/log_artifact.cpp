// `mlops log artifact PATH [--name N] [--run ID]`: store a file or folder in the cache, by hash.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/log.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/execute.hpp"

namespace mlops::cli {

namespace {

struct LogArtifactOptions {
  std::string path;
  std::string name;
  std::string run;
};

int run_log_artifact(const LogArtifactOptions& options) {
  std::string requested = unwrap(tracking::requested_run(options.run));
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  std::string id = unwrap(store.resolve(requested));
  std::string name = options.name;
  if (name.empty()) {
    auto normal = std::filesystem::path(options.path).lexically_normal();
    name = normal.has_filename() ? normal.filename().string() : normal.parent_path().filename().string();
  }
  auto artifact = unwrap(tracking::store_artifact(repo, store, id, options.path, name));
  if (out::settings().json) {
    out::print_json({{"run", id},
                     {"name", artifact.name},
                     {"hash", artifact.hash},
                     {"size", artifact.size},
                     {"kind", artifact.kind},
                     {"files", artifact.files}});
  } else {
    out::note(
        fmt::format("stored artifact '{}' ({}, {})", artifact.name, artifact.hash, out::human_bytes(artifact.size)));
  }
  return 0;
}

}  // namespace

void add_log_artifact(CLI::App& group) {
  auto options = std::make_shared<LogArtifactOptions>();
  auto* command = add_command(group, "artifact", "Store a file or folder in the cache as an artifact of the run",
                              [options] { return run_log_artifact(*options); });
  command->add_option("path", options->path, "The file or folder")->required()->option_text("PATH");
  command->add_option("--name", options->name, "The artifact's name (default: the file name)")->option_text("NAME");
  command->add_option("--run", options->run, "The run (default: $MLOPS_RUN_ID)")->option_text("ID");
  add_json_flag(*command);
}

}  // namespace mlops::cli
