// Classifying spans and reading their GenAI attributes. The names are those of the OpenTelemetry
// GenAI semantic conventions, then the deprecated names they list (gen_ai.system,
// gen_ai.usage.prompt_tokens, gen_ai.usage.completion_tokens), then OpenInference's.
#include "mlops/trace/facts.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "mlops/trace/json_cursor.hpp"

namespace mlops::trace {

namespace {

// The equivalent gen_ai.operation.name of an OpenInference span kind.
struct KindRow {
  std::string_view kind;
  SpanClass cls;
  std::string_view operation;
};
constexpr KindRow kOpenInference[] = {
    {"LLM", SpanClass::llm, "chat"},
    {"EMBEDDING", SpanClass::embeddings, "embeddings"},
    {"RETRIEVER", SpanClass::retrieval, "retrieval"},
    {"RERANKER", SpanClass::retrieval, "rerank"},
    {"TOOL", SpanClass::tool, "execute_tool"},
    {"AGENT", SpanClass::agent, "invoke_agent"},
    {"CHAIN", SpanClass::agent, "chain"},
    {"GUARDRAIL", SpanClass::guardrail, "guardrail"},
    {"EVALUATOR", SpanClass::other, "evaluator"},
    {"PROMPT", SpanClass::other, "prompt"},
};

SpanClass class_of_operation(std::string_view op) {
  if (op == "chat" || op == "text_completion" || op == "generate_content") return SpanClass::llm;
  if (op == "embeddings") return SpanClass::embeddings;
  if (op == "retrieval") return SpanClass::retrieval;
  if (op == "execute_tool") return SpanClass::tool;
  if (op == "invoke_agent" || op == "create_agent" || op == "invoke_workflow") return SpanClass::agent;
  if (op == "guardrail") return SpanClass::guardrail;
  return SpanClass::other;
}

std::optional<std::int64_t> integer(const Attributes& a, std::initializer_list<std::string_view> keys) {
  const AnyValue* v = a.find_any(keys);
  if (!v) return std::nullopt;
  auto n = v->number();
  if (!n || *n < 0) return std::nullopt;
  return static_cast<std::int64_t>(*n);
}

void assign_string(const Attributes& a, std::initializer_list<std::string_view> keys, std::string& out) {
  const AnyValue* v = a.find_any(keys);
  if (v && v->type == ValueType::string)
    out.assign(v->text);
  else
    out.clear();
}

bool truthy(const AnyValue* v) {
  if (!v) return false;
  if (v->type == ValueType::boolean) return v->boolean;
  if (v->type == ValueType::string) return v->text == "true" || v->text == "True" || v->text == "1";
  if (auto n = v->number()) return *n != 0;
  return false;
}

// The number of elements of a JSON array written as a string attribute (some SDKs flatten "any").
std::optional<std::int64_t> json_array_size(std::string_view text) {
  JsonCursor c(text.data(), text.data() + text.size());
  if (c.peek() != '[') return std::nullopt;
  std::int64_t n = 0;
  if (!c.array([&] {
        ++n;
        return c.skip();
      }))
    return std::nullopt;
  return n;
}

// OpenInference flattens documents as retrieval.documents.<i>.document.<field>: the highest i + 1.
std::optional<std::int64_t> flattened_documents(const Attributes& a) {
  constexpr std::string_view prefix = "retrieval.documents.";
  std::optional<std::int64_t> n;
  for (const auto& item : a.items) {
    if (!item.key.starts_with(prefix)) continue;
    std::string_view rest = item.key.substr(prefix.size());
    std::int64_t i = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), i);
    if (ec != std::errc() || ptr == rest.data()) continue;
    n = std::max(n.value_or(0), i + 1);
  }
  return n;
}

// Streaming instrumentations mark the first chunk with an event; the conventions name none. These
// are the events of OpenLLMetry and of OpenInference's LlamaIndex instrumentation.
bool is_chunk_event(std::string_view name) {
  return name == "llm.content.completion.chunk" || name == "gen_ai.content.completion.chunk" ||
         name == "First Token Stream Event";
}

std::string evaluation_name(std::string_view text) {
  std::string s(text);
  for (char& ch : s) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (ch == ' ' || ch == '-') ch = '_';
  }
  return s;
}

std::optional<EvaluationFact> evaluation_from(const Attributes& a, std::uint64_t time_ns, std::string_view span_id) {
  const AnyValue* name = a.find("gen_ai.evaluation.name");
  if (!name || name->type != ValueType::string) return std::nullopt;
  EvaluationFact e;
  e.name = evaluation_name(name->text);
  if (const AnyValue* v = a.find("gen_ai.evaluation.score.value")) e.score = v->number();
  if (const AnyValue* v = a.find("gen_ai.evaluation.score.label"); v && v->type == ValueType::string) e.label = v->text;
  if (const AnyValue* v = a.find("gen_ai.response.id"); v && v->type == ValueType::string) e.response_id = v->text;
  e.span_id = span_id;
  e.time_ns = time_ns;
  return e;
}

}  // namespace

std::string_view to_string(SpanClass c) {
  switch (c) {
    case SpanClass::llm:
      return "llm";
    case SpanClass::embeddings:
      return "embeddings";
    case SpanClass::retrieval:
      return "retrieval";
    case SpanClass::tool:
      return "tool";
    case SpanClass::agent:
      return "agent";
    case SpanClass::guardrail:
      return "guardrail";
    case SpanClass::other:
      return "other";
    case SpanClass::none:
      return "none";
  }
  return "none";
}

void classify(const Span& span, const ClassifyOptions& options, SpanFacts& f) {
  const Attributes& a = span.attributes;
  f.cls = SpanClass::none;
  if (const AnyValue* op = a.find("gen_ai.operation.name"); op && op->type == ValueType::string) {
    f.operation.assign(op->text);
    f.cls = class_of_operation(op->text);
  } else if (const AnyValue* kind = a.find("openinference.span.kind"); kind && kind->type == ValueType::string) {
    f.cls = SpanClass::other;
    f.operation.assign("other");
    for (const auto& row : kOpenInference) {
      if (row.kind == kind->text) {
        f.cls = row.cls;
        f.operation.assign(row.operation);
      }
    }
  } else if (a.find_any({"gen_ai.system", "gen_ai.provider.name", "gen_ai.request.model"})) {
    // Instrumentations older than gen_ai.operation.name (2024) wrote model calls with these only.
    f.cls = SpanClass::llm;
    f.operation.assign("chat");
  }
  if (f.cls == SpanClass::none) return;
  assign_string(a, {"gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "embedding.model_name"},
                f.model);
  assign_string(a, {"gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"}, f.provider);
  assign_string(a, {"gen_ai.prompt.name"}, f.prompt);
  f.start_ns = span.start_ns;
  f.end_ns = span.end_ns;
  f.timing_ok = span.start_ns > 0 && span.end_ns >= span.start_ns;
  assign_string(a, {"error.type"}, f.error_type);
  f.error = span.status == StatusCode::error || !f.error_type.empty();
  const bool error_type_given = !f.error_type.empty();
  if (f.error && f.error_type.empty()) f.error_type = "_OTHER";
  f.input_tokens = integer(a, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"});
  f.output_tokens =
      integer(a, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"});
  f.cached_tokens = integer(a, {"gen_ai.usage.cache_read.input_tokens", "llm.token_count.prompt_details.cache_read"});
  f.reasoning_tokens =
      integer(a, {"gen_ai.usage.reasoning.output_tokens", "llm.token_count.completion_details.reasoning"});
  f.cost.reset();
  if (const AnyValue* v = a.find_any({"gen_ai.usage.cost", "llm.cost.total"})) f.cost = v->number();
  f.ttft_seconds.reset();
  f.ttft_source = TtftSource::none;
  if (const AnyValue* v = a.find("gen_ai.response.time_to_first_chunk")) {
    if (auto s = v->number(); s && *s >= 0) {
      f.ttft_seconds = *s;
      f.ttft_source = TtftSource::attribute;
    }
  }
  if (!f.ttft_seconds) {
    for (const auto& e : span.events) {
      if (is_chunk_event(e.name) && e.time_ns >= span.start_ns && span.start_ns > 0) {
        f.ttft_seconds = static_cast<double>(e.time_ns - span.start_ns) / 1e9;
        f.ttft_source = TtftSource::event;
        break;
      }
    }
  }
  f.has_finish_reason = f.truncated = f.content_filter = false;
  if (const AnyValue* v = a.find("gen_ai.response.finish_reasons")) {
    v->for_each_string([&](std::string_view r) {
      f.has_finish_reason = true;
      if (r == "length" || r == "max_tokens") f.truncated = true;
      if (r == "content_filter") f.content_filter = true;
    });
  }
  f.guardrail_triggered = f.content_filter;
  if (!options.guardrail_attribute.empty() && truthy(a.find(options.guardrail_attribute))) f.guardrail_triggered = true;
  if (f.cls == SpanClass::guardrail && span.status == StatusCode::error) {
    // A guardrail span's ERROR status is how OpenInference records that it blocked something: the
    // guardrail did its job, which is not an error (unless error.type says the check itself failed).
    f.guardrail_triggered = true;
    if (!error_type_given) {
      f.error = false;
      f.error_type.clear();
    }
  }
  f.documents.reset();
  if (const AnyValue* v = a.find("gen_ai.retrieval.documents")) {
    if (v->type == ValueType::array) f.documents = static_cast<std::int64_t>(v->count);
    if (v->type == ValueType::string) {
      std::string scratch;
      f.documents = json_array_size(v->unescaped(scratch));
    }
  } else if (f.cls == SpanClass::retrieval) {
    f.documents = flattened_documents(a);
  }
  f.aggregate = f.cls == SpanClass::agent;
  f.trace_id.assign(span.trace_id);
  f.span_id.assign(span.span_id);
}

std::optional<EvaluationFact> evaluation_of(const LogRecord& record) {
  if (record.event_name != "gen_ai.evaluation.result") return std::nullopt;
  return evaluation_from(record.attributes, record.time_ns ? record.time_ns : record.observed_ns, record.span_id);
}

void evaluations_of(const Span& span, std::vector<EvaluationFact>& out) {
  for (const auto& e : span.events) {
    if (e.name != "gen_ai.evaluation.result") continue;
    if (auto fact = evaluation_from(e.attributes, e.time_ns, span.span_id)) out.push_back(std::move(*fact));
  }
}

}  // namespace mlops::trace
