// `mlops prompt render NAME[@REV|#STAGE] [--var K=V]... [--vars FILE]`: the prompt's text, or its
// chat messages as JSON, with the variables filled in.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/prompt.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/prompt_vars.hpp"

namespace mlops::cli {

namespace {

struct PromptRenderOptions {
  std::string reference;
  std::vector<std::string> vars;
  std::string vars_file;
};

nlohmann::ordered_json messages_json(const llm::Rendered& rendered) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& m : rendered.messages) list.push_back({{"role", m.role}, {"content", m.content}});
  return list;
}

int run_prompt_render(const PromptRenderOptions& options) {
  // Variables are read before the prompt, so that a bad --var is reported without touching git.
  nlohmann::json vars = nlohmann::json::object();
  if (!options.vars_file.empty()) vars = unwrap(llm::load_vars_file(options.vars_file));
  unwrap(llm::apply_var_assignments(vars, options.vars));

  Repo repo = require_git_repo();
  auto loaded = prompt::load(repo, options.reference);
  const llm::Prompt& p = loaded.prompt;
  for (const std::string& path : llm::undeclared_values(p, vars)) {
    std::string near = p.closest_declared(path);
    out::warn(fmt::format("'{}' is not declared in the input.schema of '{}': its value is ignored{}", path,
                          loaded.source.label, near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
  }
  auto rendered = unwrap(llm::render_prompt(p, vars));
  if (out::settings().json) {
    nlohmann::ordered_json doc;
    doc["prompt"] = p.name;
    doc["source"] = loaded.source.label;
    doc["version"] = p.version_string();
    doc["model"] = p.model.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.model);
    doc["config"] = nlohmann::ordered_json::parse(p.config.dump());
    doc["output_format"] = p.output_format;
    if (rendered.chat) {
      doc["messages"] = messages_json(rendered);
    } else {
      doc["text"] = rendered.text;
    }
    out::print_json(doc);
  } else if (rendered.chat) {
    out::print_json(messages_json(rendered));
  } else {
    out::print(rendered.text + "\n");
  }
  return 0;
}

}  // namespace

void add_prompt_render(CLI::App& group) {
  auto options = std::make_shared<PromptRenderOptions>();
  auto* command =
      add_command(group, "render", "Print a prompt with its variables filled in (chat prompts as JSON messages)",
                  [options] { return run_prompt_render(*options); });
  command->add_option("prompt", options->reference, prompt::kReferenceHelp)->required();
  command
      ->add_option("--var", options->vars, "A variable, NAME=VALUE (a string; repeatable; NAME may be dotted: a.b=x)")
      ->option_text("NAME=VALUE");
  command->add_option("--vars", options->vars_file, "Variables from a JSON or YAML object (--var overrides them)")
      ->option_text("FILE");
  add_json_flag(*command);
  command->footer(
      "A required variable without a value is an error naming it (exit 2), never an empty string.\n"
      "Example: mlops prompt render support#production --var question='Where is my order?'");
}

}  // namespace mlops::cli
