#!/usr/bin/env bash
# CLI tests: mlops monitor check and monitor test — every comparison operator and window, `for`,
# min_count, labels and annotations, budgets over unpriced calls, the Prometheus text format
# parsed back, and bad rules. The fixture ramp.jsonl (tests/fixtures/traces/generate.py): a chat
# call every 10 s from 10:00, 100 ms until 10:40 then 5000 ms, every 10th an error, 0.01 USD each.
source "$(dirname "$0")/lib.sh"
SRC="${MLOPS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
GEN="$SRC/tests/fixtures/traces/generate.py"
AT=2026-12-01T11:00:00Z
# rules.json's entry for one alert: r("Name")["state"].
jpy() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); r=lambda n: [x for x in d["rules"] if x["alert"]==n][0]; print(eval(sys.argv[1]))' "$1"; }

fixtures() {
  new_repo --no-init
  /usr/bin/python3 "$GEN" fx || fail "the generator failed"
}

# rules NAME EXPR [EXTRA YAML LINES...]: writes monitors.yaml with one rule per call (appends).
start_rules() { printf 'traces: [fx/ramp.jsonl, fx/ramp-evals.jsonl]\nrules:\n' > monitors.yaml; }
rule() {
  printf '  - alert: %s\n    expr: %s\n' "$1" "$2" >> monitors.yaml
  shift 2
  local line
  for line in "$@"; do printf '    %s\n' "$line" >> monitors.yaml; done
}

test_every_operator() {
  fixtures
  start_rules
  # error_rate is 36/360 = 0.1 at 11:00.
  rule Gt 'error_rate > 0.05'
  rule GtNot 'error_rate > 0.1'
  rule Ge 'error_rate >= 0.1'
  rule Lt 'error_rate < 0.2'
  rule LtNot 'error_rate < 0.1'
  rule Le 'error_rate <= 0.1'
  rule Eq 'requests.count == 360'
  rule EqNot 'requests.count == 359'
  rule Ne 'requests.count != 359'
  rule NeNot 'requests.count != 360'
  run mlops monitor check --at $AT --json
  expect_rc 1
  expect_eq "$(jpy '[(x["alert"], x["state"]) for x in d["rules"]]' <<<"$out")" \
    "[('Gt', 'firing'), ('GtNot', 'ok'), ('Ge', 'firing'), ('Lt', 'firing'), ('LtNot', 'ok'), ('Le', 'firing'), ('Eq', 'firing'), ('EqNot', 'ok'), ('Ne', 'firing'), ('NeNot', 'ok')]"
  expect_eq "$(jpy 'd["failed"], r("Gt")["value"], r("Gt")["samples"]' <<<"$out")" "(True, 0.1, 360)"
}

test_every_window() {
  fixtures
  start_rules
  # Calls i >= 240 end 5 s after they start at 10:00 + 10 s * i: counts in (11:00 - w, 11:00].
  rule W30s 'requests.count[30s] > 0'
  rule W1m 'requests.count[1m] > 0'
  rule W10m 'requests.count[10m] > 0'
  rule W1h 'requests.count[1h] > 0'
  rule W1d 'requests.count[1d] > 0'
  rule Wnone 'requests.count > 0'
  rule Rate 'requests.rate[1m] > 0'
  rule Cost 'cost_usd.sum[10m] > 0'
  rule CostRate 'cost_usd.rate[1h] > 0'
  rule Tokens 'tokens.sum[1h] > 0'
  rule InMean 'input_tokens.mean[1h] > 0'
  rule P95 'latency_ms.p95[5m] > 0'
  rule P50 'latency_ms.p50 > 0'
  rule Max 'latency_ms.max[1h] > 0'
  rule Guard 'guardrail_rate[10m] > 0'
  rule Eval 'eval.hallucination.mean[10m] > 0'
  rule EvalAll 'eval.hallucination.max > 0'
  run mlops monitor check --at $AT --json
  expect_rc 1
  expect_eq "$(jpy '[r(n)["value"] for n in ("W30s","W1m","W10m","W1h","W1d","Wnone")]' <<<"$out")" "[3.0, 6.0, 60.0, 360.0, 360.0, 360.0]"
  expect_eq "$(jpy 'r("Rate")["value"], round(r("Cost")["value"], 9), round(r("CostRate")["value"], 12), r("Tokens")["value"], r("InMean")["value"]' <<<"$out")" "(0.1, 0.6, 0.001, 39600.0, 100.0)"
  expect_eq "$(jpy 'r("P95")["value"], r("P50")["value"], r("Max")["value"], r("Guard")["value"], r("Eval")["value"], r("EvalAll")["value"]' <<<"$out")" "(5000.0, 100.0, 5000.0, 1.0, 0.5, 0.5)"
  # Before the regression, the same windows.
  run mlops monitor check --at 2026-12-01T10:30:00Z --json
  expect_eq "$(jpy '[round(r(n)["value"], 12) for n in ("W30s","W10m","Wnone","P95","Guard","Eval")]' <<<"$out")" "[3.0, 60.0, 180.0, 100.0, 0.0, 0.05]"
}

test_for_pending_then_firing() {
  fixtures
  start_rules
  # p95 over 5 minutes exceeds 3000 ms from 10:41 (6 slow calls of 30) on; not at 10:40.
  rule Slow10 'latency_ms.p95[5m] > 3000' 'for: 10m'
  rule Slow9 'latency_ms.p95[5m] > 3000' 'for: 9m'
  rule Slow0 'latency_ms.p95[5m] > 3000'
  run mlops monitor check --at 2026-12-01T10:50:00Z --json
  expect_rc 1
  expect_eq "$(jpy '[r(n)["state"] for n in ("Slow10","Slow9","Slow0")]' <<<"$out")" "['pending', 'firing', 'firing']"
  expect_eq "$(jpy 'r("Slow10")["reason"]' <<<"$out")" "latency_ms.p95 is 5000; latency_ms.p95 > 3000 for 9m of 10m"
  run mlops monitor check --at 2026-12-01T10:51:00Z --json
  expect_eq "$(jpy 'r("Slow10")["state"]' <<<"$out")" "firing"
  run mlops monitor check --at 2026-12-01T10:40:00Z --json
  expect_rc 0
  expect_eq "$(jpy '[r(n)["state"] for n in ("Slow10","Slow9","Slow0")]' <<<"$out")" "['ok', 'ok', 'ok']"
}

test_min_count_no_data_labels_and_annotations() {
  fixtures
  start_rules
  rule ChatLatencyP95 'latency_ms.p95{operation="chat", model=~"gpt-4o.*", provider!="anthropic", kind!~"agent|tool"} > 3000' \
    'for: 10m' 'min_count: 50' 'labels: {severity: page, team: "assistants"}' 'annotations: {summary: "p95 {{ $value }} ms", runbook: "page {{ $labels.team }}"}'
  rule Few 'latency_ms.p95[1m] > 1' 'min_count: 10'
  rule NoTtft 'ttft_ms.p95 > 1'
  rule OtherModel 'requests.count{model="gpt-4o"} > 0'
  run mlops monitor check --at $AT --json
  expect_rc 1
  expect_eq "$(jpy 'r("ChatLatencyP95")["state"], r("ChatLatencyP95")["labels"], r("ChatLatencyP95")["annotations"]' <<<"$out")" \
    "('firing', {'severity': 'page', 'team': 'assistants'}, {'runbook': 'page assistants', 'summary': 'p95 5000 ms'})"
  expect_eq "$(jpy 'r("Few")["state"], r("Few")["samples"], r("NoTtft")["state"], r("OtherModel")["state"], r("OtherModel")["value"]' <<<"$out")" \
    "('too few samples', 6, 'no data', 'ok', 0.0)"
  run mlops monitor check --at $AT
  expect_rc 1
  expect_out "ChatLatencyP95: latency_ms.p95 is 5000, and latency_ms.p95 > 3000 for 10m (p95 5000 ms)"
  expect_out "Few: 6 samples, min_count is 10: not evaluated"
  expect_out "1 of 4 alerts fired at 2026-12-01T11:00:00Z"
}

test_a_label_value_no_span_has_is_named() {
  fixtures
  start_rules
  rule ChatSlow 'latency_ms.p95{operation="caht"} > 100'
  rule ChatSlowRight 'latency_ms.p95{operation="chat"} > 100'
  rule NoPrompt 'latency_ms.p95{prompt="support"} > 100'
  run mlops monitor check --at $AT --json
  expect_rc 1
  expect_eq "$(jpy 'r("ChatSlow")["state"]' <<<"$out")" "no data"
  expect_err "alert 'ChatSlow': no span in the inputs has operation=\"caht\": did you mean \"chat\"? (seen: chat)"
  expect_err "alert 'NoPrompt': no span in the inputs has a prompt (the matcher prompt=\"support\" matches none)"
  [[ "$err" != *"ChatSlowRight"* ]] || fail "a matcher that matches is no warning: $err"
}

test_budget_over_unpriced_calls_is_incomplete() {
  fixtures
  cp fx/prices.yaml .
  printf 'traces: [fx/small.jsonl]\nprices: prices.yaml\nrules:\n  - alert: Budget\n    expr: cost_usd.sum[1d] > 1000\n  - alert: MiniBudget\n    expr: cost_usd.sum{model="gpt-4o-mini"}[1d] > 1000\n' > monitors.yaml
  run mlops monitor check --at 2026-12-01T10:30:00Z --json
  expect_rc 1
  expect_eq "$(jpy 'r("Budget")["state"], r("Budget")["fails"], r("MiniBudget")["state"]' <<<"$out")" "('incomplete', True, 'ok')"
  expect_err "no price for model 'claude-3-5-haiku' (1 calls)"
  run mlops monitor check --at 2026-12-01T10:30:00Z
  expect_out "Budget: 1 of the 6 calls have no price: the cost is unknown"
}

test_budget_and_token_limit_over_calls_without_usage_are_incomplete() {
  fixtures
  cp fx/prices.yaml .
  # The fixture's spans without their gen_ai.usage.* attributes (streaming calls that were not asked
  # to report usage): their cost and tokens are unknown, so neither limit may read 0 and pass.
  map_spans fx/small.jsonl nousage.jsonl \
    'sp["attributes"] = [a for a in sp["attributes"] if not a["key"].startswith(("gen_ai.usage.", "llm.token_count.", "llm.cost."))]' ||
    fail "map_spans"
  printf 'traces: [nousage.jsonl]\nprices: prices.yaml\nrules:\n  - alert: Budget\n    expr: cost_usd.sum[1d] > 0.0001\n  - alert: TokenLimit\n    expr: tokens.sum[1d] > 100\n  - alert: Errors\n    expr: errors.count[1d] > 100\n' > monitors.yaml
  run mlops monitor check --at 2026-12-01T10:30:00Z --json
  expect_rc 1
  expect_eq "$(jpy 'r("Budget")["state"], r("TokenLimit")["state"], r("Errors")["state"]' <<<"$out")" "('incomplete', 'incomplete', 'ok')"
  run mlops monitor check --at 2026-12-01T10:30:00Z
  expect_out "Budget: 5 of the 5 calls lack input or output tokens: the cost is unknown"
  expect_out "TokenLimit: 5 of the 5 calls lack input or output tokens: the token count is unknown"
  # trace stats says the same: the cost is not complete, and the calls are named as unknown.
  run mlops trace stats nousage.jsonl --prices prices.yaml --json
  expect_rc 0
  expect_eq "$(/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); t=d["total"]["cost_usd"]; print(t["complete"], t["calls_missing_tokens"])' <<<"$out")" "False 5"
}

# A strict reader of the text exposition format: families declared once with HELP and TYPE before
# their samples, names and labels well-formed, histograms cumulative up to +Inf == _count.
parse_prom() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
check = json.load(open(sys.argv[2]))
name_re = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
sample_re = re.compile(rf'^({name_re})(?:\{{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\}})? (\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
types, helps, samples, seen_families, current = {}, {}, [], [], None
assert text.endswith("\n"), "no final newline"
for line in text.splitlines():
    if line.startswith("# HELP "):
        name = line.split(" ")[2]; assert name not in helps, f"second HELP for {name}"; helps[name] = line
        current = name; seen_families.append(name); continue
    if line.startswith("# TYPE "):
        _, _, name, kind = line.split(" "); assert name == current and kind in ("counter", "gauge", "histogram"), line
        types[name] = kind; continue
    m = sample_re.match(line)
    assert m, f"bad sample line: {line!r}"
    name, labels, value = m.group(1), dict(label_re.findall(m.group(2) or "")), m.group(3)
    family = re.sub(r"_(bucket|sum|count)$", "", name) if re.sub(r"_(bucket|sum|count)$", "", name) in types and types[re.sub(r"_(bucket|sum|count)$", "", name)] == "histogram" else name
    assert family == current, f"{name} outside its family {current}"
    float(value)
    samples.append((name, labels, float(value)))
# Histograms: buckets cumulative, +Inf equal to _count.
for fam in [f for f, k in types.items() if k == "histogram"]:
    series = {}
    for name, labels, v in samples:
        if name == fam + "_bucket":
            key = tuple(sorted((k, x) for k, x in labels.items() if k != "le"))
            series.setdefault(key, []).append((labels["le"], v))
    for key, buckets in series.items():
        bounds = [float(b) for b, _ in buckets]
        assert bounds == sorted(bounds) and buckets[-1][0] == "+Inf", f"{fam}: buckets out of order"
        counts = [v for _, v in buckets]
        assert counts == sorted(counts), f"{fam}: buckets not cumulative"
        count = [v for n, l, v in samples if n == fam + "_count" and tuple(sorted(l.items())) == key]
        assert count == [counts[-1]], f"{fam}: +Inf {counts[-1]} != _count {count}"
# ALERTS and rule values agree with --json.
alerts = {(l["alertname"], l["alertstate"]) for n, l, v in samples if n == "ALERTS"}
want = {(r["alert"], r["state"]) for r in check["rules"] if r["state"] in ("firing", "pending")}
assert alerts == want, f"ALERTS {alerts} != {want}"
values = {l["alertname"]: v for n, l, v in samples if n == "mlops_monitor_rule_value"}
for r in check["rules"]:
    if r["value"] is not None: assert abs(values[r["alert"]] - r["value"]) <= 1e-9 * max(1, abs(r["value"])), r["alert"]
print(len(samples))
PY
}

test_prometheus_text_parses_back() {
  fixtures
  start_rules
  rule ChatLatencyP95 'latency_ms.p95[5m] > 3000' 'for: 10m' 'labels: {severity: page}'
  rule Errors 'error_rate > 0.02'
  rule Quiet 'requests.count[1m] > 100'
  rule Pending 'latency_ms.p95[5m] > 3000' 'for: 1h'
  run mlops monitor check --at $AT --prom metrics.prom --json
  expect_rc 1
  echo "$out" > check.json
  expect_file metrics.prom
  local n
  n=$(parse_prom metrics.prom check.json) || fail "the Prometheus text does not parse back"
  [[ "$n" -gt 20 ]] || fail "only $n samples"
  grep -qx 'ALERTS{alertname="ChatLatencyP95",alertstate="firing",severity="page"} 1' metrics.prom || fail "no ALERTS for ChatLatencyP95"
  grep -qx 'ALERTS{alertname="Pending",alertstate="pending"} 1' metrics.prom || fail "no pending ALERTS"
  grep -q 'mlops_genai_latency_seconds_bucket{operation="chat",model="gpt-4o-mini",provider="openai",prompt="",kind="llm",le="0.1"} 240' metrics.prom || fail "latency bucket le=0.1"
  grep -qx 'mlops_monitor_evaluation_timestamp_seconds 1796122800' metrics.prom || fail "evaluation timestamp"
  if command -v promtool >/dev/null; then
    promtool check metrics < metrics.prom || fail "promtool check metrics"
  fi
  # Deterministic given --at: the same bytes again.
  cp metrics.prom first.prom
  run mlops monitor check --at $AT --prom metrics.prom
  cmp -s first.prom metrics.prom || fail "a second run wrote different metrics"
}

test_files_on_the_command_line_replace_traces() {
  fixtures
  printf 'traces: [nowhere/*.jsonl]\nrules:\n  - alert: Any\n    expr: requests.count > 10\n' > monitors.yaml
  run mlops monitor check --at $AT
  expect_rc 2
  expect_err "traces 'nowhere/*.jsonl' matches no file"
  # One pattern without files (a judge's log not written yet) leaves the rules over the others
  # working, with a warning; the eval rules have no data.
  printf 'traces: [fx/ramp.jsonl, judge/*.jsonl]\nrules:\n  - alert: Any\n    expr: requests.count > 10\n  - alert: Judged\n    expr: eval.hallucination.mean > 0.5\n' > late.yaml
  run mlops monitor check -c late.yaml --at $AT --prom late.prom --json
  expect_rc 1
  expect_eq "$(jpy 'r("Any")["state"], r("Judged")["state"]' <<<"$out")" "('firing', 'no data')"
  expect_err "'late.yaml': traces 'judge/*.jsonl' matches no file (not written yet?)"
  expect_file late.prom
  run mlops monitor check -c monitors.yaml fx/small.jsonl --at $AT --json
  expect_rc 1
  expect_eq "$(jpy 'r("Any")["value"], d["inputs"]' <<<"$out")" "(11.0, ['fx/small.jsonl'])"
  mkdir -p sub && mv monitors.yaml sub/ && printf 'traces: [../fx/ramp*.jsonl]\nrules:\n  - alert: Any\n    expr: requests.count > 10\n' > sub/monitors.yaml
  run mlops monitor check -c sub/monitors.yaml --at $AT --json
  expect_eq "$(jpy 'r("Any")["value"], d["inputs"]' <<<"$out")" "(360.0, ['sub/../fx/ramp-evals.jsonl', 'sub/../fx/ramp-feedback.jsonl', 'sub/../fx/ramp.jsonl'])"
}

test_unknown_series_and_bad_rules() {
  fixtures
  bad_rule() {  # EXPR MESSAGE
    printf 'traces: [fx/ramp.jsonl, fx/ramp-evals.jsonl]\nrules:\n  - alert: A\n    expr: %s\n' "$1" > monitors.yaml
    run mlops monitor check --at $AT --prom out.prom
    expect_rc 2
    expect_err "$2"
    expect_no_file out.prom
  }
  bad_rule 'latncy_ms.p95 > 1' "'monitors.yaml', line 3 (alert 'A'): unknown series 'latncy_ms.p95'"
  expect_err "did you mean 'latency_ms.p95'?"
  expect_err "the known series: requests, errors, error_rate, latency_ms"
  bad_rule 'eval.toxicity.mean > 0.1' "series 'eval.toxicity' does not exist in the inputs"
  expect_err "the evaluations in the inputs: eval.hallucination"
  bad_rule 'latency_ms.p95 >> 1' "expected a number after '>', got '>'"
  bad_rule 'latency_ms.p95 3000' "expected a comparison"
  bad_rule 'latency_ms.p95{operaton="chat"} > 1' "unknown label 'operaton'"
  expect_err "did you mean 'operation'?"
  bad_rule 'latency_ms.p95{model=~"("} > 1' "bad regular expression '('"
  bad_rule 'requests.count[5q] > 1' "'5q' is not a duration"
  bad_rule 'requests.rate > 1' "'requests.rate' needs a window"
  bad_rule 'error_rate.p95 > 1' "unknown series 'error_rate.p95'"
  printf 'rules:\n  - alert: A\n    expr: error_rate > 1\n  - alert: A\n    expr: error_rate > 2\n' > monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "alert 'A' is defined twice"
  printf 'rules:\n  - alert: A\n    exp: error_rate > 1\n' > monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "unknown key 'exp' in a rule"
  expect_err "did you mean 'expr'?"
  printf 'rules:\n  - alert: A\n    expr: error_rate > 1\n    for: soon\n' > monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "for 'soon' is not a duration"
  printf 'rules:\n  - alert: A\n    expr: error_rate > 1\n    labels: {team-name: x}\n' > monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "label 'team-name' is not a Prometheus label name"
  printf 'rules: [\n' > monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "'monitors.yaml'"
  expect_err "is not valid YAML"
  # A YAML mistake in the middle names its line: a key indented one space short.
  printf 'traces: [fx/ramp.jsonl]\nrules:\n  - alert: A\n    expr: error_rate > 1\n   for: 5m\n' > monitors.yaml
  run mlops monitor check
  expect_rc 2
  [[ "$err" == *"'monitors.yaml', line "*" is not valid YAML"* ]] || fail "no line in: $err"
  printf 'models:\n  gpt-4o-mini: {input: 0.15, output: 0.60\n' > bad-prices.yaml
  run mlops trace stats fx/small.jsonl --prices bad-prices.yaml
  expect_rc 2
  [[ "$err" == *"'bad-prices.yaml', line "*" is not valid YAML"* ]] || fail "no line in: $err"
  rm monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "no rules file 'monitors.yaml'"
  expect_err "give another with -c FILE"
  printf 'rules:\n  - alert: A\n    expr: error_rate > 1\n' > monitors.yaml
  run mlops monitor check
  expect_rc 2
  expect_err "no traces to check"
  run mlops monitor check fx/ramp.jsonl --at tomorrowish
  expect_rc 2
  expect_err "--at 'tomorrowish' is not a time"
}

test_a_series_without_its_source_is_no_data() {
  fixtures
  # The judge's log is not there (yet), and no feedback was imported: those rules have no data;
  # the latency rule is still evaluated, fires, and the metrics are written.
  printf 'traces: [fx/ramp.jsonl]\nrules:\n' > monitors.yaml
  rule Latency 'latency_ms.p95[5m] > 3000'
  rule Hallucination 'eval.hallucination.mean[1h] > 0.1'
  rule Unhappy 'feedback.negative_rate[1d] > 0.2'
  run mlops monitor check --at $AT --prom out.prom --json
  expect_rc 1
  expect_eq "$(jpy '[(x["alert"], x["state"], x["value"]) for x in d["rules"]]' <<<"$out")" \
    "[('Latency', 'firing', 5000.0), ('Hallucination', 'no data', None), ('Unhappy', 'no data', None)]"
  expect_eq "$(jpy 'r("Hallucination")["reason"]' <<<"$out")" \
    "no data: the inputs hold no gen_ai.evaluation.result records (is the judge's log export among them?)"
  expect_err "alert 'Unhappy' (feedback.negative_rate): no data: no feedback was imported in this repository (mlops feedback import EVENTS.jsonl)"
  expect_file out.prom
  grep -q '^ALERTS{alertname="Latency"' out.prom || fail "no ALERTS line for Latency"
  # An empty judge log is the same; one that records other evaluations names a typo (exit 2, above).
  : > empty-evals.jsonl
  run mlops monitor check fx/ramp.jsonl empty-evals.jsonl --at $AT
  expect_rc 1
  expect_out "Hallucination: no data: the inputs hold no gen_ai.evaluation.result records"
  expect_out "1 of 3 alerts fired"
}

test_nothing_fires_exit_zero() {
  fixtures
  start_rules
  rule Errors 'error_rate > 0.5'
  run mlops monitor check --at $AT
  expect_rc 0
  expect_out "no alert fired at 2026-12-01T11:00:00Z (1 rules, 360 GenAI spans)"
}

test_monitor_test_replays_fixtures() {
  fixtures
  start_rules
  rule ChatLatencyP95 'latency_ms.p95[5m] > 3000' 'for: 10m'
  rule Errors 'error_rate > 0.05'
  rule Guardrail 'guardrail_rate[10m] > 0.05'
  cat > monitors.test.yaml <<'EOF'
monitors: monitors.yaml
tests:
  - name: before the regression only errors fire
    traces: [fx/ramp.jsonl, fx/ramp-evals.jsonl]
    at: 2026-12-01T10:30:00Z
    firing: [Errors]
    pending: []
    values: {Errors: 0.1, ChatLatencyP95: 100}
  - name: the latency regression pages after 10 minutes
    traces: [fx/ramp.jsonl, fx/ramp-evals.jsonl]
    at: 2026-12-01T10:45:00Z
    firing: [Errors]
    pending: [ChatLatencyP95]
  - name: and then fires, with the guardrail
    traces: [fx/ramp.jsonl]
    at: 2026-12-01T11:00:00Z
    firing: [ChatLatencyP95, Errors, Guardrail]
EOF
  run mlops monitor test monitors.test.yaml
  expect_rc 0
  expect_out "ok monitors.test.yaml: the latency regression pages after 10 minutes"
  expect_out "3 passed, 0 failed"
  sed -i 's/firing: \[ChatLatencyP95, Errors, Guardrail\]/firing: [Errors]/' monitors.test.yaml
  run mlops monitor test monitors.test.yaml --json
  expect_rc 1
  # The problem, then why each alert fired unexpectedly.
  expect_eq "$(/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); p=d["tests"][2]["problems"]; print(d["failed"], p[0], [x.split(" is ")[0] for x in p[1:]])' <<<"$out")" \
    "1 expected firing [Errors], got [ChatLatencyP95, Errors, Guardrail] ['ChatLatencyP95: latency_ms.p95', 'Guardrail: guardrail_rate']"
  # An expected alert that did not fire says its value against the threshold.
  sed -i '0,/^    firing: \[Errors\]$/s//    firing: [Errors, Guardrail]/' monitors.test.yaml
  run mlops monitor test monitors.test.yaml
  expect_rc 1
  expect_out "Guardrail: guardrail_rate is 0: not > 0.05"
  sed -i 's/^    firing: \[Errors, Guardrail\]$/    firing: [Errors]/' monitors.test.yaml
  sed -i 's/firing: \[Errors\]$/firing: [Erors]/' monitors.test.yaml
  run mlops monitor test monitors.test.yaml
  expect_rc 2
  expect_err "names alert 'Erors', which 'monitors.yaml' does not define"
  expect_err "did you mean 'Errors'?"
  # monitors: is relative to the test file, and the message says so.
  mkdir -p rules && sed 's/\[Erors\]/[Errors]/' monitors.test.yaml > rules/x.test.yaml
  run mlops monitor test rules/x.test.yaml
  expect_rc 2
  expect_err "'rules/x.test.yaml': its monitors: names 'rules/monitors.yaml', which does not exist"
  expect_err "paths in a test file are relative to the test file's folder"
}

test_monitor_test_case_without_feedback() {
  fixtures
  printf 'rules:\n  - alert: Unhappy\n    expr: feedback.negative_rate[10m] > 0.2\n' > monitors.yaml
  printf 'monitors: monitors.yaml\ntests:\n  - name: no feedback given\n    traces: [fx/ramp.jsonl]\n    at: %s\n    firing: [Unhappy]\n' $AT > monitors.test.yaml
  run mlops monitor test monitors.test.yaml --json
  expect_rc 1
  expect_eq "$(/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["tests"][0]["problems"])' <<<"$out")" \
    "['expected firing [Unhappy], got []', \"Unhappy: no samples in the window; the case has no 'feedback:' (a test reads feedback from its files, never from the store)\"]"
}

test_rule_file_messages() {
  fixtures
  printf 'traces: [fx/ramp.jsonl]\ninterval: 0s\nrules:\n  - alert: A\n    expr: error_rate > 1\n' > monitors.yaml
  run mlops monitor check --at $AT
  expect_rc 2
  expect_err "'monitors.yaml': interval '0s' is not above 0"
  printf 'traces: [fx/ramp.jsonl]\nrules:\n  - alert: A\n    expr: error_rate > 1\n    severity: page\n' > monitors.yaml
  run mlops monitor check --at $AT
  expect_rc 2
  expect_err "a rule has alert, expr (or drift), for, min_count, labels and annotations"
  printf 'traces: [fx/ramp.jsonl, fx/ramp-evals.jsonl]\nrules:\n  - alert: A\n    expr: eval.halucination.mean > 1\n' > monitors.yaml
  run mlops monitor check --at $AT
  expect_rc 2
  expect_err "'monitors.yaml', alert 'A': series 'eval.halucination' does not exist in the inputs"
  expect_err "did you mean 'eval.hallucination'?"
  # A date is its midnight UTC.
  printf 'traces: [fx/ramp.jsonl]\nrules:\n  - alert: A\n    expr: error_rate > 1\n' > monitors.yaml
  run mlops monitor check --at 2026-12-02 --json
  expect_rc 0
  expect_eq "$(json_get '["at"]' <<<"$out")" "2026-12-02T00:00:00Z"
}

test_drift_rule_mistakes_name_the_rule() {
  fixtures
  local data="$SRC/tests/data/drift"
  mkdir -p rules && cp "$data/small.ref.csv" "$data/small.cur.csv" rules/
  printf 'rules:\n  - alert: D\n    drift: {reference: small.ref.csv, current: small.cur.csv, drift_share: 30%%}\n' > rules/share.yaml
  run mlops monitor check -c rules/share.yaml fx/ramp.jsonl
  expect_rc 2
  expect_err "'rules/share.yaml', line 2 (alert 'D'): drift_share '30%' is not a number above 0 and at most 1"
  expect_err "drift_share: 0.3"
  printf 'rules:\n  - alert: D\n    drift: {reference: small.ref.csv, current: small.cur.csv, columns: [incme]}\n' > rules/column.yaml
  run mlops monitor check -c rules/column.yaml fx/ramp.jsonl
  expect_rc 2
  expect_err "'rules/column.yaml', alert 'D' (drift): column 'incme' of columns: is not in 'rules/small.ref.csv'"
  expect_err "did you mean 'income'?"
  [[ "$err" != *"--columns"* ]] || fail "the message names a flag the rule does not have: $err"
  printf 'rules:\n  - alert: D\n    drift: {reference: small.ref.csv, current: ../data/live_today.csv}\n' > rules/missing.yaml
  run mlops monitor check -c rules/missing.yaml fx/ramp.jsonl
  expect_rc 2
  expect_err "'rules/missing.yaml', alert 'D' (drift): "
  expect_err "'rules/../data/live_today.csv'"
}

test_drift_rules() {
  fixtures
  local data="$SRC/tests/data/drift"
  mkdir -p rules && cp "$data/small.ref.csv" "$data/small.cur.csv" rules/
  # Paths beside the rules file; the fixture pair drifts in 5 of its 7 columns (tests/cli/drift.sh).
  cat > rules/monitors.yaml <<'EOF'
rules:
  - alert: InputDrift
    drift: {reference: small.ref.csv, current: small.cur.csv}
    labels: {severity: ticket}
  - alert: SameData
    drift: {reference: small.ref.csv, current: small.ref.csv, columns: [age, city]}
  - alert: PredictionDrift
    drift: {reference: small.ref.csv, current: small.cur.csv, columns: [income, score], prediction: score, drift_share: 1.0}
EOF
  run mlops monitor check -c rules/monitors.yaml fx/ramp.jsonl --json
  expect_rc 1
  expect_eq "$(jpy '[(x["alert"], x["state"]) for x in d["rules"]]' <<<"$out")" "[('InputDrift', 'firing'), ('SameData', 'ok'), ('PredictionDrift', 'firing')]"
  expect_eq "$(jpy 'round(r("InputDrift")["value"], 4), r("InputDrift")["samples"], r("SameData")["value"]' <<<"$out")" "(0.7143, 300, 0.0)"
  expect_eq "$(jpy 'r("InputDrift")["reason"]' <<<"$out")" "5 of 7 columns drifted: city, score, flag, age, grade"
  printf 'rules:\n  - alert: D\n    drift: {reference: small.ref.csv, current: missing.csv}\n' > rules/bad.yaml
  run mlops monitor check -c rules/bad.yaml fx/ramp.jsonl
  expect_rc 2
  expect_err "missing.csv"
  printf 'rules:\n  - alert: D\n    drift: {reference: a.csv, curent: b.csv}\n' > rules/bad.yaml
  run mlops monitor check -c rules/bad.yaml fx/ramp.jsonl
  expect_rc 2
  expect_err "unknown key 'curent' in drift"
  expect_err "did you mean 'current'?"
  printf 'rules:\n  - alert: D\n    drift: {reference: a.csv, current: b.csv}\n    for: 5m\n' > rules/bad.yaml
  run mlops monitor check -c rules/bad.yaml fx/ramp.jsonl
  expect_rc 2
  expect_err "a drift rule takes no expr, for or min_count"
}

# A drift rule's reference may be the data a registered model was trained on: PATH@MODEL#STAGE.
test_drift_rules_against_the_data_of_a_model_in_a_stage() {
  new_repo
  /usr/bin/python3 "$GEN" fx > /dev/null || fail "the generator failed"
  local data="$SRC/tests/data/drift"
  mkdir -p data && cp "$data/small.ref.csv" data/train.csv
  mlops data add data/train.csv > /dev/null 2>&1 || fail "data add failed"
  printf 'fx/\nmodel.txt\nlive.csv\n' > .gitignore
  git add -A && git commit -qm "training data v1"
  mlops run --artifact model.txt -- sh -c 'wc -l < data/train.csv > model.txt' > /dev/null 2>&1 || fail "run failed"
  mlops model register m --run "$(mlops runs list --limit 1 --ids)" --artifact model.txt > /dev/null 2>&1 ||
    fail "register failed"
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1 || fail "promote failed"
  # Since then the training data moved on to what production sees: only the version the model in
  # production was trained on shows the drift.
  cp "$data/small.cur.csv" data/train.csv
  { mlops data add data/train.csv > /dev/null 2>&1 && git commit -qam "training data v2"; } || fail "data v2 failed"
  cp "$data/small.cur.csv" live.csv
  cat > monitors.yaml <<'EOF'
rules:
  - alert: AgainstProduction
    drift: {reference: data/train.csv@m#production, current: live.csv}
  - alert: AgainstTheWorkspace
    drift: {reference: data/train.csv, current: live.csv}
EOF
  run mlops monitor check fx/ramp.jsonl --json
  expect_rc 1
  expect_eq "$(jpy '[(x["alert"], x["state"]) for x in d["rules"]]' <<<"$out")" \
    "[('AgainstProduction', 'firing'), ('AgainstTheWorkspace', 'ok')]"
  expect_eq "$(jpy 'r("AgainstProduction")["reason"]' <<<"$out")" "5 of 7 columns drifted: city, score, flag, age, grade"
  run mlops monitor check fx/ramp.jsonl
  expect_rc 1
  expect_out "AgainstProduction"
  # A stage that holds no version, a model that is not registered: bad input, nothing recorded.
  local recorded; recorded=$(md5sum < .mlops/monitor-check.json)
  sed -i 's/@m#production/@m#staging/' monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "alert 'AgainstProduction' (drift): no version of 'm' is in stage 'staging'"
  expect_err "stages with a version: production"
  sed -i 's/@m#staging/@n#production/' monitors.yaml
  run mlops monitor check fx/ramp.jsonl
  expect_rc 2
  expect_err "alert 'AgainstProduction' (drift): unknown model 'n'"
  expect_err "did you mean 'm'?"
  expect_eq "$(md5sum < .mlops/monitor-check.json)" "$recorded"
}

run_tests "${1:-.}"
