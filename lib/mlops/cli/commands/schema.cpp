// `mlops schema`: data contracts — infer a schema from data, check data against it, diff two.
#include "mlops/cli/commands/schema.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/schema/schema_io.hpp"
#include "mlops/schema/source.hpp"

namespace mlops::cli {

std::vector<drift::Part> open_schema_data(const std::string& given) {
  std::string spec = given;
  std::error_code ec;
  if (!std::filesystem::exists(given, ec)) {
    if (auto repo = find_store(); repo) spec = resolve_path_revision(*repo, given);
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
