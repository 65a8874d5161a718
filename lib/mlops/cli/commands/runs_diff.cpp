// `mlops runs diff A B [--json]`: what differs between two runs: params, metrics, data
// versions, git state and environment.
#include <fmt/format.h>

#include <set>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct RunsDiffOptions {
  std::string a;
  std::string b;
};

struct Change {
  std::string key;
  std::optional<std::string> a;
  std::optional<std::string> b;
};

std::vector<Change> diff_maps(const std::map<std::string, std::string>& a,
                              const std::map<std::string, std::string>& b) {
  std::set<std::string> keys;
  for (const auto& [key, value] : a) keys.insert(key);
  for (const auto& [key, value] : b) keys.insert(key);
  std::vector<Change> changes;
  for (const auto& key : keys) {
    auto x = a.find(key), y = b.find(key);
    std::optional<std::string> va = x == a.end() ? std::nullopt : std::optional(x->second);
    std::optional<std::string> vb = y == b.end() ? std::nullopt : std::optional(y->second);
    if (va != vb) changes.push_back({key, va, vb});
  }
  return changes;
}

std::map<std::string, std::string> metrics_text(const tracking::RunRecord& run) {
  std::map<std::string, std::string> text;
  for (const auto& [key, point] : run.metrics) text[key] = display_number(point.value);
  return text;
}

std::map<std::string, std::string> data_text(const tracking::RunRecord& run) {
  std::map<std::string, std::string> text;
  for (const auto& version : run.data) text[version.path] = version.hash;
  return text;
}

std::map<std::string, std::string> git_text(const tracking::RunRecord& run) {
  return {{"commit", run.git_commit}, {"branch", run.git_branch}, {"dirty", run.git_dirty ? "true" : "false"}};
}

int run_runs_diff(const RunsDiffOptions& options) {
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  auto a = unwrap(store.get(unwrap(store.resolve(options.a))));
  auto b = unwrap(store.get(unwrap(store.resolve(options.b))));
  std::vector<std::pair<std::string, std::vector<Change>>> sections{
      {"params", diff_maps(a.params, b.params)},
      {"metrics", diff_maps(metrics_text(a), metrics_text(b))},
      {"data", diff_maps(data_text(a), data_text(b))},
      {"git", diff_maps(git_text(a), git_text(b))},
      {"environment", diff_maps(a.environment, b.environment)},
      {"variables", diff_maps(a.variables, b.variables)},
  };
  if (out::settings().json) {
    using ojson = nlohmann::ordered_json;
    ojson doc = {{"a", a.id}, {"b", b.id}};
    for (const auto& [name, changes] : sections) {
      ojson list = ojson::array();
      for (const auto& change : changes) {
        list.push_back({{"key", change.key},
                        {"a", change.a ? ojson(*change.a) : ojson(nullptr)},
                        {"b", change.b ? ojson(*change.b) : ojson(nullptr)}});
      }
      doc[name] = std::move(list);
    }
    out::print_json(doc);
    return 0;
  }
  out::println("{} {}", out::paint("--- a", out::Style::red), a.id + (a.name.empty() ? "" : " (" + a.name + ")"));
  out::println("{} {}", out::paint("+++ b", out::Style::green), b.id + (b.name.empty() ? "" : " (" + b.name + ")"));
  bool any = false;
  for (const auto& [name, changes] : sections) {
    if (changes.empty()) continue;
    // Variables are many and mostly noise (PWD, SHLVL): counted unless -v.
    if (name == "variables" && out::settings().verbosity <= 0) {
      out::println("\n{} environment variables differ (show them with -v)", changes.size());
      continue;
    }
    any = true;
    out::print(out::paint(fmt::format("\n{}\n", name), out::Style::bold));
    for (const auto& change : changes) {
      if (change.a) out::println("  {} {}: {}", out::paint("-", out::Style::red), change.key, *change.a);
      if (change.b) out::println("  {} {}: {}", out::paint("+", out::Style::green), change.key, *change.b);
    }
  }
  if (!any) out::println("\nno differences in params, metrics, data, git or environment");
  return 0;
}

}  // namespace

void add_runs_diff(CLI::App& group) {
  auto options = std::make_shared<RunsDiffOptions>();
  auto* command =
      add_command(group, "diff", "Show what differs between two runs (params, metrics, data, git, environment)",
                  [options] { return run_runs_diff(*options); });
  command->add_option("a", options->a, "The first run")->required()->option_text("A");
  command->add_option("b", options->b, "The second run")->required()->option_text("B");
  add_json_flag(*command);
}

}  // namespace mlops::cli
