#include "mlops/llm/eval_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <mutex>
#include <thread>

namespace mlops::llm {

namespace {

using Clock = std::chrono::steady_clock;

// Spaces provider calls evenly: at most `rpm` starts a minute, the first at once.
class RateLimiter {
 public:
  explicit RateLimiter(std::optional<double> rpm)
      : interval_(rpm && *rpm > 0
                      ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(60.0 / *rpm))
                      : Clock::duration::zero()) {}
  // Waits for this call's slot; false when `stop` was set meanwhile.
  bool wait(const std::atomic<bool>* stop) {
    if (interval_ == Clock::duration::zero()) return true;
    Clock::time_point slot;
    {
      std::lock_guard lock(mutex_);
      auto now = Clock::now();
      slot = std::max(now, next_);
      next_ = slot + interval_;
    }
    while (Clock::now() < slot) {
      if (stop && stop->load()) return false;
      std::this_thread::sleep_for(std::min<Clock::duration>(slot - Clock::now(), std::chrono::milliseconds(50)));
    }
    return true;
  }

 private:
  Clock::duration interval_;
  std::mutex mutex_;
  Clock::time_point next_{};
};

// What the budget allows: calls start while the reported costs stay under the cap.
class Budget {
 public:
  explicit Budget(std::optional<double> cap) : cap_(cap) {}
  bool allows() {
    std::lock_guard lock(mutex_);
    return !cap_ || spent_ < *cap_;
  }
  void spend(double cost) {
    std::lock_guard lock(mutex_);
    spent_ += cost;
  }

 private:
  std::optional<double> cap_;
  std::mutex mutex_;
  double spent_ = 0;
};

void score_case(CaseResult& result, const EvalPlan& plan, const GoldenCase& golden, const std::atomic<bool>* stop) {
  const auto& response = *result.response;
  AssertInput input;
  input.output = response.output;
  input.golden = &golden;
  input.provider = result.provider;
  input.latency_ms = response.latency_ms;
  input.cost = response.cost;
  input.retrieved_ids = response.retrieved_ids;
  double weights = 0, passed = 0;
  std::string first_error;
  for (const auto& assertion : plan.config.assertions) {
    auto outcome = evaluate(assertion, input, stop);
    if (assertion.weight > 0) {
      weights += assertion.weight;
      if (outcome.passed) passed += assertion.weight;
      if (!outcome.error.empty() && first_error.empty())
        first_error = fmt::format("{}: {}", outcome.name, outcome.error);
    }
    result.assertions.push_back(std::move(outcome));
  }
  result.score = weights > 0 ? passed / weights : 1.0;
  if (!first_error.empty()) {
    result.status = CaseStatus::error;
    result.error = first_error;
  } else {
    // A tolerance for the sum of weights: 0.1 + 0.2 of 0.3 is all of it.
    result.status = result.score + 1e-12 >= plan.config.threshold ? CaseStatus::pass : CaseStatus::fail;
  }
}

}  // namespace

nlohmann::json merged_config(const nlohmann::json& prompt_config, const ProviderSpec& provider) {
  nlohmann::json config = prompt_config.is_object() ? prompt_config : nlohmann::json::object();
  for (const auto& [key, value] : provider.config.items()) config[key] = value;
  return config;
}

Result<std::vector<EvalTask>> plan_tasks(const EvalPlan& plan, ResponseCache& cache, CacheMode mode) {
  std::vector<EvalTask> tasks;
  std::vector<std::string> missing;
  std::vector<nlohmann::json> configs;
  std::vector<std::shared_ptr<const nlohmann::json>> files;
  for (const auto& provider : plan.config.providers) {
    configs.push_back(merged_config(plan.prompt_config, provider));
    auto found = provider_files(provider);
    if (!found) return std::unexpected(found.error());
    files.push_back(std::make_shared<const nlohmann::json>(std::move(*found)));
  }
  for (std::size_t c = 0; c < plan.golden.cases.size(); ++c) {
    for (std::size_t p = 0; p < plan.config.providers.size(); ++p) {
      EvalTask task;
      task.case_index = c;
      task.provider_index = p;
      task.key = cache_key(plan.config.providers[p], plan.prompts[c], configs[p]);
      task.provider_files = files[p];
      if (mode != CacheMode::record) {
        auto found = cache.find(task.key, *task.provider_files);
        if (!found) return std::unexpected(found.error());
        task.cached = std::move(*found);
        if (mode == CacheMode::replay && !task.cached) {
          missing.push_back(fmt::format("'{}' (line {}) with provider '{}'", plan.golden.cases[c].id,
                                        plan.golden.cases[c].line, plan.config.providers[p].id));
        }
      }
      tasks.push_back(std::move(task));
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 5) list += fmt::format(" and {} more", missing.size() - 5);
    return std::unexpected(bad_input(fmt::format("--replay: no recorded response for case {}", list),
                                     "record the responses first: mlops eval run --record (answers recorded "
                                     "before the provider's script changed do not count)"));
  }
  return tasks;
}

EvalResults run_evaluation(const EvalPlan& plan, std::vector<EvalTask> tasks, ResponseCache& cache,
                           const EvalRunOptions& options) {
  EvalResults results;
  results.prompt_file = plan.prompt_file;
  results.prompt_name = plan.prompt_name;
  results.prompt_version = plan.prompt_version;
  results.golden_file = plan.golden_file;
  results.golden_version = plan.golden_version;
  for (const auto& provider : plan.config.providers) results.providers[provider.id] = provider.command_text;
  for (const auto& assertion : plan.config.assertions) {
    results.assertion_names.push_back(assertion.name);
    results.higher_is_better[assertion.name] = higher_is_better(assertion.kind);
    results.assertion_types[assertion.name] = assertion.type;
  }
  results.threshold = plan.config.threshold;
  results.cases.resize(tasks.size());

  std::vector<nlohmann::json> configs;
  for (const auto& provider : plan.config.providers) configs.push_back(merged_config(plan.prompt_config, provider));
  RateLimiter limiter(options.rpm);
  Budget budget(options.budget_usd);
  std::atomic<bool> budget_spent{false};
  std::atomic<std::size_t> next{0};

  auto work = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) {
      auto& task = tasks[i];
      const auto& golden = plan.golden.cases[task.case_index];
      const auto& provider = plan.config.providers[task.provider_index];
      CaseResult& result = results.cases[i];
      result.id = golden.id;
      result.provider = provider.id;
      result.tags = golden.tags;
      auto skip = [&](std::string why) {
        result.status = CaseStatus::skipped;
        result.error = std::move(why);
      };
      bool stopping = options.stop && options.stop->load();
      if (stopping) {
        skip("interrupted");
      } else if (task.cached && options.mode != CacheMode::record) {
        result.response = std::move(task.cached);
        result.cached = true;
      } else if (!budget.allows()) {
        budget_spent = true;
        skip(fmt::format("budget of {} USD spent", *options.budget_usd));
      } else if (!limiter.wait(options.stop)) {
        skip("interrupted");
      } else {
        auto call = call_provider(provider, plan.prompts[task.case_index], configs[task.provider_index], options.stop);
        if (call.interrupted) {
          skip("interrupted");
        } else if (!call.response) {
          result.status = CaseStatus::error;
          result.error = std::move(call.error);
        } else {
          if (call.response->cost) budget.spend(*call.response->cost);
          cache.put(task.key, *call.response, *task.provider_files);
          result.response = std::move(call.response);
        }
      }
      if (result.response) score_case(result, plan, golden, options.stop);
      if (options.on_case_done) options.on_case_done();
    }
  };
  std::size_t workers = std::max<std::size_t>(1, std::min(options.jobs, tasks.size()));
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  results.interrupted = options.stop && options.stop->load();
  return results;
}

}  // namespace mlops::llm
