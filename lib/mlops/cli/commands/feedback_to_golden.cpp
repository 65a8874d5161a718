// `mlops feedback to-golden --signal S [--value V] --traces FILE... -o CANDIDATES.jsonl [--json]`
#include <fmt/format.h>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/feedback.hpp"
#include "mlops/core/file.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/feedback/store.hpp"
#include "mlops/feedback/to_golden.hpp"

namespace mlops::cli {

namespace {

struct FeedbackToGoldenOptions {
  std::string signal;
  std::string value;
  std::vector<std::string> traces;
  std::string output;
  bool skip_bad = false;
};

int run_feedback_to_golden(const FeedbackToGoldenOptions& o) {
  feedback::Selection selection;
  auto signal = trace::parse_signal(o.signal);
  if (!signal)
    throw Failure(bad_input(fmt::format("--signal '{}' is not a signal", o.signal),
                            "the signals are thumbs, rating, edit, copy and regenerate"));
  selection.signal = *signal;
  selection.value = o.value;
  unwrap(feedback::check_selection(selection));
  Repo repo = require_store();
  auto store = unwrap(feedback::FeedbackStore::open_existing(repo));
  if (!store)
    throw Failure(
        bad_input("no feedback in this repository yet", "import the events first: mlops feedback import EVENTS.jsonl"));
  auto events = unwrap(store->all());
  auto report =
      unwrap(feedback::to_golden(events, selection, o.traces, o.skip_bad ? trace::SkipBad::yes : trace::SkipBad::no));
  std::string what = o.value.empty() ? o.signal : fmt::format("{} {}", o.signal, o.value);
  if (report.spans_selected && report.cases.empty()) {
    throw Failure(
        bad_input(fmt::format("none of the {} responses with feedback '{}' is in the traces given (first: {})",
                              report.spans_selected, what, report.spans_not_found.front()),
                  "give the trace exports that hold those spans: --traces traces/*.jsonl"));
  }
  unwrap(write_file_atomic(o.output, feedback::candidates_jsonl(report)));
  if (!report.spans_not_found.empty()) {
    std::string first;
    for (std::size_t i = 0; i < report.spans_not_found.size() && i < 3; ++i)
      first += (i ? ", " : "") + report.spans_not_found[i];
    out::warn(fmt::format("{} of the {} responses with feedback are not in the traces given, left out: {}{}",
                          report.spans_not_found.size(), report.spans_selected, first,
                          report.spans_not_found.size() > 3 ? ", ..." : ""));
  }
  if (!report.without_content.empty()) {
    out::warn(
        fmt::format("{} of the cases have no prompt and no answer: their traces carry no gen_ai.input.messages, "
                    "gen_ai.output.messages (or gen_ai.prompt, input.value, ...), first: {}",
                    report.without_content.size(), report.without_content.front()));
    out::hint(
        "turn on message capture in the instrumentation (OpenTelemetry's GenAI instrumentations: "
        "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true), or fill in the cases by hand");
  }
  if (report.without_variables)
    out::warn(
        fmt::format("{} cases have no input variables (their spans carry no llm.prompt_template.variables): "
                    "fill in 'input' before marking them active",
                    report.without_variables));
  if (out::settings().json) {
    out::print_json({{"output", o.output},
                     {"signal", o.signal},
                     {"value", o.value},
                     {"events_selected", report.events_selected},
                     {"responses", report.spans_selected},
                     {"cases", report.cases.size()},
                     {"with_expected_output", report.with_edit},
                     {"without_variables", report.without_variables},
                     {"without_content", report.without_content},
                     {"not_in_traces", report.spans_not_found}});
    return 0;
  }
  if (report.events_selected == 0) {
    out::println("no feedback '{}' in the store: wrote an empty '{}'", what, o.output);
    return 0;
  }
  out::println(
      "wrote {} candidate case{} to '{}' from {} feedback event{} '{}' ({} with the user's edit as the "
      "expected output)",
      report.cases.size(), report.cases.size() == 1 ? "" : "s", o.output, report.events_selected,
      report.events_selected == 1 ? "" : "s", what, report.with_edit);
  out::hint(
      fmt::format("review them, set \"status\": \"active\" on the good ones and add them to the golden set; "
                  "check with: mlops eval check {}",
                  o.output));
  return 0;
}

}  // namespace

void add_feedback_to_golden(CLI::App& group) {
  auto options = std::make_shared<FeedbackToGoldenOptions>();
  auto* command = add_command(group, "to-golden",
                              "Turn responses with feedback into candidate golden cases (eval skips them until active)",
                              [options] { return run_feedback_to_golden(*options); });
  command->footer(
      "Each response (span) with an imported feedback event of --signal (and --value) becomes one case:\n"
      "input = the prompt's variables (llm.prompt_template.variables), metadata = the final prompt, the\n"
      "output and the feedback; a user's edit on it becomes expected.output. Cases are marked\n"
      "\"status\": \"candidate\": eval check checks them, eval run skips them until set to \"active\".\n"
      "--value: up or down for thumbs; a rating, or positive, neutral, negative for ratings.\n"
      "The case format and where each field comes from: docs/feedback.md.\n"
      "Exit status: 0 written, 2 bad input (no feedback imported, none of the responses in the traces,\n"
      "a malformed trace line), 3 an I/O error.\n"
      "Example: mlops feedback to-golden --signal thumbs --value down --traces traces/*.jsonl -o candidates.jsonl\n"
      "Example: mlops feedback to-golden --signal edit --traces traces.jsonl -o edits.jsonl");
  command->add_option("--signal", options->signal, "thumbs, rating, edit, copy or regenerate")
      ->required()
      ->check(CLI::IsMember({"thumbs", "rating", "edit", "copy", "regenerate"}))
      ->option_text("SIGNAL");
  command->add_option("--value", options->value, "Only events with this value (thumbs: up, down; rating: 2, negative)")
      ->option_text("VALUE");
  command->add_option("--traces", options->traces, "OTLP/JSON trace exports that hold the responses' spans")
      ->required()
      ->option_text("FILE...");
  command->add_option("-o,--output", options->output, "Where to write the cases (JSON lines)")
      ->required()
      ->option_text("FILE");
  command->add_flag("--skip-bad", options->skip_bad, "Count and skip malformed trace lines instead of stopping");
  add_json_flag(*command);
}

}  // namespace mlops::cli
