#!/usr/bin/env bash
# Completion latency: `mlops __complete` (what a <TAB> in bash, zsh or fish runs) against a store of
# 10,000 runs and a registry of 50 versions; medians of 7 runs, `git tag -l` on the same repository as
# the reference of a git-backed lookup. Usage: MLOPS=build/mlops bench/complete.sh
set -euo pipefail
M=${MLOPS:?}
d=$(mktemp -d); cd "$d"
git init -q . && git config user.email a@b && git config user.name a
"$M" init >/dev/null 2>&1; echo x > f; git add -A; git commit -qm init
python3 - <<'PY'
import json
runs=[]
for i in range(10000):
    rid=f"01m9{i:010d}"
    runs.append({"id":rid,"name":f"r{i}","status":"finished","exit_code":0,"user":"u","host":"h",
      "start_time":"2026-11-29T03:13:00.412Z","end_time":"2026-11-29T03:13:01.020Z","duration":0.6,
      "command":["true"],"cwd":"","git":{"commit":"","branch":"main","dirty":False},
      "params":{"lr":str(i), f"p{i%20}":"1"},"tags":{},"metrics":{"loss":{"value":0.5,"step":0,"timestamp":"2026-11-29T03:13:00.900Z"}},
      "metric_history":[{"key":"loss","step":0,"value":0.5,"timestamp":"2026-11-29T03:13:00.900Z"},{"key":f"m{i%30}","step":0,"value":1.0,"timestamp":"2026-11-29T03:13:00.900Z"}],
      "data":[],"artifacts":[],"environment":{},"variables":{}})
json.dump({"format":"mlops-runs","version":1,"runs":runs},open("runs.json","w"))
PY
"$M" runs import runs.json >/dev/null 2>&1
for i in $(seq 50); do git tag -a "churn@v0.0.$i" -m "Registering artifact churn version v0.0.$i"; done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t() { for _ in 1 2 3 4 5 6 7; do s=$(date +%s%N); "$M" __complete "$@" >/dev/null; e=$(date +%s%N); echo $(((e-s)/1000000)); done | median; }
echo "runs show <TAB> (10,000 runs): $(t runs show '') ms"
echo "runs list --where <TAB>:       $(t runs list --where '') ms"
echo "model promote churn <TAB> (50 versions): $(t model promote churn '') ms"
echo "runs <TAB> (commands only):    $(t runs '') ms"
echo "git tag -l (reference):       $(for _ in 1 2 3 4 5 6 7; do s=$(date +%s%N); git tag -l >/dev/null; e=$(date +%s%N); echo $(((e-s)/1000000)); done | median) ms"
rm -rf "$d"
