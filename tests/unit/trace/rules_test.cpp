// Rule expressions, templates and the time and duration syntax they use.
#include "mlops/trace/rules.hpp"

#include <catch2/catch.hpp>

#include "mlops/trace/monitor.hpp"
#include "mlops/trace/prometheus.hpp"
#include "mlops/trace/time.hpp"

using namespace mlops::trace;

TEST_CASE("expressions parse into series, statistic, matchers, window and comparison", "[trace]") {
  auto e =
      parse_expr(R"(latency_ms.p95{operation="chat", model=~"gpt-.*", provider!="x", kind!~"agent"}[5m] >= 3000)", "r");
  REQUIRE(e);
  CHECK(e->series == "latency_ms");
  CHECK(e->stat == Stat::p95);
  REQUIRE(e->matchers.size() == 4);
  CHECK(e->matchers[1].matches("gpt-4o"));
  CHECK_FALSE(e->matchers[1].matches("xgpt-4o"));  // anchored, as Prometheus anchors
  CHECK(e->matchers[2].matches("y"));
  CHECK_FALSE(e->matchers[3].matches("agent"));
  CHECK(*e->window_ns == 300ull * 1000000000);
  CHECK(e->op == CompareOp::ge);
  CHECK(e->threshold == 3000);
  auto ratio = parse_expr("error_rate > 0.02", "r");
  REQUIRE(ratio);
  CHECK(ratio->stat == Stat::ratio);
  CHECK(ratio->name() == "error_rate");
  auto ev = parse_expr("eval.hallucination > 0.1", "r");
  REQUIRE(ev);
  CHECK(ev->series == "eval.hallucination");
  CHECK(ev->stat == Stat::mean);
  auto bad = parse_expr("cost_usd.p95 > 1", "r");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "r: unknown series 'cost_usd.p95' in 'cost_usd.p95 > 1'");
  CHECK(compare(1, CompareOp::ne, 2));
  CHECK_FALSE(compare(2, CompareOp::lt, 2));
  CHECK(compare(2, CompareOp::le, 2));
}

TEST_CASE("durations and times read as Prometheus and ISO 8601 write them", "[trace]") {
  CHECK(parse_duration("1h30m") == 5400ull * 1000000000);
  CHECK(parse_duration("250ms") == 250ull * 1000000);
  CHECK(parse_duration("1d") == 86400ull * 1000000000);
  CHECK_FALSE(parse_duration("5"));
  CHECK_FALSE(parse_duration("m"));
  CHECK(format_duration(5400ull * 1000000000) == "1h30m");
  CHECK(parse_time("2026-12-01T11:00:00Z", 0) == 1796122800ull * 1000000000);
  CHECK(parse_time("1h", 7200ull * 1000000000) == 3600ull * 1000000000);
  CHECK(format_time(1796122800ull * 1000000000 + 250000000) == "2026-12-01T11:00:00.250Z");
}

TEST_CASE("annotations fill $value and $labels as Prometheus templates do", "[trace]") {
  CHECK(expand_template("p95 {{ $value }} ms for {{$labels.team}} {{ .Other }}", 5000.0, {{"team", "a"}}) ==
        "p95 5000 ms for a {{ .Other }}");
  CHECK(expand_template("{{ $value }}", std::nullopt, {}) == "-");
  CHECK(prometheus_escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}

TEST_CASE("a monitors file names its line and alert in every error", "[trace]") {
  auto f =
      parse_monitor_file("rules:\n  - alert: A\n    expr: error_rate > 1\n    for: 5m\n    min_count: 3\n", "m.yaml");
  REQUIRE(f);
  CHECK(f->rules[0].for_ns == 300ull * 1000000000);
  CHECK(f->rules[0].min_count == 3);
  auto bad = parse_monitor_file("rules:\n  - alert: A\n    expr: error_rate > 1\n    min_count: many\n", "m.yaml");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "'m.yaml', line 2 (alert 'A'): min_count 'many' is not a whole number");
  auto none = parse_monitor_file("traces: [x]\n", "m.yaml");
  REQUIRE_FALSE(none);
  CHECK(none.error().message == "'m.yaml' has no rules");
  auto typo = parse_monitor_file("rulez: []\n", "m.yaml");
  REQUIRE_FALSE(typo);
  CHECK(typo.error().hint == "did you mean 'rules'?");
}

TEST_CASE("a drift rule hands its reference on as written, and its failure names the rule", "[trace]") {
  auto file = parse_monitor_file(
      "rules:\n  - alert: Fine\n    drift: {reference: a.csv, current: b.csv}\n"
      "  - alert: InputDrift\n    drift: {reference: data/train.csv@churn#production, current: today.csv}\n",
      "m.yaml");
  REQUIRE(file);
  std::vector<std::string> references;
  DriftRunner runner = [&](const DriftRuleSpec& spec) -> mlops::Result<DriftOutcome> {
    references.push_back(spec.reference);
    if (spec.reference.ends_with("#production"))
      return std::unexpected(mlops::bad_input("no version of 'churn' is in stage 'production'", "promote one"));
    return DriftOutcome{};
  };
  auto report = evaluate_rules(*file, mlops::trace::Collection{}, 0, runner);
  REQUIRE_FALSE(report);
  CHECK(report.error().message ==
        "'m.yaml', alert 'InputDrift' (drift): no version of 'churn' is in stage 'production'");
  CHECK(report.error().hint == "promote one");
  CHECK(references == std::vector<std::string>{"a.csv", "data/train.csv@churn#production"});
}
