#!/usr/bin/env bash
# The quickstart's whole cycle, step by step: version data, train as a recorded run, register,
# promote through a gate, new data arrives and drifts, retrain on the new data version,
# champion/challenger promotion, deploy, roll back, and rebuild v0.0.1 bit-identical.
#
# Usage: examples/quickstart/walkthrough.sh [DIR]   (DIR: a new folder; default: a temporary one)
# Needs git, python3 and mlops on PATH. ROWS sets the size of each dataset (default 2000).
# ./scripts/demo runs exactly this; tests/cli/quickstart.sh runs it with fewer rows.
set -euo pipefail
EXAMPLE=$(cd "$(dirname "$0")" && pwd)
DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/churn.XXXXXX")}
ROWS=${ROWS:-2000}

# step COMMAND: prints it as typed, then runs it.
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; eval "$@"; }
# expect_exit CODE COMMAND: a step whose non-zero exit is the point (a drift check that fails).
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
section "1. A project under git and mlops, with its training data versioned"
step git init -q -b main .
step cp "$EXAMPLE"/{generate_data.py,train.py,params.yaml} .
step "mkdir data && python3 generate_data.py --seed 1 --rows $ROWS --out data/train.csv"
step mlops init
step mlops data add data/train.csv
step mlops schema infer data/train.csv
step "printf 'model.json\ndeployed/\n' > .gitignore"
step 'git add -A && git commit -qm "churn model, data v1"'

section "2. Train as a recorded run: code, data version, params, environment, metrics, model"
step mlops run --name baseline --params-file params.yaml --artifact model.json -- python3 train.py
step 'RUN=$(mlops runs list --limit 1 --ids)'
step 'mlops runs show "$RUN"'

section "3. Register the model and promote it through a gate"
step 'mlops model register churn --run "$RUN"'
step "mlops model promote churn v0.0.1 --to production --require 'metrics.auc >= 0.8'"
step mlops model show churn

section "4. New data arrives; checked against what the production model was trained on"
step "python3 generate_data.py --seed 2 --shift 1.5 --rows $ROWS --out data/new.csv"
step mlops data add data/new.csv
step 'git add -A && git commit -qm "data: new batch"'
step mlops schema check data/new.csv --schema data/train.csv.schema.yaml
expect_exit 1 mlops drift check data/train.csv@churn#production data/new.csv

section "5. Retrain on the new data version and let the challenger face the champion"
step 'tail -n +2 data/new.csv >> data/train.csv'
step mlops data add data/train.csv
step 'git add -A && git commit -qm "data v2: with the new batch"'
step mlops run --name retrain --params-file params.yaml --artifact model.json -- python3 train.py
step 'mlops model register churn --run "$(mlops runs list --limit 1 --ids)"'
step "mlops model promote churn v0.0.2 --to production --require 'metrics.auc >= 0.8' --better-than production --metric auc"
step 'mlops runs compare "$RUN" "$(mlops runs list --limit 1 --ids)"'

section "6. Deploy what production names; roll back when it misbehaves"
step 'mlops model get churn#production --out deployed/model.json'
step mlops model rollback churn --stage production
step mlops model history churn

section "7. Rebuild v0.0.1 from its git hash and data version, and check it"
step 'mlops data status'
step mlops repro churn@v0.0.1

printf '\nWalkthrough finished in %s\n' "$DIR"
