// Candidate golden cases from feedback and the spans it names.
#include "mlops/feedback/to_golden.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <fstream>

using namespace mlops;

namespace {

struct TraceDir {
  std::filesystem::path path;
  TraceDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "mlops-to-golden-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TraceDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

trace::FeedbackEvent event(const std::string& span, const std::string& time, const std::string& rest) {
  auto e = trace::parse_feedback_line(
      fmt::format(R"({{"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "{}", "time": "{}", {}}})", span,
                  time, rest),
      "test");
  REQUIRE(e);
  return *e;
}

std::string attr(const std::string& key, const std::string& value) {
  return fmt::format(R"({{"key":"{}","value":{{"stringValue":{}}}}})", key, nlohmann::json(value).dump());
}

// An agent span (the one feedback names) with a chat span below it that carries the content.
std::string traces() {
  std::string chat = fmt::format(
      R"({{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b8","parentSpanId":"00f067aa0ba902b7",)"
      R"("name":"chat","startTimeUnixNano":"1764583200000000001","endTimeUnixNano":"1764583200000000002","attributes":[{},{},{},{},{}]}})",
      attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", "m-1"),
      attr("llm.prompt_template.variables", R"({"question":"When do you open?"})"),
      attr("gen_ai.input.messages", R"([{"role":"user","parts":[{"type":"text","content":"When do you open?"}]}])"),
      attr("gen_ai.output.messages",
           R"([{"role":"assistant","parts":[{"type":"text","content":"At 10."}],"finish_reason":"stop"}])"));
  std::string agent = fmt::format(
      R"({{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7","name":"agent",)"
      R"("startTimeUnixNano":"1764583200000000001","endTimeUnixNano":"1764583200000000003","attributes":[{}]}})",
      attr("gen_ai.operation.name", "invoke_agent"));
  return R"({"resourceSpans":[{"scopeSpans":[{"spans":[)" + chat + "," + agent + "]}]}]}\n";
}

}  // namespace

TEST_CASE("to-golden: a thumbs down becomes a candidate; an edit its expected output", "[feedback]") {
  TraceDir dir;
  auto file = dir.write("t.jsonl", traces());
  std::vector<trace::FeedbackEvent> events = {
      event("00f067aa0ba902b7", "2026-12-01T10:01:00Z", R"("signal": "thumbs", "value": "down")"),
      event("00f067aa0ba902b7", "2026-12-01T10:02:00Z", R"("signal": "edit", "text": "We open at 9.")"),
      event("00f067aa0ba902b9", "2026-12-01T10:03:00Z", R"("signal": "thumbs", "value": "down")"),  // not in traces
      event("00f067aa0ba902b8", "2026-12-01T10:04:00Z", R"("signal": "thumbs", "value": "up")"),
  };
  auto report = feedback::to_golden(events, {trace::FeedbackSignal::thumbs, "down"}, {file}, trace::SkipBad::no);
  REQUIRE(report);
  CHECK(report->events_selected == 2);
  CHECK(report->spans_selected == 2);
  REQUIRE(report->spans_not_found.size() == 1);
  CHECK(report->spans_not_found[0] == "0af7651916cd43dd8448eb211c80319c/00f067aa0ba902b9");
  REQUIRE(report->cases.size() == 1);
  const auto& c = report->cases[0];
  CHECK(c["id"] == "fb-00f067aa0ba902b7");
  CHECK(c["status"] == "candidate");
  CHECK(c["input"] == nlohmann::ordered_json::parse(R"({"question":"When do you open?"})"));
  CHECK(c["expected"]["output"] == "We open at 9.");
  CHECK(c["tags"] == nlohmann::ordered_json::parse(R"(["feedback","thumbs-down","edit"])"));
  CHECK(c["metadata"]["output"] == "At 10.");
  CHECK(c["metadata"]["span_id"] == "00f067aa0ba902b8");  // the model call below the agent span
  CHECK(c["metadata"]["feedback_span_id"] == "00f067aa0ba902b7");
  CHECK(c["metadata"]["model"] == "m-1");
  CHECK(c["metadata"]["prompt"][0]["role"] == "user");
  CHECK(report->with_edit == 1);
  CHECK(report->without_variables == 0);
}

TEST_CASE("to-golden: values that mean nothing for a signal are bad input", "[feedback]") {
  CHECK_FALSE(feedback::check_selection({trace::FeedbackSignal::thumbs, "sideways"}));
  CHECK_FALSE(feedback::check_selection({trace::FeedbackSignal::copy, "1"}));
  CHECK(feedback::check_selection({trace::FeedbackSignal::rating, "2"}));
  CHECK(feedback::check_selection({trace::FeedbackSignal::rating, "negative"}));
  auto rating = event("00f067aa0ba902b7", "2026-12-01T10:01:00Z", R"("signal": "rating", "value": 2)");
  CHECK(feedback::selected(rating, {trace::FeedbackSignal::rating, "2"}));
  CHECK(feedback::selected(rating, {trace::FeedbackSignal::rating, "negative"}));
  CHECK_FALSE(feedback::selected(rating, {trace::FeedbackSignal::rating, "positive"}));
  CHECK_FALSE(feedback::selected(rating, {trace::FeedbackSignal::thumbs, ""}));
}
