// Feedback joined with the spans it judges, written as candidate golden cases.
#include "mlops/feedback/to_golden.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <unordered_set>

#include "mlops/trace/facts.hpp"

namespace mlops::feedback {

namespace {

using trace::FeedbackEvent;
using trace::FeedbackSignal;
using trace::Polarity;
using Json = nlohmann::ordered_json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// What a span says of the request and the response, copied out of the reader's buffers.
struct CapturedSpan {
  std::string trace_id;
  std::string span_id;
  std::uint64_t end_ns = 0;
  std::string model;
  std::string prompt_name;
  std::string variables;  // llm.prompt_template.variables (a JSON object, as text)
  std::string prompt;     // the final prompt: input messages (JSON) or text
  std::string system;     // gen_ai.system_instructions
  std::string output;     // output messages (JSON) or text
  bool has_content() const { return !variables.empty() || !prompt.empty() || !output.empty(); }
};

void take(const trace::Attributes& a, std::initializer_list<std::string_view> keys, std::string& out,
          std::string& scratch) {
  if (!out.empty()) return;
  const trace::AnyValue* v = a.find_any(keys);
  if (v && v->type == trace::ValueType::string) out.assign(v->unescaped(scratch));
}

// Keeps the spans of the traces feedback named.
class CaptureSink : public trace::RecordSink {
 public:
  explicit CaptureSink(const std::unordered_set<std::string>& traces) : traces_(traces) {}

  void span(const trace::Span& span) override {
    std::string trace_id = lower(span.trace_id);
    if (!traces_.contains(trace_id)) return;
    CapturedSpan c;
    c.trace_id = std::move(trace_id);
    c.span_id = lower(span.span_id);
    c.end_ns = span.end_ns;
    trace::classify(span, {}, facts_);
    c.model = facts_.model;
    c.prompt_name = facts_.prompt;
    const auto& a = span.attributes;
    take(a, {"llm.prompt_template.variables"}, c.variables, scratch_);
    take(a, {"gen_ai.input.messages", "gen_ai.prompt", "input.value"}, c.prompt, scratch_);
    take(a, {"gen_ai.system_instructions"}, c.system, scratch_);
    take(a, {"gen_ai.output.messages", "gen_ai.completion", "output.value"}, c.output, scratch_);
    // The deprecated content events: gen_ai.content.prompt and gen_ai.content.completion.
    for (const auto& e : span.events) {
      if (e.name == "gen_ai.content.prompt") take(e.attributes, {"gen_ai.prompt"}, c.prompt, scratch_);
      if (e.name == "gen_ai.content.completion") take(e.attributes, {"gen_ai.completion"}, c.output, scratch_);
    }
    spans.push_back(std::move(c));
  }
  void log(const trace::LogRecord&) override {}
  void begin_line() override { mark_ = spans.size(); }
  void drop_line() override { spans.resize(mark_); }

  std::vector<CapturedSpan> spans;

 private:
  const std::unordered_set<std::string>& traces_;
  trace::SpanFacts facts_;
  std::string scratch_;
  std::size_t mark_ = 0;
};

// A JSON value when the text is one, else the text itself.
Json json_or_text(const std::string& text) {
  auto j = Json::parse(text, nullptr, false);
  return j.is_discarded() ? Json(text) : j;
}

// The text of output messages ([{"role": "assistant", "parts": [{"type": "text", "content": ".."}]}]),
// of OpenAI-style messages ({"content": ".."}), or the text as recorded.
std::string output_text(const std::string& recorded) {
  auto j = Json::parse(recorded, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return recorded;
  std::string text;
  auto add = [&](const Json& v) {
    if (v.is_string()) text += (text.empty() ? "" : "\n") + v.get<std::string>();
  };
  for (const auto& m : j) {
    if (!m.is_object()) continue;
    if (auto parts = m.find("parts"); parts != m.end() && parts->is_array()) {
      for (const auto& p : *parts)
        if (p.is_object() && p.value("type", "") == "text") add(p.value("content", Json()));
    } else if (auto content = m.find("content"); content != m.end()) {
      add(*content);
    }
  }
  return text.empty() ? recorded : text;
}

std::string tag_of(const FeedbackEvent& e) {
  switch (e.signal) {
    case FeedbackSignal::thumbs:
      return "thumbs-" + e.value;
    case FeedbackSignal::rating:
      return fmt::format("rating-{}", to_string(e.polarity()));
    default:
      return std::string(to_string(e.signal));
  }
}

std::optional<double> number(const std::string& text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

Result<void> check_selection(const Selection& s) {
  const std::string& v = s.value;
  if (v.empty()) return {};
  bool polarity = v == "positive" || v == "negative";
  switch (s.signal) {
    case FeedbackSignal::thumbs:
      if (v == "up" || v == "down" || polarity) return {};
      return std::unexpected(bad_input(fmt::format("--value '{}' means nothing for thumbs", v),
                                       "thumbs take up or down (or positive, negative)"));
    case FeedbackSignal::rating:
      if (polarity || v == "neutral" || number(v)) return {};
      return std::unexpected(bad_input(fmt::format("--value '{}' means nothing for ratings", v),
                                       "give a rating (2) or positive, neutral, negative"));
    default:
      return std::unexpected(bad_input(fmt::format("--value is for thumbs and ratings, not {}", to_string(s.signal)),
                                       "leave --value out: every event of the signal is taken"));
  }
}

bool selected(const FeedbackEvent& e, const Selection& s) {
  if (e.signal != s.signal) return false;
  if (s.value.empty()) return true;
  if (s.value == "positive" || s.value == "negative" || s.value == "neutral") return to_string(e.polarity()) == s.value;
  if (e.signal == FeedbackSignal::thumbs) return e.value == s.value;
  auto n = number(s.value);
  return e.score && n && *e.score == *n;
}

Result<CandidateReport> to_golden(const std::vector<FeedbackEvent>& events, const Selection& selection,
                                  const std::vector<std::string>& traces, trace::SkipBad skip_bad) {
  MLOPS_TRY(check_selection(selection));
  CandidateReport report;
  // The spans selected, in the order of their first selected event, and every event on each.
  std::vector<std::pair<std::string, std::string>> order;  // (trace, span)
  std::map<std::pair<std::string, std::string>, std::vector<const FeedbackEvent*>> on_span;
  for (const auto& e : events) {
    if (!selected(e, selection)) continue;
    ++report.events_selected;
    auto key = std::make_pair(e.trace_id, e.span_id);
    if (on_span.try_emplace(key).second) order.push_back(key);
  }
  for (const auto& e : events) {
    auto it = on_span.find({e.trace_id, e.span_id});
    if (it != on_span.end()) it->second.push_back(&e);
  }
  report.spans_selected = order.size();
  if (order.empty()) return report;
  std::unordered_set<std::string> wanted;
  for (const auto& [t, s] : order) wanted.insert(t);
  auto read = trace::read_exports(traces, skip_bad, [&] { return std::make_unique<CaptureSink>(wanted); });
  if (!read) return std::unexpected(read.error());
  report.read = read->summary;
  std::map<std::string, std::vector<CapturedSpan>> by_trace;
  for (auto& sink : read->sinks)
    for (auto& c : static_cast<CaptureSink&>(*sink).spans) by_trace[c.trace_id].push_back(std::move(c));
  for (const auto& key : order) {
    const auto& [trace_id, span_id] = key;
    const CapturedSpan* span = nullptr;
    auto t = by_trace.find(trace_id);
    if (t != by_trace.end()) {
      for (const auto& c : t->second)
        if (c.span_id == span_id && c.has_content()) span = &c;
      // The span named carries no content (an agent's root): the trace's last model call that does.
      bool named_seen =
          std::any_of(t->second.begin(), t->second.end(), [&](const CapturedSpan& c) { return c.span_id == span_id; });
      if (!span && named_seen) {
        for (const auto& c : t->second)
          if (c.has_content() && (!span || c.end_ns >= span->end_ns)) span = &c;
      }
      // Nothing in the trace carries the prompt or the answer (content capture is off, the
      // instrumentations' default): the case still names the span, for a reviewer to look up.
      if (!span && named_seen) {
        for (const auto& c : t->second)
          if (c.span_id == span_id) span = &c;
        report.without_content.push_back(fmt::format("{}/{}", trace_id, span_id));
      }
    }
    if (!span) {
      report.spans_not_found.push_back(fmt::format("{}/{}", trace_id, span_id));
      continue;
    }
    Json c;
    c["id"] = "fb-" + span_id;
    c["status"] = "candidate";
    Json input = Json::object();
    if (!span->variables.empty()) {
      auto vars = Json::parse(span->variables, nullptr, false);
      if (vars.is_object()) input = vars;
    }
    if (input.empty()) ++report.without_variables;
    c["input"] = input;
    std::vector<std::string> tags{"feedback"};
    const FeedbackEvent* edit = nullptr;
    Json feedback = Json::array();
    for (const FeedbackEvent* e : on_span[key]) {
      if (e->signal == FeedbackSignal::edit) edit = e;  // events are in time order: the last edit wins
      std::string tag = tag_of(*e);
      if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
      feedback.push_back(e->to_json());
    }
    if (edit) {
      c["expected"] = {{"output", edit->text}};
      ++report.with_edit;
    }
    c["tags"] = tags;
    Json meta;
    meta["source"] = "mlops feedback to-golden";
    meta["trace_id"] = trace_id;
    meta["span_id"] = span->span_id;
    if (span->span_id != span_id) meta["feedback_span_id"] = span_id;
    if (!span->model.empty()) meta["model"] = span->model;
    if (!span->prompt_name.empty()) meta["prompt_name"] = span->prompt_name;
    if (!span->system.empty()) meta["system_instructions"] = json_or_text(span->system);
    if (!span->prompt.empty()) meta["prompt"] = json_or_text(span->prompt);
    if (!span->output.empty()) meta["output"] = output_text(span->output);
    meta["feedback"] = feedback;
    c["metadata"] = meta;
    report.cases.push_back(std::move(c));
  }
  return report;
}

std::string candidates_jsonl(const CandidateReport& report) {
  std::string text;
  for (const auto& c : report.cases) text += c.dump() + "\n";
  return text;
}

}  // namespace mlops::feedback
