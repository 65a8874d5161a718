#!/usr/bin/env bash
# Benchmark: `mlops repro churn@v0.0.1` of the quickstart model against the training itself —
# `python3 train.py` alone, and the original recorded run `mlops run ... -- python3 train.py`.
# The overhead of repro (worktree, data, run record, comparison, cleanup) is its time minus the
# recorded run's. Target: under 0.5 s beyond the training itself.
# Usage: bench/repro.sh        (MLOPS=path/to/mlops, RUNS=N, ROWS=N to change the defaults)
source "$(dirname "$0")/lib.sh"
RUNS=${RUNS:-7}
ROWS=${ROWS:-2000}
QUICKSTART=$(cd "$(dirname "$0")/../examples/quickstart" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" && ln -s "$MLOPS" "$work/bin/mlops"
export PATH="$work/bin:$PATH"

cd "$work" && git init -q -b main churn && cd churn
cp "$QUICKSTART"/{generate_data.py,train.py,params.yaml} .
mkdir data && python3 generate_data.py --seed 1 --rows "$ROWS" --out data/train.csv
mlops init -q && mlops data add -q data/train.csv 2>/dev/null
printf 'model.json\n' > .gitignore
git add -A && git commit -qm "churn model, data v1"
mlops run -q --params-file params.yaml --artifact model.json -- python3 train.py > /dev/null
mlops model register -q churn --run "$(mlops runs list --limit 1 --ids)" 2>/dev/null
# The workspace moves on, as it would have by the time anyone asks for a rebuild.
python3 generate_data.py --seed 2 --rows "$ROWS" --out data/train.csv
mlops data add -q data/train.csv 2>/dev/null && git commit -qam "data v2"
mlops repro -q churn@v0.0.1 > /dev/null 2>&1 || { echo "repro is not bit-identical here" >&2; exit 1; }
# A run whose command does nothing: its repro time is repro's own cost, without training noise.
mlops run -q --artifact params.yaml -- true
NOOP=$(mlops runs list --limit 1 --ids)

echo "quickstart: $ROWS rows, $(grep epochs params.yaml); median of $RUNS"
train=$(median_ms "$RUNS" "" "python3 train.py")
recorded=$(median_ms "$RUNS" "" "mlops run -q --params-file params.yaml --artifact model.json -- python3 train.py")
repro=$(median_ms "$RUNS" "" "mlops repro -q churn@v0.0.1")
dry=$(median_ms "$RUNS" "" "mlops repro -q --dry-run churn@v0.0.1")
noop_run=$(median_ms "$RUNS" "" "mlops run -q --artifact params.yaml -- true")
noop=$(median_ms "$RUNS" "" "mlops repro -q $NOOP")
row "python3 train.py (no recording)" "$train"
row "mlops run -- python3 train.py (the original run)" "$recorded" "python3 train.py" "$train"
row "mlops repro churn@v0.0.1" "$repro" "mlops run (original)" "$recorded"
row "mlops repro --dry-run churn@v0.0.1" "$dry"
row "mlops run -- true" "$noop_run"
row "mlops repro of that run (repro's fixed cost)" "$noop" "mlops run -- true" "$noop_run"
awk -v a="$repro" -v b="$recorded" -v c="$train" 'BEGIN {
  printf "repro overhead beyond the recorded run: %.0f ms; beyond the training itself: %.0f ms (target < 500 ms: %s)\n",
         a - b, a - c, (a - c < 500) ? "met" : "MISSED" }'
