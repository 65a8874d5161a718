// `mlops prompt show NAME[@REV|#STAGE]`: a prompt's front matter, its variables, and its versions
// (the commits that changed the file, and the registry's versions and stages).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/prompt.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/llm/prompt_catalog.hpp"

namespace mlops::cli {

namespace {

struct PromptShowOptions {
  std::string reference;
};

nlohmann::ordered_json variable_json(const llm::PromptVariable& v) {
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (const auto& f : v.fields) fields.push_back(variable_json(f));
  return {
      {"name", v.name},
      {"type", v.type},
      {"required", v.required},
      {"description", v.description.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v.description)},
      {"fields", fields}};
}

void add_variable_rows(out::Table& table, const std::vector<llm::PromptVariable>& variables,
                       const std::string& prefix) {
  for (const auto& v : variables) {
    std::string name = prefix + v.name;
    table.add_row({name, v.type, v.required ? "yes" : "no", v.description.empty() ? "-" : v.description});
    add_variable_rows(table, v.fields, name + ".");
  }
}

// The commits of the work tree's history; none in a repository without commits.
std::vector<llm::PromptCommit> history_of(const Repo& repo, const std::string& path,
                                          const std::vector<llm::RegisteredPrompt>& registered) {
  auto git_repo = unwrap(git::Repository::open(repo.root));
  if (!git_repo.head_commit()) return {};
  return unwrap(llm::prompt_history(repo, path, registered));
}

int run_prompt_show(const PromptShowOptions& options) {
  Repo repo = require_git_repo();
  auto loaded = prompt::load(repo, options.reference);
  const llm::Prompt& p = loaded.prompt;
  auto registered = unwrap(llm::registered_versions(repo, loaded.source.name));
  auto history = history_of(repo, loaded.source.path, registered);

  if (out::settings().json) {
    nlohmann::ordered_json doc;
    doc["name"] = p.name;
    doc["source"] = loaded.source.label;
    doc["path"] = loaded.source.path;
    doc["version"] = p.version_string();
    doc["model"] = p.model.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.model);
    doc["config"] = nlohmann::ordered_json::parse(p.config.dump());
    doc["chat"] = p.tmpl.chat();
    nlohmann::ordered_json variables = nlohmann::ordered_json::array();
    for (const auto& v : p.variables) variables.push_back(variable_json(v));
    doc["variables"] = variables;
    doc["untrusted"] = p.untrusted;
    doc["output"] = {{"format", p.output_format},
                     {"schema", p.output_schema.empty() ? nlohmann::ordered_json(nullptr)
                                                        : nlohmann::ordered_json(p.output_schema)}};
    doc["metadata"] = nlohmann::ordered_json::parse(p.metadata.dump());
    nlohmann::ordered_json versions = nlohmann::ordered_json::array();
    for (const auto& r : registered) {
      versions.push_back({{"version", r.version},
                          {"commit", r.commit},
                          {"stages", r.stages},
                          {"artifact", r.artifact ? nlohmann::ordered_json(r.artifact->str()) : nullptr}});
    }
    doc["registered"] = versions;
    nlohmann::ordered_json commits = nlohmann::ordered_json::array();
    for (const auto& c : history) {
      commits.push_back({{"commit", c.commit},
                         {"time", out::iso_utc(c.time)},
                         {"author", c.author},
                         {"summary", c.summary},
                         {"deleted", c.deleted},
                         {"version", c.deleted ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.version)},
                         {"registered", c.registered}});
    }
    doc["history"] = commits;
    out::print_json(doc);
    return 0;
  }

  auto field = [](std::string_view key, std::string_view value) {
    out::println("{:<10} {}", std::string(key) + ":", value);
  };
  field("prompt", p.name);
  field("source", loaded.source.label);
  field("version", p.version_string());
  field("model", p.model.empty() ? "-" : p.model);
  std::string config;
  for (auto it = p.config.begin(); it != p.config.end(); ++it) {
    config += (config.empty() ? "" : ", ") + it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
  }
  field("config", config.empty() ? "-" : config);
  field("kind", p.tmpl.chat() ? "chat (messages)" : "text");
  field("output", p.output_format + (p.output_schema.empty() ? "" : ", schema " + p.output_schema));
  if (!p.untrusted.empty()) field("untrusted", fmt::format("{}", fmt::join(p.untrusted, ", ")));
  if (!p.variables.empty()) {
    out::println("");
    out::Table table({"VARIABLE", "TYPE", "REQUIRED", "DESCRIPTION"});
    add_variable_rows(table, p.variables, "");
    out::print(table.render());
  }
  if (!registered.empty()) {
    out::println("");
    out::Table table({"REGISTERED", "STAGES", "COMMIT", "ARTIFACT"});
    for (const auto& r : registered) {
      table.add_row({r.version, r.stages.empty() ? "-" : fmt::format("{}", fmt::join(r.stages, ", ")),
                     r.commit.substr(0, 7), r.artifact ? r.artifact->str().substr(0, 17) : "-"});
    }
    out::print(table.render());
  }
  if (!history.empty()) {
    out::println("");
    out::Table table({"COMMIT", "DATE", "AUTHOR", "VERSION", "REGISTERED", "SUMMARY"});
    for (const auto& c : history) {
      table.add_row({c.commit.substr(0, 7), out::iso_utc(c.time), c.author,
                     c.deleted ? "(deleted)" : c.version.substr(5, 12),
                     c.registered.empty() ? "-" : fmt::format("{}", fmt::join(c.registered, ", ")), c.summary});
    }
    out::print(table.render());
  }
  return 0;
}

}  // namespace

void add_prompt_show(CLI::App& group) {
  auto options = std::make_shared<PromptShowOptions>();
  auto* command = add_command(group, "show", "Show a prompt: front matter, variables, commits and registered versions",
                              [options] { return run_prompt_show(*options); });
  command->add_option("prompt", options->reference, prompt::kReferenceHelp)->required();
  add_json_flag(*command);
  command->footer("Example: mlops prompt show support#production");
}

}  // namespace mlops::cli
