#!/usr/bin/env bash
# CLI tests: mlops eval check|run|gate|compare, and the LLM walkthrough (examples/llm).
source "$(dirname "$0")/lib.sh"
PATH="$(cd "$(dirname "$MLOPS")" && pwd):$PATH"
EXAMPLE="$MLOPS_SOURCE_DIR/examples/llm"
jpy() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# A repository with a prompt, a golden set of N cases (default 4) and an eval.yaml whose provider
# answers "answer N" to "question N", except for case 3 ("wrong"); committed.
eval_repo() {
  local n=${1:-4}
  new_repo
  mkdir -p prompts data
  cat > prompts/qa.prompt <<'P'
---
name: qa
config: {temperature: 0}
input:
  schema:
    n: integer, the question's number
---
question {{n}}
P
  : > data/golden.jsonl
  for ((i = 0; i < n; i++)); do
    echo "{\"id\": \"c$i\", \"input\": {\"n\": $i}, \"expected\": {\"output\": \"answer $i\"}}" >> data/golden.jsonl
  done
  cat > answer.sh <<'S'
#!/bin/sh
read q; n=${q#question }
if [ "$n" = 3 ]; then echo wrong; else echo "answer $n"; fi
S
  chmod +x answer.sh
  cat > eval.yaml <<'Y'
prompt: prompts/qa.prompt
golden: data/golden.jsonl
providers:
  - id: bot
    command: ./answer.sh
assert:
  - type: equals
  - type: rouge-l
    weight: 0
Y
  git add -A && git commit -qm "eval setup"
}

runs_count() { mlops runs list --ids 2>/dev/null | grep -c . ; }

test_check_reports_each_problem_with_file_and_line() {
  new_repo
  printf '{"id": "a", "input": {"q": 1}}\n{"id": "a", "input": {"q": 2}}\n{"id": "b", "input": {"m": "mail ann@example.org"}}\n' > g.jsonl
  run mlops eval check g.jsonl
  expect_rc 1
  expect_out "g.jsonl:2:1: G004 error duplicate id 'a' (first on line 1)"
  expect_out "g.jsonl:3:1: G009 error case 'b' holds an email address 'ann@example.org'"
  run mlops eval check g.jsonl --allow-personal-data --json
  expect_rc 1
  expect_eq "$(echo "$out" | jpy 'd["errors"], d["files"][0]["findings"][0]["code"]')" "(1, 'G004')"
  printf '{"id": "a", "input": {"q": 1}}\n{"id": "b", "input": {"q": 1}}\n' > dup.jsonl
  run mlops eval check dup.jsonl
  expect_rc 0
  expect_out "G008 warning case 'b' has the same input as line 1"
  run mlops eval check dup.jsonl --fail-on warning
  expect_rc 1
  run mlops eval check missing.jsonl
  expect_rc 2
  expect_err "missing.jsonl"
}

test_run_records_the_evaluation_as_a_run() {
  eval_repo
  run mlops eval run -o results.json
  expect_rc 0
  expect_out "4 cases: 3 passed, 1 failed, 0 errors, 0 skipped; pass rate 0.75"
  expect_out "FAIL  c3 (bot): equals: the output differs from the expected output: expected 'answer 3', got 'wrong'"
  expect_out "rouge_l"
  local id; id=$(mlops runs list --limit 1 --ids)
  run mlops runs show "$id" --json
  expect_eq "$(echo "$out" | jpy 'd["metrics"]["pass_rate"]["value"] if isinstance(d["metrics"]["pass_rate"], dict) else d["metrics"]["pass_rate"]')" "0.75"
  expect_out '"prompt.version": "xxh3:'
  expect_out '"golden.version": "xxh3:'
  expect_out '"provider.bot": "./answer.sh"'
  expect_out 'eval-results.json'
  expect_out 'qa.prompt'
  expect_eq "$(jpy 'd["cases"][3]["output"]' < results.json)" "wrong"
  run mlops eval run --json
  expect_rc 0
  expect_eq "$(echo "$out" | jpy 'd["metrics"]["passed"], d["cases"][0]["cached"], d["status"]')" "(3.0, True, 'finished')"
}

test_bad_config_and_bad_cases_record_nothing() {
  eval_repo
  local before; before=$(runs_count)
  printf 'prompt: prompts/qa.prompt\ngolden: data/golden.jsonl\nproviders:\n  - id: bot\n    command: ./answer.sh\nassert:\n  - type: similar\n' > bad.yaml
  run mlops eval run -c bad.yaml
  expect_rc 2
  expect_err "'bad.yaml' line 7: unknown assertion type 'similar'"
  printf 'prompt: [unclosed\n' > broken.yaml
  run mlops eval run -c broken.yaml
  expect_rc 2
  expect_err "'broken.yaml' line"
  run mlops eval run -c nope.yaml
  expect_rc 2
  expect_err "nope.yaml"
  echo '{"id": "no-n", "input": {}}' >> data/golden.jsonl
  run mlops eval run
  expect_rc 2
  expect_err "golden case 'no-n'"
  expect_err "line 5"
  expect_err "missing variable 'n'"
  expect_eq "$(runs_count)" "$before"
}

test_provider_failures_are_case_errors_and_the_run_goes_on() {
  eval_repo
  cat > flaky.sh <<'S'
#!/bin/sh
read q; n=${q#question }
case $n in
  0) echo "answer 0" ;;
  1) echo "model overloaded" >&2; exit 3 ;;
  2) echo '{"output": ' ;;
  3) sleep 5 ;;
esac
S
  chmod +x flaky.sh
  sed -i 's|command: ./answer.sh|command: ./flaky.sh\n    timeout: 2s\n    format: json|' eval.yaml
  printf '  - id: ghost\n    command: [no-such-provider-xyz]\n' > extra.yaml
  sed -i '/^assert:/e cat extra.yaml' eval.yaml
  run mlops eval run -o results.json
  expect_rc 0
  expect_out "ERROR c1 (bot): provider 'bot' exited with 3; its stderr ends: model overloaded"
  expect_out "ERROR c2 (bot): provider 'bot': the provider printed malformed JSON"
  expect_out "ERROR c3 (bot): provider 'bot' timed out after 2000 ms"
  expect_out "ERROR c0 (ghost): provider 'ghost': command 'no-such-provider-xyz' not found"
  run mlops eval gate results.json --min-pass-rate 0
  expect_rc 1
  expect_out "incomplete"
}

test_replay_is_byte_identical_and_needs_a_recording() {
  eval_repo
  local before; before=$(runs_count)
  run mlops eval run --replay
  expect_rc 2
  expect_err "--replay: no recorded response for case 'c0' (line 1) with provider 'bot'"
  expect_err "mlops eval run --record"
  expect_eq "$(runs_count)" "$before"
  run mlops eval run --record -j 1 -o serial.json
  expect_rc 0
  run mlops eval run --record -j 4 -o parallel.json
  expect_rc 0
  # -j 4 gives what -j 1 gives (but for the measured latencies).
  strip() { jpy 'json.dumps([{k: v for k, v in c.items() if k != "latency_ms"} for c in d["cases"]], sort_keys=True)' < "$1"; }
  expect_eq "$(strip parallel.json)" "$(strip serial.json)"
  mv answer.sh gone.sh  # a replay never calls the provider
  run mlops eval run --replay -o replay1.json
  expect_rc 0
  run mlops eval run --replay -j 3 -o replay2.json
  expect_rc 0
  cmp -s replay1.json replay2.json || fail "two replays differ"
  run mlops eval run --record --replay
  expect_rc 2
}

test_budget_and_rate_limit_skip_or_space_calls() {
  eval_repo 5
  printf '#!/bin/sh\nread q; echo "{\\"output\\": \\"answer ${q#question }\\", \\"cost\\": 0.4}"\n' > answer.sh
  git commit -qam "a provider with a cost"
  run mlops eval run --budget-usd 1 -j 1 -o results.json
  expect_rc 0
  expect_out "2 skipped"
  expect_err "2 cases were skipped"
  expect_eq "$(jpy 'd["cases"][4]["error"]' < results.json)" "budget of 1 USD spent"
  run mlops eval gate results.json --min-pass-rate 0.5
  expect_rc 1
  expect_out "gate failed: the evaluation is incomplete"
  local start=$SECONDS
  run mlops eval run --record --rpm 240 -j 3
  expect_rc 0
  (( SECONDS - start >= 1 )) || fail "5 calls at 240 a minute took under a second"
}

test_interrupt_records_the_run_as_killed() {
  eval_repo 6
  printf '#!/bin/sh\nread q; sleep 1; echo "answer ${q#question }"\n' > answer.sh
  git commit -qam "a slow provider"
  "$MLOPS" eval run -j 1 >"$TEST_ROOT/int.out" 2>"$TEST_ROOT/int.err" &
  local pid=$!
  sleep 2.5
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  expect_eq "$rc" "130"
  grep -q "recorded as killed" "$TEST_ROOT/int.err" || fail "no note of the killed run: $(cat "$TEST_ROOT/int.err")"
  # The way on is to finish it, not to gate on it (that can only say incomplete).
  grep -q "hint: run it again to finish it: mlops eval run" "$TEST_ROOT/int.err" ||
    fail "no hint to run it again: $(cat "$TEST_ROOT/int.err")"
  ! grep -q "gate on it" "$TEST_ROOT/int.err" || fail "an interrupted run is pointed at a gate"
  local id; id=$(mlops runs list --limit 1 --ids)
  run mlops runs show "$id" --json
  expect_eq "$(echo "$out" | jpy 'd["status"]')" "killed"
  run mlops eval gate "$id"
  expect_rc 1
  expect_out "interrupted"
}

# Cases are matched by id and provider: with the provider renamed, no case is shared, and compare
# says why before its deltas.
test_compare_warns_when_renamed_providers_share_no_case() {
  eval_repo
  mlops eval run -o a.json >/dev/null 2>&1
  sed -i 's/- id: bot/- id: renamed/' eval.yaml
  mlops eval run -o b.json >/dev/null 2>&1
  run mlops eval compare a.json b.json
  expect_rc 0
  expect_err "no case in common: cases are matched by id and provider, and the providers differ (baseline bot; candidate renamed)"
  mlops eval run -o c.json >/dev/null 2>&1
  run mlops eval compare b.json c.json
  [[ "$err" != *"no case in common"* ]] || fail "warned about runs with the same provider: $err"
}

test_gate_bounds_outputs_and_zero_cases() {
  eval_repo
  mlops eval run -o results.json >/dev/null 2>&1
  local id; id=$(mlops runs list --limit 1 --ids)
  run mlops eval gate "$id" --min-pass-rate 0.7
  expect_rc 0
  expect_out "gate passed"
  run mlops eval gate "${id:0:8}" --min-pass-rate 0.8
  expect_rc 1
  expect_out "pass_rate >= 0.8"
  # A metric the evaluation could produce and did not (no provider reported a cost): incomplete.
  run mlops eval gate results.json --require 'metrics.rouge_l.mean >= 0.5' --require 'metrics.cost.total <= 1'
  expect_rc 1
  expect_out "metrics.cost.total was not produced by this evaluation"
  expect_out "incomplete"
  run mlops eval gate results.json --min-pass-rate 0.7 --json
  expect_rc 0
  expect_eq "$(echo "$out" | jpy 'd["passed"], d["summary"]["cases"], d["cases_not_passed"][0]["id"]')" "(True, 4, 'c3')"
  # Values are numbers (null when missing), the verdict and its reason apart; no baseline: null.
  expect_eq "$(echo "$out" | jpy '[(c["value"], c["status"], c["reason"]) for c in d["checks"]], d["comparison"]')" \
    "([(0.0, 'pass', None), (0.75, 'pass', None)], None)"
  run mlops eval gate results.json --require 'metrics.cost.total <= 1' --json
  expect_rc 1
  expect_eq "$(echo "$out" | jpy 'd["checks"][1]["value"], d["checks"][1]["status"]')" "(None, 'incomplete')"
  run mlops eval gate results.json --min-pass-rate 0.9 --markdown --junit junit.xml
  expect_rc 1
  expect_out "### Evaluation gate: ❌ failed"
  /usr/bin/python3 -c 'import sys, xml.etree.ElementTree as t; r = t.parse(sys.argv[1]).getroot(); assert r.get("failures") == "2", r.attrib' junit.xml ||
    fail "junit.xml is not the expected XML"
  jpy 'json.dumps(dict(d, cases=[]))' < results.json > empty.json
  run mlops eval gate empty.json --min-pass-rate 0.5
  expect_rc 2
  expect_err "the evaluation has no cases"
  run mlops eval gate results.json --max-regression pass_rate=0.1
  expect_rc 2
  expect_err "--max-regression needs --baseline"
  run mlops eval gate nothing-here
  expect_rc 2
  run mlops eval gate nosuch.json --min-pass-rate 0.5
  expect_rc 2
  expect_err "no results file 'nosuch.json': it does not exist"
  expect_err "hint: give a file written by 'mlops eval run -o FILE'"
  run mlops eval gate ../nowhere/results --min-pass-rate 0.5
  expect_rc 2
  expect_err "no results file '../nowhere/results'"
  echo '{"a": 1}' > other.json
  run mlops eval gate other.json
  expect_rc 2
  expect_err "is not the results of an evaluation"
}

test_compare_lists_regressions_first_and_promote_gates_on_evaluations() {
  eval_repo
  mlops eval run -o a.json >/dev/null 2>&1
  local a; a=$(mlops runs list --limit 1 --ids)
  sed -i 's/= 3/= 1/' answer.sh  # case 1 breaks, case 3 is fixed
  git commit -qam "another provider"
  mlops eval run -o b.json >/dev/null 2>&1  # the script changed: its cached answers are not used
  local b; b=$(mlops runs list --limit 1 --ids)
  run mlops eval compare "$a" "$b"
  expect_rc 0
  expect_out "1 case passed in A and not in B"
  [[ "$(echo "$out" | grep -n 'c1' | head -1 | cut -d: -f1)" -lt "$(echo "$out" | grep -n 'c3' | head -1 | cut -d: -f1)" ]] ||
    fail "the regression is not listed first: $out"
  run mlops eval compare a.json b.json --json
  expect_eq "$(echo "$out" | jpy 'd["regressions"], d["flips"][0]["id"], d["flips"][0]["after"]')" "(1, 'c1', 'fail')"
  run mlops eval compare a.json b.json --markdown
  expect_out "**1 case that passed before fails now.**"
  # The same pass rate, but a case that passed in the baseline fails now: the gate fails.
  run mlops eval gate "$b" --baseline "$a"
  expect_rc 1
  expect_out "REGRESSED c1 (bot): pass in the baseline, fail now"
  expect_out "fail: no case of the baseline regressed: 1 passed in the baseline and not now: c1 (bot) pass -> fail"
  expect_out "gate failed"
  run mlops eval gate "$b" --baseline "$a" --max-regressed-cases 1
  expect_rc 0
  run mlops eval gate "$b" --max-regressed-cases 1
  expect_rc 2
  expect_err "--max-regressed-cases needs --baseline"
  # A name that is no metric of either evaluation: bad input, with did-you-mean.
  run mlops eval gate "$b" --baseline "$a" --max-regression rouge_l.p95=0 --max-regression bleu.mean=0.1
  expect_rc 2
  expect_err "--max-regression bleu.mean=0.1: 'bleu.mean' is not a metric of these evaluations"
  run mlops eval gate "$b" --baseline "$a" --max-regression pass_rat=0
  expect_rc 2
  expect_err "hint: did you mean 'pass_rate'?"
  # The registry gates on evaluation runs with no code of its own.
  run mlops model register qa --run "$a" --artifact qa.prompt
  expect_rc 0
  run mlops model promote qa v0.0.1 --to production --require 'metrics.pass_rate >= 0.7'
  expect_rc 0
  run mlops eval gate "$b" --baseline 'qa#production' --max-regression pass_rate=0 --max-regressed-cases 1 --json
  expect_rc 0
  expect_eq "$(echo "$out" | jpy 'd["comparison"]["baseline"], d["comparison"]["candidate"]')" "('run $a', 'run $b')"
  run mlops eval compare 'qa#production' "$b" --json
  expect_eq "$(echo "$out" | jpy 'd["baseline"]')" "run $a"
}

# --exit-code: exit 1 when B is worse than A beyond --max-regression (default: pass_rate=0).
test_compare_exit_code_fails_on_regressions_beyond_the_tolerance() {
  eval_repo
  mlops eval run -o a.json >/dev/null 2>&1
  sed -i 's/= 3/= 1/' answer.sh  # the same pass rate: case 1 breaks, case 3 is fixed
  git commit -qam "another provider"
  mlops eval run -o same.json >/dev/null 2>&1
  sed -i 's/"$n" = 1/"$n" -le 1/' answer.sh  # cases 0 and 1 fail: the pass rate drops to 0.5
  git commit -qam "a worse provider"
  mlops eval run -o worse.json >/dev/null 2>&1
  run mlops eval compare a.json worse.json
  expect_rc 0  # without --exit-code, compare only shows
  run mlops eval compare a.json same.json --exit-code
  expect_rc 0
  expect_out "within: pass_rate no worse than the baseline by more than 0: 0.75 (baseline 0.75)"
  run mlops eval compare a.json worse.json --exit-code
  expect_rc 1
  expect_out "WORSE: pass_rate no worse than the baseline by more than 0: 0.5 (baseline 0.75) (bound >= 0.75)"
  run mlops eval compare a.json worse.json --exit-code --max-regression pass_rate=0.3
  expect_rc 0
  run mlops eval compare a.json worse.json --exit-code --max-regression pass_rate=0.3 --max-regression bleu.mean=0
  expect_rc 2
  expect_err "'bleu.mean' is not a metric of these evaluations"
  run mlops eval compare a.json worse.json --exit-code --json
  expect_rc 1
  expect_eq "$(echo "$out" | jpy 'd["worse"], d["tolerance"][0]["passed"], d["regressions"]')" "(True, False, 2)"
  run mlops eval compare a.json worse.json --exit-code --markdown
  expect_rc 1
  expect_out "**Worse than the baseline beyond the tolerance:**"
  run mlops eval compare a.json worse.json --max-regression pass_rate=0.3
  expect_rc 2
  expect_err "--exit-code"
  run mlops eval compare a.json worse.json --exit-code --max-regression pass_rate
  expect_rc 2
  expect_err "is not METRIC=DELTA"
}

# The response cache keys on the content of the files the provider's command names.
test_cache_is_invalidated_when_the_provider_script_changes() {
  eval_repo
  mlops eval run -o first.json >/dev/null 2>&1
  run mlops eval run -o again.json
  expect_rc 0
  expect_eq "$(jpy 'all(c["cached"] for c in d["cases"])' < again.json)" "True"
  sed -i 's/= 3/= 1/' answer.sh
  run mlops eval run -o changed.json
  expect_rc 0
  expect_eq "$(jpy 'any(c["cached"] for c in d["cases"]), [c["status"] for c in d["cases"]]' < changed.json)" \
    "(False, ['pass', 'fail', 'pass', 'pass'])"
  # A list command and a script given to an interpreter are found too.
  sed -i 's|command: ./answer.sh|command: [sh, answer.sh]|' eval.yaml
  mlops eval run >/dev/null 2>&1
  echo 'echo "answer 0"' >> answer.sh
  run mlops eval run -o list.json
  expect_eq "$(jpy 'any(c["cached"] for c in d["cases"])' < list.json)" "False"
  # Unchanged files: the replay finds every answer.
  run mlops eval run --replay
  expect_rc 0
}

# A run's artifact registered as a prompt must parse; the refusal is lint's line, nothing is tagged.
test_register_from_a_run_refuses_a_broken_prompt() {
  eval_repo
  mlops eval run >/dev/null 2>&1
  local good; good=$(mlops runs list --limit 1 --ids)
  printf -- '---\nname: broken\n---\n{{#if x}}\n' > broken.prompt
  echo "m" > model.bin
  git add -A && git commit -qm "artifacts"
  local id; id=$(mlops run start --name logs 2>/dev/null)
  MLOPS_RUN_ID=$id mlops log artifact broken.prompt >/dev/null 2>&1
  MLOPS_RUN_ID=$id mlops log artifact model.bin >/dev/null 2>&1
  mlops run end "$id" >/dev/null 2>&1
  local before; before=$(git tag -l)
  run mlops model register broken --run "$id" --artifact broken.prompt
  expect_rc 2
  expect_err "artifact 'broken.prompt' of run $id is not a valid prompt: broken.prompt:4:1: P302 error"
  expect_err "mlops prompt lint"
  run mlops model register broken --run "$id" --artifact broken.prompt --type prompt
  expect_rc 2
  expect_err "P302 error"
  expect_eq "$(git tag -l)" "$before"
  # --type model registers the same bytes as a model: nothing is parsed.
  run mlops model register blob --run "$id" --artifact broken.prompt --type model
  expect_rc 0
  # An evaluation run's prompt is a prompt without saying so.
  run mlops model register qa --run "$good" --artifact qa.prompt --json
  expect_rc 0
  expect_eq "$(echo "$out" | jpy 'd["type"]')" "prompt"
}

# Completion offers evaluation runs (not other runs) and registered prompts' stages.
test_completion_offers_evaluations() {
  eval_repo
  mlops eval run >/dev/null 2>&1
  local a; a=$(mlops runs list --limit 1 --ids)
  local other; other=$(mlops run start --name training 2>/dev/null)
  mlops run end "$other" >/dev/null 2>&1
  mlops model register qa --run "$a" --artifact qa.prompt >/dev/null 2>&1
  mlops model promote qa v0.0.1 --to production >/dev/null 2>&1
  run mlops __complete eval gate ''
  expect_rc 0
  expect_eq "$err" ""
  expect_out "$a"$'\teval, finished'
  expect_out "qa#production"
  expect_no_out "$other"
  run mlops __complete eval gate "$a" --baseline ''
  expect_out "$a"
  expect_out "qa#production"
  run mlops __complete eval compare "$a" ''
  expect_out "$a"
  run mlops __complete eval compare "${a:0:4}"
  expect_eq "$(cut -f1 <<<"$out")" "$a"
}

test_llm_walkthrough_runs_end_to_end() {
  local dir="$TEST_ROOT/support-bot"
  run "$EXAMPLE/walkthrough.sh" "$dir"
  expect_rc 0
  expect_out "Promoted support-bot v0.0.1 to production"
  expect_out "(exit 1, as expected)"
  expect_out "Walkthrough finished"
  cd "$dir" || return
  # The docs' flow registers the prompt from its evaluation run: a prompt, without --type.
  run mlops model show support-bot --json
  expect_eq "$(echo "$out" | jpy 'd["versions"][0]["type"]')" "prompt"
  run mlops eval run
  expect_rc 0
  run mlops eval run --replay
  expect_rc 0
  expect_out "pass rate 0.9"
  # Ready, the production prompt rebuilt bit for bit by the evaluation repro reran.
  run mlops ready support-bot
  expect_rc 0
  expect_out "made support-bot.prompt again, bit for bit (repro said \"differs\" of the rest: eval-results.json)"
}

# A provider (and a command scorer) runs in eval.yaml's folder, wherever mlops is started, and the
# cache finds its script there too.
test_providers_run_in_the_config_folder() {
  eval_repo
  mkdir -p sub scratch
  cd sub || return
  run mlops eval run -c ../eval.yaml --record -o ../from-sub.json
  expect_rc 0
  expect_out "4 cases: 3 passed, 1 failed, 0 errors"
  # Its files are recorded as from the repository's root, whatever the folder.
  run mlops runs show "$(mlops runs list --limit 1 --ids)" --json
  expect_eq "$(echo "$out" | jpy 'd["params"]["eval.config"], d["params"]["prompt"]')" "('eval.yaml', 'prompts/qa.prompt')"
  cd .. || return
  # A config in another folder names the provider relative to itself.
  cat > scratch/x.yaml <<'Y'
prompt: ../prompts/qa.prompt
golden: ../data/golden.jsonl
providers:
  - id: bot
    command: sh ../answer.sh
assert:
  - type: equals
  - type: command
    command: [sh, ../score.sh]
Y
  printf '#!/bin/sh\ncat >/dev/null; echo "{\\"pass\\": true}"\n' > score.sh
  run mlops eval run -c scratch/x.yaml -o x.json
  expect_rc 0
  expect_out "4 cases: 3 passed, 1 failed, 0 errors"
  # The script's content keys the cache from any folder: an edit is seen from sub/ as well.
  sed -i 's/= 3/= 1/' answer.sh
  cd sub || return
  run mlops eval run -c ../eval.yaml -o ../edited.json
  expect_rc 0
  expect_eq "$(jpy 'any(c["cached"] for c in d["cases"]), [c["status"] for c in d["cases"]]' < ../edited.json)" \
    "(False, ['pass', 'fail', 'pass', 'pass'])"
}

# --baseline: another golden set, or baseline cases the candidate did not run, fail the gate;
# compare warns before its deltas.
test_gate_baseline_needs_the_same_golden_set_and_every_case() {
  eval_repo 5
  mlops eval run -o full.json >/dev/null 2>&1
  local full; full=$(mlops runs list --limit 1 --ids)
  # Drop the hard case (c3 fails): the pass rate goes up from 0.8 to 1.
  grep -v '"c3"' data/golden.jsonl > data/easy.jsonl
  sed 's|data/golden.jsonl|data/easy.jsonl|' eval.yaml > easy.yaml
  mlops eval run -c easy.yaml -o easy.json >/dev/null 2>&1
  local easy; easy=$(mlops runs list --limit 1 --ids)
  run mlops eval gate "$easy" --baseline "$full"
  expect_rc 1
  expect_err "warning: the two evaluations ran different golden sets"
  expect_out "NOT RUN c3 (bot): fail in the baseline, not run now"
  expect_out "fail: the same golden set as the baseline: this evaluation ran golden set xxh3:"
  expect_out "(4 cases), the baseline xxh3:"
  expect_out "fail: no case of the baseline regressed: 1 of the baseline's cases were not run: c3 (bot)"
  expect_out "gate failed"
  run mlops eval gate easy.json --baseline full.json --json
  expect_rc 1
  expect_eq "$(echo "$out" | jpy 'd["comparison"]["golden"]["same"], d["comparison"]["missing"][0]["id"]')" "(False, 'c3')"
  run mlops eval compare full.json easy.json
  expect_rc 0
  expect_err "warning: the two evaluations ran different golden sets (baseline xxh3:"
  [[ "$err" == *"warning: the two evaluations"* && "$(head -1 <<<"$err")" == *"different golden sets"* ]] ||
    fail "the golden-set warning does not come first: $err"
  run mlops eval compare full.json easy.json --markdown
  expect_out "⚠️ the two evaluations ran different golden sets"
}

# Piped, the comparison says which deltas are worse in words (no colour there).
test_compare_marks_worse_deltas_in_words() {
  eval_repo
  mlops eval run -o a.json >/dev/null 2>&1
  sed -i 's/"$n" = 3/"$n" -ge 2/' answer.sh
  git commit -qam "a worse provider"
  mlops eval run -o b.json >/dev/null 2>&1
  run mlops eval compare a.json b.json
  expect_rc 0
  expect_out "pass_rate"
  [[ "$(grep '^pass_rate ' <<<"$out")" == *"-0.25 (worse)" ]] || fail "pass_rate's delta is not marked worse: $out"
  [[ "$(grep '^failed ' <<<"$out")" == *"+1 (worse)" ]] || fail "failed's delta is not marked worse: $out"
  [[ "$(grep '^cases ' <<<"$out")" != *"worse"* ]] || fail "an unchanged metric is marked: $out"
}

# kill -9 during eval run: the run is marked killed, and gate and compare say so.
test_a_killed_evaluation_is_reported_as_killed() {
  eval_repo 4
  mlops eval run -o done.json >/dev/null 2>&1
  local first; first=$(mlops runs list --limit 1 --ids)
  printf '#!/bin/sh\necho $$ >> "$0.pids"; read q; sleep 30; echo "answer ${q#question }"\n' > answer.sh
  git commit -qam "a slow provider"
  "$MLOPS" eval run --record >/dev/null 2>&1 &
  local pid=$! id=""
  for _ in $(seq 100); do
    id=$(mlops runs list --limit 1 --ids 2>/dev/null)
    [[ "$id" != "$first" && -s answer.sh.pids ]] && break
    sleep 0.1
  done
  [[ "$id" != "$first" ]] || fail "no run started"
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  # The providers it left behind (each in a process group of its own).
  while read -r provider; do kill -9 -- "-$provider" 2>/dev/null; done < answer.sh.pids
  run mlops eval gate "$id" --min-pass-rate 0.5
  expect_rc 1
  expect_err "the evaluation of run $id was killed before it recorded its results"
  expect_err "hint: run it again: mlops eval run"
  # A CI step that reads --json, --markdown or --junit still gets a verdict: incomplete.
  run mlops eval gate "$id" --min-pass-rate 0.5 --json --junit gate.xml
  expect_rc 1
  expect_err "was killed before it recorded its results"
  expect_eq "$(echo "$out" | json_get '["passed"]')" "False"
  expect_eq "$(echo "$out" | json_get '["incomplete"]')" "True"
  expect_eq "$(echo "$out" | json_get '["checks"][0]["status"]')" "incomplete"
  grep -q "<failure" gate.xml || fail "the JUnit report has no failure"
  run mlops eval gate "$id" --markdown
  expect_rc 1
  [[ "$out" == *incomplete* ]] || fail "the Markdown report does not say incomplete: $out"
  run mlops eval compare "$id" "$id"
  expect_rc 2
  expect_err "was killed before it recorded its results"
  run mlops eval gate done.json --baseline "$id"
  expect_rc 2
  expect_err "was killed before it recorded its results"
}

# Usage errors say what is accepted, with a hint; an empty golden set is reported on line 1.
test_bad_options_and_files_get_hints() {
  eval_repo
  local before; before=$(runs_count)
  run mlops eval run -j 0
  expect_rc 2
  expect_err "'0' is not a valid value for option '--jobs'"
  expect_err "hint: --jobs takes a number from 1 to 1024"
  run mlops eval run -j abc
  expect_rc 2
  expect_err "hint: --jobs takes a number from 1 to 1024"
  run mlops eval run --budget-usd -1
  expect_rc 2
  expect_err "--budget-usd must be a number >= 0 (got -1)"
  expect_err "hint: for example: --budget-usd 2"
  run mlops eval run --rpm 0
  expect_rc 2
  expect_err "--rpm must be a number above 0 (got 0)"
  expect_err "hint: for example: --rpm 60"
  run mlops eval check missing.jsonl
  expect_rc 2
  expect_err "hint: a golden set is a JSONL file"
  sed -i 's|prompts/qa.prompt|prompts/q.prompt|' eval.yaml
  run mlops eval run
  expect_rc 2
  expect_err "'eval.yaml' line 1: prompt file 'prompts/q.prompt' does not exist"
  expect_err "hint: did you mean 'prompts/qa.prompt'? (paths in 'eval.yaml' are relative to its folder '.')"
  mkdir -p sub && cp eval.yaml sub/eval.yaml
  run mlops eval run -c sub/eval.yaml
  expect_rc 2
  expect_err "prompt file 'sub/prompts/q.prompt' does not exist"
  expect_err "relative to its folder 'sub'"
  sed 's|prompts/q.prompt|../prompts/q.prompt|' eval.yaml > sub/up.yaml
  run mlops eval run -c sub/up.yaml
  expect_rc 2
  expect_err "'sub/up.yaml' line 1: prompt file 'prompts/q.prompt' does not exist"  # normalised
  expect_err "hint: did you mean '../prompts/qa.prompt'?"
  expect_eq "$(runs_count)" "$before"
  : > empty.jsonl
  run mlops eval check empty.jsonl
  expect_rc 1
  expect_out "empty.jsonl:1:1: G010 error the golden set has no cases"
}

# Floats are rounded for people (JSON keeps every digit); one latency family; runs list shows
# the pass rate of evaluations before their latencies.
test_numbers_are_rounded_and_runs_list_shows_the_pass_rate() {
  eval_repo 3
  printf '  - {type: latency, threshold: 60000}\n' >> eval.yaml
  git commit -qam "a latency assertion"
  run mlops eval run -o a.json
  expect_rc 0
  expect_out "; pass rate 1"
  expect_out "latency_ms"
  expect_no_out "^latency "
  expect_eq "$(jpy '"latency.mean" in d and 1 or sorted(k for k in d if k.startswith("latency"))' < <(mlops runs show "$(mlops runs list --limit 1 --ids)" --json | jpy 'json.dumps(d["metrics"])'))" \
    "['latency_ms.mean', 'latency_ms.p50', 'latency_ms.p95']"
  sed -i 's/"$n" = 3/"$n" = 2/' answer.sh
  git commit -qam "case 2 fails"
  run mlops eval run -o b.json
  expect_out "; pass rate 0.6667"
  run mlops eval gate b.json --min-pass-rate 0.5
  expect_out "0.6667"
  expect_no_out "0.6666666"
  run mlops eval gate b.json --min-pass-rate 0.5 --json
  expect_eq "$(echo "$out" | jpy 'd["checks"][1]["value"]')" "0.6666666666666666"
  run mlops eval gate b.json --min-pass-rate 0.5 --markdown
  expect_out "pass rate 0.6667"
  COLUMNS=100 run mlops runs list
  expect_rc 0
  expect_out "metrics.pass_rate"
  expect_no_out "metrics.latency_ms"
}

run_tests "${1:-.}"
