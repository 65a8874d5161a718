// `mlops data mv OLD NEW`: move tracked data with its pointer and .gitignore entries.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/move.hpp"

namespace mlops::cli {

namespace {

struct DataMvOptions {
  std::string from, to;
};

int run_data_mv(const DataMvOptions& options) {
  Repo repo = require_store();
  auto moved = unwrap(data::move_tracked(repo, options.from, options.to));
  if (out::settings().json) {
    out::print_json({{"from", options.from}, {"path", moved.data_path}, {"pointer", moved.pointer_file}});
    return 0;
  }
  out::println("moved {} to {}", options.from, moved.data_path);
  out::hint(fmt::format("commit the move: git add -A '{}' '{}.mlops' and the .gitignore files, then git commit",
                        moved.data_path, options.from));
  return 0;
}

}  // namespace

void add_data_mv(CLI::App& group) {
  auto options = std::make_shared<DataMvOptions>();
  auto* command = add_command(group, "mv", "Move tracked data with its pointer and .gitignore entries",
                              [options] { return run_data_mv(*options); });
  command->add_option("old", options->from, "Tracked data (or its pointer) to move")->required()->type_name("OLD");
  command->add_option("new", options->to, "Its new path")->required()->type_name("NEW");
  add_json_flag(*command);
  command->footer("Example: mlops data mv data/raw.csv data/train.csv && git add -A data && git commit -m 'rename'");
}

}  // namespace mlops::cli
