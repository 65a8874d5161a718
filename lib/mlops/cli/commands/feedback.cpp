// `mlops feedback`: user feedback on GenAI responses, kept in the store and turned into golden cases.
#include "mlops/cli/commands/feedback.hpp"

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"

namespace mlops::cli {

void register_feedback(CLI::App& app) {
  auto* group = add_group(app, "feedback",
                          "Import user feedback (thumbs, ratings, edits) and turn it into candidate golden cases");
  add_feedback_import(*group);
  add_feedback_to_golden(*group);
}

}  // namespace mlops::cli
