#pragma once
// Running an evaluation: every golden case's rendered prompt through every provider, scored by
// the config's assertions (docs/eval.md, "eval run"). Knows nothing of runs or the registry:
// eval_record.hpp records what this returns.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/llm/eval_cache.hpp"
#include "mlops/llm/eval_config.hpp"
#include "mlops/llm/eval_results.hpp"
#include "mlops/llm/golden.hpp"

namespace mlops::llm {

// What is evaluated: the config, the golden set, and each case's rendered prompt.
struct EvalPlan {
  EvalConfig config;
  GoldenSet golden;
  std::vector<std::string> prompts;                         // per case: the text a provider reads on stdin
  nlohmann::json prompt_config = nlohmann::json::object();  // the prompt's `config` (temperature, ...)
  std::string prompt_file, prompt_name, prompt_version;
  std::string golden_file, golden_version;
  std::string config_file;  // eval.yaml, as the prompt and golden files are named
};

// use: answer from the cache when it can, call and remember otherwise; record: call every
// provider and remember the answers (refreshes the recordings); replay: never call a provider.
enum class CacheMode { use, record, replay };

struct EvalRunOptions {
  std::size_t jobs = 1;  // cases in flight at once
  CacheMode mode = CacheMode::use;
  std::optional<double> budget_usd;         // stop starting calls once this much was spent (reported costs)
  std::optional<double> rpm;                // at most this many provider calls started per minute
  const std::atomic<bool>* stop = nullptr;  // set (by SIGINT): start nothing more, end calls in flight
  std::function<void()> on_case_done;       // progress; called from worker threads
};

// One (case, provider) to run, with its cached response when the mode reads the cache.
struct EvalTask {
  std::size_t case_index = 0;
  std::size_t provider_index = 0;
  std::string key;
  std::optional<Response> cached;
  std::shared_ptr<const nlohmann::json> provider_files;  // the provider's, as recorded with its answer
};

// Looks every task up in the cache. In replay mode a task without a recording is bad input
// naming the case and provider (nothing has been called or recorded yet).
Result<std::vector<EvalTask>> plan_tasks(const EvalPlan& plan, ResponseCache& cache, CacheMode mode);

// Runs the tasks: results in golden order, then provider order. Responses from calls are queued
// in `cache` (the caller flushes it). Cases not run (budget spent, interrupted) are skipped.
EvalResults run_evaluation(const EvalPlan& plan, std::vector<EvalTask> tasks, ResponseCache& cache,
                           const EvalRunOptions& options);

// The provider's config for a case: the prompt's config with the provider's `config` over it.
nlohmann::json merged_config(const nlohmann::json& prompt_config, const ProviderSpec& provider);

}  // namespace mlops::llm
