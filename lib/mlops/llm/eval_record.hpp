#pragma once
// An evaluation as an mlops run (docs/eval.md, "The run"): params name what was evaluated (the
// prompt and its version, the golden set and its data version, each provider's command), the
// metrics are the summary's (pass_rate, NAME.mean/.p50/.p95, ...), and the artifacts are the
// per-case results (eval-results.json) and the prompt file itself, so that `runs compare`,
// `model register --run ID --artifact FILE.prompt` and `model promote --require` work on
// evaluations as on training runs.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/core/repo.hpp"
#include "mlops/llm/eval_results.hpp"
#include "mlops/llm/eval_run.hpp"
#include "mlops/tracking/recorder.hpp"

namespace mlops::llm {

// The params of the run of `plan`.
std::map<std::string, std::string> eval_params(const EvalPlan& plan);

// Starts the run (status running) for `plan`; `command` is the mlops command line.
Result<tracking::RunRecorder> begin_eval_run(const Repo& repo, const EvalPlan& plan, std::vector<std::string> command,
                                             std::string name);

// Logs the metrics of `results`, stores the artifacts, and ends the run: killed when the
// evaluation was interrupted, else finished.
Result<void> finish_eval_run(const Repo& repo, tracking::RunRecorder& recorder, const EvalPlan& plan,
                             const EvalResults& results);

// The results `ref` names: a results file (as `eval run -o` writes), a run id or prefix, or a
// registry reference (NAME#STAGE, NAME@vX.Y.Z, NAME@latest) whose version was registered from an
// evaluation run. `repo` may be null outside a repository (then only files are accepted).
// `source` is set to what was read ("run 01J...", "file results.json"). A ref that looks like a
// file (a '/' or ".json") and is none is bad input saying so. An evaluation run that ended
// before recording its results (killed, failed, still running) is an error saying that, with
// the exit code `unfinished` (a gate: 1, the evaluation is incomplete; a baseline: bad input).
Result<EvalResults> load_results(const Repo* repo, std::string_view ref, std::string* source = nullptr,
                                 Exit unfinished = Exit::bad_input);

}  // namespace mlops::llm
