// `mlops data log PATH`: every version of PATH in git history, newest first: those its pointer
// records, then those of commits made under DVC (data/dvc_history.hpp).
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/dvc_history.hpp"
#include "mlops/data/pointer.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tree.hpp"

namespace mlops::cli {

namespace {

int run_data_log(const std::string& path) {
  Repo repo = require_store();
  auto git_repo = unwrap(git::Repository::open(repo.root));
  std::string rel = unwrap(repo.relative(path));
  if (!rel.ends_with(data::kPointerSuffix)) rel += data::kPointerSuffix;
  auto history = unwrap(git::file_history(git_repo, rel));
  std::string data_path = rel.substr(0, rel.size() - data::kPointerSuffix.size());
  auto dvc_era = unwrap(data::dvc_era_versions(repo, git_repo, data_path));
  if (history.empty() && dvc_era.empty()) {
    throw Failure(bad_input(fmt::format("'{}' has no committed versions", data_path),
                            fmt::format("commit its pointer: git add {} && git commit", rel)));
  }

  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  out::Table table({"commit", "date", "author", "hash", "size", "files", "message"});
  table.right_align(4);
  table.right_align(5);
  for (const auto& v : history) {
    nlohmann::ordered_json j{
        {"commit", v.commit}, {"date", out::iso_utc(v.time)}, {"author", v.author}, {"message", v.summary}};
    std::vector<std::string> row{v.commit.substr(0, 10), out::iso_utc(v.time).substr(0, 10), v.author};
    if (!v.content) {
      j["deleted"] = true;
      row.insert(row.end(), {"(deleted)", "", ""});
    } else if (auto p = data::parse_pointer(*v.content, fmt::format("{}:{}", v.commit.substr(0, 10), rel))) {
      j.update({{"hash", p->hash.str()}, {"size", p->size}, {"files", p->files}, {"kind", data::to_string(p->kind)}});
      row.insert(row.end(), {p->hash.str().substr(0, 17), out::human_bytes(p->size), std::to_string(p->files)});
    } else {
      out::warn(
          fmt::format("skipping a malformed pointer in commit {}: {}", v.commit.substr(0, 10), p.error().message));
      continue;
    }
    row.push_back(v.summary);
    table.add_row(std::move(row));
    list.push_back(std::move(j));
  }
  for (const auto& v : dvc_era) {
    nlohmann::ordered_json j{{"commit", v.commit},
                             {"date", out::iso_utc(v.time)},
                             {"author", v.author},
                             {"message", v.summary},
                             {"dvc", true}};
    std::vector<std::string> row{v.commit.substr(0, 10), out::iso_utc(v.time).substr(0, 10), v.author};
    if (v.pointer) {
      const auto& p = *v.pointer;
      j.update({{"hash", p.hash.str()}, {"size", p.size}, {"files", p.files}, {"kind", data::to_string(p.kind)}});
      row.insert(row.end(), {p.hash.str().substr(0, 17), out::human_bytes(p.size), std::to_string(p.files)});
    } else {
      j["not_imported"] = {{"md5", v.missing->dvc_hash}, {"reason", v.missing->reason}, {"fetch", v.missing->fetch}};
      row.insert(row.end(), {"(not imported)", "", ""});
    }
    row.push_back("(DVC) " + v.summary);
    table.add_row(std::move(row));
    list.push_back(std::move(j));
  }
  if (out::settings().json) {
    out::print_json({{"path", data_path}, {"versions", list}});
  } else {
    out::print(table.render());
    if (!dvc_era.empty()) {
      out::note("versions marked (DVC) are of commits made under DVC, as 'mlops import dvc --all-commits' found them");
    }
  }
  return 0;
}

}  // namespace

void add_data_log(CLI::App& group) {
  auto path = std::make_shared<std::string>();
  auto* command = add_command(group, "log", "List the versions of a tracked path in git history",
                              [path] { return run_data_log(*path); });
  command->add_option("path", *path, "Tracked path (or its .mlops pointer)")->required()->type_name("PATH");
  add_json_flag(*command);
}

}  // namespace mlops::cli
