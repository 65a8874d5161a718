#!/usr/bin/env bash
# CLI tests: mlops trace stats — the figures of the generated fixtures (checked by hand against the
# spans tests/fixtures/traces/generate.py writes), formats, grouping, windows, and bad input.
source "$(dirname "$0")/lib.sh"
SRC="${MLOPS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
GEN="$SRC/tests/fixtures/traces/generate.py"
# Evaluates a Python expression over the JSON document on stdin, bound to d; g(name) is a group.
jpy() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); g=lambda n: [x for x in d["groups"] if x["name"]==n][0]; print(eval(sys.argv[1]))' "$1"; }

fixtures() {
  new_repo --no-init
  /usr/bin/python3 "$GEN" fx || fail "the generator failed"
}

test_figures_by_operation() {
  fixtures
  run mlops trace stats fx/small.jsonl fx/evals.jsonl --prices fx/prices.yaml --json
  expect_rc 0
  local j=$out
  expect_eq "$(jpy '[x["name"] for x in d["groups"]]' <<<"$j")" "['(no span)', 'chat', 'embeddings', 'execute_tool', 'invoke_agent', 'retrieval']"
  expect_eq "$(jpy '(d["inputs"]["spans"], d["inputs"]["genai_spans"], d["inputs"]["other_spans"], d["inputs"]["log_records"])' <<<"$j")" "(12, 11, 1, 5)"
  # chat: spans of 100, 200, 300, 400 and 500 ms; p95 = 400 + 0.8 * 100, p99 = 400 + 0.96 * 100.
  expect_eq "$(jpy 'g("chat")["requests"], g("chat")["errors"], g("chat")["error_rate"], g("chat")["top_error_type"]' <<<"$j")" "(5, 1, 0.2, 'timeout')"
  expect_eq "$(jpy '[g("chat")["latency_ms"][k] for k in ("p50","p95","p99","exact")]' <<<"$j")" "[300.0, 480.0, 496.0, True]"
  # Time to first token: 50 ms from the attribute, 80 ms from the first chunk event.
  expect_eq "$(jpy 'g("chat")["ttft_ms"]["p50"], g("chat")["ttft_ms"]["count"], g("chat")["ttft_ms"]["source"]' <<<"$j")" "(65.0, 2, {'attribute': 1, 'events': 1})"
  # Tokens: 100+200+1000 (deprecated gen_ai.usage.prompt_tokens)+50 (OpenInference); one call without.
  expect_eq "$(jpy 'g("chat")["tokens"]' <<<"$j")" "{'input': 1350, 'output': 570, 'cached_input': 50, 'reasoning': 100, 'calls_with_tokens': 4, 'calls_without_tokens': 1, 'calls_with_partial_tokens': 0}"
  # Cost: 27e-6 + (150*0.15 + 50*0.075 + 40*0.6)/1e6 + 0.5 (the span's own llm.cost.total); claude unpriced.
  expect_eq "$(jpy 'round(g("chat")["cost_usd"]["total"], 12), g("chat")["cost_usd"]["unpriced_calls"], g("chat")["cost_usd"]["complete"]' <<<"$j")" "(0.50007725, 1, False)"
  expect_eq "$(jpy 'g("chat")["finish_reasons"]' <<<"$j")" "{'reported': 3, 'length': 1, 'content_filter': 1, 'truncation_rate': 0.3333333333333333}"
  expect_eq "$(jpy 'g("chat")["guardrail"]' <<<"$j")" "{'triggered': 1, 'rate': 0.2}"
  expect_eq "$(jpy 'round(g("chat")["evaluations"]["hallucination"]["mean"], 12), g("chat")["evaluations"]["hallucination"]["count"], g("chat")["evaluations"]["relevance"]["results"]' <<<"$j")" "(0.133333333333, 3, 1)"
  # The agent over trace A's calls is not counted again; the agent of trace B, with no calls, is.
  expect_eq "$(jpy 'g("invoke_agent")["requests"], g("invoke_agent")["tokens"]["input"], g("invoke_agent")["tokens"]["output"], round(g("invoke_agent")["cost_usd"]["total"], 12)' <<<"$j")" "(2, 1000, 100, 0.00021)"
  expect_eq "$(jpy 'g("retrieval")["retrieval"]["calls"], g("retrieval")["retrieval"]["documents"]["mean"], g("retrieval")["latency_ms"]["p50"]' <<<"$j")" "(2, 4.0, 50.0)"
  expect_eq "$(jpy 'round(g("embeddings")["cost_usd"]["total"], 15)' <<<"$j")" "2e-07"
  expect_eq "$(jpy 'g("(no span)")["evaluations"]["hallucination"]["mean"], d["inputs"]["evaluations_without_span"]' <<<"$j")" "(0.9, 1)"
  expect_eq "$(jpy 'd["unpriced_models"], d["total"]["requests"], round(d["total"]["cost_usd"]["total"], 12)' <<<"$j")" "({'claude-3-5-haiku': 1}, 11, 0.50028745)"
  expect_err "no price for model 'claude-3-5-haiku' (1 calls)"
}

test_group_by_model_prompt_provider() {
  fixtures
  run mlops trace stats fx/small.jsonl --group-by model --json
  expect_rc 0
  expect_eq "$(jpy '[(x["name"], x["requests"]) for x in d["groups"]]' <<<"$out")" "[('(none)', 3), ('claude-3-5-haiku', 1), ('gpt-4o-mini', 6), ('text-embedding-3-small', 1)]"
  run mlops trace stats fx/small.jsonl --group-by prompt --json
  expect_eq "$(jpy 'g("support")["requests"], g("(none)")["requests"]' <<<"$out")" "(3, 8)"
  run mlops trace stats fx/small.jsonl --group-by provider --json
  expect_eq "$(jpy '[(x["name"], x["requests"]) for x in d["groups"]]' <<<"$out")" "[('(none)', 5), ('anthropic', 1), ('openai', 5)]"
  run mlops trace stats fx/small.jsonl --group-by colour
  expect_rc 2
  expect_err "'colour' is not a valid value for option '--group-by'"
}

test_since_until_window() {
  fixtures
  # Spans end at T0 + n minutes + their duration; since 10:05 leaves spans 5, 6, 7, 9, 10 and 11.
  run mlops trace stats fx/small.jsonl --since 2026-12-01T10:05:00Z --json
  expect_rc 0
  expect_eq "$(jpy 'd["total"]["requests"]' <<<"$out")" "6"
  run mlops trace stats fx/small.jsonl --since 2026-12-01T10:05:00Z --until 2026-12-01T10:07:00Z --json
  expect_eq "$(jpy '[(x["name"], x["requests"]) for x in d["groups"]]' <<<"$out")" "[('embeddings', 1), ('retrieval', 1)]"
  run mlops trace stats fx/small.jsonl --since yesterday
  expect_rc 2
  expect_err "--since 'yesterday' is not a time"
  run mlops trace stats fx/small.jsonl --since 2026-12-01T10:05:00Z --until 2026-12-01T10:00:00Z
  expect_rc 2
  expect_err "--until is not after --since"
}

test_unpriced_models_are_the_calls_counted_in_the_window() {
  fixtures
  # Without prices: agent a..aa (over trace A's calls, not counted) is no unpriced call; agent b..bb is.
  run mlops trace stats fx/small.jsonl --json
  expect_rc 0
  expect_eq "$(jpy 'd["unpriced_models"], sum(x["cost_usd"]["unpriced_calls"] for x in d["groups"])' <<<"$out")" \
    "({'claude-3-5-haiku': 1, 'gpt-4o-mini': 3, 'text-embedding-3-small': 1}, 5)"
  expect_err "no price for model 'gpt-4o-mini' (3 calls)"
  # The claude call ended at 10:04: outside the window, no warning about it.
  run mlops trace stats fx/small.jsonl --prices fx/prices.yaml --since 2026-12-01T10:05:00Z --json
  expect_rc 0
  expect_eq "$(jpy 'd["unpriced_models"]' <<<"$out")" "{}"
  [[ "$err" != *"no price"* ]] || fail "a warning about a call outside the window: $err"
  run mlops trace stats fx/small.jsonl --prices fx/prices.yaml --since 2026-12-01T10:04:00Z --until 2026-12-01T10:05:00Z
  expect_rc 0
  expect_err "no price for model 'claude-3-5-haiku' (1 calls)"
}

test_the_same_spans_given_twice_count_once() {
  fixtures
  gzip -c fx/small.jsonl > fx/small.jsonl.gz
  run mlops trace stats fx/small.jsonl fx/small.jsonl.gz fx/small.jsonl --prices fx/prices.yaml --json
  expect_rc 0
  expect_eq "$(jpy 'd["total"]["requests"], round(d["total"]["cost_usd"]["total"], 12), d["inputs"]["duplicate_spans"]' <<<"$out")" \
    "(11, 0.50028745, 22)"
  expect_err "22 GenAI spans were read more than once (the same trace and span id"
  expect_err "each is counted once"
}

test_dates_empty_files_a_byte_order_mark_and_evaluations_alone() {
  fixtures
  run mlops trace stats fx/small.jsonl --since 2026-12-01 --until 2026-12-02 --json
  expect_rc 0
  expect_eq "$(jpy 'd["total"]["requests"]' <<<"$out")" "11"
  run mlops trace stats fx/small.jsonl --since 2026-12-02
  expect_rc 0
  expect_out "no GenAI spans in 12 spans read (in the --since/--until window)"
  : > empty.jsonl
  run mlops trace stats empty.jsonl
  expect_rc 0
  expect_err "'empty.jsonl' is empty: is its exporter writing?"
  printf '\xef\xbb\xbf' > bom.jsonl && cat fx/small.jsonl >> bom.jsonl
  run mlops trace stats bom.jsonl --json
  expect_rc 0
  expect_eq "$(jpy 'd["total"]["requests"]' <<<"$out")" "11"
  sed 's/"stringValue":"chat"/"stringValue":"Chat"/g; s/"stringValue": "chat"/"stringValue": "Chat"/g' fx/small.jsonl > case.jsonl
  run mlops trace stats case.jsonl
  expect_rc 0
  expect_err "spans name the operation 'Chat': the conventions' name is 'chat'"
  # Evaluation results alone: the (no span) group is shown with its scores.
  run mlops trace stats fx/evals.jsonl
  expect_rc 0
  expect_out "(no span)"
  expect_out "evaluation hallucination"
  run mlops trace stats fx/
  expect_rc 2
  expect_err "give its files: fx/*.jsonl"
  run mlops trace stats nowhere.jsonl
  expect_rc 2
  expect_err "hint: give the trace exports that exist"
  run mlops trace stats fx/small.jsonl --prices nowhere.yaml
  expect_rc 2
  expect_err "hint: give the price table you keep"
}

test_output_to_a_folder_that_does_not_exist() {
  fixtures
  run mlops trace stats fx/small.jsonl --html nowhere/dir/r.html
  expect_rc 2
  expect_err "cannot write 'nowhere/dir/r.html' (--html): folder 'nowhere/dir' does not exist"
  expect_err "mkdir -p nowhere/dir"
  [[ "$err" != *".tmp"* ]] || fail "the message names a temporary file: $err"
  mkdir r.html
  run mlops trace stats fx/small.jsonl --html r.html
  expect_rc 2
  expect_err "cannot write 'r.html' (--html): it is a folder"
  printf 'traces: [fx/ramp.jsonl]\nrules:\n  - alert: A\n    expr: error_rate > 0.01\n' > monitors.yaml
  run mlops monitor check --at 2026-12-01T11:00:00Z --prom nowhere/x.prom
  expect_rc 2
  expect_err "cannot write 'nowhere/x.prom' (--prom): folder 'nowhere' does not exist"
}

test_table_markdown_html() {
  fixtures
  run mlops trace stats fx/small.jsonl fx/evals.jsonl
  expect_rc 0
  expect_out "GROUP"
  expect_out "chat: top error.type timeout (1 of 1 errors)"
  expect_out "1 from gen_ai.response.time_to_first_chunk, 1 from chunk events"
  expect_out "chat: evaluation hallucination: mean 0.1333"
  [[ "$(grep -E '^chat ' <<<"$out")" =~ ^chat\ +5\ +20%\ +300\ +480\ +496 ]] || fail "chat row: $(grep -E '^chat ' <<<"$out")"
  run mlops trace stats fx/small.jsonl --markdown
  expect_rc 0
  expect_out "## Trace statistics by operation"
  expect_out "| chat | 5 | 20% | 300 | 480 | 496 |"
  run mlops trace stats fx/small.jsonl --html report.html
  expect_rc 0
  expect_file report.html
  grep -q "<td>chat</td><td>5</td>" report.html || fail "the HTML report lacks the chat row"
  run mlops trace stats fx/small.jsonl --json --markdown
  expect_rc 2
  expect_err "exclude each other"
}

test_documents_and_gzip() {
  fixtures
  run mlops trace stats fx/document.json --json
  expect_rc 0
  expect_eq "$(jpy 'g("chat")["requests"], g("chat")["errors"], g("chat")["latency_ms"]["p50"]' <<<"$out")" "(2, 1, 500.0)"
  run mlops trace stats fx/small.jsonl --json
  local plain=$out
  gzip -k fx/small.jsonl
  run mlops trace stats fx/small.jsonl.gz --json
  expect_rc 0
  expect_eq "$out" "$plain"
  head -c 100 fx/small.jsonl.gz > fx/cut.jsonl.gz
  run mlops trace stats fx/cut.jsonl.gz
  expect_rc 2
  expect_err "truncated gzip file"
}

test_bad_lines_named_or_skipped() {
  fixtures
  { head -n1 fx/small.jsonl; head -n1 fx/small.jsonl | head -c 2000; echo; tail -n1 fx/small.jsonl; } > torn.jsonl
  run mlops trace stats torn.jsonl
  expect_rc 2
  expect_err "'torn.jsonl', line 2: truncated JSON"
  expect_err "--skip-bad"
  # A torn line's spans before the tear are not counted: 4 + 8 GenAI spans, not more.
  run mlops trace stats torn.jsonl --skip-bad --json
  expect_rc 0
  expect_eq "$(jpy 'd["inputs"]["bad_lines"], d["total"]["requests"]' <<<"$out")" "(1, 11)"
  expect_err "1 bad lines skipped"
  printf '%s\n' "$(head -n1 fx/small.jsonl)" 'not json' > junk.jsonl
  run mlops trace stats junk.jsonl
  expect_rc 2
  expect_err "'junk.jsonl', line 2: malformed JSON at column 1"
  run mlops trace stats missing.jsonl
  expect_rc 2
  expect_err "cannot open 'missing.jsonl'"
  run mlops trace stats fx
  expect_rc 2
  expect_err "'fx' is a folder"
  echo 'models: {gpt-4o-mini: {input: cheap}}' > bad-prices.yaml
  run mlops trace stats fx/small.jsonl --prices bad-prices.yaml
  expect_rc 2
  expect_err "'input' is not a price"
}

test_times_in_milliseconds_are_refused_not_guessed() {
  fixtures
  # The fixture's spans with their times in milliseconds: they would land in January 1970, with
  # latencies a millionth of the real ones, and silence every latency alarm.
  map_spans fx/small.jsonl ms.jsonl 'for k in ("startTimeUnixNano", "endTimeUnixNano"): sp[k] = str(int(sp[k]) // 10**6)' ||
    fail "map_spans"
  run mlops trace stats ms.jsonl
  expect_rc 2
  expect_err "'ms.jsonl', line 1: a span's startTimeUnixNano or endTimeUnixNano is before 2000: OTLP times are nanoseconds"
  expect_err "--skip-bad"
  run mlops trace stats ms.jsonl --skip-bad --json
  expect_rc 0
  expect_eq "$(jpy 'd["inputs"]["bad_lines"], d["total"]["requests"]' <<<"$out")" "($(wc -l < ms.jsonl), 0)"
  printf 'rules:\n  - alert: Slow\n    expr: latency_ms.p95 > 100\n' > rules.yaml
  run mlops monitor check -c rules.yaml ms.jsonl --at 2026-12-01T12:00:00Z
  expect_rc 2
  expect_err "'ms.jsonl', line 1: a span's startTimeUnixNano"
}

test_spans_without_what_a_figure_needs() {
  fixtures
  # An end before its start, and a span without times: counted, left out of latency, said so.
  /usr/bin/python3 - <<'PY'
import json
span = lambda sid, s, e: {"traceId": "ab" * 16, "spanId": sid, "name": "chat", "startTimeUnixNano": s, "endTimeUnixNano": e,
                          "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}}]}
doc = {"resourceSpans": [{"scopeSpans": [{"spans": [span("01" * 8, "1764583200000002000", "1764583200000001000"), span("02" * 8, "0", "0"), span("03" * 8, "1764583200000001000", "1764583200004000000")]}]}]}
open("odd.jsonl", "w").write(json.dumps(doc) + "\n")
PY
  run mlops trace stats odd.jsonl --json
  expect_rc 0
  expect_eq "$(jpy 'g("chat")["requests"], g("chat")["latency_ms"]["count"], g("chat")["latency_unknown"], g("chat")["tokens"]["calls_without_tokens"], g("chat")["cost_usd"]["total"]' <<<"$out")" "(3, 1, 2, 3, 0.0)"
  expect_err "2 GenAI spans without a start time or ending before they start"
  echo '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"ab","spanId":"cd","name":"GET /","startTimeUnixNano":"1764583200000000001","endTimeUnixNano":"1764583200000000002"}]}]}]}' > http.jsonl
  run mlops trace stats http.jsonl
  expect_rc 0
  expect_out "no GenAI spans in 1 spans read"
  expect_err "none of the 1 spans read is GenAI work"
  # A metrics export (or a feedback file) given as traces: nothing to judge, said so.
  echo '{"resourceMetrics":[{"resource":{},"scopeMetrics":[{"metrics":[{"name":"gen_ai.client.token.usage"}]}]}]}' > metrics.jsonl
  run mlops trace stats metrics.jsonl
  expect_rc 0
  expect_err "the file read holds no spans and no log records: is it an OTLP trace or log export"
  printf 'rules:\n  - alert: Slow\n    expr: latency_ms.p95 > 100\n' > rules.yaml
  cp metrics.jsonl metrics2.jsonl
  run mlops monitor check -c rules.yaml metrics.jsonl metrics2.jsonl --at 2026-12-01T12:00:00Z
  expect_rc 0
  expect_err "the 2 files read hold no spans and no log records: are they OTLP trace or log exports"
}

test_a_missing_token_count_is_unknown_not_zero() {
  fixtures
  # gen_ai.usage.input_token (a typo) and 10 output tokens; a complete call of 100 + 10 beside it.
  /usr/bin/python3 - <<'PY'
import json
def span(sid, tokens):
    attrs = [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
             {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o-mini"}}]
    attrs += [{"key": k, "value": {"intValue": str(v)}} for k, v in tokens.items()]
    return {"traceId": sid * 4, "spanId": sid, "name": "chat", "startTimeUnixNano": "1764583200000001000", "endTimeUnixNano": "1764583200002000000",
            "attributes": attrs}
spans = [span("01" * 8, {"gen_ai.usage.input_token": 100, "gen_ai.usage.output_tokens": 10}),
         span("02" * 8, {"gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 10})]
open("typo.jsonl", "w").write(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": spans}]}]}) + "\n")
PY
  run mlops trace stats typo.jsonl --prices fx/prices.yaml --json
  expect_rc 0
  expect_eq "$(jpy 'g("chat")["tokens"]["input"], g("chat")["tokens"]["output"], g("chat")["tokens"]["calls_with_partial_tokens"]' <<<"$out")" "(100, 20, 1)"
  # Only the complete call is priced: (100 * 0.15 + 10 * 0.6) / 1e6; the other's cost is unknown.
  expect_eq "$(jpy 'round(g("chat")["cost_usd"]["total"], 12), g("chat")["cost_usd"]["calls_missing_tokens"], g("chat")["cost_usd"]["unpriced_calls"], g("chat")["cost_usd"]["complete"], d["unpriced_models"]' <<<"$out")" \
    "(2.1e-05, 1, 0, False, {})"
  expect_err "1 model calls carry only one of the input and output token counts"
  expect_err "is an attribute misspelled?"
  run mlops trace stats typo.jsonl --prices fx/prices.yaml
  expect_out "2.1e-05+?"
  # A price without input for chat calls that carry input tokens: priced at 0, said so.
  printf 'models:\n  gpt-4o-mini: {output: 0.6}\n' > noinput.yaml
  run mlops trace stats typo.jsonl --prices noinput.yaml
  expect_rc 0
  expect_err "the price of 'gpt-4o-mini' has no input price, but 1 calls carry input tokens: priced at 0 for them"
  run mlops trace stats fx/small.jsonl --prices fx/prices.yaml
  [[ "$err" != *"has no output price"* ]] || fail "an embedding price without output is complete: $err"
  # A budget over it is incomplete, and says why.
  printf 'traces: [typo.jsonl]\nprices: fx/prices.yaml\nrules:\n  - alert: Budget\n    expr: cost_usd.sum[1d] > 50\n' > monitors.yaml
  run mlops monitor check --at 2025-12-01T11:00:00Z
  expect_rc 1
  expect_out "Budget: 1 of the 2 calls lack input or output tokens: the cost is unknown"
}

test_percentiles_of_large_inputs_within_one_percent() {
  new_repo --no-init
  # 20,000 spans: past the exact limit (4096 a group), so the sketch answers.
  /usr/bin/python3 "$GEN" --bench 20000 big.jsonl || fail "the generator failed"
  run mlops trace stats big.jsonl --json
  expect_rc 0
  echo "$out" > stats.json
  /usr/bin/python3 - <<'PY' || fail "percentiles off by more than 1%"
import json
d = json.load(open("stats.json"))
ops = ["chat", "chat", "chat", "retrieval", "embeddings", "invoke_agent", "execute_tool", "chat"]
lat = {}
for i in range(20000):
    lat.setdefault(ops[i % 8], []).append(50 + (i * 7919) % 3000)
def q(v, p):
    v = sorted(v); r = p * (len(v) - 1); lo = int(r); hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (r - lo)
bad = []
for g in d["groups"]:
    v = lat[g["name"]]
    if g["latency_ms"]["exact"] != (len(v) <= 4096): bad.append(f"{g['name']}: exact flag")
    for p, k in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99")):
        want, got = q(v, p), g["latency_ms"][k]
        if abs(got - want) > 0.01 * want: bad.append(f"{g['name']} {k}: {got} vs {want}")
if bad: raise SystemExit("\n".join(bad))
PY
}

run_tests "${1:-.}"
