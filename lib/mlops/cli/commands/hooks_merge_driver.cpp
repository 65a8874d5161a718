// `mlops hooks merge-driver BASE OURS THEIRS PATH` (hidden): git's merge driver for `*.mlops`
// pointers (merge.mlops.driver, written by `mlops hooks install`; %O %A %B %P). Writes the merged
// pointer, or a conflict that names only this dataset, into OURS; exits 1 on a conflict, as git
// expects of a driver.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/hooks.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/merge.hpp"

namespace mlops::cli {

namespace {

struct HooksMergeDriverOptions {
  std::string base, ours, theirs, path;
};

int run_hooks_merge_driver(const HooksMergeDriverOptions& options) {
  // git leaves whatever OURS holds when the driver fails: it must always end up holding either a
  // merged pointer or both sides in conflict markers, never silently our side alone.
  std::string base = read_file(options.base).value_or(std::string());
  std::string ours = unwrap(read_file(options.ours));
  std::string theirs = unwrap(read_file(options.theirs));
  std::optional<Repo> repo;
  try {
    repo = require_store();
  } catch (const Failure&) {
    // No store: only what needs no cache can merge; the rest becomes a conflict.
  }
  auto merged = data::merge_pointer_texts(repo ? &*repo : nullptr, base, ours, theirs, options.path);
  unwrap(write_file_atomic(options.ours, merged.text));
  if (merged.clean) return 0;
  out::warn(fmt::format("merge conflict in pointer '{}': {}", options.path, merged.reason));
  return static_cast<int>(Exit::check_failed);
}

}  // namespace

void add_hooks_merge_driver(CLI::App& group) {
  auto options = std::make_shared<HooksMergeDriverOptions>();
  auto* command = add_command(group, "merge-driver", "git's merge driver for *.mlops pointers (%O %A %B %P)",
                              [options] { return run_hooks_merge_driver(*options); });
  command->add_option("base", options->base, "The common ancestor's version (%O)")->required();
  command->add_option("ours", options->ours, "Our version, replaced by the result (%A)")->required();
  command->add_option("theirs", options->theirs, "Their version (%B)")->required();
  command->add_option("path", options->path, "The pointer's path in the repository (%P)")->required();
  command->group("");  // hidden: git calls it, people do not
  command->footer("Example: mlops hooks merge-driver %O %A %B %P");
}

}  // namespace mlops::cli
