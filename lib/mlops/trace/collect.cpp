// Turning spans into samples, on every core, and joining evaluation results to the spans they
// evaluated (by span id) once everything is read.
#include "mlops/trace/collect.hpp"

#include <fmt/format.h>

#include <functional>
#include <unordered_map>
#include <unordered_set>

namespace mlops::trace {

namespace {

std::uint64_t hash_id(std::string_view id) { return id.empty() ? 0 : std::hash<std::string_view>{}(id); }

std::int32_t clamp32(const std::optional<std::int64_t>& v) {
  if (!v) return -1;
  return static_cast<std::int32_t>(std::min<std::int64_t>(*v, INT32_MAX));
}

// One piece's records: its own label and error-type tables, remapped when pieces merge.
class CollectSink : public RecordSink {
 public:
  explicit CollectSink(const CollectOptions& options) : options_(options) {}

  void span(const Span& span) override {
    ++part.spans;
    classify(span, options_.classify, facts_);
    evaluations_of(span, pending_evaluations);
    if (facts_.cls == SpanClass::none) {
      ++part.other_spans;
      return;
    }
    Sample s;
    s.start_ns = facts_.start_ns;
    s.end_ns = facts_.end_ns;
    s.timing_ok = facts_.timing_ok;
    if (!s.timing_ok) ++part.bad_timing;
    s.trace_hash = hash_id(facts_.trace_id);
    s.span_hash = hash_id(facts_.span_id);
    s.cls = facts_.cls;
    s.error = facts_.error;
    if (s.error) s.error_type = intern_error(facts_.error_type);
    s.input_tokens = clamp32(facts_.input_tokens);
    s.output_tokens = clamp32(facts_.output_tokens);
    s.cached_tokens = clamp32(facts_.cached_tokens);
    s.reasoning_tokens = clamp32(facts_.reasoning_tokens);
    s.documents = clamp32(facts_.documents);
    if (facts_.ttft_seconds) s.ttft_ms = *facts_.ttft_seconds * 1000;
    s.ttft_source = facts_.ttft_source;
    s.has_finish_reason = facts_.has_finish_reason;
    s.truncated = facts_.truncated;
    s.content_filter = facts_.content_filter;
    s.guardrail_triggered = facts_.guardrail_triggered;
    s.aggregate = facts_.aggregate;
    s.has_model = !facts_.model.empty();
    if (facts_.cost) {
      s.cost = *facts_.cost;
    } else if (s.has_tokens() && !s.partial_tokens() && !facts_.model.empty()) {
      const Price* price = options_.prices ? options_.prices->find(facts_.model) : nullptr;
      if (price) {
        s.cost = PriceTable::cost(*price, std::max(0, s.input_tokens), std::max(0, s.cached_tokens),
                                  std::max(0, s.output_tokens));
        s.priced = true;
      }
    }
    // Spans of a trace usually come together: the set is asked once per run of them.
    if (!s.aggregate && s.has_tokens() && s.trace_hash != last_token_trace_) {
      last_token_trace_ = s.trace_hash;
      if (part.traces_with_model_tokens.insert(s.trace_hash).second) traces_since_mark_.push_back(s.trace_hash);
    }
    labels_.operation = facts_.operation;
    labels_.model = facts_.model;
    labels_.provider = facts_.provider;
    labels_.prompt = facts_.prompt;
    labels_.kind = to_string(facts_.cls);
    s.labels = part.labels.intern(labels_);
    part.samples.push_back(s);
  }

  void log(const LogRecord& record) override {
    ++part.log_records;
    if (auto e = evaluation_of(record)) pending_evaluations.push_back(std::move(*e));
  }

  void begin_line() override {
    mark_ = {part.samples.size(), pending_evaluations.size(), part.spans,
             part.other_spans,    part.log_records,           part.bad_timing};
    traces_since_mark_.clear();
  }

  void drop_line() override {
    last_token_trace_ = 0;
    part.samples.resize(mark_.samples);
    pending_evaluations.resize(mark_.evaluations);
    part.spans = mark_.spans;
    part.other_spans = mark_.other_spans;
    part.log_records = mark_.log_records;
    part.bad_timing = mark_.bad_timing;
    for (auto t : traces_since_mark_) part.traces_with_model_tokens.erase(t);
  }

  Collection part;
  std::vector<EvaluationFact> pending_evaluations;

 private:
  std::uint32_t intern_error(const std::string& type) {
    for (std::uint32_t i = 0; i < part.error_types.size(); ++i)
      if (part.error_types[i] == type) return i;
    part.error_types.push_back(type);
    return static_cast<std::uint32_t>(part.error_types.size() - 1);
  }

  struct Mark {
    std::size_t samples = 0, evaluations = 0;
    std::uint64_t spans = 0, other_spans = 0, log_records = 0, bad_timing = 0;
  };
  Mark mark_;
  std::uint64_t last_token_trace_ = 0;
  std::vector<std::uint64_t> traces_since_mark_;
  const CollectOptions& options_;
  SpanFacts facts_;
  Labels labels_;
};

// Moves a piece's samples into `all`, remapping its label sets and error types.
void merge_part(Collection& all, CollectSink& sink, std::vector<EvaluationFact>& evaluations) {
  Collection& part = sink.part;
  std::vector<std::uint32_t> label_map(part.labels.size());
  for (std::uint32_t i = 0; i < part.labels.size(); ++i) label_map[i] = all.labels.intern(part.labels.at(i));
  std::vector<std::uint32_t> error_map(part.error_types.size(), 0);
  for (std::uint32_t i = 1; i < part.error_types.size(); ++i) {
    auto it = std::find(all.error_types.begin(), all.error_types.end(), part.error_types[i]);
    if (it == all.error_types.end()) it = all.error_types.insert(all.error_types.end(), part.error_types[i]);
    error_map[i] = static_cast<std::uint32_t>(it - all.error_types.begin());
  }
  all.samples.reserve(all.samples.size() + part.samples.size());
  for (auto& s : part.samples) {
    s.labels = label_map[s.labels];
    s.error_type = error_map[s.error_type];
    all.samples.push_back(s);
  }
  part.samples = {};
  all.traces_with_model_tokens.merge(part.traces_with_model_tokens);
  all.spans += part.spans;
  all.other_spans += part.other_spans;
  all.log_records += part.log_records;
  all.bad_timing += part.bad_timing;
  for (auto& e : sink.pending_evaluations) evaluations.push_back(std::move(e));
}

// Keeps the first of the samples that share a trace and span id: the same span given twice (a file
// and its .gz, overlapping globs, a re-sent export) is one request, and a budget must not double.
void drop_duplicate_spans(Collection& all) {
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(all.samples.size());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < all.samples.size(); ++i) {
    const Sample& s = all.samples[i];
    bool identified = s.trace_hash != 0 && s.span_hash != 0;
    if (identified && !seen.insert(s.trace_hash * 0x9e3779b97f4a7c15ull ^ s.span_hash).second) {
      ++all.duplicate_spans;
      continue;
    }
    all.samples[kept++] = s;
  }
  all.samples.resize(kept);
}

// Joins each evaluation to the span it names; one that names no span read gets "(no span)" labels.
void join_evaluations(Collection& all, std::vector<EvaluationFact>& evaluations) {
  if (evaluations.empty()) return;
  std::unordered_map<std::uint64_t, std::uint32_t> span_labels;
  for (const auto& e : evaluations) span_labels.emplace(hash_id(e.span_id), UINT32_MAX);
  for (const auto& s : all.samples) {
    if (auto it = span_labels.find(s.span_hash); it != span_labels.end()) it->second = s.labels;
  }
  Labels none;
  none.operation = none.model = none.provider = none.prompt = none.kind = "(no span)";
  std::uint32_t no_span = UINT32_MAX;
  std::unordered_map<std::string, std::uint32_t> names;
  for (const auto& e : evaluations) {
    EvaluationSample s;
    s.time_ns = e.time_ns;
    s.score = e.score.value_or(kUnknown);
    auto [it, fresh] = names.try_emplace(e.name, static_cast<std::uint32_t>(all.evaluation_names.size()));
    if (fresh) all.evaluation_names.push_back(e.name);
    s.name = it->second;
    std::uint32_t labels = e.span_id.empty() ? UINT32_MAX : span_labels[hash_id(e.span_id)];
    s.matched = labels != UINT32_MAX;
    if (!s.matched) {
      if (no_span == UINT32_MAX) no_span = all.labels.intern(none);
      labels = no_span;
    }
    s.labels = labels;
    all.evaluations.push_back(s);
  }
}

// Marks the model calls whose cost is unknown for want of usage: they succeeded, carry neither a
// token count nor a cost, and no agent span of their trace carries the usage for them (streaming
// calls that were not asked to report usage do this). A budget over them must not read $0.
void mark_unreported_usage(Collection& all) {
  std::unordered_set<std::uint64_t> aggregated;
  for (const auto& s : all.samples)
    if (s.aggregate && (s.has_tokens() || known(s.cost))) aggregated.insert(s.trace_hash);
  for (auto& s : all.samples) {
    s.usage_unreported = !s.aggregate && !s.error && !s.has_tokens() && !known(s.cost) &&
                         (s.cls == SpanClass::llm || s.cls == SpanClass::embeddings) &&
                         !aggregated.contains(s.trace_hash);
  }
}

}  // namespace

const std::string* Labels::get(std::string_view name) const {
  if (name == "operation") return &operation;
  if (name == "model") return &model;
  if (name == "provider") return &provider;
  if (name == "prompt") return &prompt;
  if (name == "kind") return &kind;
  return nullptr;
}

std::uint32_t LabelTable::intern(const Labels& labels) {
  auto [it, fresh] = index_.try_emplace(labels, static_cast<std::uint32_t>(sets_.size()));
  if (fresh) sets_.push_back(labels);
  return it->second;
}

std::optional<std::string> nothing_to_judge_warning(const Collection& c) {
  if (!c.samples.empty() || !c.evaluations.empty()) return std::nullopt;
  std::size_t files = c.read.files - c.read.empty_files.size();
  if (files == 0) return std::nullopt;  // each empty file has its own warning
  if (c.spans == 0 && c.log_records == 0)
    return files == 1 ? std::string(
                            "the file read holds no spans and no log records: is it an OTLP trace or log "
                            "export (resourceSpans, resourceLogs)? A metrics export holds resourceMetrics")
                      : fmt::format(
                            "the {} files read hold no spans and no log records: are they OTLP trace or log "
                            "exports (resourceSpans, resourceLogs)? A metrics export holds resourceMetrics",
                            files);
  return fmt::format(
      "none of the {} spans read is GenAI work (no gen_ai.operation.name or OpenInference span kind): "
      "every figure over spans has no data",
      c.spans);
}

std::map<std::string, std::uint64_t> unpriced_models(const Collection& c) {
  std::map<std::string, std::uint64_t> models;
  for (const auto& s : c.samples) {
    if (s.has_tokens() && !s.partial_tokens() && s.has_model && !known(s.cost) && c.counts_tokens(s))
      ++models[c.labels.at(s.labels).model];
  }
  return models;
}

std::map<std::pair<std::string, std::string>, std::uint64_t> priced_without_a_side(
    const Collection& c, const PriceTable& prices, std::optional<std::uint64_t> since_ns,
    std::optional<std::uint64_t> until_ns) {
  std::map<std::pair<std::string, std::string>, std::uint64_t> found;
  for (const auto& s : c.samples) {
    if (!s.priced || !c.counts_tokens(s)) continue;
    if ((since_ns && s.end_ns < *since_ns) || (until_ns && s.end_ns >= *until_ns)) continue;
    const std::string& model = c.labels.at(s.labels).model;
    const Price* price = prices.find(model);
    if (!price) continue;
    if (s.input_tokens > 0 && !price->has_input) ++found[{model, "input"}];
    if (s.output_tokens > 0 && !price->has_output) ++found[{model, "output"}];
  }
  return found;
}

Result<Collection> collect(const std::vector<std::string>& files, const CollectOptions& options) {
  auto read = read_exports(files, options.skip_bad, [&] { return std::make_unique<CollectSink>(options); });
  if (!read) return std::unexpected(read.error());
  Collection all;
  all.read = std::move(read->summary);
  std::vector<EvaluationFact> evaluations;
  std::size_t total = 0;
  for (const auto& sink : read->sinks) total += static_cast<CollectSink&>(*sink).part.samples.size();
  all.samples.reserve(total);
  for (auto& sink : read->sinks) {
    merge_part(all, static_cast<CollectSink&>(*sink), evaluations);
    sink.reset();
  }
  drop_duplicate_spans(all);
  mark_unreported_usage(all);
  join_evaluations(all, evaluations);
  return all;
}

Result<Collection> collect_text(std::string_view text, const CollectOptions& options) {
  CollectSink sink(options);
  auto read = read_text(text, "input", options.skip_bad, sink);
  if (!read) return std::unexpected(read.error());
  Collection all;
  all.read = std::move(*read);
  std::vector<EvaluationFact> evaluations;
  merge_part(all, sink, evaluations);
  drop_duplicate_spans(all);
  mark_unreported_usage(all);
  join_evaluations(all, evaluations);
  return all;
}

}  // namespace mlops::trace
