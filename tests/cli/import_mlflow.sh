#!/usr/bin/env bash
# CLI tests: mlops import mlflow and mlops runs export --format mlflow, on MLflow file stores written
# by tests/fixtures/interop/mlflow_store.py (MLflow's FileStore layout; MLflow itself is not needed).
source "$(dirname "$0")/lib.sh"

GENERATOR="${MLOPS_SOURCE_DIR:?}/tests/fixtures/interop/mlflow_store.py"
# `mlops log` inside `mlops run` finds mlops on PATH, as a user's script would.
export PATH="$(dirname "$MLOPS"):$PATH"

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

# The records of every run, without the mlops ids (a new import gives new ones), by MLflow id.
records() { mlops runs export | python3 -c '
import json, sys
runs = json.load(sys.stdin)["runs"]
for r in runs:
    r.pop("id", None)
    for a in r.get("artifacts", []): a.pop("id", None)
print(json.dumps(sorted(runs, key=lambda r: r["tags"]["mlflow.run_id"]), sort_keys=True))'; }

test_round_trip_import_export_import_gives_the_same_records() {
  mlflow_repo --runs 5 --points 7 --experiments 2 --artifacts
  mlops import mlflow "$STORE" >/dev/null 2>&1
  local first
  first=$(records)
  run mlops runs export --format mlflow "$TEST_ROOT/out.$$"
  expect_rc 0
  expect_out "exported 10 runs to the MLflow store"
  # The store is laid out as MLflow's: experiments by id with their name, runs by their MLflow id.
  expect_file "$TEST_ROOT/out.$$/0/meta.yaml"
  grep -q "^name: 'Default'" "$TEST_ROOT/out.$$/0/meta.yaml" || fail "experiment 0 is not Default"
  expect_file "$TEST_ROOT/out.$$/0/$(basename "$(first_run_dir)")/metrics/val/acc"
  cmp "$(first_run_dir)/artifacts/model.pkl" "$TEST_ROOT/out.$$/0/$(basename "$(first_run_dir)")/artifacts/model.pkl" ||
    fail "artifact differs"
  # Exporting again writes nothing new.
  run mlops runs export --format mlflow "$TEST_ROOT/out.$$" --json
  expect_eq "$(echo "$out" | json_get '[r["written"] for r in d["runs"]].count(True)' 2>/dev/null || echo "$out" | python3 -c 'import json,sys; print([r["written"] for r in json.load(sys.stdin)["runs"]].count(True))')" 0
  # A fresh store importing the export has the same records.
  new_repo
  run mlops import mlflow "$TEST_ROOT/out.$$"
  expect_rc 0
  expect_out "10 runs imported"
  expect_eq "$(records)" "$first"
}

test_native_runs_export_to_mlflow_and_back() {
  new_repo
  mlops run --name native -- sh -c 'mlops log param lr 0.1 && mlops log metric loss 0.5 --step 1 && mlops log metric loss 0.25 --step 2' >/dev/null 2>&1 ||
    fail "mlops run failed"
  run mlops runs export --format mlflow -o "$TEST_ROOT/native.$$"
  expect_rc 0
  new_repo
  run mlops import mlflow "$TEST_ROOT/native.$$" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["imported"][0]["name"]')" "native"
  expect_eq "$(echo "$out" | json_get '["imported"][0]["metric_points"]')" 2
}

test_export_mlflow_bad_input_changes_nothing() {
  mlflow_repo --runs 2
  mlops import mlflow "$STORE" >/dev/null 2>&1
  local before
  before=$(db_dump)
  run mlops runs export --format mlflow
  expect_rc 2
  expect_err "needs the folder"
  run mlops runs export --format csv out
  expect_rc 2
  mkdir -p "$TEST_ROOT/notmlflow.$$/junk"
  run mlops runs export --format mlflow "$TEST_ROOT/notmlflow.$$"
  expect_rc 2
  expect_err "a folder without meta.yaml"
  expect_eq "$(db_dump)" "$before"
  expect_no_file out
  expect_eq "$(ls -A "$TEST_ROOT/notmlflow.$$")" "junk"
}

run_tests "${1:-.}"
