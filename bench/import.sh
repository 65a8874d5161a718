#!/usr/bin/env bash
# Importing from MLflow: 10,000 runs of 100 metric points each (plus params and tags), written as an
# MLflow file store by tests/fixtures/interop/mlflow_store.py, imported into an empty store; the issue's
# bar is under 10 s. Also the dry run (reading the store only) and the second import (everything known).
# Usage: MLOPS=build/mlops bench/import.sh [RUNS] [POINTS]
set -euo pipefail
M=${MLOPS:?}
RUNS=${1:-10000}
POINTS=${2:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; cd "$d"
git init -q . && "$M" init >/dev/null 2>&1
python3 "$here/tests/fixtures/interop/mlflow_store.py" mlruns --runs "$RUNS" --points "$POINTS"
# The fixture's own writeback is not the import's cost (the import's one fsync would wait for it).
sync
# Wall time, and CPU time (user + system), which a busy machine does not inflate.
secs() { /usr/bin/time -f "%e s (CPU %U s user + %S s system)" "$@" 2>&1 >/dev/null | tail -1; }
echo "import mlflow --dry-run ($RUNS runs x $POINTS points): $(secs "$M" import mlflow mlruns --dry-run)"
echo "import mlflow ($RUNS runs x $POINTS points):           $(secs "$M" import mlflow mlruns)"
echo "import mlflow again (all known):                  $(secs "$M" import mlflow mlruns)"
echo "runs: $("$M" runs list --ids | wc -l)"
