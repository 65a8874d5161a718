#!/usr/bin/env bash
# Benchmark: `mlops trace stats` over 1,000,000 spans (about 1 GB of OTLP/JSON lines: chat,
# embeddings, retrieval, agent and tool spans with their input messages), beside a short Python
# script that does the same aggregation with the standard json module. Targets (issue 15): under
# 5 s and under 300 MiB peak RSS on the 2-core machine. Prints both, with the figures compared.
# Usage: bench/trace.sh [MLOPS_BINARY] [SPANS]   (RUNS=N: runs of each, the median is printed; 3)
set -euo pipefail
MLOPS=${1:-${MLOPS:-$(dirname "$0")/../build/mlops}}
SPANS=${2:-1000000}
RUNS=${RUNS:-3}
PY=/usr/bin/python3
SRC=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-trace.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$PY" "$SRC/tests/fixtures/traces/generate.py" --bench "$SPANS" "$work/traces.jsonl"
ls -l "$work/traces.jsonl" | awk '{printf "  %.0f MB  %d spans  %s\n", $5/1e6, '"$SPANS"', $9}'

cat > "$work/stats.py" <<'PYEOF'
# The same aggregation with the standard json module: per gen_ai.operation.name, requests,
# errors, latency p50/p95/p99 (exact, numpy-style interpolation), input and output tokens.
import json, sys
groups = {}
def q(v, p):
    r = p * (len(v) - 1); lo = int(r); hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (r - lo)
with open(sys.argv[1]) as f:
    for line in f:
        for rs in json.loads(line)["resourceSpans"]:
            for ss in rs["scopeSpans"]:
                for s in ss["spans"]:
                    a = {x["key"]: x["value"] for x in s.get("attributes", [])}
                    op = a.get("gen_ai.operation.name", {}).get("stringValue")
                    if op is None: continue
                    g = groups.setdefault(op, {"requests": 0, "errors": 0, "lat": [], "in": 0, "out": 0})
                    g["requests"] += 1
                    if s.get("status", {}).get("code") == 2 or "error.type" in a: g["errors"] += 1
                    g["lat"].append((int(s["endTimeUnixNano"]) - int(s["startTimeUnixNano"])) / 1e6)
                    g["in"] += int(a.get("gen_ai.usage.input_tokens", {}).get("intValue", 0))
                    g["out"] += int(a.get("gen_ai.usage.output_tokens", {}).get("intValue", 0))
out = {}
for op, g in sorted(groups.items()):
    v = sorted(g["lat"])
    out[op] = {"requests": g["requests"], "errors": g["errors"], "p50": q(v, .5), "p95": q(v, .95), "p99": q(v, .99),
               "input": g["in"], "output": g["out"]}
json.dump(out, sys.stdout)
PYEOF

# wall time (s), peak RSS (KiB) and CPU time (user + system, s) of one run, from /usr/bin/time.
# The CPU time says what an idle 2-core machine would take (about half of it, on both cores) when
# others share the machine.
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" > "$work/out" 2>/dev/null
  awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$work/time"
}

# median CMD...: runs CMD $RUNS times; prints the wall time, peak RSS and CPU time of the run
# whose wall time is the median (the upper one for an even count).
median() {
  local runs=() i
  for ((i = 0; i < RUNS; i++)); do runs+=("$(measure "$@")"); done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p"
}

echo "mlops trace stats and the python3 json module: $RUNS runs each, the median"
read -r mlops_s mlops_kb mlops_cpu < <(median "$MLOPS" trace stats "$work/traces.jsonl" --json)
cp "$work/out" "$work/mlops.json"
read -r py_s py_kb py_cpu < <(median "$PY" "$work/stats.py" "$work/traces.jsonl")
cp "$work/out" "$work/python.json"

"$PY" - "$work/mlops.json" "$work/python.json" <<'PYEOF'
import json, sys
m = {g["name"]: g for g in json.load(open(sys.argv[1]))["groups"]}
p = json.load(open(sys.argv[2]))
worst = 0.0
for op, want in p.items():
    g = m[op]
    assert (g["requests"], g["errors"], g["tokens"]["input"], g["tokens"]["output"]) == (want["requests"], want["errors"], want["input"], want["output"]), op
    for k in ("p50", "p95", "p99"):
        worst = max(worst, abs(g["latency_ms"][k] - want[k]) / want[k])
print(f"  same requests, errors and tokens in every group; worst percentile difference {worst * 100:.3f}% (bound: 1%)")
assert worst <= 0.01
PYEOF

echo "  load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores)"
printf '  %-34s %8.2f s wall %8.2f s CPU %6.0f MiB peak RSS\n' "mlops trace stats" "$mlops_s" "$mlops_cpu" "$(awk -v k="$mlops_kb" 'BEGIN {print k / 1024}')"
printf '  %-34s %8.2f s wall %8.2f s CPU %6.0f MiB peak RSS\n' "python3 json module" "$py_s" "$py_cpu" "$(awk -v k="$py_kb" 'BEGIN {print k / 1024}')"
awk -v a="$mlops_s" -v b="$py_s" -v c="$mlops_cpu" -v d="$py_cpu" -v m="$mlops_kb" -v p="$py_kb" 'BEGIN {
  printf "  python3 / mlops: %.1fx the wall time, %.1fx the CPU time, %.1fx the peak RSS\n",
    (a > 0) ? b / a : 0, (c > 0) ? d / c : 0, (m > 0) ? p / m : 0 }'
awk -v s="$mlops_s" -v k="$mlops_kb" 'BEGIN {
  printf "  targets: under 5 s: %s; under 300 MiB: %s\n", (s < 5) ? "met" : "MISSED", (k / 1024 < 300) ? "met" : "MISSED" }'
