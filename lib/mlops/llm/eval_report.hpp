#pragma once
// Gate and comparison reports for CI: Markdown (a pull-request comment) and JUnit XML (the
// test views of GitLab, Jenkins, GitHub Actions reporters), and their JSON documents.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "mlops/llm/eval_gate.hpp"
#include "mlops/llm/eval_results.hpp"

namespace mlops::llm {

// {gate, value, baseline, bound, status, reason, passed, incomplete}
nlohmann::ordered_json gate_check_json(const GateCheck& check);
nlohmann::ordered_json gate_json(const GateReport& report, const EvalResults& results, std::string_view source);
nlohmann::ordered_json comparison_json(const EvalComparison& comparison, std::string_view baseline,
                                       std::string_view candidate);

std::string gate_markdown(const GateReport& report, const EvalResults& results, std::string_view source);
std::string comparison_markdown(const EvalComparison& comparison, std::string_view baseline,
                                std::string_view candidate);

// One <testsuite> of the gates and one of the cases (a failure per failed case, an error per
// errored one, skipped for skipped ones); `flips` marks cases that passed in the baseline.
std::string gate_junit(const GateReport& report, const EvalResults& results, std::string_view source);
std::string comparison_junit(const EvalComparison& comparison, const EvalResults& candidate, std::string_view baseline,
                             std::string_view candidate_source);

// A delta for people: "+0.02", "-3", "0" (human_number with a sign).
std::string signed_number(double value);
// The warning when a comparison's sides ran different golden sets (!same_golden()).
std::string golden_warning(const EvalComparison& comparison);

// The warning when the sides share no case because their providers differ (cases are matched by
// id and provider: a renamed provider makes every case one-sided); nullopt otherwise.
std::optional<std::string> provider_warning(const EvalResults& baseline, const EvalResults& candidate,
                                            const EvalComparison& comparison);

// The text of a case's failure: its error, else its first failed assertion's message.
std::string case_problem(const CaseResult& c);

}  // namespace mlops::llm
