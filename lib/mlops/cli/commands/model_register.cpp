// `mlops model register NAME (--run ID | --path PATH)`: register a new version of a model.
#include <charconv>
#include <filesystem>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/model.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/data/store.hpp"
#include "mlops/data/tracked.hpp"
#include "mlops/git/tags.hpp"
#include "mlops/git/worktree_state.hpp"
#include "mlops/registry/semver.hpp"
#include "mlops/registry/tag_name.hpp"
#include "mlops/tracking/recorder.hpp"
#include "mlops/tracking/run_store.hpp"

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
  model::WriteOptions write;
};

// Artifacts every run records on its own; they are never the model.
bool is_run_bookkeeping(std::string_view name) { return name == "git.diff" || name == "output.log"; }

// The artifact of `run` that --artifact names (by name, or by path relative to the repository),
// or its only model-like artifact.
const tracking::Artifact& pick_artifact(const tracking::RunRecord& run, const std::string& wanted) {
  std::vector<const tracking::Artifact*> candidates;
  for (const auto& a : run.artifacts) {
    if (wanted.empty() ? !is_run_bookkeeping(a.name)
                       : (a.name == wanted || std::filesystem::path(a.name).filename() == wanted)) {
      candidates.push_back(&a);
    }
  }
  std::string names;
  for (const auto& a : run.artifacts) {
    if (!is_run_bookkeeping(a.name)) names += (names.empty() ? "" : ", ") + a.name;
  }
  if (candidates.size() == 1) return *candidates.front();
  if (!wanted.empty() && candidates.empty()) {
    throw Failure(bad_input(fmt::format("run '{}' has no artifact '{}'", run.id, wanted),
                            names.empty() ? "the run logged no artifacts" : fmt::format("its artifacts: {}", names)));
  }
  if (candidates.empty()) {
    throw Failure(bad_input(fmt::format("run '{}' logged no artifact to register", run.id),
                            "log the model in the run ('mlops log artifact PATH'), or register a file with --path"));
  }
  throw Failure(bad_input(fmt::format("run '{}' logged several artifacts: {}", run.id, names),
                          "choose one with --artifact NAME"));
}

std::pair<std::string, double> parse_metric(const std::string& text) {
  auto eq = text.rfind('=');
  double value = 0;
  if (eq != std::string::npos && eq > 0) {
    std::string_view number(text.data() + eq + 1, text.size() - eq - 1);
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec == std::errc() && end == number.data() + number.size() && !number.empty()) {
      return {text.substr(0, eq), value};
    }
  }
  throw Failure(bad_input(fmt::format("malformed metric '{}'", text), "write NAME=VALUE, e.g. --metric auc=0.93"));
}

int run_model_register(const ModelRegisterOptions& options) {
  Repo repo = require_store();
  unwrap(registry::check_model_name(options.name));
  if (options.run.empty() == options.path.empty()) {
    throw Failure(bad_input("give either --run ID or --path PATH", "see 'mlops model register --help'"));
  }
  std::optional<registry::SemVer> wanted_version;
  if (!options.version.empty()) {
    wanted_version = registry::SemVer::parse(options.version);
    if (!wanted_version) {
      throw Failure(bad_input(fmt::format("'{}' is not a version", options.version),
                              "versions are 'v' and a SemVer: v1.2.0, v1.0.0-rc.1"));
    }
  }
  auto bump = registry::SemVer::Part::patch;
  if (options.bump == "major") bump = registry::SemVer::Part::major;
  if (options.bump == "minor") bump = registry::SemVer::Part::minor;
  auto git_repo = unwrap(git::Repository::open(repo.root));

  registry::Metadata meta;
  std::string commit;
  bool dirty = false;
  if (!options.run.empty()) {
    auto store = unwrap(tracking::RunStore::open(repo));
    auto run = unwrap(store.get(unwrap(store.resolve(options.run))));
    if (run.status != tracking::RunStatus::finished) {
      throw Failure(
          bad_input(run.status == tracking::RunStatus::failed
                        ? fmt::format("run '{}' failed (exit code {}); only a finished run can be registered", run.id,
                                      run.exit_code ? std::to_string(*run.exit_code) : "unknown")
                        : fmt::format("run '{}' is {}; only a finished run can be registered", run.id, run.status),
                    "see it with 'mlops runs show " + run.id + "'"));
    }
    if (run.git_commit.empty()) throw Failure(bad_input(fmt::format("run '{}' has no git commit", run.id)));
    const auto& artifact = pick_artifact(run, options.artifact);
    auto hash = Hash::parse(artifact.hash);
    if (!hash)
      throw Failure(bad_input(fmt::format("run '{}' recorded a malformed hash for '{}'", run.id, artifact.name)));
    meta.artifact = *hash;
    meta.kind = artifact.kind;
    meta.size = artifact.size;
    meta.files = artifact.files;
    meta.path = artifact.name;
    meta.run = run.id;
    for (const auto& d : run.data) {
      if (auto h = Hash::parse(d.hash)) meta.data.emplace_back(d.path, *h);
    }
    for (const auto& [key, point] : run.metrics) meta.metrics.emplace_back(key, point.value);
    commit = run.git_commit;
    dirty = run.git_dirty || run.data_dirty;
    if (run.git_dirty && !options.allow_dirty) {
      throw Failure(bad_input(fmt::format("run '{}' ran on uncommitted changes", run.id),
                              "commit and rerun, or pass --allow-dirty (the version then cannot be rebuilt from git)"));
    }
    if (!options.allow_dirty) unwrap(tracking::check_data_clean(run));
  } else {
    auto head = git_repo.head_commit();
    if (!head)
      throw Failure(
          bad_input("the repository has no commits yet", "commit your code first: the version is tied to a commit"));
    commit = *head;
    auto worktree = unwrap(git::worktree_state(git_repo));
    dirty = worktree.dirty;
    if (dirty && !options.allow_dirty) {
      throw Failure(
          bad_input("the work tree has uncommitted changes",
                    "commit them first, or pass --allow-dirty (the version then cannot be rebuilt from git)"));
    }
    std::filesystem::path path(options.path);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      throw Failure(bad_input(fmt::format("no file or folder '{}'", options.path)));
    auto stored = unwrap(data::store_path(repo, path));
    meta.artifact = stored.hash;
    meta.kind = stored.kind == data::Kind::dir ? "dir" : "file";
    meta.size = stored.size;
    meta.files = stored.files;
    auto relative = repo.relative(std::filesystem::absolute(path));
    meta.path = relative ? *relative : path.filename().string();
    for (const auto& t : unwrap(data::list_tracked_at(repo, commit)))
      meta.data.emplace_back(t.data_path, t.pointer.hash);
    for (const auto& m : options.metrics) meta.metrics.push_back(parse_metric(m));
  }
  meta.dirty = dirty;
  if (dirty) out::warn("registering from uncommitted changes: this version cannot be rebuilt from git alone");

  std::string version_name;
  auto written = unwrap(
      registry::write_tag(repo, git_repo, options.name, [&](const registry::State& state) -> Result<registry::NewTag> {
        const registry::Model* m = state.find(options.name);
        if (m) {
          // GTO finds the version a stage tag means by its commit: one active version per commit.
          for (const auto& v : m->versions) {
            if (v.registered && v.active && v.commit == commit) {
              return std::unexpected(
                  bad_input(fmt::format("'{}' {} is already registered at commit {}", options.name, v.name,
                                        model::short_commit(commit)),
                            "each version needs its own commit: commit your changes, then register"));
            }
          }
        }
        registry::SemVer next;
        if (wanted_version) {
          next = *wanted_version;
        } else if (const registry::Version* latest = m ? m->latest() : nullptr) {
          next = registry::SemVer::parse(latest->name)->bump(bump);
        } else if (!options.bump.empty()) {
          return std::unexpected(bad_input(fmt::format("'{}' has no version to bump yet", options.name),
                                           "the first version is v0.0.1; or give one with --version"));
        } else {
          next = *registry::SemVer::parse("v0.0.1");
        }
        version_name = next.str();
        registry::TagName tag{options.name, registry::Action::register_version, version_name, {}, std::nullopt};
        if ((m && m->find(version_name)) || git::tag_exists(git_repo, tag.str())) {
          return std::unexpected(
              bad_input(fmt::format("version '{}' of '{}' exists already", version_name, options.name),
                        fmt::format("see 'mlops model show {}'; give another with --version", options.name)));
        }
        return registry::NewTag{tag.str(), commit,
                                registry::format_message(registry::register_subject(options.name, version_name),
                                                         options.write.message, meta)};
      }));
  bool pushed = model::publish(git_repo, {written.name}, options.write.push);
  if (out::settings().json) {
    auto doc = nlohmann::ordered_json{
        {"model", options.name},
        {"version", version_name},
        {"tag", written.name},
        {"commit", written.commit},
        {"artifact", meta.artifact->str()},
        {"size", *meta.size},
        {"run", meta.run.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(meta.run)},
        {"dirty", dirty},
        {"pushed", pushed}};
    out::print_json(doc);
    return 0;
  }
  out::println("Registered {} {} (tag '{}' on {})", options.name, version_name, written.name,
               model::short_commit(commit));
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
  auto* version = command->add_option("--version", options->version, "Version to give (default: bump the latest)")
                      ->option_text("vX.Y.Z");
  command->add_option("--bump", options->bump, "Part of the latest version to bump (default: patch)")
      ->check(CLI::IsMember({"major", "minor", "patch"}))
      ->option_text("PART")
      ->excludes(version);
  command->add_option("--metric", options->metrics, "A metric of the model with --path, NAME=VALUE (repeatable)")
      ->option_text("NAME=VALUE")
      ->needs(path)
      ->allow_extra_args(false);
  command->add_flag("--allow-dirty", options->allow_dirty,
                    "Register from uncommitted changes (the version cannot be rebuilt from git)");
  model::add_write_options(*command, options->write);
  add_json_flag(*command);
}

}  // namespace mlops::cli
