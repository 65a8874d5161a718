#!/usr/bin/env bash
# Benchmark: `mlops drift check` against pandas.read_csv + SciPy's per-column tests on
# 1,000,000 rows x 20 columns (10 numeric, 10 categorical; the current data shifted in 3 columns).
# Usage: bench/drift.sh [MLOPS_BINARY] [ROWS]     (needs /usr/bin/python3 with numpy, pandas, scipy)
set -euo pipefail
MLOPS=${1:-${MLOPS:-$(dirname "$0")/../build/mlops}}
ROWS=${2:-1000000}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-drift.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$PY" - "$work" "$ROWS" <<'PYEOF'
import sys
import numpy as np
import pandas as pd
out, rows = sys.argv[1], int(sys.argv[2])
def make(seed, shifted):
    rng = np.random.default_rng(seed)
    cols = {}
    for i in range(10):
        shift = 0.3 if (shifted and i < 2) else 0.0
        cols[f"num{i}"] = np.round(rng.normal(shift, 1.0 + i * 0.1, rows), 6)
    cats = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"])
    for i in range(10):
        p = np.full(len(cats), 1.0 / len(cats))
        if shifted and i == 0:
            p = np.array([0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
        cols[f"cat{i}"] = rng.choice(cats, rows, p=p)
    return pd.DataFrame(cols)
make(1, False).to_csv(f"{out}/reference.csv", index=False)
make(2, True).to_csv(f"{out}/current.csv", index=False)
PYEOF
ls -l "$work"/*.csv | awk '{print "  " $5/1e6 " MB  " $9}'

cat > "$work/pandas_scipy.py" <<'PYEOF'
# The same work with pandas and SciPy: read both files, then per column the test mlops picks
# by Evidently's rules for > 1000 rows (Wasserstein normed for numeric, Jensen-Shannon for
# categorical) plus KS for numeric columns, as a practitioner would run it.
import sys
import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance
ref = pd.read_csv(sys.argv[1])
cur = pd.read_csv(sys.argv[2])
drifted = 0
for col in ref.columns:
    r, c = ref[col].dropna(), cur[col].dropna()
    if pd.api.types.is_numeric_dtype(r):
        d = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
        drifted += d >= 0.1
    else:
        keys = sorted(set(r) | set(c))
        rc, cc = r.value_counts(), c.value_counts()
        p = np.array([rc.get(k, 0) for k in keys]) / len(r)
        q = np.array([cc.get(k, 0) for k in keys]) / len(c)
        drifted += distance.jensenshannon(p, q) >= 0.1
print(drifted)
PYEOF

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Runs "$@" RUNS times; sets wall and cpu to the medians (seconds) of wall-clock and user+system
# time. The CPU time shows the work done even when other jobs share the cores.
time_runs() {
  : > "$work/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$work/t" "$@" >/dev/null 2>&1 || true
    tail -1 "$work/t" >> "$work/times"
  done
  wall=$(awk '{print $1}' "$work/times" | median)
  cpu=$(awk '{print $2 + $3}' "$work/times" | median)
}
peak_kb() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "mlops drift check ($RUNS runs):"
time_runs "$MLOPS" drift check "$work/reference.csv" "$work/current.csv" --fail-on never
m_wall=$wall m_cpu=$cpu
m_mem=$(peak_kb "$MLOPS" drift check "$work/reference.csv" "$work/current.csv" --fail-on never)
echo "  median wall ${m_wall}s, cpu ${m_cpu}s, peak RSS $((m_mem / 1024)) MiB"
"$MLOPS" drift check "$work/reference.csv" "$work/current.csv" --fail-on never | tail -1

PYRUNS=${PYRUNS:-3}
echo "pandas.read_csv + scipy ($PYRUNS runs):"
RUNS=$PYRUNS time_runs "$PY" "$work/pandas_scipy.py" "$work/reference.csv" "$work/current.csv"
p_wall=$wall p_cpu=$cpu
p_mem=$(peak_kb "$PY" "$work/pandas_scipy.py" "$work/reference.csv" "$work/current.csv")
echo "  median wall ${p_wall}s, cpu ${p_cpu}s, peak RSS $((p_mem / 1024)) MiB"
awk -v mw="$m_wall" -v pw="$p_wall" -v mc="$m_cpu" -v pc="$p_cpu" 'BEGIN {
  printf "mlops is %.1fx faster than pandas+scipy in wall time, %.1fx in CPU time\n", pw / mw, pc / mc
  printf "(targets: >= 10x; mlops under 1.5 s wall on an idle 2-core machine)\n" }'
