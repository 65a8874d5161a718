// The OTLP/JSON reader: values of every type, both spellings of field names, enums by name, events,
// log records, and what a malformed line is called.
#include "mlops/trace/otlp.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "mlops/trace/read.hpp"

using namespace mlops::trace;

namespace {

struct Keep : RecordSink {
  std::vector<std::string> names;
  std::vector<std::uint64_t> starts;
  std::vector<SpanKind> kinds;
  std::vector<StatusCode> statuses;
  std::vector<std::string> dump;
  std::vector<std::string> events;
  std::vector<std::string> logs;
  void span(const Span& s) override {
    names.emplace_back(s.name);
    starts.push_back(s.start_ns);
    kinds.push_back(s.kind);
    statuses.push_back(s.status);
    for (const auto& a : s.attributes.items) {
      std::string v;
      switch (a.value.type) {
        case ValueType::string:
          v = "s:" + std::string(a.value.text);
          break;
        case ValueType::integer:
          v = "i:" + std::to_string(a.value.integer);
          break;
        case ValueType::real:
          v = "d:" + std::to_string(a.value.real);
          break;
        case ValueType::boolean:
          v = a.value.boolean ? "b:true" : "b:false";
          break;
        case ValueType::array: {
          v = "a" + std::to_string(a.value.count) + ":";
          a.value.for_each_string([&](std::string_view x) { v += std::string(x) + ";"; });
          break;
        }
        default:
          v = "other";
      }
      dump.push_back(std::string(a.key) + "=" + v);
    }
    for (const auto& e : s.events) events.push_back(std::string(e.name) + "@" + std::to_string(e.time_ns));
  }
  void log(const LogRecord& r) override { logs.push_back(std::string(r.event_name) + "/" + std::string(r.span_id)); }
};

}  // namespace

TEST_CASE("the reader hands out spans with every value type", "[trace]") {
  std::string line =
      R"({"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"x"},"spans":[)"
      R"({"traceId":"ab","spanId":"cd","name":"chat \"quoted\" \u00e9","kind":3,"startTimeUnixNano":"1764583200000001000","endTimeUnixNano":1764583200000002000,)"
      R"("attributes":[{"key":"s","value":{"stringValue":"v"}},{"key":"i","value":{"intValue":"42"}},)"
      R"({"key":"d","value":{"doubleValue":0.5}},{"key":"b","value":{"boolValue":true}},)"
      R"({"key":"a","value":{"arrayValue":{"values":[{"stringValue":"stop"},{"stringValue":"length"}]}}},)"
      R"({"key":"skip","value":{"kvlistValue":{"values":[{"key":"k","value":{"intValue":1}}]}}}],)"
      R"("events":[{"timeUnixNano":"1764583200000001500","name":"llm.content.completion.chunk"}],"status":{"code":2},"unknown":[1,{"x":"}"}]}]}]}]})";
  Keep keep;
  auto summary = read_text(line + "\n", "t", SkipBad::no, keep);
  REQUIRE(summary);
  REQUIRE(keep.names.size() == 1);
  CHECK(keep.names[0] == "chat \"quoted\" \xc3\xa9");
  CHECK(keep.starts[0] == 1764583200000001000);
  CHECK(keep.kinds[0] == SpanKind::client);
  CHECK(keep.statuses[0] == StatusCode::error);
  CHECK(keep.dump ==
        std::vector<std::string>{"s=s:v", "i=i:42", "d=d:0.500000", "b=b:true", "a=a2:stop;length;", "skip=other"});
  CHECK(keep.events == std::vector<std::string>{"llm.content.completion.chunk@1764583200000001500"});
}

TEST_CASE("the reader accepts snake_case names, enum names and pretty documents", "[trace]") {
  std::string doc = R"({
  "resource_spans": [ { "scope_spans": [ { "spans": [
    { "trace_id": "ab", "span_id": "cd", "name": "one", "kind": "SPAN_KIND_SERVER",
      "start_time_unix_nano": 1764583200000000005, "end_time_unix_nano": 1764583200000000006, "status": { "code": "STATUS_CODE_OK" } }
  ] } ] } ]
}
{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"eventName":"gen_ai.evaluation.result","spanId":"cd"},
  {"attributes":[{"key":"event.name","value":{"stringValue":"old.style"}}],"spanId":"ef"}]}]}]}
)";
  Keep keep;
  REQUIRE(read_text(doc, "t", SkipBad::no, keep));
  CHECK(keep.names == std::vector<std::string>{"one"});
  CHECK(keep.kinds[0] == SpanKind::server);
  CHECK(keep.statuses[0] == StatusCode::ok);
  CHECK(keep.logs == std::vector<std::string>{"gen_ai.evaluation.result/cd", "old.style/ef"});
}

TEST_CASE("a malformed line is named, or skipped with what it gave forgotten", "[trace]") {
  std::string good = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a"},{"name":"b"}]}]}]})";
  std::string torn = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x"},{"name":"y)";
  std::string text = good + "\n" + torn + "\n\n" + good + "\n";
  Keep strict;
  auto r = read_text(text, "f.jsonl", SkipBad::no, strict);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "'f.jsonl', line 2: truncated JSON (unterminated string)");
  struct Counting : Keep {
    std::size_t mark = 0;
    void begin_line() override { mark = names.size(); }
    void drop_line() override { names.resize(mark); }
  } lenient;
  auto s = read_text(text, "f.jsonl", SkipBad::yes, lenient);
  REQUIRE(s);
  CHECK(s->bad == 1);
  CHECK(s->documents == 3);
  CHECK(lenient.names == std::vector<std::string>{"a", "b", "a", "b"});
  Keep other;
  auto junk = read_text(good + "\n[1, 2]\n", "j", SkipBad::no, other);
  REQUIRE_FALSE(junk);
  CHECK(junk.error().message == "'j', line 2: malformed JSON at column 1: expected '{'");
}

TEST_CASE("strings end at the right quote whatever their escapes, and long ones unescape on demand", "[trace]") {
  std::string long_body;
  for (int i = 0; i < 40; ++i) long_body += "say \\\"hi\\\" \\\\ ";  // 560 bytes with escapes
  std::string line = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"ends with a backslash \\","attributes":[)"
                     R"({"key":"m","value":{"stringValue":")" +
                     long_body + R"("}},{"key":"short","value":{"stringValue":"a\"b"}}]}]}]}]})";
  struct Values : RecordSink {
    std::string name, message, short_value;
    bool kept_escaped = false;
    void span(const Span& s) override {
      name = s.name;
      std::string scratch;
      const AnyValue* m = s.attributes.find("m");
      kept_escaped = m->escaped;
      message = m->unescaped(scratch);
      short_value = s.attributes.find("short")->text;
    }
    void log(const LogRecord&) override {}
  } values;
  REQUIRE(read_text(line + "\n", "t", SkipBad::no, values));
  CHECK(values.name == "ends with a backslash \\");
  CHECK(values.kept_escaped);
  CHECK(values.message.size() == 40 * 11);
  CHECK(values.message.starts_with("say \"hi\" \\ say"));
  CHECK(values.short_value == "a\"b");
}

TEST_CASE("a span time before 2000 (seconds or milliseconds written as nanoseconds) is refused, not guessed",
          "[trace]") {
  // 2026-12-01T10:00:00Z in seconds, milliseconds, microseconds, and seconds as a float string.
  for (std::string value : {"1796119200", "\"1796119200000\"", "\"1796119200000000\"", "\"1796119200.0\""}) {
    for (std::string key : {"startTimeUnixNano", "endTimeUnixNano"}) {
      std::string line =
          R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a",")" + key + "\":" + value + "}]}]}]}\n";
      Keep keep;
      auto r = read_text(line, "t.jsonl", SkipBad::no, keep);
      REQUIRE_FALSE(r);
      CHECK(r.error().message ==
            "'t.jsonl', line 1: a span's startTimeUnixNano or endTimeUnixNano is before 2000: OTLP times are "
            "nanoseconds since 1970 (19 digits); were seconds, milliseconds or microseconds written? (column " +
                std::to_string(line.size() - 6) + ")");
      CHECK(keep.names.empty());
    }
  }
  // 0 is "not recorded": read, and left out of latency downstream.
  Keep keep;
  REQUIRE(read_text(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","startTimeUnixNano":"0"}]}]}]})",
                    "t.jsonl", SkipBad::no, keep));
  CHECK(keep.starts == std::vector<std::uint64_t>{0});
}

TEST_CASE("a time or integer in float form outside 64 bits is malformed, never converted", "[trace]") {
  // 1e25 does not fit a uint64: converting it was undefined behaviour (found by tests/fuzz/trace).
  for (std::string value : {"1e25", "-1", "\"1.9e19\""}) {
    std::string line =
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","startTimeUnixNano":)" + value + "}]}]}]}";
    Keep keep;
    auto r = read_text(line, "t.jsonl", SkipBad::no, keep);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("expected an unsigned integer") != std::string::npos);
  }
  Keep keep;
  REQUIRE(read_text(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","startTimeUnixNano":1.7645832e18}]}]}]})",
                    "t.jsonl", SkipBad::no, keep));
  CHECK(keep.starts == std::vector<std::uint64_t>{1764583200000000000});
  std::string big_int = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","attributes":[{"key":"n","value":)"
                        R"({"intValue":"1e19"}}]}]}]}]})";
  Keep ints;
  auto r = read_text(big_int, "t.jsonl", SkipBad::no, ints);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("expected an integer") != std::string::npos);
}
