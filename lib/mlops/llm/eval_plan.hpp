#pragma once
// Building an evaluation's plan from its config: the prompt loaded and rendered for every golden
// case (a case that lacks a required variable is bad input naming the case and its line, before
// anything runs), the golden set read, and what identifies both (versions).
#include <filesystem>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/eval_config.hpp"
#include "mlops/llm/eval_run.hpp"

namespace mlops::llm {

// `repo`, when given, makes the file names in the plan relative to the repository's root.
Result<EvalPlan> make_plan(EvalConfig config, const Repo* repo);

}  // namespace mlops::llm
