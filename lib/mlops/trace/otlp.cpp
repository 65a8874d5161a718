// Walking OTLP/JSON: TracesData and LogsData down to their spans and log records. Field names are
// accepted in lowerCamelCase (what OTLP/JSON writes) and as the proto's snake_case (which the
// specification asks receivers to accept); enums as numbers or as their names. Unknown fields are
// skipped, as the specification requires.
#include "mlops/trace/otlp.hpp"

#include <charconv>

#include "mlops/trace/json_cursor.hpp"

namespace mlops::trace {

namespace {

// Strings with escapes up to this long are unescaped as they are read (names, ids, finish reasons);
// longer ones (messages) only when asked for.
constexpr std::size_t kEagerUnescape = 256;

// 2000-01-01T00:00:00Z in nanoseconds: no GenAI span is older.
constexpr std::uint64_t kEarliestSpanNs = 946684800ull * 1000000000;

bool is(std::string_view key, std::string_view camel, std::string_view snake) { return key == camel || key == snake; }

// An enum written as a number or by name ("SPAN_KIND_CLIENT", "STATUS_CODE_ERROR").
bool enum_value(JsonCursor& c, std::initializer_list<std::string_view> names, int& out) {
  if (c.peek() == '"') {
    std::string_view name;
    if (!c.raw_string(name)) return false;
    int i = 0;
    for (auto n : names) {
      if (n == name) {
        out = i;
        return true;
      }
      ++i;
    }
    out = 0;
    return true;
  }
  std::int64_t v = 0;
  if (!c.int64(v)) return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

std::string_view AnyValue::unescaped(std::string& scratch) const {
  if (!escaped) return text;
  if (!JsonCursor::unescape(text, scratch)) return text;
  return scratch;
}

std::optional<double> AnyValue::number() const {
  switch (type) {
    case ValueType::integer:
      return static_cast<double>(integer);
    case ValueType::real:
      return real;
    case ValueType::string: {
      double d;
      if (JsonCursor::to_double(text, d)) return d;
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

void AnyValue::for_each_string(const std::function<void(std::string_view)>& f) const {
  if (type == ValueType::string) {
    f(text);
    return;
  }
  if (type != ValueType::array) return;
  // text is {"values":[{"stringValue":"..."}, ...]}
  JsonCursor c(text.data(), text.data() + text.size());
  std::string scratch;
  c.object([&](std::string_view key) {
    if (key != "values") return c.skip();
    return c.array([&] {
      return c.object([&](std::string_view k) {
        if (!is(k, "stringValue", "string_value")) return c.skip();
        std::string_view s;
        if (!c.string(s, scratch)) return false;
        f(s);
        return true;
      });
    });
  });
}

bool OtlpParser::document(JsonCursor& c) {
  return c.object([&](std::string_view key) {
    if (is(key, "resourceSpans", "resource_spans")) return c.array([&] { return resource_spans(c); });
    if (is(key, "resourceLogs", "resource_logs")) return c.array([&] { return resource_logs(c); });
    return c.skip();
  });
}

bool OtlpParser::resource_spans(JsonCursor& c) {
  return c.object([&](std::string_view key) {
    if (is(key, "scopeSpans", "scope_spans") || is(key, "instrumentationLibrarySpans", "instrumentation_library_spans"))
      return c.array([&] { return scope_spans(c); });
    return c.skip();
  });
}

bool OtlpParser::scope(JsonCursor& c, std::string_view& name) {
  return c.object([&](std::string_view key) {
    if (key == "name") return c.raw_string(name);
    return c.skip();
  });
}

bool OtlpParser::scope_spans(JsonCursor& c) {
  scope_name_ = {};
  return c.object([&](std::string_view key) {
    if (key == "scope" || is(key, "instrumentationLibrary", "instrumentation_library")) return scope(c, scope_name_);
    if (key == "spans") return c.array([&] { return span(c); });
    return c.skip();
  });
}

bool OtlpParser::span(JsonCursor& c) {
  arena_.reset();
  span_.trace_id = span_.span_id = span_.parent_span_id = span_.name = span_.status_message = {};
  span_.kind = SpanKind::unspecified;
  span_.start_ns = span_.end_ns = 0;
  span_.status = StatusCode::unset;
  span_.attributes.items.clear();
  std::size_t events = 0;
  bool ok = c.object([&](std::string_view key) {
    switch (key.empty() ? '\0' : key[0]) {
      case 't':
        if (is(key, "traceId", "trace_id")) return c.raw_string(span_.trace_id);
        break;
      case 's':
        if (is(key, "spanId", "span_id")) return c.raw_string(span_.span_id);
        if (is(key, "startTimeUnixNano", "start_time_unix_nano")) return c.uint64(span_.start_ns);
        if (key == "status") {
          return c.object([&](std::string_view k) {
            if (k == "code") {
              int code = 0;
              if (!enum_value(c, {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"}, code)) return false;
              span_.status = code >= 0 && code <= 2 ? static_cast<StatusCode>(code) : StatusCode::unset;
              return true;
            }
            if (k == "message") return c.string(span_.status_message, arena_.next());
            return c.skip();
          });
        }
        break;
      case 'p':
        if (is(key, "parentSpanId", "parent_span_id")) return c.raw_string(span_.parent_span_id);
        break;
      case 'n':
        if (key == "name") return c.string(span_.name, arena_.next());
        break;
      case 'k':
        if (key == "kind") {
          int kind = 0;
          if (!enum_value(c,
                          {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
                           "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"},
                          kind))
            return false;
          span_.kind = kind >= 0 && kind <= 5 ? static_cast<SpanKind>(kind) : SpanKind::unspecified;
          return true;
        }
        break;
      case 'e':
        if (is(key, "endTimeUnixNano", "end_time_unix_nano")) return c.uint64(span_.end_ns);
        if (key == "events") {
          return c.array([&] {
            if (events == event_pool_.size()) event_pool_.emplace_back();
            SpanEvent& e = event_pool_[events++];
            return event(c, e);
          });
        }
        break;
      case 'a':
        if (key == "attributes") return attributes(c, span_.attributes);
        break;
      default:
        break;
    }
    return c.skip();
  });
  if (!ok) return false;
  // A time in seconds, milliseconds or microseconds read as nanoseconds lands in 1970: refused, not
  // guessed (0 is "not recorded", which latency leaves out and counts).
  if ((span_.start_ns && span_.start_ns < kEarliestSpanNs) || (span_.end_ns && span_.end_ns < kEarliestSpanNs)) {
    return c.reject(
        "a span's startTimeUnixNano or endTimeUnixNano is before 2000: OTLP times are nanoseconds since 1970 "
        "(19 digits); were seconds, milliseconds or microseconds written?");
  }
  span_.events = std::span<const SpanEvent>(event_pool_.data(), events);
  span_.scope_name = scope_name_;
  sink_.span(span_);
  return true;
}

bool OtlpParser::event(JsonCursor& c, SpanEvent& e) {
  e.name = {};
  e.time_ns = 0;
  e.attributes.items.clear();
  return c.object([&](std::string_view key) {
    if (key == "name") return c.string(e.name, arena_.next());
    if (is(key, "timeUnixNano", "time_unix_nano")) return c.uint64(e.time_ns);
    if (key == "attributes") return attributes(c, e.attributes);
    return c.skip();
  });
}

bool OtlpParser::resource_logs(JsonCursor& c) {
  return c.object([&](std::string_view key) {
    if (is(key, "scopeLogs", "scope_logs") || is(key, "instrumentationLibraryLogs", "instrumentation_library_logs"))
      return c.array([&] { return scope_logs(c); });
    return c.skip();
  });
}

bool OtlpParser::scope_logs(JsonCursor& c) {
  return c.object([&](std::string_view key) {
    if (is(key, "logRecords", "log_records")) return c.array([&] { return log_record(c); });
    return c.skip();
  });
}

bool OtlpParser::log_record(JsonCursor& c) {
  arena_.reset();
  log_.time_ns = log_.observed_ns = 0;
  log_.event_name = log_.trace_id = log_.span_id = {};
  log_.attributes.items.clear();
  log_.body = {};
  bool ok = c.object([&](std::string_view key) {
    if (is(key, "timeUnixNano", "time_unix_nano")) return c.uint64(log_.time_ns);
    if (is(key, "observedTimeUnixNano", "observed_time_unix_nano")) return c.uint64(log_.observed_ns);
    if (is(key, "eventName", "event_name")) return c.string(log_.event_name, arena_.next());
    if (is(key, "traceId", "trace_id")) return c.raw_string(log_.trace_id);
    if (is(key, "spanId", "span_id")) return c.raw_string(log_.span_id);
    if (key == "attributes") return attributes(c, log_.attributes);
    if (key == "body") return any_value(c, log_.body);
    return c.skip();
  });
  if (!ok) return false;
  if (log_.event_name.empty()) {
    // Logs SDKs before LogRecord.event_name (proto 1.5) put the event's name in an attribute.
    if (const AnyValue* v = log_.attributes.find("event.name"); v && v->type == ValueType::string)
      log_.event_name = v->text;
  }
  sink_.log(log_);
  return true;
}

bool OtlpParser::attributes(JsonCursor& c, Attributes& out) {
  return c.array([&] {
    Attribute a;
    bool ok = c.object([&](std::string_view key) {
      if (key == "key") return c.string(a.key, arena_.next());
      if (key == "value") return any_value(c, a.value);
      return c.skip();
    });
    if (ok) out.items.push_back(a);
    return ok;
  });
}

bool OtlpParser::any_value(JsonCursor& c, AnyValue& out) {
  out = {};
  return c.object([&](std::string_view key) {
    if (is(key, "stringValue", "string_value")) {
      out.type = ValueType::string;
      bool escaped = false;
      if (!c.raw_string(out.text, escaped)) return false;
      if (!escaped) return true;
      if (out.text.size() > kEagerUnescape) {
        out.escaped = true;
        return true;
      }
      std::string& scratch = arena_.next();
      if (!JsonCursor::unescape(out.text, scratch)) return c.fail("bad escape in a string");
      out.text = scratch;
      return true;
    }
    if (is(key, "intValue", "int_value")) {
      out.type = ValueType::integer;
      return c.int64(out.integer);
    }
    if (is(key, "doubleValue", "double_value")) {
      out.type = ValueType::real;
      return c.real(out.real);
    }
    if (is(key, "boolValue", "bool_value")) {
      out.type = ValueType::boolean;
      return c.boolean(out.boolean);
    }
    if (is(key, "bytesValue", "bytes_value")) {
      out.type = ValueType::bytes;
      return c.raw_string(out.text);
    }
    if (is(key, "arrayValue", "array_value") || is(key, "kvlistValue", "kvlist_value")) {
      out.type = key[0] == 'a' ? ValueType::array : ValueType::kvlist;
      c.ws();
      const char* start = c.position();
      // Count the elements while checking the structure; the text is kept for later walks.
      bool ok = c.object([&](std::string_view k) {
        if (k != "values") return c.skip();
        return c.array([&] {
          ++out.count;
          return c.skip();
        });
      });
      if (!ok) return false;
      out.text = {start, static_cast<std::size_t>(c.position() - start)};
      return true;
    }
    return c.skip();
  });
}

}  // namespace mlops::trace
