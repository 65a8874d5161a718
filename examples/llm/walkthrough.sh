#!/usr/bin/env bash
# The LLM quickstart's whole cycle, step by step: a support assistant's prompt and golden set
# under version control, an evaluation recorded as a run, the prompt registered and promoted
# through a gate, a prompt edit whose regression `eval compare` and the gate catch, the CI
# steps (lint, check, replay, gate) that keep it from production; then production: recorded
# traces, a price table and alarms (one fires on a bad deploy), user feedback turned into
# candidate golden cases, a bit-identical rebuild, and `mlops ready` passing.
#
# Usage: examples/llm/walkthrough.sh [DIR]   (DIR: a new folder; default: a temporary one)
# Needs git, python3 and mlops on PATH. No network: the "model" is bot/assistant.py.
# ./scripts/demo runs exactly this after the ML walkthrough; tests/cli/eval.sh runs it too.
# Afterwards `mlops eval run`, `mlops eval run --replay`, `mlops monitor check` and `mlops ready`
# (exit 0) work in DIR as they are.
set -euo pipefail
EXAMPLE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/support-bot.XXXXXX")}

# step COMMAND: prints it as typed, then runs it.
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; eval "$@"; }
# expect_exit CODE COMMAND: a step whose non-zero exit is the point (a gate that fails).
expect_exit() {
  local want=$1; shift
  printf '\n\033[1m$ %s\033[0m\n' "$*"
  local rc=0
  eval "$@" || rc=$?
  if [[ $rc != "$want" ]]; then
    echo "walkthrough: expected exit $want from: $*, got $rc" >&2
    exit 1
  fi
  printf '(exit %s, as expected)\n' "$rc"
}
section() { printf '\n\033[1;36m## %s\033[0m\n' "$*"; }

mkdir -p "$DIR" && cd "$DIR"
section "1. A support assistant: prompt, knowledge base, golden set and eval.yaml under git and mlops"
step git init -q -b main .
step cp -r "$EXAMPLE"/{prompts,bot,kb,data,eval.yaml,ci,monitors.yaml,prices.yaml} .
step mlops init
step mlops data add data/golden.jsonl
step "printf 'results.json\neval-junit.xml\ntraces/\nfeedback/\nmonitor.prom\n' > .gitignore"
step 'git add -A && git commit -qm "support bot: prompt v1, golden set"'
step mlops eval check data/golden.jsonl

section "2. Evaluate the prompt: every golden case through the assistant, recorded as a run"
step mlops eval run --name prompt-v1
step 'RUN=$(mlops runs list --limit 1 --ids)'
step 'mlops runs show "$RUN"'

section "3. Register the prompt from its evaluation and promote it through a gate"
step 'mlops eval gate "$RUN" --min-pass-rate 0.9'
step 'mlops model register support-bot --run "$RUN" --artifact support-bot.prompt'
step "mlops model promote support-bot v0.0.1 --to production --require 'metrics.pass_rate >= 0.9'"

section "4. A prompt edit that reads better and answers worse"
step "sed -i '/exact figures/d' prompts/support-bot.prompt"
step 'git commit -qam "prompt: a shorter system message"'
step mlops eval run --name prompt-v2
step 'RUN2=$(mlops runs list --limit 1 --ids)'
step 'mlops eval compare support-bot#production "$RUN2"'
expect_exit 1 'mlops eval gate "$RUN2" --baseline support-bot#production --min-pass-rate 0.9'

section "5. Revert it; the recorded answers replay without calling the assistant"
step 'git revert --no-edit HEAD >/dev/null'
step mlops eval run --replay --name prompt-v1-replay

section "6. What CI runs on every pull request (ci/github-actions.yml)"
if mlops --help | grep -q "^  prompt "; then step mlops prompt lint prompts/; fi
step mlops eval check data/golden.jsonl
step mlops eval run --replay -o results.json
step 'mlops eval gate results.json --min-pass-rate 0.9 --baseline support-bot#production --markdown --junit eval-junit.xml'
step mlops model show support-bot

section "7. In production: traces, prices and alarms (one fires on a bad deploy)"
step python3 bot/record_traces.py .
step mlops trace stats traces/assistant.jsonl traces/judge.jsonl --prices prices.yaml
step mlops feedback import feedback/events.jsonl
expect_exit 1 mlops monitor check --at 2026-12-01T11:30:00Z
step mlops monitor check --at 2026-12-01T12:30:00Z --prom monitor.prom

section "8. What users disliked becomes candidate golden cases"
step mlops feedback to-golden --signal thumbs --value down --traces traces/assistant.jsonl -o data/candidates.jsonl
step 'head -c 400 data/candidates.jsonl; echo'
# The check finds what a person must look at before a candidate becomes active: a card number a
# user typed (personal data, an error) and questions already asked (warnings).
expect_exit 1 mlops eval check data/candidates.jsonl

section "9. Ready for production?"
# The rebuilt prompt is bit-identical; the eval's latencies differ from run to run, so repro's
# verdict over the whole run is "differs" (exit 1), and ready reads the prompt's bytes (and
# quotes the verdict).
expect_exit 1 "mlops repro 'support-bot#production'"
step mlops ready support-bot

printf '\nWalkthrough finished in %s\n' "$DIR"
