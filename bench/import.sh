#!/usr/bin/env bash
# Importing from MLflow, from both of its stores holding the same runs: RUNS runs x METRICS metrics x
# STEPS steps (plus 2 params and 4 tags a run), written as an MLflow file store by
# tests/fixtures/interop/mlflow_store.py and as an MLflow 2.x SQLite database from it by
# mlflow_sql.py (tests/fixtures/interop/). Each import goes into an empty store; the figures are
# medians of REPEATS runs, against references that read the same rows in the same script:
#   sqlite:///mlflow.db   vs  `sqlite3 mlflow.db .dump` (every row of every table, as SQL text)
#   mlruns/ (file store)  vs  `cp -r mlruns` and `cat` of every file of the store
# and the second import (everything known: nothing is added). The issue's own bar (10,000 runs of
# 100 points in under 10 s) is `bench/import.sh 10000 1 100`.
# Usage: [MLOPS=build/mlops] bench/import.sh [RUNS [METRICS [STEPS [REPEATS]]]]
# (defaults 100 x 5 x 1,000: 500,000 points; under a minute on an idle 2-core machine)
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-100}
METRICS=${2:-5}
STEPS=${3:-1000}
REPEATS=${4:-3}
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 program (scripts/install-deps installs it)" >&2; exit 2; }

d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; cd "$d"
echo "writing $RUNS runs x $METRICS metrics x $STEPS steps as an MLflow file store and SQLite database..."
python3 "$here/tests/fixtures/interop/mlflow_store.py" mlruns --runs "$RUNS" --metrics "$METRICS" --points "$STEPS"
sqlite3 mlflow.db <"$here/tests/fixtures/interop/mlflow_schema.sql"
python3 "$here/tests/fixtures/interop/mlflow_sql.py" mlruns | sqlite3 mlflow.db
points=$(sqlite3 mlflow.db "SELECT count(*) FROM metrics")
echo "metric points: $points; file store $(du -sh mlruns | cut -f1), database $(du -h mlflow.db | cut -f1)"
# The fixtures' own writeback is not the import's cost (the import's fsync would wait for it).
sync

# A fresh git repository with an empty mlops store, for each timed import.
fresh_store() { rm -rf repo && git init -q repo && (cd repo && "$MLOPS" init); }
import_into_fresh() { (cd repo && "$MLOPS" import mlflow "$1"); }
import_again() { (cd repo && "$MLOPS" import mlflow "$1"); }
check_runs() {
  local n
  n=$(cd repo && "$MLOPS" runs list --ids | wc -l)
  [[ $n -eq $RUNS ]] || { echo "expected $RUNS runs after importing $1, found $n" >&2; exit 1; }
}

db="sqlite:///$d/mlflow.db"
dump=$(median_ms "$REPEATS" ":" "sqlite3 mlflow.db .dump >/dev/null")
sql=$(median_ms "$REPEATS" "fresh_store" "import_into_fresh $db")
check_runs "$db"
sql_again=$(median_ms "$REPEATS" ":" "import_again $db")

copy=$(median_ms "$REPEATS" "rm -rf mlruns-copy" "cp -r mlruns mlruns-copy")
read_all=$(median_ms "$REPEATS" ":" "find mlruns -type f -exec cat {} + >/dev/null")
files=$(median_ms "$REPEATS" "fresh_store" "import_into_fresh $d/mlruns")
check_runs "$d/mlruns"
files_again=$(median_ms "$REPEATS" ":" "import_again $d/mlruns")

echo
echo "medians of $REPEATS runs ($RUNS runs, $points metric points):"
row "import mlflow sqlite:///mlflow.db" "$sql" "sqlite3 .dump" "$dump"
row "import mlflow sqlite:///mlflow.db again" "$sql_again" "sqlite3 .dump" "$dump"
row "import mlflow mlruns (file store)" "$files" "cp -r mlruns" "$copy"
row "import mlflow mlruns (file store)" "$files" "cat every file" "$read_all"
row "import mlflow mlruns again" "$files_again" "cat every file" "$read_all"
