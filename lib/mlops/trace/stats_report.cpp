// Rendering the stats report. Every format shows the same figures; JSON has them all.
#include "mlops/trace/stats_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "mlops/core/html_escape.hpp"
#include "mlops/core/output.hpp"

namespace mlops::trace {

namespace {

using Json = nlohmann::ordered_json;

std::string iso_ns(std::uint64_t ns) { return ns ? out::iso_utc(static_cast<std::int64_t>(ns / 1000000000)) : ""; }

Json distribution(const Sketch& s) {
  Json j;
  j["count"] = s.count();
  if (s.count() == 0) return j;
  j["p50"] = s.quantile(0.5);
  j["p95"] = s.quantile(0.95);
  j["p99"] = s.quantile(0.99);
  j["mean"] = s.mean();
  j["min"] = s.min();
  j["max"] = s.max();
  j["exact"] = s.exact();
  return j;
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  return short_number(100.0 * static_cast<double>(part) / static_cast<double>(whole)) + "%";
}

std::string percent_of(double share) { return short_number(100.0 * share) + "%"; }

std::string ms(const Sketch& s, double q) { return s.count() ? short_number(s.quantile(q)) : "-"; }

std::string cost_text(const GroupStats& g) {
  if (g.cost_from_prices + g.cost_from_spans == 0) return g.unpriced ? "unpriced" : g.tokens_missing ? "?" : "-";
  return fmt::format("{}{}", short_number(g.cost_usd), g.cost_unknown() ? "+?" : "");
}

std::vector<std::string> header() {
  return {"GROUP",    "REQUESTS", "ERRORS",  "P50 MS",   "P95 MS", "P99 MS",
          "TTFT P95", "IN TOK",   "OUT TOK", "COST USD", "LENGTH", "GUARDRAIL"};
}

std::vector<std::string> row(const std::string& name, const GroupStats& g) {
  return {name,
          std::to_string(g.requests),
          percent(g.errors, g.requests),
          ms(g.latency_ms, 0.5),
          ms(g.latency_ms, 0.95),
          ms(g.latency_ms, 0.99),
          ms(g.ttft_ms, 0.95),
          g.with_tokens ? std::to_string(g.input_tokens) : "-",
          g.with_tokens ? std::to_string(g.output_tokens) : "-",
          cost_text(g),
          percent(g.truncated, g.with_finish_reason),
          percent(g.guardrail_triggered, g.requests)};
}

// The lines under the table: what does not fit in a column, per group.
std::vector<std::string> details(const std::string& name, const GroupStats& g) {
  std::vector<std::string> lines;
  if (g.errors)
    lines.push_back(fmt::format("{}: top error.type {} ({} of {} errors)", name, g.top_error_type(),
                                g.error_types.at(g.top_error_type()), g.errors));
  if (g.ttft_ms.count())
    lines.push_back(fmt::format(
        "{}: time to first token p50 {} ms over {} streamed calls ({} from gen_ai.response.time_to_first_chunk, {} "
        "from chunk events)",
        name, short_number(g.ttft_ms.quantile(0.5)), g.ttft_ms.count(), g.ttft_from_attribute, g.ttft_from_events));
  if (g.cached_tokens || g.reasoning_tokens)
    lines.push_back(fmt::format("{}: {} cached input tokens, {} reasoning output tokens", name, g.cached_tokens,
                                g.reasoning_tokens));
  if (g.without_tokens)
    lines.push_back(fmt::format("{}: {} model calls without token counts (unknown, not zero)", name, g.without_tokens));
  if (g.retrievals) {
    lines.push_back(
        fmt::format("{}: {} retrievals, p50 {} ms, p95 {} ms, {} documents per call (mean, over {} that say)", name,
                    g.retrievals, ms(g.retrieval_ms, 0.5), ms(g.retrieval_ms, 0.95),
                    g.documents.count() ? short_number(g.documents.mean()) : "-", g.documents.count()));
  }
  for (const auto& [eval, e] : g.evaluations) {
    if (e.scores.count()) {
      lines.push_back(fmt::format("{}: evaluation {}: mean {}, p50 {}, min {}, max {} over {} scores", name, eval,
                                  short_number(e.scores.mean()), short_number(e.scores.quantile(0.5)),
                                  short_number(e.scores.min()), short_number(e.scores.max()), e.scores.count()));
    } else {
      lines.push_back(fmt::format("{}: evaluation {}: {} results without a score", name, eval, e.results));
    }
  }
  const FeedbackStats& f = g.feedback;
  if (f.events) {
    std::string line = fmt::format("{}: feedback: {} events, {} negative of {} thumbs and ratings", name, f.events,
                                   percent(f.negative, f.judgements), f.judgements);
    if (f.ratings.count()) line += fmt::format(", rating mean {} of the scale", percent_of(f.ratings.mean()));
    line += fmt::format(", {} edits, {} copies, {} regenerations", f.edits, f.copies, f.regenerations);
    lines.push_back(line);
  }
  return lines;
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c != '\n')
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::string short_number(double value) {
  if (!std::isfinite(value)) return "-";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{}", static_cast<std::int64_t>(value));
  if (std::fabs(value) >= 1000) return fmt::format("{:.0f}", value);
  return fmt::format("{:.4g}", value);
}

Json group_json(const GroupStats& g) {
  Json j;
  j["requests"] = g.requests;
  j["errors"] = g.errors;
  j["error_rate"] = g.error_rate();
  j["top_error_type"] = g.top_error_type();
  j["error_types"] = g.error_types;
  j["latency_ms"] = distribution(g.latency_ms);
  j["latency_unknown"] = g.bad_timing;
  Json ttft = distribution(g.ttft_ms);
  ttft["source"] = {{"attribute", g.ttft_from_attribute}, {"events", g.ttft_from_events}};
  j["ttft_ms"] = ttft;
  j["tokens"] = {{"input", g.input_tokens},
                 {"output", g.output_tokens},
                 {"cached_input", g.cached_tokens},
                 {"reasoning", g.reasoning_tokens},
                 {"calls_with_tokens", g.with_tokens},
                 {"calls_without_tokens", g.without_tokens},
                 {"calls_with_partial_tokens", g.partial_tokens}};
  j["cost_usd"] = {
      {"total", g.cost_usd},          {"from_spans", g.cost_from_spans},          {"from_prices", g.cost_from_prices},
      {"unpriced_calls", g.unpriced}, {"calls_missing_tokens", g.tokens_missing}, {"complete", g.cost_unknown() == 0}};
  j["finish_reasons"] = {{"reported", g.with_finish_reason},
                         {"length", g.truncated},
                         {"content_filter", g.content_filter},
                         {"truncation_rate", g.truncation_rate()}};
  j["guardrail"] = {{"triggered", g.guardrail_triggered}, {"rate", g.guardrail_rate()}};
  j["retrieval"] = {
      {"calls", g.retrievals}, {"latency_ms", distribution(g.retrieval_ms)}, {"documents", distribution(g.documents)}};
  Json evals = Json::object();
  for (const auto& [name, e] : g.evaluations) {
    Json d = distribution(e.scores);
    d["results"] = e.results;
    evals[name] = d;
  }
  j["evaluations"] = evals;
  const FeedbackStats& f = g.feedback;
  j["feedback"] = {{"events", f.events},     {"judgements", f.judgements},         {"positive", f.positive},
                   {"negative", f.negative}, {"negative_rate", f.negative_rate()}, {"edits", f.edits},
                   {"copies", f.copies},     {"regenerations", f.regenerations},   {"rating", distribution(f.ratings)}};
  return j;
}

Json stats_json(const StatsReport& r) {
  Json j;
  j["group_by"] = to_string(r.group_by);
  j["inputs"] = {{"spans", r.spans},
                 {"genai_spans", r.total.requests},
                 {"other_spans", r.other_spans},
                 {"log_records", r.log_records},
                 {"bad_lines", r.bad_lines},
                 {"bad_timing", r.bad_timing},
                 {"duplicate_spans", r.duplicate_spans},
                 {"evaluations_without_span", r.evaluations_unmatched},
                 {"feedback_joined", r.feedback_loaded},
                 {"feedback_without_span", r.feedback_unmatched}};
  j["first"] = iso_ns(r.first_ns);
  j["last"] = iso_ns(r.last_ns);
  Json groups = Json::array();
  for (const auto& [name, g] : r.groups) {
    Json one = {{"name", name}};
    one.update(group_json(g));
    groups.push_back(one);
  }
  j["groups"] = groups;
  j["total"] = group_json(r.total);
  j["unpriced_models"] = r.unpriced_models;
  return j;
}

std::string stats_table(const StatsReport& r) {
  out::Table table(header());
  for (std::size_t c = 1; c < header().size(); ++c) table.right_align(c);
  for (const auto& [name, g] : r.groups) table.add_row(row(name, g));
  if (r.groups.size() > 1) table.add_row(row("total", r.total));
  std::string text = table.render();
  for (const auto& [name, g] : r.groups)
    for (const auto& line : details(name, g)) text += line + "\n";
  return text;
}

std::string stats_markdown(const StatsReport& r) {
  std::string text = fmt::format("## Trace statistics by {}\n\n", to_string(r.group_by));
  if (r.first_ns)
    text += fmt::format("{} GenAI spans from {} to {}.\n\n", r.total.requests, iso_ns(r.first_ns), iso_ns(r.last_ns));
  auto h = header();
  text += "|";
  for (const auto& c : h) text += " " + c + " |";
  text += "\n|";
  for (std::size_t i = 0; i < h.size(); ++i) text += i == 0 ? "---|" : "---:|";
  text += "\n";
  auto add = [&](const std::string& name, const GroupStats& g) {
    text += "|";
    for (const auto& c : row(name, g)) text += " " + markdown_cell(c) + " |";
    text += "\n";
  };
  for (const auto& [name, g] : r.groups) add(name, g);
  if (r.groups.size() > 1) add("**total**", r.total);
  std::string notes;
  for (const auto& [name, g] : r.groups)
    for (const auto& line : details(name, g)) notes += "- " + markdown_cell(line) + "\n";
  for (const auto& w : stats_warnings(r)) notes += "- warning: " + markdown_cell(w) + "\n";
  if (!notes.empty()) text += "\n" + notes;
  return text;
}

std::string stats_html(const StatsReport& r) {
  std::string text =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Trace statistics</title>\n"
      "<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
      "th{background:#f3f3f3}</style></head><body>\n";
  text += fmt::format("<h1>Trace statistics by {}</h1>\n", to_string(r.group_by));
  if (r.first_ns)
    text +=
        fmt::format("<p>{} GenAI spans from {} to {}.</p>\n", r.total.requests, iso_ns(r.first_ns), iso_ns(r.last_ns));
  text += "<table><thead><tr>";
  for (const auto& c : header()) text += "<th>" + html_escape(c) + "</th>";
  text += "</tr></thead><tbody>\n";
  auto add = [&](const std::string& name, const GroupStats& g) {
    text += "<tr>";
    for (const auto& c : row(name, g)) text += "<td>" + html_escape(c) + "</td>";
    text += "</tr>\n";
  };
  for (const auto& [name, g] : r.groups) add(name, g);
  if (r.groups.size() > 1) add("total", r.total);
  text += "</tbody></table>\n<ul>\n";
  for (const auto& [name, g] : r.groups)
    for (const auto& line : details(name, g)) text += "<li>" + html_escape(line) + "</li>\n";
  for (const auto& w : stats_warnings(r)) text += "<li>warning: " + html_escape(w) + "</li>\n";
  text += "</ul>\n</body></html>\n";
  return text;
}

std::vector<std::string> stats_warnings(const StatsReport& r) {
  std::vector<std::string> w;
  // An operation name the conventions know but for its case ("Chat") is an instrumentation's typo:
  // its spans are "other", outside {operation="chat"} and the llm figures.
  if (r.group_by == GroupBy::operation) {
    static const std::vector<std::string> kOperations = {
        "chat",         "text_completion", "generate_content", "embeddings",      "retrieval",
        "execute_tool", "invoke_agent",    "create_agent",     "invoke_workflow", "guardrail"};
    for (const auto& [name, g] : r.groups) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower != name && std::find(kOperations.begin(), kOperations.end(), lower) != kOperations.end())
        w.push_back(
            fmt::format("{} spans name the operation '{}': the conventions' name is '{}', so they are "
                        "counted as other work, not as '{}'",
                        g.requests, name, lower, lower));
    }
  }
  for (const auto& [model, calls] : r.unpriced_models)
    w.push_back(fmt::format("no price for model '{}' ({} calls): its cost is not counted; add it to the price table",
                            model, calls));
  if (r.total.partial_tokens)
    w.push_back(fmt::format(
        "{} model calls carry only one of the input and output token counts (gen_ai.usage.input_tokens, "
        "gen_ai.usage.output_tokens): the other is unknown, not 0, and their cost is not counted unless the span "
        "carries it; is an attribute misspelled?",
        r.total.partial_tokens));
  if (r.duplicate_spans)
    w.push_back(
        fmt::format("{} GenAI spans were read more than once (the same trace and span id: a file and its "
                    ".gz, overlapping globs?): each is counted once",
                    r.duplicate_spans));
  if (r.bad_lines) w.push_back(fmt::format("{} bad lines skipped (--skip-bad)", r.bad_lines));
  if (r.bad_timing)
    w.push_back(fmt::format("{} GenAI spans without a start time or ending before they start: left out of latency",
                            r.bad_timing));
  if (r.evaluations_unmatched)
    w.push_back(fmt::format("{} evaluation results name no span in the inputs: grouped as '(no span)'",
                            r.evaluations_unmatched));
  if (r.feedback_unmatched)
    w.push_back(
        fmt::format("{} feedback events of the store name no span in the inputs: left out", r.feedback_unmatched));
  return w;
}

}  // namespace mlops::trace
