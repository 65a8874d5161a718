#!/usr/bin/env bash
# CLI tests: mlops ready — the checklist from nothing to every item done, each check's evidence
# and fix, scores and --min-score, --json, and bad input. (examples/llm's walkthrough ends on a
# passing `mlops ready`: tests/cli/eval.sh runs it.)
source "$(dirname "$0")/lib.sh"
PATH="$(cd "$(dirname "$MLOPS")" && pwd):$PATH"
SRC="${MLOPS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
GEN="$SRC/tests/fixtures/traces/generate.py"
# The status of each item, and a check's ok and evidence, from --json.
statuses() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(i["status"] for i in d["items"]))'; }
check_of() { python3 -c 'import json,sys; d=json.load(sys.stdin); c=[c for i in d["items"] for c in i["checks"] if c["check"]==sys.argv[1]][0]; print(c["ok"], c["evidence"], "|" + (" " + c["fix"] if c["fix"] else ""))' "$1"; }

# A model made by a script from versioned data, registered from its run and promoted through a gate.
model_repo() {
  new_repo
  printf '#!/bin/sh\nset -e\ncat data.txt > out.txt\nmlops log metric lines "$(wc -l < data.txt)"\n' > make.sh
  chmod +x make.sh
  printf 'a\nb\n' > data.txt
  mlops data add data.txt > /dev/null 2>&1
  printf 'out.txt\n' > .gitignore
  git add -A && git commit -qm "script"
  mlops run --artifact out.txt -- ./make.sh > /dev/null 2>&1 || fail "run failed"
  RUN=$(mlops runs list --limit 1 --ids)
  mlops model register m --run "$RUN" --artifact out.txt > /dev/null 2>&1 || fail "register failed"
  mlops model promote m v0.0.1 --to production --require 'metrics.lines >= 1' > /dev/null 2>&1 || fail "promote failed"
}

# Everything else the checklist asks for: eval.yaml with a versioned golden set, CI, a prompt,
# monitors.yaml with every kind of rule over priced traces, and a passing monitor check.
everything_else() {
  mkdir -p data prompts ci traces
  printf '{"id": "a", "input": {"q": "x"}}\n' > data/golden.jsonl
  mlops data add data/golden.jsonl > /dev/null 2>&1
  printf -- '---\nname: m\nconfig: {max_tokens: 100}\nmetadata: {fallback: "a canned answer"}\ninput:\n  schema:\n    q: string\n---\n{{q}}\n' > prompts/m.prompt
  printf 'prompt: prompts/m.prompt\ngolden: data/golden.jsonl\nproviders:\n  - id: echo\n    command: cat\nassert:\n  - type: contains\n    value: x\n' > eval.yaml
  printf 'steps:\n  - run: mlops prompt lint prompts/\n  - run: mlops eval gate results.json --min-pass-rate 0.9\n' > ci/ci.yml
  python3 "$GEN" traces > /dev/null
  cat > monitors.yaml <<'YAML'
traces: [traces/ramp.jsonl, traces/ramp-evals.jsonl]
prices: traces/prices.yaml
rules:
  - alert: Latency
    expr: latency_ms.p95[5m] > 10000
  - alert: Errors
    expr: error_rate[5m] > 0.5
  - alert: Quality
    expr: eval.hallucination.mean[5m] > 0.9
  - alert: Budget
    expr: cost_usd.sum[1d] > 100
  - alert: RateLimit
    expr: requests.rate[1m] > 100
YAML
  git add -A && git commit -qm "eval, prompts, monitors" > /dev/null
  mlops monitor check --at 2026-12-01T11:00:00Z > /dev/null 2>&1 || fail "monitor check failed"
}

test_nothing_is_ready() {
  new_repo
  run mlops ready
  expect_rc 1
  expect_out "Production readiness (no registered model)"
  expect_out "score 0.00 (0 done, 0 partial, 5 missing); --min-score 1.00: not ready"
  expect_out "fix: mlops model register MODEL --run RUN --artifact FILE"
  run mlops ready --json
  expect_rc 1
  expect_eq "$(statuses <<<"$out")" "missing missing missing missing missing"
  expect_eq "$(json_get '["score"], d["ready"], d["target"]' <<<"$out")" "(0.0, False, '')"
  run mlops ready --min-score 0
  expect_rc 0
  expect_out "ready"
}

test_a_registered_model_is_partly_ready() {
  model_repo
  run mlops ready m --json
  expect_rc 1
  expect_eq "$(statuses <<<"$out")" "partial partial missing missing missing"
  expect_eq "$(check_of 'the production version has a run' <<<"$out")" "True v0.0.1 from run ${RUN:0:8} |"
  expect_eq "$(check_of 'data versions' <<<"$out" | cut -c1-19)" "True data.txt@xxh3:"
  expect_eq "$(check_of 'a repro that was bit-identical' <<<"$out")" "False never rebuilt | mlops repro ${RUN:0:8}"
  expect_eq "$(check_of 'the production version passed a gate' <<<"$out")" \
    "True metrics.lines >= 1: pass (value 2, bound >= 1) |"
  expect_eq "$(check_of 'a recent monitor check passed' <<<"$out")" \
    "False no monitor check recorded in this repository | mlops monitor check"
  expect_eq "$(json_get '["score"]' <<<"$out")" "0.2"
  run mlops ready m --min-score 0.2
  expect_rc 0
}

test_every_item_done() {
  model_repo
  everything_else
  mlops repro "m#production" > /dev/null 2>&1 || fail "repro failed"
  run mlops ready
  expect_rc 0
  expect_out "Production readiness of m (production: v0.0.1)"
  expect_out "score 1.00 (5 done, 0 partial, 0 missing); --min-score 1.00: ready"
  expect_out "again, bit for bit"
  expect_out "prompts/m.prompt: metadata.fallback: a canned answer"
  expect_out "traces/prices.yaml prices the 1 models in 360 spans"
  expect_out "5 of 5 rules of monitors.yaml evaluated over data at 2026-12-01T11:00:00Z, none fired (checked 20"
}

test_only_a_check_of_monitors_yaml_with_data_counts() {
  model_repo
  everything_else
  run mlops ready m --json
  [[ "$(check_of 'a recent monitor check passed' <<<"$out")" == "True 5 of 5 rules of monitors.yaml evaluated over data at 2026-12-01T11:00:00Z, none fired (checked "*") |" ]] ||
    fail "recent check: $(check_of 'a recent monitor check passed' <<<"$out")"
  # A passing check of another rules file, in the repository or outside it, is not kept.
  printf 'traces: [traces/ramp.jsonl]\nrules:\n  - alert: Never\n    expr: error_rate > 1\n' > side.yaml
  cp side.yaml "$TEST_ROOT/outside.yaml"
  local before
  before=$(cat .mlops/monitor-check.json)
  run mlops monitor check -c side.yaml --at 2026-12-01T11:00:00Z
  expect_rc 0
  run mlops monitor check -c "$TEST_ROOT/outside.yaml" traces/ramp.jsonl --at 2026-12-01T11:00:00Z
  expect_rc 0
  expect_eq "$(cat .mlops/monitor-check.json)" "$before"
  # A check of monitors.yaml at a time its traces do not cover passes, and proves nothing.
  run mlops monitor check --at 2020-01-01T00:00:00Z
  expect_rc 0
  run mlops ready m --json
  expect_rc 1
  [[ "$(check_of 'a recent monitor check passed' <<<"$out")" == "False the last one ("*") had no data for any of its 5 rules at 2020-01-01T00:00:00Z | mlops monitor check (at a time its traces cover: --at TIME)" ]] ||
    fail "recent check: $(check_of 'a recent monitor check passed' <<<"$out")"
  # A record of another file (as mlops kept before it kept only monitors.yaml's) does not count either.
  python3 - <<'PY'
import json
r = json.load(open(".mlops/monitor-check.json"))
r["rules_file"] = "side.yaml"
r["with_data"] = 1
json.dump(r, open(".mlops/monitor-check.json", "w"))
PY
  run mlops ready m --json
  expect_eq "$(check_of 'a recent monitor check passed' <<<"$out")" \
    "False the last one checked 'side.yaml', not monitors.yaml | mlops monitor check"
}

test_gaps_name_their_fix() {
  model_repo
  everything_else
  # A prompt without max_tokens, a model without a price, a monitor check that fired, no rate limit.
  printf -- '---\nname: other\n---\nhello\n' > prompts/other.prompt
  sed -i 's|traces: \[traces/ramp.jsonl|traces: [traces/small.jsonl, traces/ramp.jsonl|' monitors.yaml
  sed -i '/RateLimit/,+1d' monitors.yaml
  sed -i 's/error_rate\[5m\] > 0.5/error_rate > 0.01/' monitors.yaml
  mlops monitor check --at 2026-12-01T11:00:00Z > /dev/null 2>&1
  run mlops ready m --json
  expect_rc 1
  expect_eq "$(check_of 'max_tokens in every prompt' <<<"$out")" \
    "False 1 of 2 prompts have none: prompts/other.prompt | set config: {max_tokens: N} in their front matter"
  expect_eq "$(check_of 'a price for every model seen' <<<"$out")" \
    "False no price for claude-3-5-haiku (1 calls) | add them to traces/prices.yaml"
  expect_eq "$(check_of 'a rate limit' <<<"$out")" \
    "False none in monitors.yaml | add to monitors.yaml: expr: requests.rate[1m] > 10"
  [[ "$(check_of 'a recent monitor check passed' <<<"$out")" == "False the last one ("*") fired: Errors, Budget | mlops monitor check" ]] ||
    fail "recent check: $(check_of 'a recent monitor check passed' <<<"$out")"
}

test_a_rebuild_that_differs_does_not_count() {
  model_repo
  printf '#!/bin/sh\nset -e\ncat data.txt > out.txt\ndate +%%s%%N >> out.txt\nmlops log metric lines 2\n' > make.sh
  git commit -qam "a script that stamps its output"
  mlops run --artifact out.txt -- ./make.sh > /dev/null 2>&1
  mlops model register m --run "$(mlops runs list --limit 1 --ids)" --artifact out.txt > /dev/null 2>&1
  mlops model promote m v0.0.2 --to production > /dev/null 2>&1
  run mlops repro "m#production"
  expect_rc 1
  run mlops ready m --json
  [[ "$(check_of 'a repro that was bit-identical' <<<"$out")" == "False rebuild "*": it did not make the registered artifact ("*") with the same bytes | mlops repro "* ]] ||
    fail "$(check_of 'a repro that was bit-identical' <<<"$out")"
  # v0.0.1 held production before v0.0.2: something to roll back to; no gate on the way this time.
  expect_eq "$(check_of 'a version or a rule to fall back to' <<<"$out")" \
    "True v0.0.1 held production before: mlops model rollback m --stage production |"
  expect_eq "$(check_of 'the production version passed a gate' <<<"$out" | cut -d'|' -f1)" \
    "False v0.0.2 was promoted without --require "
}

# A prompt registered from its evaluation (`mlops eval run` records a run of its own) and promoted.
eval_repo() {
  new_repo
  mkdir -p data prompts
  printf '{"id": "a", "input": {"q": "x"}}\n' > data/golden.jsonl
  mlops data add data/golden.jsonl > /dev/null 2>&1
  printf -- '---\nname: p\nconfig: {max_tokens: 100}\ninput:\n  schema:\n    q: string\n---\n{{q}}\n' > prompts/p.prompt
  printf 'prompt: prompts/p.prompt\ngolden: data/golden.jsonl\nproviders:\n  - id: echo\n    command: cat\nassert:\n  - type: contains\n    value: x\n' > eval.yaml
  printf 'results.json\n' > .gitignore
  git add -A && git commit -qm "prompt" > /dev/null
  mlops eval run > /dev/null 2>&1 || fail "eval run failed"
  RUN=$(mlops runs list --limit 1 --ids)
  mlops model register p --run "$RUN" --artifact p.prompt > /dev/null 2>&1 || fail "register failed"
  mlops model promote p v0.0.1 --to production > /dev/null 2>&1 || fail "promote failed"
}

test_a_rebuilt_evaluation_is_judged_on_the_run_it_recorded() {
  eval_repo
  # The rebuild's own evaluation run holds the prompt; repro's run around it holds nothing. Its
  # results differ (answers from the eval cache): repro says so, over the whole run.
  run mlops repro "p#production" --json
  expect_rc 1
  local outer inner
  outer=$(json_get '["outer_run"]' <<<"$out")
  inner=$(json_get '["rebuilt_run"]' <<<"$out")
  expect_eq "$(mlops runs show "$outer" --json | json_get '["tags"]["repro_compared"]')" "$inner"
  run mlops ready p --json
  expect_eq "$(check_of 'a repro that was bit-identical' <<<"$out")" \
    "True rebuild ${inner:0:8} made p.prompt again, bit for bit (repro said \"differs\" of the rest: eval-results.json) |"
  # The evaluation's run gone, the verdict cannot be checked: said, not guessed.
  mlops runs rm "$inner" > /dev/null 2>&1 || fail "runs rm failed"
  run mlops ready p --json
  expect_eq "$(check_of 'a repro that was bit-identical' <<<"$out")" \
    "False rebuild ${outer:0:8}: the run its command recorded (${inner:0:8}) is no longer in the store | mlops repro ${RUN:0:8}"
}

test_bad_input() {
  model_repo
  run mlops ready n
  expect_rc 2
  expect_err "no model or prompt 'n'"
  expect_err "did you mean 'm'?"
  run mlops ready --min-score 2
  expect_rc 2
  expect_err "--min-score 2 is not between 0 and 1"
  mlops run --artifact out.txt -- ./make.sh > /dev/null 2>&1
  mlops model register other --run "$(mlops runs list --limit 1 --ids)" --artifact out.txt > /dev/null 2>&1
  run mlops ready
  expect_rc 2
  expect_err "several models are registered: name the one to assess"
  expect_err "mlops ready MODEL (one of: m, other)"
  new_repo --no-init
  run mlops ready
  expect_rc 2
  expect_err "mlops init"
}

run_tests "${1:-}"
