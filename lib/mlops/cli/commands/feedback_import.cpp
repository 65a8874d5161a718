// `mlops feedback import EVENTS.jsonl... [--json]`
#include <fmt/format.h>

#include <map>

#include "mlops/cli/command.hpp"
#include "mlops/cli/commands/feedback.hpp"
#include "mlops/core/json_output.hpp"
#include "mlops/core/output.hpp"
#include "mlops/feedback/store.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::cli {

namespace {

struct FeedbackImportOptions {
  std::vector<std::string> files;
};

int run_feedback_import(const FeedbackImportOptions& o) {
  Repo repo = require_store();
  // Every file is read and checked before the store is touched: a bad line imports nothing.
  std::vector<std::vector<trace::FeedbackEvent>> files;
  // An event more than a day ahead of this clock was not given yet: a wrong unit or clock.
  const std::uint64_t not_after = trace::now_ns() + 24ull * 3600 * 1000000000;
  for (const auto& f : o.files) files.push_back(unwrap(trace::read_feedback_file(f, not_after)));
  auto store = unwrap(feedback::FeedbackStore::open(repo));
  feedback::ImportSummary total;
  std::map<std::string, std::size_t> by_signal;
  nlohmann::ordered_json per_file = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto s = unwrap(store.add(files[i], o.files[i]));
    total.events += s.events;
    total.added += s.added;
    total.present += s.present;
    total.conflicting.insert(total.conflicting.end(), s.conflicting.begin(), s.conflicting.end());
    for (const auto& e : files[i]) ++by_signal[std::string(trace::to_string(e.signal))];
    per_file.push_back({{"file", o.files[i]}, {"events", s.events}, {"added", s.added}, {"present", s.present}});
  }
  if (!total.conflicting.empty()) {
    std::string named;
    for (std::size_t i = 0; i < total.conflicting.size() && i < 3; ++i)
      named += fmt::format("{}'{}'", i ? ", " : "", total.conflicting[i]);
    if (total.conflicting.size() > 3) named += fmt::format(" and {} more", total.conflicting.size() - 3);
    out::warn(fmt::format("{} event{} reuse{} an id already imported with other content ({}): the first is kept",
                          total.conflicting.size(), total.conflicting.size() == 1 ? "" : "s",
                          total.conflicting.size() == 1 ? "s" : "", named));
    out::hint("give a changed vote an id of its own (feedback events are never overwritten)");
  }
  if (out::settings().json) {
    out::print_json({{"files", per_file},
                     {"events", total.events},
                     {"added", total.added},
                     {"present", total.present},
                     {"conflicting", total.conflicting},
                     {"signals", by_signal},
                     {"store", feedback::store_path(repo).string()}});
    return 0;
  }
  std::string signals;
  for (const auto& [signal, n] : by_signal) signals += fmt::format("{}{} {}", signals.empty() ? "" : ", ", n, signal);
  out::println("imported {} feedback event{} ({}): {} new, {} already in the store", total.events,
               total.events == 1 ? "" : "s", signals.empty() ? "none" : signals, total.added, total.present);
  if (total.added)
    out::hint("mlops feedback to-golden --signal thumbs --value down --traces TRACES.jsonl -o candidates.jsonl");
  return 0;
}

}  // namespace

void add_feedback_import(CLI::App& group) {
  auto options = std::make_shared<FeedbackImportOptions>();
  auto* command = add_command(group, "import", "Keep feedback events (JSON lines) in the store, each once",
                              [options] { return run_feedback_import(*options); });
  command->footer(
      "Each line is one event tied to the trace and span of the response it judges:\n"
      "  {\"trace_id\": \"<32 hex>\", \"span_id\": \"<16 hex>\", \"time\": \"2026-12-01T10:02:00Z\",\n"
      "   \"signal\": \"thumbs\", \"value\": \"down\"}\n"
      "Signals: thumbs (value up|down), rating (value, scale: default 5), edit (text), copy, regenerate.\n"
      "An event is known by its id, or by its content: importing a file again adds nothing. A bad line\n"
      "imports nothing. trace stats and monitor check join the store's feedback to their spans.\n"
      "The format, the rates and the store: docs/feedback.md.\n"
      "Exit status: 0 imported, 2 bad input (a malformed event, naming file and line), 3 an I/O error.\n"
      "Example: mlops feedback import feedback/2026-12-01.jsonl");
  command->add_option("files", options->files, "Feedback event files (JSON lines)")->required()->option_text("FILE...");
  add_json_flag(*command);
}

}  // namespace mlops::cli
