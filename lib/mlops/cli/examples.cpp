#include "mlops/cli/examples.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "mlops/cli/command.hpp"

namespace mlops::cli {

namespace {

struct CommandExample {
  std::string_view command;  // "mlops data status"
  std::string_view example;
};

// For the commands whose footer shows no example. A command that gets one in its own file wins
// over this table (its entry is then unused, and can go).
constexpr CommandExample kExamples[] = {
    {"mlops init", "git init demo && cd demo && mlops init"},
    {"mlops data checkout", "mlops data checkout data/train.csv --rev v1.0"},
    {"mlops data diff", "mlops data diff HEAD~1 HEAD data/"},
    {"mlops data fetch", "mlops data fetch --rev v1.0"},
    {"mlops data log", "mlops data log data/train.csv"},
    {"mlops data push", "mlops data push --remote shared"},
    {"mlops data status", "mlops data status --exit-code"},
    {"mlops data verify", "mlops data verify --all"},
    {"mlops hooks install", "mlops hooks install"},
    {"mlops hooks run", "mlops hooks run pre-commit"},
    {"mlops remote add", "mlops remote add shared /mnt/team/mlops-store --default"},
    {"mlops remote list", "mlops remote list"},
    {"mlops remote remove", "mlops remote remove shared"},
    {"mlops run end", "mlops run end \"$RUN\" --status failed --exit-code 2"},
    {"mlops log metric", "mlops log metric loss 0.25 --step 10"},
    {"mlops log param", "mlops log param lr 0.01"},
    {"mlops log tag", "mlops log tag team vision"},
    {"mlops log artifact", "mlops log artifact model.pkl"},
    {"mlops runs show", "mlops runs show 01m8qwvb --json"},
    {"mlops runs compare", "mlops runs compare 01m8qwvb 01m8r2k4"},
    {"mlops runs diff", "mlops runs diff 01m8qwvb 01m8r2k4"},
    {"mlops runs delete", "mlops runs delete 01m8qwvb"},
    {"mlops runs export", "mlops runs export -o runs.json"},
    {"mlops runs import", "mlops runs import runs.json --skip-existing"},
    {"mlops model register", "mlops model register churn --run 01m8qwvb --artifact model.pkl"},
    {"mlops model promote", "mlops model promote churn v0.0.2 --to production --require 'metrics.auc >= 0.9'"},
    {"mlops model rollback", "mlops model rollback churn --stage production"},
    {"mlops model deprecate", "mlops model deprecate churn v0.0.1"},
    {"mlops model list", "mlops model list"},
    {"mlops model show", "mlops model show churn#production"},
    {"mlops model history", "mlops model history churn"},
    {"mlops model get", "mlops model get churn#production -o model.pkl"},
    {"mlops model push", "mlops model push churn"},
};

bool has_example(const CLI::App& command) { return command.get_footer().find("Example") != std::string::npos; }

void append(CLI::App& command, const std::string& text) {
  std::string footer = command.get_footer();
  command.footer(footer.empty() ? text : footer + "\n" + text);
}

// Leaves first, so that a group can list its commands' examples.
void add_to(CLI::App& command) {
  auto subs = command.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  for (CLI::App* sub : subs) add_to(*sub);
  if (has_example(command)) return;
  const std::string path = command_path(command);
  for (const auto& entry : kExamples) {
    if (entry.command == path) {
      append(command, "Example: " + std::string(entry.example));
      return;
    }
  }
  std::string list;
  for (const CLI::App* sub : subs) {
    auto examples = examples_of(*sub);
    if (!examples.empty()) list += "\n  " + examples.front();
  }
  if (!list.empty()) append(command, "Examples:" + list);
}

}  // namespace

void add_examples(CLI::App& root) { add_to(root); }

}  // namespace mlops::cli
