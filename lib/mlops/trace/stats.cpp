// Per-group figures of GenAI spans: what each sample adds, and the summary by group.
#include "mlops/trace/stats.hpp"

#include <algorithm>

#include "mlops/core/parallel.hpp"

namespace mlops::trace {

void GroupStats::add(const Sample& s, bool count_tokens, const std::string& error_type) {
  ++requests;
  if (s.error) {
    ++errors;
    ++error_types[error_type];
  }
  if (s.timing_ok) {
    latency_ms.add(s.latency_ms());
  } else {
    ++bad_timing;
  }
  if (known(s.ttft_ms)) {
    ttft_ms.add(s.ttft_ms);
    ++(s.ttft_source == TtftSource::event ? ttft_from_events : ttft_from_attribute);
  }
  if (count_tokens) {
    if (s.has_tokens()) {
      ++with_tokens;
      if (s.partial_tokens()) ++partial_tokens;
      input_tokens += std::max(0, s.input_tokens);
      output_tokens += std::max(0, s.output_tokens);
      cached_tokens += std::max(0, s.cached_tokens);
      reasoning_tokens += std::max(0, s.reasoning_tokens);
    } else if (s.cls == SpanClass::llm || s.cls == SpanClass::embeddings) {
      ++without_tokens;
    }
    if (s.usage_unreported) ++usage_unreported;
    if (known(s.cost)) {
      cost_usd += s.cost;
      ++(s.priced ? cost_from_prices : cost_from_spans);
    } else if (s.partial_tokens() || s.usage_unreported) {
      ++tokens_missing;
    } else if (s.has_tokens() && s.has_model) {
      ++unpriced;
    }
  }
  if (s.has_finish_reason) ++with_finish_reason;
  if (s.truncated) ++truncated;
  if (s.content_filter) ++content_filter;
  if (s.guardrail_triggered) ++guardrail_triggered;
  if (s.cls == SpanClass::retrieval) {
    ++retrievals;
    if (s.timing_ok) retrieval_ms.add(s.latency_ms());
    if (s.documents >= 0) documents.add(s.documents);
  }
}

void GroupStats::add_evaluation(const std::string& name, double score) {
  auto& e = evaluations[name];
  ++e.results;
  if (known(score)) e.scores.add(score);
}

void FeedbackStats::add(const FeedbackSample& f) {
  ++events;
  if (f.polarity != Polarity::none) ++judgements;
  if (f.polarity == Polarity::positive) ++positive;
  if (f.polarity == Polarity::negative) ++negative;
  if (f.signal == FeedbackSignal::edit) ++edits;
  if (f.signal == FeedbackSignal::copy) ++copies;
  if (f.signal == FeedbackSignal::regenerate) ++regenerations;
  if (known(f.rating)) ratings.add(f.rating);
}

void FeedbackStats::merge(const FeedbackStats& o) {
  events += o.events;
  judgements += o.judgements;
  positive += o.positive;
  negative += o.negative;
  edits += o.edits;
  copies += o.copies;
  regenerations += o.regenerations;
  ratings.merge(o.ratings);
}

void GroupStats::merge(const GroupStats& o) {
  requests += o.requests;
  errors += o.errors;
  for (const auto& [k, v] : o.error_types) error_types[k] += v;
  bad_timing += o.bad_timing;
  latency_ms.merge(o.latency_ms);
  ttft_ms.merge(o.ttft_ms);
  ttft_from_attribute += o.ttft_from_attribute;
  ttft_from_events += o.ttft_from_events;
  input_tokens += o.input_tokens;
  output_tokens += o.output_tokens;
  cached_tokens += o.cached_tokens;
  reasoning_tokens += o.reasoning_tokens;
  with_tokens += o.with_tokens;
  without_tokens += o.without_tokens;
  partial_tokens += o.partial_tokens;
  usage_unreported += o.usage_unreported;
  cost_usd += o.cost_usd;
  cost_from_spans += o.cost_from_spans;
  cost_from_prices += o.cost_from_prices;
  unpriced += o.unpriced;
  tokens_missing += o.tokens_missing;
  with_finish_reason += o.with_finish_reason;
  truncated += o.truncated;
  content_filter += o.content_filter;
  guardrail_triggered += o.guardrail_triggered;
  retrievals += o.retrievals;
  retrieval_ms.merge(o.retrieval_ms);
  documents.merge(o.documents);
  for (const auto& [name, e] : o.evaluations) {
    auto& mine = evaluations[name];
    mine.results += e.results;
    mine.scores.merge(e.scores);
  }
  feedback.merge(o.feedback);
}

std::string GroupStats::top_error_type() const {
  std::string best;
  std::uint64_t n = 0;
  for (const auto& [type, count] : error_types) {
    if (count > n) {
      best = type;
      n = count;
    }
  }
  return best;
}

std::optional<GroupBy> parse_group_by(std::string_view text) {
  if (text == "operation") return GroupBy::operation;
  if (text == "model") return GroupBy::model;
  if (text == "prompt") return GroupBy::prompt;
  if (text == "provider") return GroupBy::provider;
  return std::nullopt;
}

std::string_view to_string(GroupBy g) {
  switch (g) {
    case GroupBy::operation:
      return "operation";
    case GroupBy::model:
      return "model";
    case GroupBy::prompt:
      return "prompt";
    case GroupBy::provider:
      return "provider";
  }
  return "operation";
}

namespace {

const std::string& group_of(const Labels& labels, GroupBy g) {
  switch (g) {
    case GroupBy::model:
      return labels.model;
    case GroupBy::prompt:
      return labels.prompt;
    case GroupBy::provider:
      return labels.provider;
    case GroupBy::operation:
      break;
  }
  return labels.operation;
}

bool in_range(std::uint64_t t, const StatsOptions& o) {
  if (o.since_ns && t < *o.since_ns) return false;
  if (o.until_ns && t >= *o.until_ns) return false;
  return true;
}

constexpr std::size_t kSamplesPerTask = 1 << 16;

}  // namespace

StatsReport summarize(const Collection& c, const StatsOptions& options) {
  StatsReport report;
  report.group_by = options.group_by;
  // Each task fills groups by label set; label sets then fold into the groups asked for.
  std::size_t tasks = (c.samples.size() + kSamplesPerTask - 1) / kSamplesPerTask;
  std::vector<std::vector<GroupStats>> partial(tasks);
  std::vector<std::uint64_t> first(tasks, UINT64_MAX), last(tasks, 0);
  parallel_for(tasks, [&](std::size_t t) {
    auto& by_labels = partial[t];
    by_labels.resize(c.labels.size());
    std::size_t end = std::min(c.samples.size(), (t + 1) * kSamplesPerTask);
    for (std::size_t i = t * kSamplesPerTask; i < end; ++i) {
      const Sample& s = c.samples[i];
      if (!in_range(s.end_ns, options)) continue;
      if (s.timing_ok) {
        first[t] = std::min(first[t], s.start_ns);
        last[t] = std::max(last[t], s.end_ns);
      }
      by_labels[s.labels].add(s, c.counts_tokens(s), c.error_types[s.error_type]);
    }
  });
  std::vector<GroupStats> by_labels(c.labels.size());
  for (std::size_t t = 0; t < tasks; ++t) {
    for (std::size_t l = 0; l < c.labels.size(); ++l) by_labels[l].merge(partial[t][l]);
    report.first_ns = report.first_ns ? std::min(report.first_ns, first[t]) : first[t];
    report.last_ns = std::max(report.last_ns, last[t]);
  }
  if (report.first_ns == UINT64_MAX) report.first_ns = 0;
  for (const auto& e : c.evaluations) {
    if (!in_range(e.time_ns, options)) continue;
    by_labels[e.labels].add_evaluation(c.evaluation_names[e.name], e.score);
    if (!e.matched) ++report.evaluations_unmatched;
  }
  for (const auto& f : c.feedback)
    if (in_range(f.time_ns, options)) by_labels[f.labels].feedback.add(f);
  report.feedback_loaded = c.feedback_loaded;
  report.feedback_unmatched = c.feedback_unmatched;
  std::map<std::string, GroupStats> groups;
  for (std::size_t l = 0; l < c.labels.size(); ++l) {
    if (by_labels[l].requests == 0 && by_labels[l].evaluations.empty() && by_labels[l].feedback.events == 0) continue;
    const std::string& name = group_of(c.labels.at(static_cast<std::uint32_t>(l)), options.group_by);
    groups[name.empty() ? "(none)" : name].merge(by_labels[l]);
    if (by_labels[l].unpriced)
      report.unpriced_models[c.labels.at(static_cast<std::uint32_t>(l)).model] += by_labels[l].unpriced;
    report.total.merge(by_labels[l]);
  }
  report.groups.assign(groups.begin(), groups.end());
  report.spans = c.spans;
  report.other_spans = c.other_spans;
  report.log_records = c.log_records;
  report.bad_timing = c.bad_timing;
  report.duplicate_spans = c.duplicate_spans;
  report.bad_lines = c.read.bad;
  return report;
}

}  // namespace mlops::trace
