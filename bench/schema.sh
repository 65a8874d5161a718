#!/usr/bin/env bash
# Benchmark: `mlops schema check` against the same checks written in pandas, on 1,000,000 rows x
# 20 columns (ids, floats, ints, categories, emails, codes, dates, booleans, a nullable column),
# with a few bad values planted so that both find the same failures.
# Usage: bench/schema.sh [MLOPS_BINARY] [ROWS]     (needs /usr/bin/python3 with numpy and pandas:
# scripts/install-deps --bench)
set -euo pipefail
MLOPS=${1:-${MLOPS:-$(dirname "$0")/../build/mlops}}
ROWS=${2:-1000000}
RUNS=${RUNS:-5}
PY=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$PY" - "$work" "$ROWS" <<'PYEOF'
import sys
import numpy as np
import pandas as pd
out, rows = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(7)
cols = {"id": np.arange(1, rows + 1)}
for i in range(6):
    cols[f"x{i}"] = np.round(rng.normal(0, 1 + i, rows), 5)
cols["age"] = rng.integers(18, 90, rows)
cols["visits"] = rng.integers(0, 500, rows)
cols["score"] = rng.integers(0, 100, rows)
plans = np.array(["basic", "pro", "team", "enterprise"])
for i in range(4):
    cols[f"cat{i}"] = rng.choice(plans, rows)
users = np.array([f"user{k}" for k in range(1000)])
cols["email"] = np.char.add(rng.choice(users, rows), "@example.com")
cols["code"] = np.char.add("AB-", rng.integers(1000, 9999, rows).astype(str))
days = pd.date_range("2024-01-01", periods=365).strftime("%Y-%m-%d").to_numpy()
cols["day"] = rng.choice(days, rows)
cols["active"] = rng.choice(np.array(["true", "false"]), rows)
df = pd.DataFrame(cols)
df["note"] = np.where(rng.random(rows) < 0.05, "", "ok")
# Planted failures: an age out of range, an unknown plan, a malformed email, a duplicate id.
df.loc[10, "age"] = 130
df.loc[20, "cat0"] = "gold"
df.loc[30, "email"] = "not-an-email"
df.loc[40, "id"] = 1
df.to_csv(f"{out}/data.csv", index=False)
PYEOF
ls -l "$work/data.csv" | awk '{print "  " $5/1e6 " MB  " $9}'

cat > "$work/schema.yaml" <<'YAML'
version: 1
table:
  rows: {min: 1000}
  columns: exact
columns:
  - name: id
    type: int
    nullable: false
    unique: true
  - name: x0
    type: float
    nullable: false
    range: {min: -100, max: 100}
  - name: x1
    type: float
    range: {min: -100, max: 100}
  - name: x2
    type: float
    range: {min: -100, max: 100}
  - name: x3
    type: float
    range: {min: -100, max: 100}
  - name: x4
    type: float
    range: {min: -100, max: 100}
  - name: x5
    type: float
    range: {min: -100, max: 100}
  - name: age
    type: int
    nullable: false
    range: {min: 0, max: 120}
  - name: visits
    type: int
    range: {min: 0}
  - name: score
    type: int
    range: {min: 0, max: 100}
  - name: cat0
    values: [basic, enterprise, pro, team]
  - name: cat1
    values: [basic, enterprise, pro, team]
  - name: cat2
    values: [basic, enterprise, pro, team]
  - name: cat3
    values: [basic, enterprise, pro, team]
  - name: email
    type: string
    regex: "[a-z0-9.]+@[a-z0-9.]+\\.[a-z]+"
  - name: code
    type: string
    length: {min: 7, max: 7}
    regex: "AB-\\d{4}"
  - name: day
    type: date
    range: {min: "2024-01-01", max: "2024-12-31"}
  - name: active
    type: bool
    nullable: false
  - name: note
    present: {min: 0.9}
YAML

cat > "$work/pandas_checks.py" <<'PYEOF'
# The same checks in pandas, as a practitioner writes them (Great Expectations' semantics:
# each check over the non-null values; the regex anchored at both ends).
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], keep_default_na=True)
plans = {"basic", "enterprise", "pro", "team"}
failed = []
def check(name, bad):
    if int(bad) > 0:
        failed.append(f"{name}:{int(bad)}")
expected = ["id"] + [f"x{i}" for i in range(6)] + ["age", "visits", "score"] + [f"cat{i}" for i in range(4)] + \
    ["email", "code", "day", "active", "note"]
check("columns", list(df.columns) != expected)
check("rows", len(df) < 1000)
check("id.type", not pd.api.types.is_integer_dtype(df["id"]))
check("id.nullable", df["id"].isna().sum())
dup = df["id"].duplicated(keep=False)
check("id.unique", dup.sum())
for i in range(6):
    s = df[f"x{i}"].dropna()
    check(f"x{i}.type", not pd.api.types.is_float_dtype(s))
    check(f"x{i}.range", ((s < -100) | (s > 100)).sum())
check("x0.nullable", df["x0"].isna().sum())
for col, lo, hi in (("age", 0, 120), ("visits", 0, None), ("score", 0, 100)):
    s = df[col].dropna()
    check(f"{col}.type", not pd.api.types.is_integer_dtype(s))
    bad = s < lo
    if hi is not None:
        bad |= s > hi
    check(f"{col}.range", bad.sum())
check("age.nullable", df["age"].isna().sum())
for i in range(4):
    s = df[f"cat{i}"].dropna()
    check(f"cat{i}.values", (~s.isin(plans)).sum())
email = df["email"].dropna().astype(str)
check("email.regex", (~email.str.fullmatch(r"[a-z0-9.]+@[a-z0-9.]+\.[a-z]+")).sum())
code = df["code"].dropna().astype(str)
check("code.length", ((code.str.len() < 7) | (code.str.len() > 7)).sum())
check("code.regex", (~code.str.fullmatch(r"AB-\d{4}")).sum())
day = pd.to_datetime(df["day"].dropna(), format="%Y-%m-%d", errors="coerce")
check("day.type", day.isna().sum())
check("day.range", ((day < "2024-01-01") | (day > "2024-12-31")).sum())
check("active.type", not pd.api.types.is_bool_dtype(df["active"]))
check("active.nullable", df["active"].isna().sum())
check("note.present", df["note"].notna().mean() < 0.9)
print(" ".join(sorted(failed)))
PYEOF

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Runs "$@" RUNS times; sets wall and cpu to the medians (seconds) of wall-clock and user+system time.
time_runs() {
  : > "$work/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S" -o "$work/t" "$@" >/dev/null 2>&1 || true
    tail -1 "$work/t" >> "$work/times"
  done
  wall=$(awk '{print $1}' "$work/times" | median)
  cpu=$(awk '{print $2 + $3}' "$work/times" | median)
}
# (schema check exits 1 here: the planted failures.)
peak_kb() { { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "mlops schema check ($RUNS runs):"
time_runs "$MLOPS" schema check "$work/data.csv" --schema "$work/schema.yaml"
m_wall=$wall m_cpu=$cpu
m_mem=$(peak_kb "$MLOPS" schema check "$work/data.csv" --schema "$work/schema.yaml")
echo "  median wall ${m_wall}s, cpu ${m_cpu}s, peak RSS $((m_mem / 1024)) MiB"
"$MLOPS" schema check "$work/data.csv" --schema "$work/schema.yaml" --json > "$work/report.json" || true
echo "  failed: $("$PY" - "$work/report.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(sorted(c["column"] + "." + c["check"] + ":" + str(c["unexpected_count"]) for c in d["checks"] if c["status"] == "failed")))
PYEOF
)"

PYRUNS=${PYRUNS:-3}
echo "pandas.read_csv + the same checks ($PYRUNS runs):"
RUNS=$PYRUNS time_runs "$PY" "$work/pandas_checks.py" "$work/data.csv"
p_wall=$wall p_cpu=$cpu
p_mem=$(peak_kb "$PY" "$work/pandas_checks.py" "$work/data.csv")
echo "  median wall ${p_wall}s, cpu ${p_cpu}s, peak RSS $((p_mem / 1024)) MiB"
echo "  failed: $("$PY" "$work/pandas_checks.py" "$work/data.csv")"
awk -v mw="$m_wall" -v pw="$p_wall" -v mc="$m_cpu" -v pc="$p_cpu" 'BEGIN {
  printf "mlops is %.1fx faster than pandas in wall time, %.1fx in CPU time\n", pw / mw, pc / mc
  printf "(target: mlops schema check under 1.5 s wall on the idle 2-core machine)\n" }'
