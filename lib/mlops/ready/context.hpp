#pragma once
// What `mlops ready` reads once and every item looks at: the registry's production version and
// its run, the runs that rebuilt it, eval.yaml, monitors.yaml, the prompts, the last monitor check.
// A file that is absent or does not parse is recorded with why, never an error: the checklist says
// what is missing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/eval_config.hpp"
#include "mlops/llm/prompt_catalog.hpp"
#include "mlops/ready/checklist.hpp"
#include "mlops/registry/registry.hpp"
#include "mlops/trace/monitor_record.hpp"
#include "mlops/trace/rules.hpp"
#include "mlops/tracking/run_store.hpp"

namespace mlops::ready {

inline constexpr std::string_view kProductionStage = "production";

// A rebuild of the production version's run by `mlops repro`.
struct Rebuild {
  tracking::RunRecord run;  // the run repro made, tagged repro_of=<the production version's run>
  // The run its command recorded itself, inside `run` (an evaluation), which repro compared
  // instead (tag repro_compared); nullopt for a command that does not record its own run.
  std::optional<tracking::RunRecord> compared;
  std::string compared_id;  // the tag's value, even when that run is no longer in the store
  const tracking::RunRecord& made() const { return compared ? *compared : run; }  // what the rebuild made
  std::string verdict() const;  // what repro said (tag repro_verdict); "" from a repro that did not say
};

struct Context {
  Repo repo;
  std::uint64_t now_ns = 0;
  std::string target;         // the model (or prompt) assessed; "" when nothing is registered
  registry::Loaded registry;  // owns what model and production point into
  const registry::Model* model = nullptr;
  const registry::Version* production = nullptr;
  std::vector<std::string> production_gates;  // the gates of its assignment to production
  std::vector<std::string> holders;           // versions that held production, oldest first
  std::optional<tracking::RunRecord> run;     // the production version's run
  std::string run_problem;                    // why there is none
  std::vector<Rebuild> rebuilds;              // newest first
  std::optional<llm::EvalConfig> eval;        // eval.yaml
  std::string eval_problem;
  std::optional<trace::MonitorFile> monitors;  // monitors.yaml
  std::string monitors_problem;
  std::vector<llm::PromptEntry> prompts;
  std::optional<trace::MonitorCheckRecord> last_check;
};

// Reads the context for `target` (a model or prompt name; empty: the only registered model).
// Bad input for a name that is neither, or for no name when several models are registered.
Result<Context> read_context(const Repo& repo, const std::string& target, std::uint64_t now_ns);

// The items, in the checklist's order.
Item reproducibility(const Context& c);
Item testing(const Context& c);
Item monitoring(const Context& c);
Item fallback(const Context& c);
Item cost_control(const Context& c);

// The checklist over a context.
Checklist assess(const Context& c);

}  // namespace mlops::ready
