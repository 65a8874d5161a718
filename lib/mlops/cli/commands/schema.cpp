// `mlops schema`: data contracts — infer a schema from data, check data against it, diff two.
#include "mlops/cli/commands/schema.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/schema/schema_io.hpp"
#include "mlops/schema/source.hpp"

namespace mlops::cli {

namespace {

// Why DATA names nothing, and what might be meant: tracked data not checked out, a file of a
// similar name beside it, or the forms DATA takes.
std::string missing_data_hint(const std::string& given) {
  std::error_code ec;
  if (std::filesystem::exists(given + ".mlops", ec)) {
    return fmt::format(
        "'{}' is tracked but not in the work tree: `mlops data checkout {}` brings it back, or check "
        "a committed version with {}@HEAD",
        given, given, given);
  }
  const std::filesystem::path path(given);
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::vector<std::string> names;
  for (auto it = std::filesystem::directory_iterator(folder, ec); !ec && it != decltype(it)() && names.size() < 1000;
       it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (const std::string best = closest(path.filename().string(), names); !best.empty())
    return fmt::format("did you mean '{}'?", (path.parent_path() / best).string());
  return "DATA is a CSV, TSV or JSONL file (optionally .gz), a folder of them, or PATH@REV for a version of tracked "
         "data";
}

}  // namespace

std::vector<drift::Part> open_schema_data(const std::string& given) {
  std::string spec = given;
  std::error_code ec;
  if (!std::filesystem::exists(given, ec)) {
    const auto at = given.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == given.size())
      throw Failure(bad_input(fmt::format("'{}' does not exist", given), missing_data_hint(given)));
    auto repo = find_store();
    if (!repo) {
      // PATH@REV reads the cache of an mlops store; a git repository without one has no versions.
      const std::string path = given.substr(0, at);
      throw Failure(bad_input(
          fmt::format("'{}' does not exist", given),
          find_git_repo() ? fmt::format("PATH@REV reads a version of data tracked by mlops, and this repository has "
                                        "none: run `mlops init` and `mlops data add {}`, then commit; check the file "
                                        "itself as {}",
                                        path, path)
                          : "PATH@REV reads a version of data tracked by mlops; run it inside that git repository"));
    }
    spec = resolve_path_revision(*repo, given);
  }
  return unwrap(schema::open_data(spec));
}

schema::Schema load_schema_arg(const std::string& given) {
  std::error_code ec;
  const auto at = given.rfind('@');
  if (std::filesystem::exists(given, ec) || at == std::string::npos || at == 0 || at + 1 == given.size()) {
    if (!std::filesystem::exists(given, ec)) {
      throw Failure(bad_input(fmt::format("schema '{}' does not exist", given),
                              "write one with `mlops schema infer DATA`, or name it with --schema"));
    }
    return unwrap(schema::load_schema(given));
  }
  std::string rev = given.substr(at + 1);
  if (auto repo = find_git_repo(); repo) rev = resolve_revision(*repo, rev);
  return unwrap(schema::load_schema_at(given.substr(0, at), rev));
}

void register_schema(CLI::App& app) {
  auto* group = add_group(app, "schema", "Data contracts: infer a schema, check data against it, diff schemas");
  add_schema_infer(*group);
  add_schema_check(*group);
  add_schema_diff(*group);
}

}  // namespace mlops::cli
