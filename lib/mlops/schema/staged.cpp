#include "mlops/schema/staged.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/drift/source.hpp"
#include "mlops/git/history.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/schema/check.hpp"
#include "mlops/schema/report.hpp"
#include "mlops/schema/schema_io.hpp"

namespace mlops::schema {

namespace {

void print_blocking(const std::string& message) { out::print_error(Error{Exit::check_failed, message, {}}); }

}  // namespace

Result<int> check_staged(const Repo& repo) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto staged = git::staged_paths(*git_repo, data::kPointerSuffix);
  if (!staged) return std::unexpected(staged.error());
  const data::Cache cache(repo);
  std::size_t checked = 0, failed = 0;
  std::vector<std::string> unavailable;
  for (const auto& pointer_file : *staged) {
    const std::string data = pointer_file.substr(0, pointer_file.size() - data::kPointerSuffix.size());
    const std::string schema_file = data + ".schema.yaml";
    // What the commit records: the index's pointer and the index's schema, never the work tree's.
    auto pointer_text = git_repo->read_staged_file(pointer_file);
    if (!pointer_text) return std::unexpected(pointer_text.error());
    if (!*pointer_text) continue;  // the commit removes the dataset
    auto schema_text = git_repo->read_staged_file(schema_file);
    if (!schema_text) return std::unexpected(schema_text.error());
    if (!*schema_text) continue;  // the commit has no contract for it
    auto pointer = data::parse_pointer(**pointer_text, repo.root / pointer_file);
    if (!pointer) return std::unexpected(pointer.error());
    if (!cache.contains(pointer->hash)) {  // a folder's files are read (and reported) later
      unavailable.push_back(data);
      continue;
    }
    auto contract = parse_schema(**schema_text, schema_file + " (staged)");
    if (!contract) return std::unexpected(contract.error());
    // The part keeps the data's extension, which tells its format.
    auto parts = drift::open_version(repo, *pointer, "staged:" + data);
    if (!parts) return std::unexpected(parts.error());
    auto report = check_schema(*contract, *parts, {});
    if (!report) return std::unexpected(report.error());
    report->data = data + " (staged)";
    report->schema = schema_file + " (staged)";
    ++checked;
    if (report->failed(false)) {
      ++failed;
      print_blocking(fmt::format("schema: the staged version of '{}' breaks its contract {}:", data, schema_file));
      out::note(render_text(*report, false, out::settings().color_stderr));
    } else if (report->failed_count(Severity::warn) > 0) {
      out::note(fmt::format("schema: the staged version of '{}' passes {} with {} warning(s)", data, schema_file,
                            report->failed_count(Severity::warn)));
    }
  }
  for (const auto& data : unavailable) {
    print_blocking(fmt::format("schema: cannot check the staged version of '{}': it is not in the cache", data));
    out::hint(fmt::format("fetch it (mlops data fetch {}), or stage the pointer of data you have", data));
  }
  if (failed) {
    out::hint(
        "commit blocked: fix the data and stage its pointer again (mlops data add), or change its schema "
        "(review the change with `mlops schema diff`) and stage that");
  }
  if (failed || !unavailable.empty()) return static_cast<int>(Exit::check_failed);
  if (checked) out::detail(fmt::format("schema: {} staged dataset(s) pass their schemas", checked));
  return 0;
}

}  // namespace mlops::schema
