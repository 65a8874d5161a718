// Feedback events: their line format, their meaning, and their join to spans.
#include "mlops/trace/feedback.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <unordered_map>

#include "mlops/core/file.hpp"
#include "mlops/core/hash.hpp"
#include "mlops/core/suggest.hpp"
#include "mlops/trace/collect.hpp"
#include "mlops/trace/time.hpp"

namespace mlops::trace {

namespace {

const std::vector<std::string> kEventKeys = {"id",    "trace_id", "span_id", "time", "time_unix_nano", "signal",
                                             "value", "scale",    "text",    "user", "comment"};

const char* kEventExample =
    R"(one JSON object a line: {"trace_id": "<32 hex>", "span_id": "<16 hex>", "time": "2026-12-01T10:02:00Z", )"
    R"("signal": "thumbs", "value": "down"} (docs/feedback.md))";

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::unexpected<Error> bad(const std::string& where, const std::string& what, std::string hint = kEventExample) {
  return std::unexpected(bad_input(fmt::format("{}: {}", where, what), std::move(hint)));
}

Result<std::string> id_field(const nlohmann::json& j, const char* key, std::size_t digits, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    return bad(where, fmt::format("'{}' is missing: feedback is tied to the span of the response it judges", key));
  std::string v = lower(it->get<std::string>());
  if (v.size() != digits || !is_hex(v) || v == std::string(digits, '0'))
    return bad(where, fmt::format("'{}' '{}' is not {} hex digits", key, it->get<std::string>(), digits),
               "use the ids as OTLP/JSON writes them (the span's traceId and spanId)");
  return v;
}

// 2000-01-01T00:00:00Z: no GenAI response was judged before; a time in seconds or milliseconds
// read as nanoseconds falls in January 1970.
constexpr std::uint64_t kEarliestNs = 946684800ull * 1000000000;

// What a time_unix_nano far too small was probably given in.
std::string_view likely_unit(std::uint64_t n) {
  if (n < 100000000000ull) return "seconds";
  if (n < 100000000000000ull) return "milliseconds";
  return "microseconds";
}

Result<std::uint64_t> time_field(const nlohmann::json& j, const std::string& where) {
  if (auto nano = j.find("time_unix_nano"); nano != j.end()) {
    std::optional<std::uint64_t> n;
    if (nano->is_number_unsigned()) n = nano->get<std::uint64_t>();
    if (nano->is_string()) {
      const std::string& s = nano->get_ref<const std::string&>();
      if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) && s.size() < 20)
        n = std::stoull(s);
    }
    if (!n)
      return bad(where, "'time_unix_nano' is not a whole number of nanoseconds",
                 "for example: \"time_unix_nano\": "
                 "1764583320000000000");
    if (*n < kEarliestNs)
      return bad(
          where,
          fmt::format("'time_unix_nano' {} is {}, before 2000: it looks like {}", *n, format_time(*n), likely_unit(*n)),
          "give nanoseconds since 1970 (19 digits: 1764583320000000000), or \"time\": \"2026-12-01T10:02:00Z\"");
    return *n;
  }
  auto it = j.find("time");
  if (it == j.end() || !it->is_string())
    return bad(where, "'time' is missing: when the user gave the feedback (ISO 8601)",
               "for example: \"time\": \"2026-12-01T10:02:00Z\"");
  const std::string& text = it->get_ref<const std::string&>();
  // A duration ("1h") means "before now" to --since; an event needs a point in time.
  auto t = parse_duration(text) ? std::nullopt : parse_time(text, 0);
  if (!t)
    return bad(where, fmt::format("'time' '{}' is not an ISO 8601 time", text), "for example: 2026-12-01T10:02:00Z");
  if (*t < kEarliestNs)
    return bad(where, fmt::format("'time' '{}' is before 2000", text), "for example: 2026-12-01T10:02:00Z");
  return *t;
}

std::string optional_string(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string_view to_string(FeedbackSignal s) { return kSignalNames[static_cast<int>(s)]; }

std::optional<FeedbackSignal> parse_signal(std::string_view text) {
  for (std::size_t i = 0; i < std::size(kSignalNames); ++i)
    if (kSignalNames[i] == text) return static_cast<FeedbackSignal>(i);
  return std::nullopt;
}

std::string_view to_string(Polarity p) {
  switch (p) {
    case Polarity::positive:
      return "positive";
    case Polarity::neutral:
      return "neutral";
    case Polarity::negative:
      return "negative";
    case Polarity::none:
      break;
  }
  return "none";
}

std::optional<double> FeedbackEvent::rating() const {
  if (signal != FeedbackSignal::rating || !score) return std::nullopt;
  return *score / scale;
}

Polarity FeedbackEvent::polarity() const {
  if (signal == FeedbackSignal::thumbs) return value == "up" ? Polarity::positive : Polarity::negative;
  if (auto r = rating()) {
    if (*r >= 0.8) return Polarity::positive;
    if (*r <= 0.4) return Polarity::negative;
    return Polarity::neutral;
  }
  return Polarity::none;
}

nlohmann::ordered_json FeedbackEvent::to_json() const {
  nlohmann::ordered_json j;
  if (!id.empty()) j["id"] = id;
  j["trace_id"] = trace_id;
  j["span_id"] = span_id;
  j["time"] = format_time(time_ns);
  j["signal"] = to_string(signal);
  if (signal == FeedbackSignal::thumbs) j["value"] = value;
  if (signal == FeedbackSignal::rating) {
    j["value"] = *score;
    j["scale"] = scale;
  }
  if (signal == FeedbackSignal::edit) j["text"] = text;
  if (!user.empty()) j["user"] = user;
  if (!comment.empty()) j["comment"] = comment;
  return j;
}

std::string FeedbackEvent::key() const {
  if (!id.empty()) return "id:" + id;
  // The time in nanoseconds too: to_json() shows milliseconds.
  return hash_bytes(fmt::format("{}\n{}", to_json().dump(), time_ns)).str();
}

Result<FeedbackEvent> parse_feedback_line(std::string_view line, const std::string& where) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded()) return bad(where, "not valid JSON");
  if (!j.is_object()) return bad(where, "a feedback event must be a JSON object");
  for (const auto& [key, v] : j.items()) {
    if (std::find(kEventKeys.begin(), kEventKeys.end(), key) != kEventKeys.end()) continue;
    std::string near = closest(key, kEventKeys);
    // timestamp, created_at, ts: what other tools call the time.
    if (near.empty() && (key.find("time") != std::string::npos || key == "ts" || key.ends_with("_at"))) near = "time";
    return bad(where, fmt::format("unknown key '{}'", key),
               near.empty() ? "the keys are id, trace_id, span_id, time (or time_unix_nano), signal, value, scale, "
                              "text, user and comment"
                            : fmt::format("did you mean '{}'?", near));
  }
  FeedbackEvent e;
  if (auto id = j.find("id"); id != j.end()) {
    if (!id->is_string() || id->get_ref<const std::string&>().empty())
      return bad(where, "'id' must be a non-empty string", "or leave it out: the event's content identifies it");
    e.id = id->get<std::string>();
  }
  auto trace_id = id_field(j, "trace_id", 32, where);
  if (!trace_id) return std::unexpected(trace_id.error());
  e.trace_id = std::move(*trace_id);
  auto span_id = id_field(j, "span_id", 16, where);
  if (!span_id) return std::unexpected(span_id.error());
  e.span_id = std::move(*span_id);
  auto time = time_field(j, where);
  if (!time) return std::unexpected(time.error());
  e.time_ns = *time;
  std::string signal = optional_string(j, "signal");
  auto parsed = parse_signal(signal);
  if (!parsed) {
    std::vector<std::string> names(std::begin(kSignalNames), std::end(kSignalNames));
    std::string near = signal.empty() ? "" : closest(signal, names);
    return bad(where, signal.empty() ? "'signal' is missing" : fmt::format("unknown signal '{}'", signal),
               fmt::format("{}the signals are thumbs, rating, edit, copy and regenerate",
                           near.empty() ? "" : fmt::format("did you mean '{}'? ", near)));
  }
  e.signal = *parsed;
  auto value = j.find("value");
  switch (e.signal) {
    case FeedbackSignal::thumbs:
      if (value == j.end() || !value->is_string() || (*value != "up" && *value != "down"))
        return bad(where, "a thumbs event needs \"value\": \"up\" or \"down\"",
                   "\"signal\": \"thumbs\", \"value\": \"down\"");
      e.value = value->get<std::string>();
      break;
    case FeedbackSignal::rating: {
      if (auto scale = j.find("scale"); scale != j.end()) {
        if (!scale->is_number() || scale->get<double>() <= 0)
          return bad(where, "'scale' must be a number above 0 (the best rating)", "\"scale\": 5");
        e.scale = scale->get<double>();
      }
      if (value == j.end() || !value->is_number() || value->get<double>() < 0 || value->get<double>() > e.scale)
        return bad(where, fmt::format("a rating needs a number \"value\" from 0 to its scale ({})", e.scale),
                   "\"signal\": \"rating\", \"value\": 2, \"scale\": 5");
      e.score = value->get<double>();
      break;
    }
    case FeedbackSignal::edit:
      if (auto text = j.find("text");
          text == j.end() || !text->is_string() || text->get_ref<const std::string&>().empty())
        return bad(where, "an edit needs \"text\": the answer as the user corrected it",
                   "\"signal\": \"edit\", \"text\": \"We open at 9 on weekdays.\"");
      e.text = j["text"].get<std::string>();
      break;
    case FeedbackSignal::copy:
    case FeedbackSignal::regenerate:
      break;
  }
  if (e.signal != FeedbackSignal::thumbs && e.signal != FeedbackSignal::rating && value != j.end())
    return bad(where, fmt::format("a {} event takes no 'value'", signal), "value belongs to thumbs and rating");
  e.user = optional_string(j, "user");
  e.comment = optional_string(j, "comment");
  return e;
}

Result<std::vector<FeedbackEvent>> read_feedback_file(const std::string& path, std::optional<std::uint64_t> not_after) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  std::vector<FeedbackEvent> events;
  std::string_view rest = *text;
  std::size_t line = 0;
  while (!rest.empty()) {
    ++line;
    std::size_t nl = rest.find('\n');
    std::string_view l = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    std::string where = fmt::format("'{}', line {}", path, line);
    auto e = parse_feedback_line(l, where);
    if (!e) return std::unexpected(e.error());
    if (not_after && e->time_ns > *not_after)
      return bad(where, fmt::format("the event's time {} is in the future", format_time(e->time_ns)),
                 "feedback is imported after it is given: check the time's unit and the clock that wrote it");
    events.push_back(std::move(*e));
  }
  return events;
}

void attach_feedback(Collection& c, const std::vector<FeedbackEvent>& events, UnmatchedFeedback unmatched) {
  c.feedback_loaded = true;
  if (events.empty()) return;
  std::unordered_map<std::uint64_t, std::uint32_t> span_labels;
  auto hash = [](std::string_view id) { return std::hash<std::string_view>{}(id); };
  for (const auto& e : events) span_labels.emplace(hash(e.span_id), UINT32_MAX);
  for (const auto& s : c.samples)
    if (auto it = span_labels.find(s.span_hash); it != span_labels.end()) it->second = s.labels;
  std::uint32_t no_span = UINT32_MAX;
  for (const auto& e : events) {
    FeedbackSample f;
    f.time_ns = e.time_ns;
    f.signal = e.signal;
    f.polarity = e.polarity();
    f.rating = e.rating().value_or(kUnknown);
    f.labels = span_labels[hash(e.span_id)];
    f.matched = f.labels != UINT32_MAX;
    if (!f.matched) {
      ++c.feedback_unmatched;
      if (unmatched == UnmatchedFeedback::drop) continue;
      if (no_span == UINT32_MAX) {
        Labels none;
        none.operation = none.model = none.provider = none.prompt = none.kind = "(no span)";
        no_span = c.labels.intern(none);
      }
      f.labels = no_span;
    }
    c.feedback.push_back(f);
  }
}

}  // namespace mlops::trace
