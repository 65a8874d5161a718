#!/usr/bin/env bash
# mlops eval on 10,000 cases with a provider that answers instantly (`cat`, which echoes the
# prompt), and eval gate over the results. Prints medians:
#   - eval run --record -j 4: every case calls the provider (a process per case), per case;
#   - for reference, the same 10,000 `cat` processes started by xargs -P 4 (fork + exec; mlops
#     uses posix_spawn, which is cheaper, so the difference is no measure of mlops's overhead);
#   - mlops's overhead per case: eval run --replay -j 4, which does everything but call the
#     provider (read, render, cache look-up, score, record the run), / cases   target < 1 ms
#   - eval gate RUN --min-pass-rate 0.9                                  target < 100 ms
#     (also its CPU time, user + system: on a machine that others load, the wall time measures
#     the queue for a core as much as mlops)
# Usage: bench/eval.sh [CASES] [RUNS]   (defaults 10000 and 3)
source "$(dirname "$0")/lib.sh"
CASES=${1:-10000}
RUNS=${2:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-eval.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
git init -q . && "$MLOPS" init >/dev/null
mkdir -p prompts data
printf -- '---\nname: echo\ninput:\n  schema:\n    q: string, the question\n---\nquestion {{q}}\n' > prompts/echo.prompt
python3 - "$CASES" > data/golden.jsonl <<'PY'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"id": f"c{i}", "input": {"q": f"number {i}"},
                      "expected": {"output": f"question number {i}", "contains": ["question"]}}))
PY
cat > eval.yaml <<'Y'
prompt: prompts/echo.prompt
golden: data/golden.jsonl
providers:
  - id: echo
    command: [cat]
assert:
  - type: equals
  - type: contains-all
  - type: rouge-l
Y
git add -A && git commit -qm bench

echo "mlops eval: $CASES cases, provider 'cat', -j 4, median of $RUNS runs ($(nproc) cores)"
run_ms=$(median_ms "$RUNS" "" "'$MLOPS' eval run --record -j 4")
spawn_ms=$(median_ms "$RUNS" "" "seq $CASES | xargs -P 4 -I{} cat /dev/null")
replay_ms=$(median_ms "$RUNS" "" "'$MLOPS' eval run --replay -j 4")
run_id=$("$MLOPS" runs list --limit 1 --ids)
gate_ms=$(median_ms 11 "" "'$MLOPS' eval gate $run_id --min-pass-rate 0.9")
# median_cpu_ms RUNS CMD...: the median user + system CPU time of CMD, in ms (getrusage of the
# child: microseconds, where time(1) shows hundredths of a second).
median_cpu_ms() {
  python3 - "$@" <<'PY'
import resource, statistics, subprocess, sys
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    times.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
print(f"{statistics.median(times):.1f}")
PY
}
gate_cpu_ms=$(median_cpu_ms 11 "$MLOPS" eval gate "$run_id" --min-pass-rate 0.9)
per_case() { awk -v ms="$1" -v n="$CASES" 'BEGIN {printf "%.3f", ms / n}'; }
row "eval run --record -j 4 (calls $CASES providers)" "$run_ms"
printf '%-48s %10s ms\n' "  per case, provider included" "$(per_case "$run_ms")"
row "reference: xargs -P 4 starting $CASES cat" "$spawn_ms"
row "eval run --replay -j 4 (no provider)" "$replay_ms"
overhead=$(per_case "$replay_ms")
printf '%-48s %10s ms   (target < 1 ms: %s)\n' "mlops overhead per case (replay / cases)" "$overhead" \
  "$(awk -v o="$overhead" 'BEGIN {print (o < 1) ? "met" : "MISSED"}')"
printf '%-48s %10s ms   (target < 100 ms: %s)\n' "eval gate RUN over $CASES results" "$gate_ms" \
  "$(awk -v g="$gate_ms" 'BEGIN {print (g < 100) ? "met" : "MISSED"}')"
printf '%-48s %10s ms   (load average %s)\n' "  its CPU time (user + system)" "$gate_cpu_ms" "$(cut -d' ' -f1-3 /proc/loadavg)"
