#pragma once
// OTLP/JSON records as the reader hands them out: spans (TracesData) and log records (LogsData),
// each a view into the input that is valid only during the callback. `trace stats`, `monitor` and
// (later) `feedback` read exports through this one reader and keep what they need.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mlops::trace {

// An AnyValue (opentelemetry/proto/common/v1): one of its fields, as written.
enum class ValueType : std::uint8_t { none, string, integer, real, boolean, array, kvlist, bytes };

struct AnyValue {
  ValueType type = ValueType::none;
  std::string_view text;  // a string (unescaped), bytes (base64); the JSON of an array or kvlist
  // A long string with escapes (a prompt, a completion) is kept as written, so that reading spans
  // does not unescape text nobody looks at: text is then the raw JSON string body; see unescaped().
  bool escaped = false;
  std::int64_t integer = 0;
  double real = 0;
  bool boolean = false;
  std::size_t count = 0;  // the elements of an array or kvlist

  // The string's value, unescaped into `scratch` when it was kept as written.
  std::string_view unescaped(std::string& scratch) const;
  // The value as a number: an integer, a double, or a string that holds a number.
  std::optional<double> number() const;
  // Calls f(string_view) for each string element of an array (a plain string counts as one).
  void for_each_string(const std::function<void(std::string_view)>& f) const;
};

struct Attribute {
  std::string_view key;
  AnyValue value;
};

// A record's attributes in the order written. A span has tens of them: a scan beats a hash.
struct Attributes {
  std::vector<Attribute> items;
  const AnyValue* find(std::string_view key) const {
    for (const auto& a : items)
      if (a.key == key) return &a.value;
    return nullptr;
  }
  // The first of `keys` present (a current name, then the deprecated ones it replaced).
  const AnyValue* find_any(std::initializer_list<std::string_view> keys) const {
    for (auto key : keys)
      if (const AnyValue* v = find(key)) return v;
    return nullptr;
  }
};

struct SpanEvent {
  std::string_view name;
  std::uint64_t time_ns = 0;
  Attributes attributes;
};

// Span.SpanKind and Status.StatusCode as OTLP numbers them.
enum class SpanKind : std::uint8_t {
  unspecified = 0,
  internal = 1,
  server = 2,
  client = 3,
  producer = 4,
  consumer = 5
};
enum class StatusCode : std::uint8_t { unset = 0, ok = 1, error = 2 };

struct Span {
  std::string_view trace_id;  // hex, as OTLP/JSON writes ids
  std::string_view span_id;
  std::string_view parent_span_id;
  std::string_view name;
  SpanKind kind = SpanKind::unspecified;
  std::uint64_t start_ns = 0;
  std::uint64_t end_ns = 0;
  StatusCode status = StatusCode::unset;
  std::string_view status_message;
  Attributes attributes;
  std::span<const SpanEvent> events;
  std::string_view scope_name;
};

struct LogRecord {
  std::uint64_t time_ns = 0;
  std::uint64_t observed_ns = 0;
  std::string_view event_name;  // LogRecord.event_name, else the older "event.name" attribute
  std::string_view trace_id;
  std::string_view span_id;
  Attributes attributes;
  AnyValue body;
};

// What a reader calls for each record, in the order of the input.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void span(const Span& span) = 0;
  virtual void log(const LogRecord& record) = 0;
  // A line is about to be read; forget what it gave if it turns out malformed (--skip-bad must
  // not count the spans before the point where a line was torn).
  virtual void begin_line() {}
  virtual void drop_line() {}
};

// Unescaped strings of the record being read; reused from record to record.
class StringArena {
 public:
  std::string& next() {
    if (used_ == pool_.size()) pool_.emplace_back();
    return pool_[used_++];
  }
  void reset() { used_ = 0; }

 private:
  std::deque<std::string> pool_;
  std::size_t used_ = 0;
};

class JsonCursor;

// Parses OTLP/JSON values (TracesData, LogsData, or the collector's export requests, which have the
// same shape) from a cursor. One parser per thread; it reuses its buffers between records.
class OtlpParser {
 public:
  explicit OtlpParser(RecordSink& sink) : sink_(sink) {}
  // Reads one top-level value; false with the cursor's error set when malformed.
  bool document(JsonCursor& c);

 private:
  bool resource_spans(JsonCursor& c);
  bool scope_spans(JsonCursor& c);
  bool span(JsonCursor& c);
  bool event(JsonCursor& c, SpanEvent& e);
  bool resource_logs(JsonCursor& c);
  bool scope_logs(JsonCursor& c);
  bool log_record(JsonCursor& c);
  bool scope(JsonCursor& c, std::string_view& name);
  bool attributes(JsonCursor& c, Attributes& out);
  bool any_value(JsonCursor& c, AnyValue& out);

  RecordSink& sink_;
  Span span_;
  LogRecord log_;
  std::vector<SpanEvent> event_pool_;
  StringArena arena_;
  std::string_view scope_name_;
};

}  // namespace mlops::trace
