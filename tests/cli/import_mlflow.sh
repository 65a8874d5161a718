#!/usr/bin/env bash
# CLI tests: mlops import mlflow and mlops runs export --format mlflow, on MLflow file stores written
# by tests/fixtures/interop/mlflow_store.py (MLflow's FileStore layout; MLflow itself is not needed).
source "$(dirname "$0")/lib.sh"

GENERATOR="${MLOPS_SOURCE_DIR:?}/tests/fixtures/interop/mlflow_store.py"

mlflow_repo() {
  new_repo
  python3 "$GENERATOR" "$TEST_ROOT/mlruns.$current_test" "$@" || fail "generator failed"
  STORE="$TEST_ROOT/mlruns.$current_test"
}
# The folder of run-0 of the Default experiment (the one with a second metric, val/acc).
first_run_dir() { dirname "$(grep -l '^run_name: run-0$' "$STORE"/0/*/meta.yaml)"; }
# A fingerprint of the runs database's records (not its bytes).
db_dump() { python3 - <<'PY'
import sqlite3, os
if os.path.exists(".mlops/runs.db"):
    db = sqlite3.connect(".mlops/runs.db")
    for table in ["runs", "params", "tags", "metrics"]:
        for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
            print(table, row)
PY
}

test_file_store_runs_are_imported_with_everything() {
  mlflow_repo --runs 5 --points 4 --experiments 2 --artifacts
  run mlops import mlflow "$STORE" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["imported"].__len__()')" 10
  expect_eq "$(echo "$out" | json_get '["experiments"]')" "['Default', 'exp-1']"
  local id mlflow_id dir
  dir=$(first_run_dir)
  mlflow_id=$(basename "$dir")
  id=$(echo "$out" | python3 -c "import json,sys; print([r['run_id'] for r in json.load(sys.stdin)['imported'] if r['mlflow_run_id']=='$mlflow_id'][0])")
  run mlops runs show "$id" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["tags"]["mlflow.run_id"]')" "$mlflow_id"
  expect_eq "$(echo "$out" | json_get '["tags"]["mlflow.experiment"]')" "Default"
  expect_eq "$(echo "$out" | json_get '["params"]["model"]')" "xgboost"
  expect_eq "$(echo "$out" | json_get '["user"]')" "alice"
  expect_eq "$(echo "$out" | json_get '["status"]')" "finished"
  expect_eq "$(echo "$out" | json_get '["git"]["commit"]')" "$(cat "$dir/tags/mlflow.source.git.commit")"
  # Every point of the history, with its step and its timestamp (ms).
  expect_eq "$(echo "$out" | json_get '["metric_history"].__len__()')" 6
  expect_eq "$(echo "$out" | json_get '[[p["step"] for p in d["metric_history"] if p["key"]=="loss"]][0]' 2>/dev/null || echo "$out" | python3 -c 'import json,sys; print([p["step"] for p in json.load(sys.stdin)["metric_history"] if p["key"]=="loss"])')" "[0, 1, 2, 3]"
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print([p["value"] for p in json.load(sys.stdin)["metric_history"] if p["key"]=="val/acc"])')" "[0.5, 0.75]"
  expect_eq "$(echo "$out" | json_get '["metric_history"][0]["timestamp"]')" "2023-11-14T22:13:20.000Z"
  # Artifacts are stored by hash: a file and a folder.
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print(sorted(a["name"] for a in json.load(sys.stdin)["artifacts"]))')" "['model.pkl', 'plots']"
}

test_import_is_idempotent() {
  mlflow_repo --runs 4
  mlops import mlflow "$STORE" >/dev/null 2>&1
  local before
  before=$(db_dump)
  run mlops import mlflow "$STORE"
  expect_rc 0
  expect_out "0 runs imported (0 metric points), 4 already imported"
  expect_eq "$(db_dump)" "$before"
}

test_experiment_selects_and_unknown_experiment_is_refused() {
  mlflow_repo --runs 2 --experiments 3
  run mlops import mlflow "$STORE" --experiment exp-2
  expect_rc 0
  expect_out "2 runs imported"
  run mlops import mlflow "$STORE" --experiment exp-3x
  expect_rc 2
  expect_err "no experiment named 'exp-3x'"
  expect_err "did you mean"
}

test_dry_run_writes_nothing() {
  mlflow_repo --runs 3 --artifacts
  local before
  before=$(snapshot)
  run mlops import mlflow "$STORE" --dry-run
  expect_rc 0
  expect_out "dry run: 3 runs imported"
  expect_eq "$(snapshot)" "$before"
}

test_unknown_layout_is_refused_with_what_is_supported() {
  mlflow_repo --runs 2
  local dir before
  dir=$(first_run_dir)
  sed -i 's/^status: .*/status: 9/' "$dir/meta.yaml"
  before=$(snapshot)
  run mlops import mlflow "$STORE"
  expect_rc 2
  expect_err "is not in the MLflow 1.x-2.x file store layout (mlruns/): status '9' is not one of 1-5"
  expect_eq "$(snapshot)" "$before"
  mkdir -p "$TEST_ROOT/empty.$$/junk"
  run mlops import mlflow "$TEST_ROOT/empty.$$"
  expect_rc 2
  expect_err "a folder without meta.yaml"
  run mlops import mlflow "$TEST_ROOT/nowhere"
  expect_rc 2
}

test_malformed_metric_is_refused() {
  mlflow_repo --runs 2
  echo "12 notanumber 3" >>"$(first_run_dir)/metrics/loss"
  run mlops import mlflow "$STORE"
  expect_rc 2
  expect_err "is not 'timestamp value [step]'"
  expect_no_file .mlops/runs.db
}

test_artifact_climbing_out_is_refused() {
  mlflow_repo --runs 2 --artifacts
  ln -s /etc "$(first_run_dir)/artifacts/escape"
  local before
  before=$(snapshot)
  run mlops import mlflow "$STORE"
  expect_rc 2
  expect_err "artifact 'escape' of run"
  expect_err "climbs out of its folder"
  expect_eq "$(snapshot)" "$before"
  rm "$(first_run_dir)/artifacts/escape"
  sed -i 's|^artifact_uri: .*|artifact_uri: file:///tmp/../etc|' "$(first_run_dir)/meta.yaml"
  run mlops import mlflow "$STORE"
  expect_rc 2
  expect_err "climbs out of its folder"
}

run_tests "${1:-.}"
