#!/usr/bin/env bash
# CLI tests: mlops feedback import (idempotent, bad lines import nothing), feedback to-golden
# (candidates eval skips until active, an edit as the expected output), and the feedback rates
# trace stats and monitor check see. Fixtures: tests/fixtures/traces/generate.py (feedback()).
source "$(dirname "$0")/lib.sh"
SRC="${MLOPS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
GEN="$SRC/tests/fixtures/traces/generate.py"
AT=2026-12-01T11:00:00Z
jpy() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); r=lambda n: [x for x in d["rules"] if x["alert"]==n][0]; print(eval(sys.argv[1]))' "$1"; }

fixtures() {
  new_repo
  /usr/bin/python3 "$GEN" fx || fail "the generator failed"
}

test_import_is_idempotent() {
  fixtures
  run mlops feedback import fx/ramp-feedback.jsonl
  expect_rc 0
  expect_out "imported 64 feedback events (1 copy, 1 edit, 1 rating, 1 regenerate, 60 thumbs): 64 new, 0 already in the store"
  expect_file .mlops/feedback.db
  run mlops feedback import fx/ramp-feedback.jsonl fx/conversations-feedback.jsonl --json
  expect_rc 0
  expect_eq "$(json_get '["events"], d["added"], d["present"]' <<<"$out")" "(69, 5, 64)"
  expect_eq "$(json_get '["files"][0]["present"]' <<<"$out")" "64"
  expect_eq "$(json_get '["conflicting"]' <<<"$out")" "[]"
  [[ "$err" != *"reuse"* ]] || fail "the same events again are no conflict: $err"
  git status --porcelain | grep -q feedback.db && fail "feedback.db must stay out of git"
  true
}

test_an_id_reused_with_other_content_is_named_and_the_stored_event_kept() {
  new_repo
  local ids='"trace_id": "00000000000000000000000000000001", "span_id": "0000000000000001"'
  printf '{"id": "ev-1", %s, "time": "2026-12-01T10:06:00Z", "signal": "thumbs", "value": "up"}\n' "$ids" > a.jsonl
  printf '{"id": "ev-1", %s, "time": "2026-12-01T10:07:00Z", "signal": "thumbs", "value": "down"}\n' "$ids" > b.jsonl
  mlops feedback import a.jsonl >/dev/null 2>&1 || fail "first import"
  run mlops feedback import b.jsonl --json
  expect_rc 0
  expect_eq "$(json_get '["added"], d["present"], d["conflicting"]' <<<"$out")" "(0, 1, ['ev-1'])"
  expect_err "1 event reuses an id already imported with other content ('ev-1'): the first is kept"
}

test_bad_events_import_nothing() {
  fixtures
  cp fx/ramp-feedback.jsonl events.jsonl
  echo '{"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "0000000000000001", "time": "2026-12-01T10:00:00Z", "signal": "thumbs", "value": "meh"}' >> events.jsonl
  run mlops feedback import events.jsonl
  expect_rc 2
  expect_err "error: 'events.jsonl', line 65: a thumbs event needs \"value\": \"up\" or \"down\""
  expect_no_file .mlops/feedback.db
  printf '{"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "0000000000000001", "time": "2026-12-01T10:00:00Z", "signal": "thumb"}\n' > typo.jsonl
  run mlops feedback import typo.jsonl
  expect_rc 2
  expect_err "unknown signal 'thumb'"
  expect_err "did you mean 'thumbs'?"
  printf '{"trace_id": "0af7651916cd43dd8448eb211c80319c", "time": "2026-12-01T10:00:00Z", "signal": "copy"}\n' > nospan.jsonl
  run mlops feedback import nospan.jsonl
  expect_rc 2
  expect_err "'nospan.jsonl', line 1: 'span_id' is missing"
  printf '{"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "0000000000000001", "time": "2026-12-01T10:00:00Z", "signal": "edit", "text": "x"' > torn.jsonl
  run mlops feedback import torn.jsonl
  expect_rc 2
  expect_err "'torn.jsonl', line 1: not valid JSON"
  run mlops feedback import missing.jsonl
  expect_rc 2
  expect_no_file .mlops/feedback.db
  # A store with events keeps them, and gains none, when a later import fails.
  mlops feedback import fx/conversations-feedback.jsonl >/dev/null || fail "import failed"
  run mlops feedback import events.jsonl
  expect_rc 2
  run mlops trace stats fx/ramp.jsonl fx/conversations.jsonl --json
  expect_eq "$(json_get '["total"]["feedback"]["events"]' <<<"$out")" "4"
}

test_import_refuses_times_in_the_wrong_unit_or_the_future() {
  fixtures
  local ids='"trace_id": "0af7651916cd43dd8448eb211c80319c", "span_id": "0000000000000001"'
  printf '{%s, "time_unix_nano": 1796083291000, "signal": "copy"}\n' "$ids" > ms.jsonl
  run mlops feedback import ms.jsonl
  expect_rc 2
  expect_err "'ms.jsonl', line 1: 'time_unix_nano' 1796083291000 is 1970-01-01T00:29:56"
  expect_err "before 2000: it looks like milliseconds"
  expect_err "19 digits"
  printf '{%s, "time_unix_nano": "1796083291", "signal": "copy"}\n' "$ids" > s.jsonl
  run mlops feedback import s.jsonl
  expect_rc 2
  expect_err "it looks like seconds"
  printf '{%s, "time": "2030-01-01T00:00:00Z", "signal": "regenerate"}\n' "$ids" > future.jsonl
  run mlops feedback import fx/ramp-feedback.jsonl future.jsonl
  expect_rc 2
  expect_err "'future.jsonl', line 1: the event's time 2030-01-01T00:00:00"
  expect_err "is in the future"
  expect_no_file .mlops/feedback.db
  printf '{%s, "timestamp": "2026-12-01T10:00:00Z", "signal": "copy"}\n' "$ids" > key.jsonl
  run mlops feedback import key.jsonl
  expect_rc 2
  expect_err "unknown key 'timestamp'"
  expect_err "did you mean 'time'?"
}

test_import_needs_a_store() {
  new_repo --no-init
  /usr/bin/python3 "$GEN" fx
  run mlops feedback import fx/ramp-feedback.jsonl
  expect_rc 2
  expect_err "mlops init"
}

test_to_golden_writes_candidates() {
  fixtures
  mlops feedback import fx/conversations-feedback.jsonl >/dev/null || fail "import failed"
  run mlops feedback to-golden --signal thumbs --value down --traces fx/conversations.jsonl -o candidates.jsonl
  expect_rc 0
  expect_out "wrote 2 candidate cases to 'candidates.jsonl' from 3 feedback events 'thumbs down' (1 with the user's edit as the expected output)"
  expect_err "1 of the 3 responses with feedback are not in the traces given, left out: 44444444444444444444444444444444/444444444444444b"
  expect_eq "$(wc -l < candidates.jsonl | tr -d ' ')" "2"
  local first second
  first=$(sed -n 1p candidates.jsonl)
  second=$(sed -n 2p candidates.jsonl)
  # The first names the agent span: its chat span below carries the prompt, variables and answer.
  expect_eq "$(json_get '["id"], d["status"], d["input"], d["metadata"]["span_id"], d["metadata"]["output"]' <<<"$first")" \
    "('fb-111111111111111a', 'candidate', {'question': 'When do you open on Saturday?'}, '111111111111111b', 'We open at 10 on Saturdays.')"
  expect_eq "$(json_get '.get("expected")' <<<"$first")" "None"
  expect_eq "$(json_get '["expected"]["output"], d["tags"], d["metadata"]["prompt_name"]' <<<"$second")" \
    "('Refunds take 5 business days.', ['feedback', 'thumbs-down', 'edit'], 'support-bot')"
  expect_eq "$(json_get '["metadata"]["prompt"][0]["parts"][0]["content"]' <<<"$second")" "How long does a refund take?"
  # eval check checks candidates; eval run skips them until they are marked active.
  run mlops eval check candidates.jsonl
  expect_rc 0
  expect_err "2 of them candidates"
  run mlops eval check candidates.jsonl --json
  expect_eq "$(json_get '["files"][0]["candidates"]' <<<"$out")" "2"
  # Edits alone, and the JSON summary.
  run mlops feedback to-golden --signal edit --traces fx/conversations.jsonl -o edits.jsonl --json
  expect_rc 0
  expect_eq "$(json_get '["cases"], d["with_expected_output"], d["not_in_traces"]' <<<"$out")" "(1, 1, [])"
}

test_to_golden_takes_several_trace_files() {
  fixtures
  mlops feedback import fx/conversations-feedback.jsonl >/dev/null || fail "import failed"
  # The documented glob: --traces traces/*.jsonl, whatever it expands to, before or after -o.
  run mlops feedback to-golden --signal thumbs --value down --traces fx/ramp.jsonl fx/conversations.jsonl -o c.jsonl
  expect_rc 0
  expect_out "wrote 2 candidate cases to 'c.jsonl'"
  run mlops feedback to-golden --traces fx/ramp.jsonl fx/conversations.jsonl --signal edit -o e.jsonl --json
  expect_rc 0
  expect_eq "$(json_get '["cases"]' <<<"$out")" "1"
  run mlops feedback to-golden --traces fx/ramp.jsonl --traces fx/conversations.jsonl --signal edit -o e.jsonl
  expect_rc 0
}

test_to_golden_spans_without_content() {
  fixtures
  mlops feedback import fx/conversations-feedback.jsonl >/dev/null || fail "import failed"
  # The same spans with message capture off: no prompt, no answer, no variables on any of them.
  map_spans fx/conversations.jsonl nocontent.jsonl '
content = {"gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "llm.prompt_template.variables",
           "gen_ai.prompt", "gen_ai.completion", "input.value", "output.value"}
sp["attributes"] = [a for a in sp.get("attributes", []) if a["key"] not in content]
sp["events"] = []' || fail "map_spans"
  run mlops feedback to-golden --signal thumbs --value down --traces nocontent.jsonl -o c.jsonl
  expect_rc 0
  expect_out "wrote 2 candidate cases"
  expect_err "2 of the cases have no prompt and no answer: their traces carry no gen_ai.input.messages"
  expect_err "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true"
  expect_err "1 of the 3 responses with feedback are not in the traces given"
  expect_eq "$(json_get '["id"], d["metadata"]["span_id"], "prompt" in d["metadata"], d["metadata"]["model"], d["expected"]' <<<"$(sed -n 2p c.jsonl)")" \
    "('fb-222222222222222b', '222222222222222b', False, 'gpt-4o-mini', {'output': 'Refunds take 5 business days.'})"
  run mlops feedback to-golden --signal thumbs --value down --traces nocontent.jsonl -o c.jsonl --json
  expect_eq "$(json_get '["without_content"]' <<<"$out")" \
    "['11111111111111111111111111111111/111111111111111a', '22222222222222222222222222222222/222222222222222b']"
}

test_eval_skips_candidates() {
  fixtures
  mkdir -p data
  printf '{"id": "a", "input": {"q": "x"}, "status": "candidate"}\n' > data/golden.jsonl
  cat > eval.yaml <<'YAML'
prompt: p.prompt
golden: data/golden.jsonl
providers:
  - id: echo
    command: cat
assert:
  - type: contains
    value: x
YAML
  printf -- '---\nname: p\ninput:\n  schema:\n    q: string\n---\n{{q}}\n' > p.prompt
  run mlops eval run
  expect_rc 2
  expect_err "golden set 'data/golden.jsonl' has only candidate cases (1): evaluation skips them"
}

test_to_golden_errors() {
  fixtures
  run mlops feedback to-golden --signal thumbs --value down --traces fx/conversations.jsonl -o c.jsonl
  expect_rc 2
  expect_err "no feedback in this repository yet"
  mlops feedback import fx/conversations-feedback.jsonl >/dev/null
  run mlops feedback to-golden --signal thumbs --value sideways --traces fx/conversations.jsonl -o c.jsonl
  expect_rc 2
  expect_err "--value 'sideways' means nothing for thumbs"
  run mlops feedback to-golden --signal copy --value 1 --traces fx/conversations.jsonl -o c.jsonl
  expect_rc 2
  expect_err "--value is for thumbs and ratings, not copy"
  run mlops feedback to-golden --signal thumbs --value down --traces fx/ramp.jsonl -o c.jsonl
  expect_rc 2
  expect_err "none of the 3 responses with feedback 'thumbs down' is in the traces given"
  expect_no_file c.jsonl
  printf '{"resourceSpans": [\n' > torn.jsonl
  run mlops feedback to-golden --signal thumbs --traces torn.jsonl -o c.jsonl
  expect_rc 2
  expect_err "'torn.jsonl', line"
  expect_err "truncated JSON"
  expect_no_file c.jsonl
  run mlops feedback to-golden --signal rating --traces fx/conversations.jsonl -o c.jsonl
  expect_rc 0
  expect_out "no feedback 'rating' in the store"
}

test_stats_and_monitor_see_feedback() {
  fixtures
  run mlops trace stats fx/ramp.jsonl --json
  expect_eq "$(json_get '["inputs"]["feedback_joined"], d["total"]["feedback"]["events"]' <<<"$out")" "(False, 0)"
  mlops feedback import fx/ramp-feedback.jsonl fx/conversations-feedback.jsonl >/dev/null || fail "import failed"
  run mlops trace stats fx/ramp.jsonl --json
  expect_rc 0
  # 64 events on ramp's spans; the conversations' 5 are on spans not read: left out, said so.
  expect_eq "$(json_get '["total"]["feedback"]["events"], d["total"]["feedback"]["judgements"], d["total"]["feedback"]["negative"], d["inputs"]["feedback_without_span"]' <<<"$out")" \
    "(64, 61, 11, 5)"
  expect_err "5 feedback events of the store name no span in the inputs: left out"
  run mlops trace stats fx/ramp.jsonl
  expect_out "chat: feedback: 64 events, 18.03% negative of 61 thumbs and ratings, rating mean 20% of the scale, 1 edits, 1 copies, 1 regenerations"
  cat > monitors.yaml <<'YAML'
traces: [fx/ramp.jsonl]
rules:
  - alert: UnhappyUsers
    expr: feedback.negative_rate[10m] > 0.2
    min_count: 5
  - alert: UnhappyToday
    expr: feedback.negative_rate{operation="chat"}[1d] > 0.2
  - alert: FewEdits
    expr: feedback.edit_rate[10m] >= 0.1
  - alert: Quiet
    expr: feedback.rate[1h] < 0.001
  - alert: LowRating
    expr: feedback.rating.mean < 0.5
YAML
  run mlops monitor check --at $AT --json
  expect_rc 1
  # [10m] at 11:00: 10 downs and the rating (11 of 11 negative), the edit, the regeneration.
  # Rules without matchers count the conversations' 5 events too (on spans not read: "(no span)").
  expect_eq "$(jpy '[(x["alert"], x["state"], round(x["value"], 4), x["samples"]) for x in d["rules"]]' <<<"$out")" \
    "[('UnhappyUsers', 'firing', 1.0, 11), ('UnhappyToday', 'ok', 0.1803, 61), ('FewEdits', 'ok', 0.0769, 13), ('Quiet', 'ok', 0.0192, 69), ('LowRating', 'firing', 0.2, 1)]"
  run mlops monitor check --at $AT --prom metrics.prom
  expect_rc 1
  grep -q '^mlops_genai_feedback_total{operation="chat",model="gpt-4o-mini",provider="openai",prompt="",kind="llm",signal="thumbs",polarity="negative"} 10$' metrics.prom ||
    fail "no feedback counter in metrics.prom: $(grep feedback metrics.prom)"
  # Before 10:50 nothing negative had been said.
  run mlops monitor check --at 2026-12-01T10:45:00Z --json
  expect_eq "$(jpy 'r("UnhappyUsers")["state"], r("UnhappyUsers")["samples"]' <<<"$out")" "('ok', 10)"
}

test_feedback_rule_without_feedback() {
  fixtures
  printf 'traces: [fx/ramp.jsonl]\nrules:\n  - alert: Unhappy\n    expr: feedback.negative_rate[1d] > 0.2\n' > monitors.yaml
  run mlops monitor check --at $AT
  expect_rc 0
  expect_out "Unhappy: no data: no feedback was imported in this repository (mlops feedback import EVENTS.jsonl)"
  expect_err "alert 'Unhappy' (feedback.negative_rate): no data: no feedback was imported in this repository"
  printf 'traces: [fx/ramp.jsonl]\nrules:\n  - alert: Typo\n    expr: feedback.negativ_rate > 0.2\n' > monitors.yaml
  run mlops monitor check --at $AT
  expect_rc 2
  expect_err "did you mean 'feedback.negative_rate'?"
}

test_monitor_test_replays_feedback() {
  fixtures
  printf 'rules:\n  - alert: Unhappy\n    expr: feedback.negative_rate[10m] > 0.2\n' > monitors.yaml
  cat > monitors.test.yaml <<'YAML'
monitors: monitors.yaml
tests:
  - name: users turn unhappy with the slow answers
    traces: [fx/ramp.jsonl]
    feedback: [fx/ramp-feedback.jsonl]
    at: 2026-12-01T11:00:00Z
    firing: [Unhappy]
    values: {Unhappy: 1}
  - name: happy before
    traces: [fx/ramp.jsonl]
    feedback: [fx/ramp-feedback.jsonl]
    at: 2026-12-01T10:30:00Z
    firing: []
YAML
  run mlops monitor test monitors.test.yaml
  expect_rc 0
  expect_out "2 passed, 0 failed"
}

run_tests "${1:-}"
