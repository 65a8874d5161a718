// Feedback events: the line format, what they mean, and the rates trace stats and monitor see.
#include "mlops/trace/feedback.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "mlops/trace/collect.hpp"
#include "mlops/trace/monitor.hpp"
#include "mlops/trace/stats.hpp"
#include "mlops/trace/time.hpp"

using namespace mlops::trace;

namespace {

const std::string kTrace = "0af7651916cd43dd8448eb211c80319c";

std::string event(std::string_view span, std::string_view time, std::string_view rest) {
  return fmt::format(R"({{"trace_id": "{}", "span_id": "{}", "time": "{}", {}}})", kTrace, span, time, rest);
}

FeedbackEvent parsed(const std::string& line) {
  auto e = parse_feedback_line(line, "e.jsonl, line 1");
  REQUIRE(e);
  return *e;
}

std::string error_of(const std::string& line) {
  auto e = parse_feedback_line(line, "e.jsonl, line 1");
  REQUIRE_FALSE(e);
  return e.error().message;
}

// Two chat spans (prompts "faq" and "refund") of one trace, ending at 10:00:01 and 10:00:02.
std::string spans() {
  return fmt::format(
      R"({{"resourceSpans":[{{"scopeSpans":[{{"spans":[)"
      R"({{"traceId":"{0}","spanId":"00f067aa0ba902b7","name":"chat","startTimeUnixNano":"1796119200000000000","endTimeUnixNano":"1796119201000000000","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"chat"}}}},{{"key":"gen_ai.prompt.name","value":{{"stringValue":"faq"}}}}]}},)"
      R"({{"traceId":"{0}","spanId":"00f067aa0ba902b8","name":"chat","startTimeUnixNano":"1796119201000000000","endTimeUnixNano":"1796119202000000000","attributes":[{{"key":"gen_ai.operation.name","value":{{"stringValue":"chat"}}}},{{"key":"gen_ai.prompt.name","value":{{"stringValue":"refund"}}}}]}})"
      R"(]}}]}}]}})"
      "\n",
      kTrace);
}

}  // namespace

TEST_CASE("feedback events parse with their signal, value and time", "[trace]") {
  auto thumbs = parsed(event("00F067AA0BA902B7", "2026-12-01T10:02:00Z", R"("signal": "thumbs", "value": "down")"));
  CHECK(thumbs.span_id == "00f067aa0ba902b7");  // ids are compared lower-case, as OTLP/JSON writes them
  CHECK(thumbs.time_ns == 1796119320ull * 1000000000);
  CHECK(thumbs.polarity() == Polarity::negative);
  auto rating =
      parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "rating", "value": 8, "scale": 10)"));
  CHECK(rating.rating() == Approx(0.8));
  CHECK(rating.polarity() == Polarity::positive);
  CHECK(parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "rating", "value": 3)")).polarity() ==
        Polarity::neutral);
  CHECK(parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "rating", "value": 2)")).polarity() ==
        Polarity::negative);
  auto edit = parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "edit", "text": "We open at 9.")"));
  CHECK(edit.text == "We open at 9.");
  CHECK(edit.polarity() == Polarity::none);
  auto nano = parsed(fmt::format(R"({{"trace_id": "{}", "span_id": "00f067aa0ba902b7", "time_unix_nano": )"
                                 R"("1796119320000000001", "signal": "copy"}})",
                                 kTrace));
  CHECK(nano.time_ns == 1796119320000000001ull);
}

TEST_CASE("a bad feedback event names the line and the field", "[trace]") {
  CHECK(error_of("{") == "e.jsonl, line 1: not valid JSON");
  CHECK(error_of(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "thumbs", "value": "sideways")")) ==
        "e.jsonl, line 1: a thumbs event needs \"value\": \"up\" or \"down\"");
  CHECK(error_of(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "thumb", "value": "up")")) ==
        "e.jsonl, line 1: unknown signal 'thumb'");
  CHECK(error_of(event("xyz", "2026-12-01T10:02:00Z", R"("signal": "copy")")) ==
        "e.jsonl, line 1: 'span_id' 'xyz' is not 16 hex digits");
  CHECK(error_of(event("00f067aa0ba902b7", "1h", R"("signal": "copy")")) ==
        "e.jsonl, line 1: 'time' '1h' is not an ISO 8601 time");
  CHECK(error_of(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "rating", "value": 6)")) ==
        "e.jsonl, line 1: a rating needs a number \"value\" from 0 to its scale (5)");
  CHECK(error_of(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "edit")")) ==
        "e.jsonl, line 1: an edit needs \"text\": the answer as the user corrected it");
  CHECK(error_of(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "copy", "value": 1)")) ==
        "e.jsonl, line 1: a copy event takes no 'value'");
  auto typo =
      parse_feedback_line(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "copy", "usr": "a")"), "w");
  REQUIRE_FALSE(typo);
  CHECK(typo.error().hint == "did you mean 'user'?");
}

TEST_CASE("an event's key is its id, else its content", "[trace]") {
  auto a = parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "thumbs", "value": "down")"));
  auto same = parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00.000Z", R"("value": "down", "signal": "thumbs")"));
  auto other = parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:01Z", R"("signal": "thumbs", "value": "down")"));
  CHECK(a.key() == same.key());
  CHECK(a.key() != other.key());
  auto with_id = parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("id": "fb-1", "signal": "copy")"));
  CHECK(with_id.key() == "id:fb-1");
}

TEST_CASE("feedback joins its spans: rates by label and window, unmatched kept or dropped", "[trace]") {
  std::vector<FeedbackEvent> events = {
      parsed(event("00f067aa0ba902b7", "2026-12-01T10:01:00Z", R"("signal": "thumbs", "value": "down")")),
      parsed(event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "thumbs", "value": "up")")),
      parsed(event("00f067aa0ba902b7", "2026-12-01T10:03:00Z", R"("signal": "edit", "text": "x")")),
      parsed(event("00f067aa0ba902b8", "2026-12-01T10:04:00Z", R"("signal": "rating", "value": 1)")),
      parsed(event("00f067aa0ba902b9", "2026-12-01T10:05:00Z", R"("signal": "thumbs", "value": "down")")),  // no span
  };
  auto c = collect_text(spans(), {});
  REQUIRE(c);
  attach_feedback(*c, events, UnmatchedFeedback::keep);
  CHECK(c->feedback.size() == 5);
  CHECK(c->feedback_unmatched == 1);
  std::uint64_t at = *parse_time("2026-12-01T10:10:00Z", 0);
  auto value = [&](const std::string& text) {
    auto e = parse_expr(text, "r");
    REQUIRE(e);
    return evaluate_expr(*e, *c, at);
  };
  // Judgements: down, up (faq), rating 1 of 5 (refund), down (no span): 3 negative of 4.
  CHECK(*value("feedback.negative_rate > 0").value == Approx(0.75));
  CHECK(value("feedback.negative_rate > 0").samples == 4);
  CHECK(*value(R"(feedback.negative_rate{prompt="faq"} > 0)").value == Approx(0.5));
  CHECK(*value("feedback.positive_rate > 0").value == Approx(0.25));
  CHECK(*value("feedback.edit_rate > 0").value == Approx(0.2));
  CHECK(*value("feedback.count > 0").value == 5);
  CHECK(*value("feedback.rate[10m] > 0").value == Approx(5.0 / 600));
  CHECK(*value("feedback.rating.mean > 0").value == Approx(0.2));
  // A window: 10:06 to 10:10 holds nothing; 10:03:30 to 10:10, the rating and the unmatched thumbs.
  CHECK_FALSE(value("feedback.negative_rate[4m] > 0").value);
  CHECK(*value("feedback.negative_rate[6m30s] > 0").value == 1);

  auto stats = summarize(*c, {});
  REQUIRE(stats.groups.size() == 2);  // chat, (no span)
  CHECK(stats.total.feedback.events == 5);
  CHECK(stats.total.feedback.negative == 3);
  auto dropped = collect_text(spans(), {});
  REQUIRE(dropped);
  attach_feedback(*dropped, events, UnmatchedFeedback::drop);
  auto only_matched = summarize(*dropped, {});
  CHECK(only_matched.groups.size() == 1);
  CHECK(only_matched.total.feedback.events == 4);
  CHECK(only_matched.feedback_unmatched == 1);
}

TEST_CASE("a feedback rule without imported feedback has no data", "[trace]") {
  auto file = parse_monitor_file("rules:\n  - alert: Unhappy\n    expr: feedback.negative_rate[1d] > 0.2\n", "m.yaml");
  REQUIRE(file);
  auto c = collect_text(spans(), {});
  REQUIRE(c);
  auto missing = missing_source(file->rules[0].expr, *c);
  REQUIRE(missing);
  CHECK(*missing == "no feedback was imported in this repository (mlops feedback import EVENTS.jsonl)");
  auto report = evaluate_rules(*file, *c, 0, nullptr);
  REQUIRE(report);
  CHECK(report->results[0].state == AlertState::no_data);
  CHECK(report->results[0].source_missing);
  attach_feedback(*c, {}, UnmatchedFeedback::keep);
  CHECK_FALSE(missing_source(file->rules[0].expr, *c));
}
