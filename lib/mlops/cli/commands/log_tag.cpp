// `mlops log tag KEY VALUE [--run ID]`
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/log.hpp"
#include "mlops/tracking/execute.hpp"

namespace mlops::cli {

namespace {

struct LogTagOptions {
  std::string key;
  std::string value;
  std::string run;
};

int run_log_tag(const LogTagOptions& options) {
  std::string requested = unwrap(tracking::requested_run(options.run));
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  std::string id = unwrap(store.resolve(requested));
  unwrap(store.set_tags(id, {{options.key, options.value}}));
  return 0;
}

}  // namespace

void add_log_tag(CLI::App& group) {
  auto options = std::make_shared<LogTagOptions>();
  auto* command =
      add_command(group, "tag", "Set a tag of the run (a tag may change)", [options] { return run_log_tag(*options); });
  command->add_option("key", options->key, "The tag's name")->required()->option_text("KEY");
  command->add_option("value", options->value, "Its value (text)")->required()->option_text("VALUE");
  command->add_option("--run", options->run, "The run (default: $MLOPS_RUN_ID)")->option_text("ID");
}

}  // namespace mlops::cli
