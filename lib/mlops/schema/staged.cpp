#include "mlops/schema/staged.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "mlops/core/output.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/git/history.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/schema/check.hpp"
#include "mlops/schema/report.hpp"
#include "mlops/schema/schema_io.hpp"
#include "mlops/schema/source.hpp"

namespace mlops::schema {

Result<int> check_staged(const Repo& repo) {
  auto git_repo = git::Repository::open(repo.root);
  if (!git_repo) return std::unexpected(git_repo.error());
  auto staged = git::staged_paths(*git_repo, data::kPointerSuffix);
  if (!staged) return std::unexpected(staged.error());
  std::size_t checked = 0, failed = 0;
  std::error_code ec;
  for (const auto& pointer : *staged) {
    const std::string data = pointer.substr(0, pointer.size() - data::kPointerSuffix.size());
    const auto data_path = repo.root / data;
    const auto schema_path = repo.root / (data + ".schema.yaml");
    if (!std::filesystem::exists(repo.root / pointer, ec) || !std::filesystem::exists(schema_path, ec)) continue;
    if (!std::filesystem::exists(data_path, ec)) {
      out::warn(fmt::format("schema: '{}' is not in the work tree; not checked against {}.schema.yaml", data, data));
      continue;
    }
    auto contract = load_schema(schema_path.string());
    if (!contract) return std::unexpected(contract.error());
    auto parts = open_data(data_path.string());
    if (!parts) return std::unexpected(parts.error());
    auto report = check_schema(*contract, *parts, {});
    if (!report) return std::unexpected(report.error());
    report->data = data;
    report->schema = data + ".schema.yaml";
    ++checked;
    if (report->failed(false)) {
      ++failed;
      out::warn(fmt::format("schema: '{}' breaks its contract {}:", data, report->schema));
      out::note(render_text(*report, false, out::settings().color_stderr));
    } else if (report->failed_count(Severity::warn) > 0) {
      out::note(fmt::format("schema: '{}' passes {} with {} warning(s)", data, report->schema,
                            report->failed_count(Severity::warn)));
    }
  }
  if (failed) {
    out::hint("fix the data, or change its schema (and review it with `mlops schema diff`), then commit again");
    return static_cast<int>(Exit::check_failed);
  }
  if (checked) out::detail(fmt::format("schema: {} staged dataset(s) pass their schemas", checked));
  return 0;
}

}  // namespace mlops::schema
