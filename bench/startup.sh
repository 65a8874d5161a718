#!/usr/bin/env bash
# Start-up and hot-path benchmark (issues 2 and 3): the commands a training loop, a CI script or a
# pre-commit hook runs many times. Targets (medians, hyperfine -N):
#   mlops --version, mlops data status of one unchanged file      a few ms
#   mlops log metric NAME VALUE inside a run                        < 5 ms
#   mlops data status of 20,000 unchanged 4 KiB files               no slower than git status
# Usage: bench/startup.sh [RUNS]   (needs hyperfine: scripts/install-deps --bench)
source "$(dirname "$0")/lib.sh"
RUNS=${1:-300}
command -v hyperfine >/dev/null || { echo "hyperfine is missing: scripts/install-deps --bench" >&2; exit 2; }
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/mlops-bench-startup.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"

# hyperfine_ms RUNS CMD: the median in ms of CMD, run without a shell.
hyperfine_ms() {
  local runs=$1; shift
  hyperfine -N --warmup 20 --runs "$runs" --export-json "$WORK/h.json" "$@" >/dev/null 2>&1 ||
    { echo "benchmark command failed: $*" >&2; exit 1; }
  python3 -c 'import json, sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$WORK/h.json"
}

echo "generating 20,000 files of 4 KiB in $WORK ..." >&2
python3 - <<'PY'
import os
for d in range(100):
    os.makedirs(f"repo/tree/d{d:03}", exist_ok=True)
    for f in range(200):
        with open(f"repo/tree/d{d:03}/f{f:03}.bin", "wb") as out:
            out.write(os.urandom(4096))
PY
cd repo && git init -q . && "$MLOPS" init -q 2>/dev/null
seq 1 1000 > one.csv
"$MLOPS" data add tree one.csv >/dev/null 2>&1
sleep 0.1
"$MLOPS" data status >/dev/null 2>&1  # records the stat cache and folder memo after the racy window
cp -a tree ../gitrepo && (cd ../gitrepo && git init -q . && git add . && git commit -qm tree && git status >/dev/null)
export MLOPS_RUN_ID=$("$MLOPS" run start --name bench)
# For ~10 s after the files are made the kernel writes them back in the background, which slows
# every stat (measured: both commands 1.5-2x slower in the first 5 s). Let it finish.
sync
sleep 10

echo "== start-up and hot paths (hyperfine -N, median of $RUNS) =="
row "mlops --version" "$(hyperfine_ms "$RUNS" "$MLOPS --version")"
row "mlops log metric loss 0.5 (in a run)" "$(hyperfine_ms "$RUNS" "$MLOPS log metric loss 0.5")"
row "mlops data status one.csv (unchanged)" "$(hyperfine_ms "$RUNS" "$MLOPS data status one.csv")"
st=$(hyperfine_ms "$((RUNS / 3))" "$MLOPS data status tree")
gst=$(cd ../gitrepo && hyperfine_ms "$((RUNS / 3))" "git status")
row "mlops data status tree (20,000 files)" "$st" "git status (same tree)" "$gst" 1.0
