#!/usr/bin/env bash
# Benchmarks for run logging (issue 3). Targets:
#   one `mlops log metric` call                                  median < 5 ms
#   ingest a metrics file of 1,000,000 points                    < 2 s
#   runs list over 10,000 runs with 20 metrics each, the varying params and metrics shown:
#     all of them, --limit 20, and --where 'metrics.acc > 0.5' --sort -metrics.acc
#     (all ~5,000 matches, and --limit 20)                       median < 100 ms each
#   100,000 points logged from Python with `import mlops` (python/), the whole
#     `mlops run -- python3 ...` included                        median < 1 s
#     reference: the same points by one `mlops log metric` process per point (timed on 1,000)
# Reference: MLflow's file store (python -m mlflow ...) when the mlflow package is installed;
# otherwise only mlops' figures are printed.
# Usage: MLOPS=build/mlops bash bench/runs.sh [SECTION...]
#   SECTION: log, ingest, list, python (default: all of them)
set -euo pipefail

SECTIONS=("$@")
# Whether section $1 was asked for.
wanted() {
  [[ ${#SECTIONS[@]} -eq 0 ]] && return 0
  local section
  for section in "${SECTIONS[@]}"; do [[ $section == "$1" ]] && return 0; done
  return 1
}

MLOPS=$(realpath "${MLOPS:-build/mlops}")
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-runs.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
git init -q . && git config user.email bench@example.com && git config user.name bench
echo "bench" > README && git add README && git commit -qm init
"$MLOPS" init >/dev/null 2>&1

# Median wall time in ms of running argv N times (python's clock, one process per call).
median_ms() {
  local n=$1; shift
  python3 - "$n" "$@" <<'EOF'
import statistics, subprocess, sys, time
n, argv = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(n):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.2f}")
EOF
}

if wanted log; then
echo "== mlops log metric: one call"
run_id=$("$MLOPS" run start --name bench-log)
log_ms=$(median_ms 200 "$MLOPS" log metric loss 0.5 --step 1 --run "$run_id")
noop_ms=$(median_ms 200 "$MLOPS" --version)
echo "median ${log_ms} ms per call (mlops --version, the process floor: ${noop_ms} ms); target < 5 ms"
fi

if wanted ingest; then
echo "== ingest a metrics file of 1,000,000 points"
python3 - <<'EOF'
import random
random.seed(1)
with open("big.csv", "w") as f:
    f.write("step,name,value\n")
    for step in range(100_000):
        for m in range(10):
            f.write(f"{step},metric_{m},{random.random():.6f}\n")
EOF
ingest_id=$("$MLOPS" run start --name bench-ingest)
start=$(date +%s%N)
"$MLOPS" run end "$ingest_id" --metrics-file big.csv 2>/dev/null
end=$(date +%s%N)
# Untracked files go into every later run's git.diff: the 14 MB input must not weigh on them.
rm -f big.csv
ingest_ms=$(( (end - start) / 1000000 ))
points=$(python3 -c "import sqlite3; print(sqlite3.connect('.mlops/runs.db').execute(\"select count(*) from metrics join runs on metrics.run = runs.seq where runs.id='$ingest_id'\").fetchone()[0])")
echo "${points} points in ${ingest_ms} ms; target < 2000 ms"
fi

if wanted list; then
echo "== runs list over 10,000 runs x 20 metrics"
python3 - <<'EOF'
import json, random
random.seed(2)
alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
def run_id(ms, i):
    s = ""
    for _ in range(10):
        s = alphabet[ms & 31] + s
        ms >>= 5
    for _ in range(4):
        s += alphabet[i & 31]
        i >>= 5
    return s
runs = []
base = 1_700_000_000_000
for i in range(10_000):
    ms = base + i * 1000
    metrics = {f"m{k}": {"value": random.random(), "step": 0, "timestamp": ms} for k in range(19)}
    metrics["acc"] = {"value": random.random(), "step": 0, "timestamp": ms}
    runs.append({"id": run_id(ms, i), "name": f"sweep-{i}", "status": "finished", "exit_code": 0,
                 "start_time": "2023-11-14T22:13:20.000Z", "end_time": "2023-11-14T22:13:21.000Z",
                 "duration": 1.0, "command": ["python", "train.py"], "params": {"model": random.choice(["rf", "svm"])},
                 "metrics": metrics, "git": {"commit": "0" * 40, "branch": "main", "dirty": False}})
json.dump({"format": "mlops-runs", "version": 1, "runs": runs}, open("sweep.json", "w"))
EOF
start=$(date +%s%N)
"$MLOPS" runs import sweep.json >/dev/null
rm -f sweep.json  # untracked, it would go into every later run's git.diff
end=$(date +%s%N)
echo "(imported 10,000 runs in $(( (end - start) / 1000000 )) ms)"
all_ms=$(median_ms 11 "$MLOPS" runs list)
all_limit_ms=$(median_ms 11 "$MLOPS" runs list --limit 20)
echo "runs list: median ${all_ms} ms (10,000 runs printed), ${all_limit_ms} ms with --limit 20; target < 100 ms"
list_ms=$(median_ms 11 "$MLOPS" runs list --where 'metrics.acc > 0.5' --sort -metrics.acc)
list_limit_ms=$(median_ms 11 "$MLOPS" runs list --where 'metrics.acc > 0.5' --sort -metrics.acc --limit 20)
echo "runs list --where --sort: median ${list_ms} ms (all ~5,000 matches printed), ${list_limit_ms} ms with --limit 20; target < 100 ms"
fi

if wanted python; then
echo "== 100,000 points from Python (import mlops) inside mlops run"
cat > log100k.py <<'EOF'
import mlops
for step in range(100_000):
    mlops.log_metric("loss", 1.0 / (step + 1), step=step)
EOF
cat > log1k.sh <<'EOF'
for step in $(seq 0 999); do mlops log metric loss 0.5 --step "$step"; done
EOF
py_ms=$(PYTHONPATH="$SOURCE/python" median_ms 5 "$MLOPS" -q run --name bench-python -- python3 log100k.py)
py_points=$(python3 -c "import sqlite3; print(sqlite3.connect('.mlops/runs.db').execute(\"select count(*) from metrics join runs on metrics.run = runs.seq where runs.id=(select id from runs where name='bench-python' order by start_ms desc limit 1)\").fetchone()[0])")
py_empty_ms=$(median_ms 5 "$MLOPS" -q run --name bench-python-floor -- python3 -c pass)
shell_ms=$(PATH="$(dirname "$MLOPS"):$PATH" median_ms 3 "$MLOPS" -q run --name bench-shell -- sh log1k.sh)
echo "median ${py_ms} ms for ${py_points} points (mlops run of an empty python3 program: ${py_empty_ms} ms); target < 1000 ms"
echo "reference: 1,000 points by 'mlops log metric' per point: ${shell_ms} ms, so 100,000 ~ $(python3 -c "print(round($shell_ms * 100))") ms; ratio $(python3 -c "print(f'{$shell_ms * 100 / $py_ms:.0f}x')")"

fi

if wanted log && python3 -c "import mlflow" 2>/dev/null; then
  echo "== reference: MLflow (file store)"
  mlflow_ms=$(python3 - <<'EOF'
import statistics, subprocess, sys, time, os
os.environ["MLFLOW_TRACKING_URI"] = "file:./mlruns"
code = "import mlflow; mlflow.start_run(); mlflow.log_metric('loss', 0.5, step=1); mlflow.end_run()"
times = []
for _ in range(10):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.1f}")
EOF
)
  echo "one metric from a fresh python process with mlflow: ${mlflow_ms} ms; ratio $(python3 -c "print(f'{$mlflow_ms / $log_ms:.0f}x')")"
elif wanted log; then
  echo "== reference: mlflow is not installed; no ratio printed"
fi
