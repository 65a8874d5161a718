#!/usr/bin/env bash
# Benchmarks for the pictures of runs (issue 16). Targets:
#   a run with 1,000,000 points of one metric: `runs report ID -o FILE` (read, downsample, draw)
#     median < 1 s, and the page's size stays small (the curve is drawn from <= 1,002 points)
#   `mlops ui` over a store of 10,000 runs: the runs page (`/`, 100 runs a page; with a filter and a
#     sort) served in < 300 ms (the issue's first paint; measured here as the whole response, with
#     curl), and the Run page of the 1,000,000-point run in < 1 s
# Usage: MLOPS=build/mlops bash bench/report.sh [SECTION...]
#   SECTION: report, ui (default: all of them)
set -euo pipefail

SECTIONS=("$@")
wanted() {
  [[ ${#SECTIONS[@]} -eq 0 ]] && return 0
  local section
  for section in "${SECTIONS[@]}"; do [[ $section == "$1" ]] && return 0; done
  return 1
}

MLOPS=$(realpath "${MLOPS:-build/mlops}")
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-report.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
source "$SOURCE/bench/lib.sh"
git init -q . && "$MLOPS" init >/dev/null 2>&1

if wanted report; then
  echo "== runs report of a run with 1,000,000 points of one metric"
  python3 - <<'PY'
import math
with open("big.csv", "w") as f:
    f.write("step,name,value\n")
    for step in range(1_000_000):
        f.write(f"{step},loss,{math.exp(-step / 200000) + 0.01 * math.sin(step / 50):.6f}\n")
PY
  id=$("$MLOPS" run start --name bench-report)
  "$MLOPS" run end "$id" --metrics-file big.csv 2>/dev/null
  row "runs report (1 run, 1,000,000 points) -o" "$(median_ms 5 '' "'$MLOPS' runs report $id -o r.html")"
  row "runs report --markdown (same run)" "$(median_ms 5 '' "'$MLOPS' runs report $id --markdown")"
  "$MLOPS" runs report "$id" -o r.html 2>/dev/null
  echo "page size: $(stat -c %s r.html) bytes"
fi

if wanted ui; then
  echo "== mlops ui over 10,000 runs"
  python3 - <<'PY'
import json
runs = []
for i in range(10_000):
    start = 1764547200000 + i * 60_000
    iso = lambda ms: __import__("time").strftime("%Y-%m-%dT%H:%M:%S", __import__("time").gmtime(ms // 1000)) + ".000Z"
    metrics = {f"m{k}": {"value": (i * 7 + k) % 1000 / 1000, "step": 10, "timestamp": start + 10_000} for k in range(5)}
    runs.append({"id": "01kc%010d" % i, "name": f"sweep-{i}", "status": "finished", "exit_code": 0, "user": "bench",
                 "host": "h", "start_time": iso(start), "end_time": iso(start + 30_000), "duration": 30.0,
                 "command": ["python", "train.py"], "cwd": "", "git": {"commit": "%040x" % i, "branch": "main", "dirty": False},
                 "data_dirty": False, "params": {"lr": str(0.001 * (i % 50 + 1)), "depth": str(i % 8)}, "tags": {},
                 "metrics": metrics, "metric_history": [dict(key=k, **v) for k, v in metrics.items()], "data": [],
                 "artifacts": [], "environment": {}, "variables": {}})
json.dump({"format": "mlops-runs", "version": 1, "runs": runs}, open("many.json", "w"))
PY
  "$MLOPS" runs import many.json >/dev/null 2>&1
  "$MLOPS" ui --port 0 > ui.out 2> ui.err &
  server=$!
  for _ in $(seq 100); do url=$(head -1 ui.out 2>/dev/null); [[ -n "$url" ]] && break; sleep 0.1; done
  fetch_ms() { curl -s --noproxy '*' -o /dev/null -w '%{time_total}' "$1" | awk '{printf "%.1f", $1 * 1000}'; }
  median_fetch() {
    local times=() i
    for i in 1 2 3 4 5; do times+=("$(fetch_ms "$1")"); done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
  }
  row "ui: runs page (10,001 runs, first 100)" "$(median_fetch "$url")"
  row "ui: runs page, --where and sort" "$(median_fetch "${url}?where=metrics.m0%20%3E%200.5&sort=-metrics.m1")"
  row "ui: runs page 50 (runs 4,901-5,000)" "$(median_fetch "${url}?page=50")"
  if [[ -n "${id:-}" ]]; then
    row "ui: run page of the 1,000,000-point run" "$(median_fetch "${url}run/$id")"
  fi
  echo "runs page size: $(curl -s --noproxy '*' "$url" | wc -c) bytes"
  kill -TERM "$server"
  wait "$server"
fi
