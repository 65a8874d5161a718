// `mlops prompt list`: the prompts under prompts/, their versions and the registry's stages.
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/prompt.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/prompt_catalog.hpp"

namespace mlops::cli {

namespace {

std::string variables_text(const llm::Prompt& p) {
  std::string text;
  for (const auto& v : p.variables) text += (text.empty() ? "" : ", ") + v.name + (v.required ? "" : "?");
  return text.empty() ? "-" : text;
}

std::string registry_text(const llm::PromptEntry& entry) {
  std::string text;
  for (const auto& r : entry.registered) {
    for (const auto& stage : r.stages) text += (text.empty() ? "" : ", ") + fmt::format("{}={}", stage, r.version);
  }
  if (text.empty() && !entry.latest.empty()) text = "latest=" + entry.latest;
  return text.empty() ? "-" : text;
}

int run_prompt_list() {
  Repo repo = require_git_repo();
  auto entries = unwrap(llm::list_prompts(repo));
  if (out::settings().json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& e : entries) {
      nlohmann::ordered_json doc;
      doc["name"] = e.name;
      doc["path"] = e.path;
      doc["valid"] = e.prompt.has_value();
      doc["error"] = e.prompt ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.error);
      doc["version"] = e.prompt ? nlohmann::ordered_json(e.prompt->version_string()) : nullptr;
      doc["model"] = e.prompt && !e.prompt->model.empty() ? nlohmann::ordered_json(e.prompt->model) : nullptr;
      doc["chat"] = e.prompt ? nlohmann::ordered_json(e.prompt->tmpl.chat()) : nullptr;
      nlohmann::ordered_json variables = nlohmann::ordered_json::array();
      if (e.prompt) {
        for (const auto& v : e.prompt->variables) variables.push_back({{"name", v.name}, {"required", v.required}});
      }
      doc["variables"] = variables;
      doc["latest"] = e.latest.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.latest);
      nlohmann::ordered_json stages = nlohmann::ordered_json::object();
      for (const auto& r : e.registered) {
        for (const auto& s : r.stages) stages[s] = r.version;
      }
      doc["stages"] = stages;
      list.push_back(doc);
    }
    out::print_json(list);
    return 0;
  }
  if (entries.empty()) {
    out::note("no prompts: write prompts/NAME.prompt (see docs/prompts.md)");
    return 0;
  }
  out::Table table({"NAME", "VERSION", "MODEL", "KIND", "VARIABLES", "REGISTRY"});
  for (const auto& e : entries) {
    if (!e.prompt) {
      table.add_row({e.name, "invalid", "-", "-", "-", registry_text(e)});
      out::warn(e.error);
      continue;
    }
    const auto& p = *e.prompt;
    table.add_row({e.name, p.short_version(), p.model.empty() ? "-" : p.model, p.tmpl.chat() ? "chat" : "text",
                   variables_text(p), registry_text(e)});
  }
  out::print(table.render());
  return 0;
}

}  // namespace

void add_prompt_list(CLI::App& group) {
  auto* command = add_command(group, "list", "List the prompts (prompts/**/*.prompt) with their versions and stages",
                              [] { return run_prompt_list(); });
  add_json_flag(*command);
  command->footer(
      "VERSION is the first 12 hex digits of the hash of the normalised file; VARIABLES marks\n"
      "optional ones with '?'; REGISTRY names the version in each stage.\n"
      "Example: mlops prompt list --json");
}

}  // namespace mlops::cli
