// `mlops __complete WORD...`: the candidates for the last WORD, given the words before it, one a
// line as "candidate<TAB>description". The bash, zsh and fish scripts in completions/ call this,
// so they never drift from the command tree: a new command or flag is completed as soon as it is
// registered. Values are completed from the store: run ids, model names, versions, stages,
// metric/param/tag names and remotes (the table below says which argument names which).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/commands.hpp"
#include "mlops/core/config.hpp"
#include "mlops/core/output.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/registry/settings.hpp"
#include "mlops/tracking/run_query.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::cli {

namespace {

// What the value of an argument or option names.
enum class ValueKind {
  none,
  run,               // a run id
  model,             // a registered model's name
  version,           // a version of the model named by the command's NAME argument
  stage,             // a stage (registry.stages, and the stages in use)
  model_ref,         // NAME, NAME@latest, NAME@vX.Y.Z, NAME#STAGE
  model_ref_or_run,  // repro's target
  run_key,           // metrics.NAME, params.NAME, tags.NAME and the run attributes
  metric,            // a metric's name
  param,             // a param's name
  tag,               // a tag's name
  remote,            // a data remote's name
  prompt,            // a prompt: NAME of prompts/NAME.prompt, NAME#STAGE, NAME@vX.Y.Z of a registered prompt
  evaluation,        // an evaluation: a run of 'eval run', or NAME#STAGE of a registered prompt
};

struct ValueRule {
  std::string_view command;   // "mlops runs show"
  std::string_view argument;  // a positional's name ("id") or an option's long name ("--to")
  ValueKind kind;
};

// The arguments whose values come from the store. `mlops __complete` reports an entry that names
// no argument of the tree on stderr, so the CLI test catches a rename.
constexpr ValueRule kValueRules[] = {
    {"mlops run end", "id", ValueKind::run},
    {"mlops runs show", "id", ValueKind::run},
    {"mlops runs delete", "ids", ValueKind::run},
    {"mlops runs export", "ids", ValueKind::run},
    {"mlops runs push", "ids", ValueKind::run},
    {"mlops runs compare", "ids", ValueKind::run},
    {"mlops runs diff", "a", ValueKind::run},
    {"mlops runs diff", "b", ValueKind::run},
    {"mlops runs list", "--where", ValueKind::run_key},
    {"mlops runs report", "ids", ValueKind::run},
    {"mlops runs report", "--where", ValueKind::run_key},
    {"mlops runs report", "--metric", ValueKind::metric},
    {"mlops runs report", "--primary", ValueKind::metric},
    {"mlops runs plot", "ids", ValueKind::run},
    {"mlops runs plot", "--metric", ValueKind::metric},
    {"mlops runs list", "--sort", ValueKind::run_key},
    {"mlops runs list", "--columns", ValueKind::run_key},
    {"mlops log metric", "name", ValueKind::metric},
    {"mlops log param", "key", ValueKind::param},
    {"mlops log tag", "key", ValueKind::tag},
    {"mlops log metric", "--run", ValueKind::run},
    {"mlops log param", "--run", ValueKind::run},
    {"mlops log tag", "--run", ValueKind::run},
    {"mlops log artifact", "--run", ValueKind::run},
    {"mlops repro", "target", ValueKind::model_ref_or_run},
    {"mlops model register", "name", ValueKind::model},
    {"mlops model register", "--run", ValueKind::run},
    {"mlops model promote", "name", ValueKind::model},
    {"mlops model promote", "version", ValueKind::version},
    {"mlops model promote", "--to", ValueKind::stage},
    {"mlops model promote", "--require", ValueKind::run_key},
    {"mlops model promote", "--better-than", ValueKind::stage},
    {"mlops model promote", "--metric", ValueKind::metric},
    {"mlops model rollback", "name", ValueKind::model},
    {"mlops model rollback", "--stage", ValueKind::stage},
    {"mlops model rollback", "--to", ValueKind::version},
    {"mlops model deprecate", "name", ValueKind::model},
    {"mlops model deprecate", "version", ValueKind::version},
    {"mlops model deprecate", "stage", ValueKind::stage},
    {"mlops model show", "reference", ValueKind::model_ref},
    {"mlops model get", "reference", ValueKind::model_ref},
    {"mlops model get", "--remote", ValueKind::remote},
    {"mlops model history", "name", ValueKind::model},
    {"mlops model push", "name", ValueKind::model},
    {"mlops data push", "--remote", ValueKind::remote},
    {"mlops data pull", "--remote", ValueKind::remote},
    {"mlops data fetch", "--remote", ValueKind::remote},
    {"mlops runs push", "--remote", ValueKind::remote},
    {"mlops runs pull", "--remote", ValueKind::remote},
    {"mlops data gc", "--remote", ValueKind::remote},
    {"mlops remote remove", "name", ValueKind::remote},
    {"mlops remote modify", "name", ValueKind::remote},
    {"mlops prompt show", "prompt", ValueKind::prompt},
    {"mlops prompt render", "prompt", ValueKind::prompt},
    {"mlops prompt diff", "a", ValueKind::prompt},
    {"mlops prompt diff", "b", ValueKind::prompt},
    {"mlops eval gate", "evaluation", ValueKind::evaluation},
    {"mlops eval gate", "--baseline", ValueKind::evaluation},
    {"mlops eval compare", "a", ValueKind::evaluation},
    {"mlops eval compare", "b", ValueKind::evaluation},
};

// "id" for a positional, "--to" for an option.
std::string argument_name(const CLI::Option& option) {
  if (!option.nonpositional()) return option.get_name();
  return option.get_lnames().empty() ? "-" + option.get_snames().front() : "--" + option.get_lnames().front();
}

ValueKind kind_of(const CLI::App& command, const CLI::Option& option) {
  const std::string path = command_path(command), name = argument_name(option);
  for (const auto& rule : kValueRules) {
    if (rule.command == path && rule.argument == name) return rule.kind;
  }
  return ValueKind::none;
}

const CLI::App* find_command(const CLI::App& root, std::string_view path) {
  const CLI::App* command = &root;
  std::size_t at = path.find(' ');
  while (at != std::string_view::npos) {
    std::size_t next = path.find(' ', at + 1);
    std::string name(path.substr(at + 1, next == std::string_view::npos ? next : next - at - 1));
    const CLI::App* found = nullptr;
    for (const CLI::App* sub : visible_subcommands(*command)) {
      if (sub->get_name() == name) found = sub;
    }
    if (!found) return nullptr;
    command = found;
    at = next;
  }
  return command;
}

// A rule that names no command or argument of the tree: said on stderr (the shells drop it).
void check_rules(const CLI::App& root) {
  for (const auto& rule : kValueRules) {
    const CLI::App* command = find_command(root, rule.command);
    bool found = false;
    if (command) {
      for (const CLI::Option* option : command->get_options()) found |= argument_name(*option) == rule.argument;
    }
    if (!found) {
      std::fputs(fmt::format("mlops: completion: '{}' has no argument '{}'\n", rule.command, rule.argument).c_str(),
                 stderr);
    }
  }
}

// The command line as far as it was typed: the command, its positionals so far, and -C.
struct Parsed {
  const CLI::App* command = nullptr;
  std::vector<std::pair<const CLI::Option*, std::string>> positionals;  // given, in order
  const CLI::Option* pending = nullptr;                                 // an option whose value is the current word
  std::string directory;                                                // -C DIR
};

Parsed parse_words(const CLI::App& root, const std::vector<std::string>& words) {
  Parsed parsed;
  parsed.command = &root;
  bool separated = false;
  std::size_t positional = 0;
  auto positionals_of = [](const CLI::App& command) {
    std::vector<const CLI::Option*> list;
    for (const CLI::Option* option : command.get_options()) {
      if (!option->nonpositional()) list.push_back(option);
    }
    return list;
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "--" && !separated) {
      separated = true;
      continue;
    }
    if (!separated && word.size() > 1 && word[0] == '-') {
      const CLI::Option* option = find_option(*parsed.command, word);
      if (!option || !takes_value(*option)) continue;
      bool inline_value = word.starts_with("--") ? word.find('=') != std::string::npos : word.size() > 2;
      if (inline_value) continue;
      if (i + 1 == words.size()) {
        parsed.pending = option;
        break;
      }
      if (option->get_snames() == std::vector<std::string>{"C"}) parsed.directory = words[i + 1];
      ++i;
      continue;
    }
    if (positional == 0 && parsed.positionals.empty()) {
      const CLI::App* sub = nullptr;
      for (const CLI::App* candidate : visible_subcommands(*parsed.command)) {
        if (candidate->get_name() == word) sub = candidate;
      }
      if (sub) {
        parsed.command = sub;
        continue;
      }
    }
    auto list = positionals_of(*parsed.command);
    if (positional < list.size()) {
      parsed.positionals.emplace_back(list[positional], word);
      if (list[positional]->get_items_expected_max() == 1) ++positional;
    }
  }
  if (!parsed.pending) {
    auto list = positionals_of(*parsed.command);
    // The positional the current word fills (a list keeps taking words).
    std::size_t index = 0;
    for (std::size_t given = 0; given < parsed.positionals.size() && index < list.size(); ++given) {
      if (list[index]->get_items_expected_max() == 1) ++index;
    }
    if (index < list.size()) parsed.pending = list[index];
  }
  return parsed;
}

// The values in the store, for one kind. Any failure (no store, no git) gives none.
class StoreValues {
 public:
  explicit StoreValues(const Parsed& parsed) : parsed_(parsed) {
    if (!parsed.directory.empty() && ::chdir(parsed.directory.c_str()) != 0) return;
    if (auto repo = find_git_repo(); repo) repo_ = std::move(*repo);
  }

  void emit(ValueKind kind, const std::function<void(const std::string&, const std::string&)>& out) {
    if (!repo_) return;
    switch (kind) {
      case ValueKind::none:
        return;
      case ValueKind::run:
        return runs(out);
      case ValueKind::model:
        for (const auto& [name, model] : models()) out(name, model.deprecated ? "deprecated" : "model");
        return;
      case ValueKind::version:
        return versions(out);
      case ValueKind::stage:
        return stages(out);
      case ValueKind::model_ref:
        return model_refs(out);
      case ValueKind::model_ref_or_run:
        model_refs(out);
        return runs(out);
      case ValueKind::run_key:
        return run_keys(out);
      case ValueKind::metric:
        return keys("metrics", "", out);
      case ValueKind::param:
        return keys("params", "", out);
      case ValueKind::tag:
        return keys("tags", "", out);
      case ValueKind::prompt:
        return prompts(out);
      case ValueKind::evaluation:
        evaluations(out);
        return registered_prompts(out, /*versions=*/false);
      case ValueKind::remote:
        if (auto config = load_config(*repo_); config) {
          for (const auto& remote : config->remotes)
            out(remote.name, remote.name == config->default_remote ? remote.url + " (default)" : remote.url);
        }
        return;
    }
  }

 private:
  tracking::RunStore* store() {
    if (!store_tried_) {
      store_tried_ = true;
      if (repo_->initialised()) {
        if (auto opened = tracking::RunStore::open(*repo_); opened) store_.emplace(std::move(*opened));
      }
    }
    return store_ ? &*store_ : nullptr;
  }

  const std::map<std::string, registry::Model, std::less<>>& models() {
    if (!state_) {
      state_.emplace();
      if (auto git_repo = git::Repository::open(repo_->root); git_repo) {
        if (auto loaded = registry::load(*git_repo, {}, repo_->initialised() ? &*repo_ : nullptr); loaded) {
          state_ = std::move(loaded->state);
        }
      }
    }
    return state_->models;
  }

  void runs(const std::function<void(const std::string&, const std::string&)>& out) {
    auto* runs = store();
    if (!runs) return;
    auto list = runs->list_runs(false);
    if (!list) return;
    for (const auto& run : *list) {
      out(run.id, fmt::format("{}{}{}", run.name, run.name.empty() ? "" : ", ", run.status));
    }
  }

  // The runs recorded by `eval run` (tagged mlops.kind=eval), newest first.
  void evaluations(const std::function<void(const std::string&, const std::string&)>& out) {
    auto* runs = store();
    if (!runs) return;
    auto kinds = runs->column_text("tags.mlops.kind");
    auto list = runs->list_runs(false);
    if (!kinds || !list) return;
    for (const auto& run : *list) {
      auto kind = kinds->find(run.id);
      if (kind == kinds->end() || kind->second != "eval") continue;
      out(run.id, fmt::format("{}{}{}", run.name, run.name.empty() ? "" : ", ", run.status));
    }
  }

  // prompts/**/NAME.prompt as NAME, then the registered prompts' stages and versions.
  void prompts(const std::function<void(const std::string&, const std::string&)>& out) {
    const std::filesystem::path folder = repo_->root / "prompts";
    std::error_code ec;
    std::vector<std::string> names;
    for (std::filesystem::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec) || it->path().extension() != ".prompt") continue;
      names.push_back(it->path().lexically_relative(folder).replace_extension().generic_string());
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) out(name, "prompts/" + name + ".prompt");
    registered_prompts(out, /*versions=*/true);
  }

  // NAME#STAGE (and NAME@vX.Y.Z when `versions`) of the models registered as prompts.
  void registered_prompts(const std::function<void(const std::string&, const std::string&)>& out, bool versions) {
    for (const auto& [name, model] : models()) {
      const auto* latest = model.latest();
      if (!latest || latest->message.meta.type != "prompt") continue;
      for (const auto& stage : model.stages()) out(name + "#" + stage, "the prompt in " + stage);
      if (!versions) continue;
      for (auto it = model.versions.rbegin(); it != model.versions.rend(); ++it) {
        if (it->registered && it->active) out(name + "@" + it->name, "registered prompt");
      }
    }
  }

  void keys(std::string_view kind, std::string_view prefix,
            const std::function<void(const std::string&, const std::string&)>& out) {
    auto* runs = store();
    if (!runs) return;
    auto names = runs->keys(kind);
    if (!names) return;
    std::string_view what = kind == "metrics" ? "metric" : kind == "params" ? "param" : "tag";
    for (const auto& name : *names) out(std::string(prefix) + name, std::string(what));
  }

  void run_keys(const std::function<void(const std::string&, const std::string&)>& out) {
    for (std::string_view attribute : tracking::run_attributes()) out(std::string(attribute), "run attribute");
    keys("metrics", "metrics.", out);
    keys("params", "params.", out);
    keys("tags", "tags.", out);
  }

  // The model named by the command's NAME argument.
  const registry::Model* named_model() {
    for (const auto& [option, value] : parsed_.positionals) {
      if (option->get_name() != "name") continue;
      auto it = models().find(value);
      return it == models().end() ? nullptr : &it->second;
    }
    return nullptr;
  }

  void versions(const std::function<void(const std::string&, const std::string&)>& out) {
    const registry::Model* model = named_model();
    if (!model) return;
    for (auto it = model->versions.rbegin(); it != model->versions.rend(); ++it) {
      if (!it->registered) continue;
      std::string stages;
      for (const auto& [stage, track] : it->stages) {
        if (track.active && model->in_stage(stage) == &*it) stages += (stages.empty() ? "" : ", ") + stage;
      }
      out(it->name, !it->active ? "deregistered" : stages.empty() ? "version" : "in " + stages);
    }
  }

  void stages(const std::function<void(const std::string&, const std::string&)>& out) {
    std::vector<std::string> names;
    if (auto stages = registry::load_stages(*repo_); stages) names = *stages;
    for (const auto& [name, model] : models()) {
      for (const auto& stage : model.stages()) {
        if (std::find(names.begin(), names.end(), stage) == names.end()) names.push_back(stage);
      }
    }
    for (const auto& stage : names) out(stage, "stage");
  }

  void model_refs(const std::function<void(const std::string&, const std::string&)>& out) {
    for (const auto& [name, model] : models()) {
      out(name, "the latest version");
      for (const auto& stage : model.stages()) out(name + "#" + stage, "the version in " + stage);
      if (model.latest()) out(name + "@latest", model.latest()->name);
      for (auto it = model.versions.rbegin(); it != model.versions.rend(); ++it) {
        if (it->registered && it->active) out(name + "@" + it->name, "version");
      }
    }
  }

  const Parsed& parsed_;
  std::optional<Repo> repo_;
  bool store_tried_ = false;
  std::optional<tracking::RunStore> store_;
  std::optional<registry::State> state_;
};

int run_complete(const CLI::App& root, std::vector<std::string> words) {
  check_rules(root);
  std::string current = words.empty() ? "" : words.back();
  if (!words.empty()) words.pop_back();
  Parsed parsed = parse_words(root, words);
  const CLI::App& command = *parsed.command;

  std::unordered_set<std::string> seen;
  auto emit = [&](const std::string& candidate, const std::string& description) {
    if (!candidate.starts_with(current)) return;
    if (!seen.insert(candidate).second) return;
    std::string line = description.empty() ? candidate : candidate + "\t" + description;
    std::replace(line.begin() + static_cast<std::ptrdiff_t>(candidate.size()), line.end(), '\n', ' ');
    out::print(line + "\n");
  };
  // The value of an option (`--to <TAB>`): only what the store has for it.
  if (parsed.pending && parsed.pending->nonpositional()) {
    StoreValues(parsed).emit(kind_of(command, *parsed.pending), emit);
    return 0;
  }
  if (current.starts_with("-")) {
    for (const CLI::Option* option : visible_options(command)) {
      for (const auto& name : option->get_lnames()) emit("--" + name, option->get_description());
      for (const auto& name : option->get_snames()) emit("-" + name, option->get_description());
    }
    return 0;
  }
  if (parsed.positionals.empty()) {
    for (const CLI::App* sub : visible_subcommands(command)) emit(sub->get_name(), sub->get_description());
  }
  if (parsed.pending) StoreValues(parsed).emit(kind_of(command, *parsed.pending), emit);
  return 0;
}

}  // namespace

int complete(const CLI::App& app, std::vector<std::string> words) { return run_complete(app, std::move(words)); }

}  // namespace mlops::cli
