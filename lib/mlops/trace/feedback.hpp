#pragma once
// User feedback on GenAI responses (docs/feedback.md): one JSON object a line, each tied to the
// trace and span of the response it judges,
//   {"trace_id": "<32 hex>", "span_id": "<16 hex>", "time": "2026-12-01T10:02:00Z",
//    "signal": "thumbs", "value": "down", "user": "u-17", "comment": "wrong hours"}
// with signals thumbs (value up|down), rating (value, scale: default 5), edit (text: the answer as
// the user corrected it), copy and regenerate. `feedback import` keeps them in the store;
// `trace stats` and `monitor` join them to the spans they name for feedback rates.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlops/core/error.hpp"

namespace mlops::trace {

enum class FeedbackSignal : std::uint8_t { thumbs, rating, edit, copy, regenerate };
std::string_view to_string(FeedbackSignal s);
std::optional<FeedbackSignal> parse_signal(std::string_view text);
inline constexpr std::string_view kSignalNames[] = {"thumbs", "rating", "edit", "copy", "regenerate"};

// What an event says of the response: thumbs and ratings judge it; edits, copies and
// regenerations are actions, counted on their own (their meaning depends on the application).
enum class Polarity : std::uint8_t { none, positive, neutral, negative };
std::string_view to_string(Polarity p);

struct FeedbackEvent {
  std::string id;  // as given, or empty
  std::string trace_id;
  std::string span_id;
  std::uint64_t time_ns = 0;
  FeedbackSignal signal = FeedbackSignal::thumbs;
  std::string value;            // thumbs: "up" or "down"
  std::optional<double> score;  // rating: the value given
  double scale = 5;             // rating: the best score (0 is the worst)
  std::string text;             // edit: the corrected answer
  std::string user;
  std::string comment;

  // Thumbs up/down; a rating at or above 80% of its scale is positive, at or below 40% negative
  // (4 and 2 of 5), neutral between; other signals none.
  Polarity polarity() const;
  // A rating as a share of its scale (0..1); unset for other signals.
  std::optional<double> rating() const;
  // The event as stored and printed: every field it has, in a fixed order.
  nlohmann::ordered_json to_json() const;
  // What makes two imports of the same event one: its id when it has one, else a hash of the
  // canonical event (so a re-import of the same file adds nothing).
  std::string key() const;
};

// Parses one line; bad input naming `where` ("events.jsonl, line 4") and the field at fault. A
// time before 2000 is bad input: a time_unix_nano in seconds or milliseconds lands in 1970.
Result<FeedbackEvent> parse_feedback_line(std::string_view line, const std::string& where);
// Every event of a JSON lines file; the first bad line is bad input (nothing is returned), and so
// is an event after `not_after` when given (feedback given in the future: a wrong unit or clock).
Result<std::vector<FeedbackEvent>> read_feedback_file(const std::string& path,
                                                      std::optional<std::uint64_t> not_after = std::nullopt);

struct Collection;
enum class UnmatchedFeedback { keep, drop };
// Joins feedback to the GenAI spans of `collection` by span id, for rules and groups by label.
// Feedback on spans not read gets the "(no span)" labels (keep) or is only counted (drop).
void attach_feedback(Collection& collection, const std::vector<FeedbackEvent>& events, UnmatchedFeedback unmatched);

}  // namespace mlops::trace
