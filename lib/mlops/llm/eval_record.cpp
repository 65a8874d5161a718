#include "mlops/llm/eval_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/data/cache.hpp"
#include "mlops/git/repository.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::llm {

std::map<std::string, std::string> eval_params(const EvalPlan& plan) {
  std::map<std::string, std::string> params;
  // Relative to the repository, as prompt and golden: the same config reads the same from any folder.
  params["eval.config"] =
      plan.config_file.empty() ? plan.config.file.lexically_normal().generic_string() : plan.config_file;
  params["prompt"] = plan.prompt_file;
  params["prompt.name"] = plan.prompt_name;
  params["prompt.version"] = plan.prompt_version;
  params["golden"] = plan.golden_file;
  params["golden.version"] = plan.golden_version;
  params["golden.cases"] = std::to_string(plan.golden.cases.size());
  params["threshold"] = fmt::format("{}", plan.config.threshold);
  for (const auto& provider : plan.config.providers) params["provider." + provider.id] = provider.command_text;
  std::string asserts;
  for (const auto& a : plan.config.assertions) asserts += (asserts.empty() ? "" : ",") + a.name;
  params["assertions"] = asserts;
  return params;
}

Result<tracking::RunRecorder> begin_eval_run(const Repo& repo, const EvalPlan& plan, std::vector<std::string> command,
                                             std::string name) {
  tracking::RunSetup setup;
  setup.name = name.empty() ? "eval" : std::move(name);
  setup.command = std::move(command);
  setup.params = eval_params(plan);
  setup.tags["mlops.kind"] = "eval";
  return tracking::RunRecorder::begin(repo, std::move(setup));
}

Result<void> finish_eval_run(const Repo& repo, tracking::RunRecorder& recorder, const EvalPlan& plan,
                             const EvalResults& results) {
  auto summary = results.summary();
  std::vector<tracking::MetricPoint> points;
  auto now = tracking::now_ms();
  for (const auto& [key, value] : summary.run_metrics) points.push_back({key, value, 0, now});
  auto& store = recorder.store();
  const std::string id = recorder.id();
  auto fail = [&](Error error) -> Result<void> {
    (void)recorder.end(tracking::RunStatus::failed, 1);
    return std::unexpected(std::move(error));
  };
  if (auto logged = store.log_metrics(id, points); !logged) return fail(logged.error());
  if (auto stored = tracking::store_artifact_bytes(repo, store, id, results.dump(), std::string(kResultsArtifact));
      !stored) {
    return fail(stored.error());
  }
  std::filesystem::path prompt = plan.config.prompt;
  if (auto stored = tracking::store_artifact(repo, store, id, prompt, prompt.filename().string()); !stored) {
    return fail(stored.error());
  }
  bool interrupted = results.interrupted;
  return recorder.end(interrupted ? tracking::RunStatus::killed : tracking::RunStatus::finished, interrupted ? 130 : 0);
}

namespace {

// Why an evaluation run has no results: it ended (or has not yet) before writing them.
Error unfinished_evaluation(const tracking::RunRecord& run, Exit exit) {
  std::string what;
  switch (run.status) {
    case tracking::RunStatus::killed:
      what = "was killed before it recorded its results";
      break;
    case tracking::RunStatus::failed:
      what = "failed before it recorded its results";
      break;
    default:
      what = "is still running: it has not recorded its results yet";
      break;
  }
  Error error = bad_input(fmt::format("the evaluation of run {} {}", run.id, what),
                          run.status == tracking::RunStatus::running
                              ? "wait for 'mlops eval run' to end, then gate on the run"
                              : "run it again: mlops eval run (answers cached before it ended are reused)");
  error.exit = exit;
  return error;
}

// A ref written as a file name, which no run id or registry reference looks like.
bool looks_like_file(std::string_view ref) {
  return ref.find('/') != std::string_view::npos || ref.ends_with(".json") || ref.ends_with(".JSON");
}

Result<EvalResults> results_of_run(const Repo& repo, const std::string& given, std::string* source, Exit unfinished) {
  auto store = tracking::RunStore::open(repo);
  if (!store) return std::unexpected(store.error());
  auto id = store->resolve(given);
  if (!id) return std::unexpected(id.error());
  auto run = store->get(*id);
  if (!run) return std::unexpected(run.error());
  if (run->status == tracking::RunStatus::running) {
    // An `eval run` killed with SIGKILL leaves its run running: say killed if its process is gone.
    auto lost = store->mark_lost_runs();
    if (!lost) return std::unexpected(lost.error());
    if (std::find(lost->begin(), lost->end(), *id) != lost->end()) {
      run = store->get(*id);
      if (!run) return std::unexpected(run.error());
    }
  }
  for (const auto& artifact : run->artifacts) {
    if (artifact.name != kResultsArtifact) continue;
    auto hash = Hash::parse(artifact.hash);
    if (!hash) break;
    auto text = data::Cache(repo).read(*hash);
    if (!text) return std::unexpected(text.error());
    if (source) *source = "run " + *id;
    return EvalResults::from_json(*text, fmt::format("run {}", *id));
  }
  auto kind = run->tags.find("mlops.kind");
  if (kind != run->tags.end() && kind->second == "eval" && run->status != tracking::RunStatus::finished) {
    return std::unexpected(unfinished_evaluation(*run, unfinished));
  }
  return std::unexpected(
      bad_input(fmt::format("run {} is not an evaluation: it has no artifact '{}'", *id, kResultsArtifact),
                "give a run recorded by 'mlops eval run' (mlops runs list --where \"tags.mlops.kind = 'eval'\")"));
}

}  // namespace

Result<EvalResults> load_results(const Repo* repo, std::string_view ref, std::string* source, Exit unfinished) {
  std::error_code ec;
  std::filesystem::path path{std::string(ref)};
  if (std::filesystem::is_regular_file(path, ec)) {
    auto text = read_file(path);
    if (!text) return std::unexpected(text.error());
    if (source) *source = "file " + path.string();
    return EvalResults::from_json(*text, path.string());
  }
  bool registry_ref = ref.find('#') != std::string_view::npos || ref.find('@') != std::string_view::npos;
  if (!registry_ref && looks_like_file(ref)) {
    bool folder = std::filesystem::is_directory(path, ec);
    return std::unexpected(bad_input(
        folder ? fmt::format("'{}' is a folder, not a results file", path.lexically_normal().string())
               : fmt::format("no results file '{}': it does not exist", path.lexically_normal().string()),
        "give a file written by 'mlops eval run -o FILE', a run id (mlops runs list --where \"tags.mlops.kind = "
        "'eval'\"), or NAME#STAGE"));
  }
  if (!repo) {
    return std::unexpected(
        bad_input(fmt::format("'{}' is no results file, and there is no mlops repository here to find a run in", ref),
                  "give a file written by 'mlops eval run -o FILE', or run in the repository"));
  }
  if (registry_ref) {
    auto reference = registry::parse_reference(ref);
    if (!reference) return std::unexpected(reference.error());
    auto git_repo = git::Repository::open(repo->root);
    if (!git_repo) return std::unexpected(git_repo.error());
    auto loaded = registry::load(*git_repo, reference->model, repo->initialised() ? repo : nullptr);
    if (!loaded) return std::unexpected(loaded.error());
    auto version = registry::resolve(loaded->state, *reference);
    if (!version) return std::unexpected(version.error());
    const auto& run = (*version)->message.meta.run;
    if (run.empty()) {
      return std::unexpected(bad_input(
          fmt::format("{} ({}) was not registered from a run", ref, (*version)->name),
          "register the prompt from its evaluation: mlops model register NAME --run ID --artifact FILE.prompt"));
    }
    return results_of_run(*repo, run, source, unfinished);
  }
  return results_of_run(*repo, std::string(ref), source, unfinished);
}

}  // namespace mlops::llm
