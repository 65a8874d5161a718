// `mlops model register NAME (--run ID | --path PATH)`: register a new version of a model.
#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/llm/prompt.hpp"
#include "mlops/llm/prompt_register.hpp"
#include "mlops/registry/register.hpp"

namespace mlops::cli {

namespace {

struct ModelRegisterOptions {
  std::string name;
  std::string run;
  std::string artifact;
  std::string path;
  std::string version;
  std::string bump;
  std::vector<std::string> metrics;
  bool allow_dirty = false;
  std::string type;
  model::WriteOptions write;
};

// A prompt (`--type prompt`, a --path ending in .prompt, or a run's artifact named *.prompt)
// must pass lint without an error (llm/prompt_register.hpp), so that `mlops prompt render
// NAME#STAGE` can render every version the registry hands out and no secret is deployed.
std::string artifact_type(const Repo& repo, const ModelRegisterOptions& options) {
  std::string type = options.type;
  if (type.empty() && options.path.ends_with(".prompt")) type = "prompt";
  if (type == "model") return {};  // a model is what a version is without a Type trailer
  std::optional<llm::Prompt> prompt;
  if (!options.path.empty() && type == "prompt") {
    prompt = unwrap(llm::prompt_to_register(options.path));
  } else if (!options.run.empty() && (type.empty() || type == "prompt")) {
    prompt = unwrap(llm::run_prompt_to_register(repo, options.run, options.artifact, type == "prompt"));
    if (prompt) type = "prompt";
  }
  if (prompt && prompt->name != options.name) {
    out::warn(fmt::format("'{}' names itself '{}', registered as '{}': render it as 'mlops prompt render {}#STAGE'",
                          prompt->file, prompt->name, options.name, options.name));
  }
  return type;
}

// Every option checked and turned into the library's request before anything is written.
registry::RegisterRequest register_request(const Repo& repo, const ModelRegisterOptions& options) {
  unwrap(registry::check_model_name(options.name));
  if (options.run.empty() == options.path.empty()) {
    throw Failure(bad_input("give either --run ID or --path PATH", "see 'mlops model register --help'"));
  }
  registry::RegisterRequest request;
  request.model = options.name;
  request.run = options.run;
  request.artifact = options.artifact;
  request.path = options.path;
  if (!options.version.empty()) {
    request.version = registry::SemVer::parse(options.version);
    if (!request.version) {
      throw Failure(bad_input(fmt::format("'{}' is not a version", options.version),
                              "versions are 'v' and a SemVer: v1.2.0, v1.0.0-rc.1"));
    }
  }
  if (options.bump == "major") request.bump = registry::SemVer::Part::major;
  if (options.bump == "minor") request.bump = registry::SemVer::Part::minor;
  if (options.bump == "patch") request.bump = registry::SemVer::Part::patch;
  for (const auto& m : options.metrics) request.metrics.push_back(unwrap(registry::parse_metric_assignment(m)));
  request.allow_dirty = options.allow_dirty ? registry::AllowDirty::yes : registry::AllowDirty::no;
  request.message = options.write.message;
  request.type = artifact_type(repo, options);
  return request;
}

int run_model_register(const ModelRegisterOptions& options) {
  Repo repo = require_store();
  auto request = register_request(repo, options);
  auto git_repo = unwrap(git::Repository::open(repo.root));
  model::check_publishable(repo, git_repo, options.name, options.write.push, /*registering=*/true);
  auto registered = unwrap(registry::register_version(repo, git_repo, request));
  const auto& meta = registered.lineage.meta;
  // An automatic version taken on the remote meanwhile is re-derived; one the user named is not.
  std::string tag = registered.tag.name;
  auto pushed = model::publish_created(
      repo, git_repo, options.name, tag, options.write.push, !request.version.has_value(),
      [&] {
        registered = unwrap(registry::register_version(repo, git_repo, request));
        return registered.tag.name;
      },
      "registered as");
  if (out::settings().json) {
    auto doc = nlohmann::ordered_json{
        {"model", options.name},
        {"version", registered.version},
        {"tag", registered.tag.name},
        {"commit", registered.tag.commit},
        {"artifact", meta.artifact->str()},
        {"size", *meta.size},
        {"type", meta.type.empty() ? "model" : meta.type},
        {"run", meta.run.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(meta.run)},
        {"dirty", registered.lineage.dirty},
        {"pushed", pushed.pushed}};
    pushed.add_json(doc);
    out::print_json(doc);
    pushed.report();
    return 0;
  }
  out::println("Registered {} {} (tag '{}' on {})", options.name, registered.version, registered.tag.name,
               model::short_commit(registered.tag.commit));
  pushed.report();
  return 0;
}

}  // namespace

void add_model_register(CLI::App& group) {
  auto options = std::make_shared<ModelRegisterOptions>();
  auto* command = add_command(group, "register", "Register a new version of a model from a run or a file",
                              [options] { return run_model_register(*options); });
  command->add_option("name", options->name, "Model name (letters, digits, '-', '_', '/')")->required();
  auto* run =
      command->add_option("--run", options->run, "Run whose artifact is the model (id or prefix)")->option_text("ID");
  command->add_option("--artifact", options->artifact, "Which of the run's artifacts (default: its only one)")
      ->option_text("NAME")
      ->needs(run);
  auto* path = command->add_option("--path", options->path, "A file or folder to register (stored in the cache)")
                   ->option_text("PATH")
                   ->excludes(run);
  auto* version = command
                      ->add_option("--version", options->version,
                                   "Version to give (default: bump the highest version ever registered)")
                      ->option_text("vX.Y.Z");
  command->add_option("--bump", options->bump, "Part of the highest version to bump (default: patch)")
      ->check(CLI::IsMember({"major", "minor", "patch"}))
      ->option_text("PART")
      ->excludes(version);
  command->add_option("--metric", options->metrics, "A metric of the model with --path, NAME=VALUE (repeatable)")
      ->option_text("NAME=VALUE")
      ->needs(path)
      ->allow_extra_args(false);
  command->add_flag("--allow-dirty", options->allow_dirty,
                    "Register from uncommitted changes (the version cannot be rebuilt from git)");
  command
      ->add_option("--type", options->type,
                   "What the artifact is, GTO's type: model (default) or prompt (default for a --path or a run's "
                   "artifact ending in .prompt; a prompt must pass 'mlops prompt lint')")
      ->check(CLI::IsMember({"model", "prompt"}))
      ->option_text("TYPE");
  model::add_write_options(*command, options->write);
  add_json_flag(*command);
}

}  // namespace mlops::cli
