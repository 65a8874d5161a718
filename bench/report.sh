#!/usr/bin/env bash
# Benchmarks for the pictures of runs (issue 16). Targets:
#   a run with 1,000,000 points of one metric: `runs report ID -o FILE` (read, downsample, draw)
#     median < 1 s, and the page's size stays small (the curve is drawn from <= 1,002 points)
# Usage: MLOPS=build/mlops bash bench/report.sh [SECTION...]
#   SECTION: report (default: all of them)
set -euo pipefail

SECTIONS=("$@")
wanted() {
  [[ ${#SECTIONS[@]} -eq 0 ]] && return 0
  local section
  for section in "${SECTIONS[@]}"; do [[ $section == "$1" ]] && return 0; done
  return 1
}

MLOPS=$(realpath "${MLOPS:-build/mlops}")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-report.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
source "$(dirname "$(realpath "$0")")/lib.sh" 2>/dev/null || source "$OLDPWD/$(dirname "$0")/lib.sh"
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
