// `mlops runs diff A B [--json]`: what differs between two runs: params, metrics, data
// versions, git state and environment.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/runs.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/tracking/run_diff.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

struct RunsDiffOptions {
  std::string a;
  std::string b;
};

int run_runs_diff(const RunsDiffOptions& options) {
  Repo repo = require_store();
  auto store = unwrap(tracking::RunStore::open(repo));
  auto a = unwrap(store.get(unwrap(store.resolve(options.a))));
  auto b = unwrap(store.get(unwrap(store.resolve(options.b))));
  auto sections = tracking::diff_runs(a, b);
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
