// `mlops data`: version datasets next to the code that uses them.
#include "mlops/cli/commands/data.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/cli/model_revision.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/git/tags.hpp"

namespace mlops::cli {

std::vector<data::TrackedData> select_data(const Repo& repo, const std::vector<std::string>& paths,
                                           const std::string& rev) {
  if (rev.empty()) return unwrap(data::select_tracked(repo, paths));
  return unwrap(data::select_tracked_at(repo, resolve_revision(repo, rev), paths));
}

std::vector<data::TrackedData> model_artifacts(const Repo& repo) {
  std::vector<data::TrackedData> items;
  auto git_repo = unwrap(git::Repository::open(repo.root));
  auto tags = unwrap(git::scan_tags(git_repo, [](std::string_view) { return true; }));
  for (const auto& tag : tags.annotated) {
    std::string hash, kind = "file";
    std::size_t at = 0;
    while (at < tag.message.size()) {
      std::size_t end = tag.message.find('\n', at);
      if (end == std::string::npos) end = tag.message.size();
      std::string_view line(tag.message.data() + at, end - at);
      if (line.starts_with("Artifact: ")) hash = std::string(line.substr(10));
      if (line.starts_with("Kind: ")) kind = std::string(line.substr(6));
      at = end + 1;
    }
    auto parsed = Hash::parse(hash);
    if (!parsed) continue;
    data::TrackedData item;
    item.pointer.hash = *parsed;
    item.pointer.kind = kind == "dir" ? data::Kind::dir : data::Kind::file;
    items.push_back(std::move(item));
  }
  return items;
}

void print_transfer(std::string_view verb, const std::string& remote, const data::TransferResult& result) {
  if (out::settings().json) {
    out::print_json(
        {{"remote", remote}, {"objects", result.objects}, {"bytes", result.bytes}, {"skipped", result.skipped}});
    return;
  }
  out::println("{} object{} {} ({}), {} already there", result.objects, result.objects == 1 ? "" : "s", verb,
               out::human_bytes(result.bytes), result.skipped);
}

void register_data(CLI::App& app) {
  auto* group = add_group(app, "data", "Version data files and folders: add, status, checkout, push, pull, ...");
  add_data_add(*group);
  add_data_status(*group);
  add_data_checkout(*group);
  add_data_diff(*group);
  add_data_log(*group);
  add_data_push(*group);
  add_data_pull(*group);
  add_data_fetch(*group);
  add_data_gc(*group);
  add_data_verify(*group);
}

}  // namespace mlops::cli
