#pragma once
// `feedback to-golden`: the responses users gave some feedback on, joined with their spans in
// trace exports, as golden-set cases marked "status": "candidate" (which `eval run` skips until a
// person marks them active):
//   {"id": "fb-<span id>", "status": "candidate", "input": {<the prompt's variables>},
//    "expected": {"output": "<the user's edit>"}, "tags": ["feedback", "thumbs-down"],
//    "metadata": {"trace_id", "span_id", "model", "prompt_name", "prompt", "output", "feedback"}}
// Variables come from OpenInference's llm.prompt_template.variables; the final prompt from
// gen_ai.input.messages (gen_ai.prompt before it, or input.value); the output from
// gen_ai.output.messages (gen_ai.completion, output.value). When the span the feedback names
// carries none of them (an agent's root span), the last model call of its trace that does is used;
// when no span of the trace does (content capture off), the case names the span without them.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "mlops/core/error.hpp"
#include "mlops/trace/feedback.hpp"
#include "mlops/trace/read.hpp"

namespace mlops::feedback {

struct Selection {
  trace::FeedbackSignal signal = trace::FeedbackSignal::thumbs;
  // thumbs: up, down; rating: a number (that rating) or positive, neutral, negative (thumbs take
  // positive and negative too); empty: every event of the signal.
  std::string value;
};

// Bad input when `value` means nothing for the signal (a value for copy, "sideways" for thumbs).
Result<void> check_selection(const Selection& selection);
bool selected(const trace::FeedbackEvent& event, const Selection& selection);

struct CandidateReport {
  std::vector<nlohmann::ordered_json> cases;  // in the time order of their first selected event
  std::size_t events_selected = 0;
  std::size_t spans_selected = 0;
  std::vector<std::string> spans_not_found;  // "trace/span" of selected spans not in the exports
  std::vector<std::string> without_content;  // "trace/span" of cases whose trace records no prompt or answer
  std::size_t without_variables = 0;         // cases whose input is {}: no variables were recorded
  std::size_t with_edit = 0;                 // cases whose expected output is a user's edit
  trace::ReadSummary read;
};

// Builds the candidates from `events` (every event of the store: an edit on a selected span
// becomes its expected output whatever the selection) and the span exports `traces`.
Result<CandidateReport> to_golden(const std::vector<trace::FeedbackEvent>& events, const Selection& selection,
                                  const std::vector<std::string>& traces, trace::SkipBad skip_bad);

// The cases as JSON lines.
std::string candidates_jsonl(const CandidateReport& report);

}  // namespace mlops::feedback
