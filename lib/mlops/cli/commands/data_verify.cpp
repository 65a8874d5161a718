// `mlops data verify [--all]`: re-hash cache objects; report corrupt and missing ones.
#include <fmt/format.h>

#include <set>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/data.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/data/gc.hpp"
#include "mlops/data/remote.hpp"

namespace mlops::cli {

namespace {

// The way to fetch each kind of object that is missing: the workspace's data, registered models'
// artifacts, or another version's data.
void print_fetch_hints(const Repo& repo, const data::Cache& cache, const std::vector<Hash>& lost) {
  auto workspace = unwrap(data::data_roots(repo, cache, data::GcScope::workspace_only));
  auto models = data::objects_of(cache, model_artifacts(repo));
  std::set<Hash> in_workspace(workspace.begin(), workspace.end()), of_models(models.begin(), models.end());
  bool any_workspace = false, any_model = false, any_other = false;
  for (const auto& h : lost) {
    if (in_workspace.count(h)) {
      any_workspace = true;
    } else if (of_models.count(h)) {
      any_model = true;
    } else {
      any_other = true;
    }
  }
  std::string hint = "corrupt objects were moved aside and count as missing until a good copy replaces them:";
  if (any_workspace) hint += " 'mlops data pull' fetches the workspace's data;";
  if (any_model) hint += " 'mlops data fetch --models' fetches registered models' artifacts;";
  if (any_other) hint += " 'mlops data fetch --rev REV' fetches another revision's data;";
  hint.back() = '.';
  out::hint(hint);
}

int run_data_verify(bool all) {
  Repo repo = require_store();
  data::Cache cache(repo);
  std::vector<Hash> wanted = all ? cache.list() : unwrap(data::data_roots(repo, cache, data::GcScope::workspace_only));
  if (all) {
    // Objects moved aside as corrupt stay missing until a good copy replaces them.
    auto aside = cache.quarantined();
    std::set<Hash> listed(wanted.begin(), wanted.end());
    for (const auto& h : aside) {
      if (listed.insert(h).second) {
        wanted.push_back(h);
      }
    }
  }
  std::vector<Hash> corrupt, missing;
  out::Progress progress("Verifying", wanted.size());
  for (const auto& h : wanted) {
    progress.advance(1);
    if (!cache.contains(h)) {
      missing.push_back(h);
      continue;
    }
    auto ok = unwrap(cache.verify(h));
    if (!ok) {
      cache.quarantine(h);  // never served again; a pull can fetch a good copy
      corrupt.push_back(h);
    } else {
      cache.forget_quarantined(h);  // a good copy is back
    }
  }
  progress.finish();
  if (out::settings().json) {
    auto strings = [](const std::vector<Hash>& v) {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const auto& h : v) a.push_back(h.str());
      return a;
    };
    out::print_json({{"checked", wanted.size()},
                     {"ok", corrupt.empty() && missing.empty()},
                     {"corrupt", strings(corrupt)},
                     {"missing", strings(missing)}});
  } else {
    for (const auto& h : corrupt) out::println("{} {}", out::paint("corrupt:", out::Style::red), h.str());
    for (const auto& h : missing) out::println("{} {}", out::paint("missing:", out::Style::yellow), h.str());
    out::println("{} object{} checked, {} corrupt, {} missing", wanted.size(), wanted.size() == 1 ? "" : "s",
                 corrupt.size(), missing.size());
    if (!corrupt.empty() || !missing.empty()) {
      std::vector<Hash> lost = corrupt;
      lost.insert(lost.end(), missing.begin(), missing.end());
      print_fetch_hints(repo, cache, lost);
    }
  }
  return corrupt.empty() && missing.empty() ? 0 : static_cast<int>(Exit::check_failed);
}

}  // namespace

void add_data_verify(CLI::App& group) {
  auto all = std::make_shared<bool>(false);
  auto* command =
      add_command(group, "verify", "Re-hash cache objects and report corrupt or missing ones (exit 1 if any)",
                  [all] { return run_data_verify(*all); });
  command->add_flag("-a,--all", *all, "Check every object in the cache (default: those the workspace's pointers need)");
  add_json_flag(*command);
}

}  // namespace mlops::cli
