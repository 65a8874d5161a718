# Shared helpers for the benchmarks: median timing with a per-run setup, and ratio printing.
# Every figure is the median of several runs; references run in the same script on the same data.
set -euo pipefail

: "${MLOPS:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/mlops}"
[[ -x "$MLOPS" ]] || { echo "build mlops first (expected $MLOPS)" >&2; exit 2; }
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com

now_ns() { date +%s%N; }

# median_ms RUNS SETUP CMD: runs SETUP (untimed) then CMD (timed), RUNS times; prints the median ms.
median_ms() {
  local runs=$1 setup=$2 cmd=$3 times=() i start
  for ((i = 0; i < runs; i++)); do
    eval "$setup" >/dev/null 2>&1
    start=$(now_ns)
    eval "$cmd" >/dev/null 2>&1 || { echo "benchmark command failed: $cmd" >&2; exit 1; }
    times+=($(( ($(now_ns) - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f\n", m/1000}'
}

# row LABEL MS [REFERENCE_LABEL REFERENCE_MS [TARGET_RATIO]]
row() {
  local label=$1 ms=$2
  if [[ $# -ge 4 ]]; then
    local ratio; ratio=$(awk -v a="$ms" -v b="$4" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
    local verdict=""
    if [[ $# -ge 5 ]]; then
      verdict=$(awk -v r="$ratio" -v t="$5" 'BEGIN {print (r <= t) ? "  (target <= " t "x: met)" : "  (target <= " t "x: MISSED)"}')
    fi
    printf '%-48s %10s ms   %-28s %10s ms   ratio %5sx%s\n' "$label" "$ms" "$3" "$4" "$ratio" "$verdict"
  else
    printf '%-48s %10s ms\n' "$label" "$ms"
  fi
}
