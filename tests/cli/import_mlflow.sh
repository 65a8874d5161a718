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

test_two_imports_at_once_import_each_run_once() {
  mlflow_repo --runs 300 --points 20 --artifacts
  mlops import mlflow "$STORE" --json >"$TEST_ROOT/first.$$" 2>/dev/null &
  local first=$!
  mlops import mlflow "$STORE" --json >"$TEST_ROOT/second.$$" 2>/dev/null
  local rc=$?
  wait "$first" || fail "the first import failed"
  expect_eq "$rc" 0
  expect_eq "$(mlops runs list --ids | wc -l)" 300
  expect_eq "$(mlops runs list --columns tags.mlflow.run_id --json | python3 -c '
import json, sys
ids = [r["tags"]["mlflow.run_id"] for r in json.load(sys.stdin)["runs"]]
print(len(ids) - len(set(ids)))')" 0
  # Between them, each run was imported once and found by the other.
  expect_eq "$(python3 -c '
import json, sys
docs = [json.load(open(f)) for f in sys.argv[1:]]
print(sum(len(d["imported"]) for d in docs), sum(len(d["already_imported"]) for d in docs))' "$TEST_ROOT/first.$$" "$TEST_ROOT/second.$$")" "300 300"
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
  expect_out "dry run: 3 runs would be imported"
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

test_artifact_links_inside_the_run_are_stored_as_what_they_point_to() {
  mlflow_repo --runs 1 --artifacts
  local dir
  dir=$(first_run_dir)
  ln -s loss.txt "$dir/artifacts/plots/latest.txt"
  ln -s model.pkl "$dir/artifacts/alias.pkl"
  run mlops import mlflow "$STORE"
  expect_rc 0
  expect_out "1 run imported"
  run mlops runs show "$(mlops runs list --ids)" --json
  expect_eq "$(echo "$out" | python3 -c '
import json, sys
a = {x["name"]: x for x in json.load(sys.stdin)["artifacts"]}
print(a["plots"]["files"], a["alias.pkl"]["kind"], a["alias.pkl"]["hash"] == a["model.pkl"]["hash"])')" "2 file True"
  # A file link leaving the run's folder is refused like a folder link, naming it.
  ln -s /etc/passwd "$dir/artifacts/plots/passwd"
  new_repo
  run mlops import mlflow "$STORE"
  expect_rc 2
  expect_err "artifact 'plots/passwd' of run"
  expect_no_file .mlops/runs.db
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
  grep -qx "name: Default" "$TEST_ROOT/out.$$/0/meta.yaml" || fail "experiment 0 is not Default"
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
  git commit -q --allow-empty -m first
  git checkout -q -b feature
  mlops run --name native -- sh -c 'mlops log param lr 0.1 && mlops log metric loss 0.5 --step 1 && mlops log metric loss 0.25 --step 2' >/dev/null 2>&1 ||
    fail "mlops run failed"
  local commit user
  commit=$(git rev-parse HEAD)
  user=$(mlops runs show "$(mlops runs list --ids)" --json | json_get '["user"]')
  run mlops runs export --format mlflow -o "$TEST_ROOT/native.$$"
  expect_rc 0
  # The tags MLflow sets itself, which the import maps back to the run's fields.
  local tags
  tags=$(echo "$TEST_ROOT/native.$$"/0/*/tags)
  expect_eq "$(cat "$tags/mlflow.source.git.commit")" "$commit"
  expect_eq "$(cat "$tags/mlflow.source.git.branch")" "feature"
  expect_eq "$(cat "$tags/mlflow.runName")" "native"
  expect_eq "$(cat "$tags/mlflow.user")" "$user"
  expect_eq "$(cat "$tags/mlflow.source.name")" "sh -c mlops log param lr 0.1 && mlops log metric loss 0.5 --step 1 && mlops log metric loss 0.25 --step 2"
  new_repo
  run mlops import mlflow "$TEST_ROOT/native.$$" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["imported"][0]["name"]')" "native"
  expect_eq "$(echo "$out" | json_get '["imported"][0]["metric_points"]')" 2
  run mlops runs show "$(mlops runs list --ids)" --json
  expect_eq "$(echo "$out" | json_get '["git"]["commit"]')" "$commit"
  expect_eq "$(echo "$out" | json_get '["git"]["branch"]')" "feature"
  expect_eq "$(echo "$out" | json_get '["user"]')" "$user"
  # Exported again, the imported run keeps exactly the same tags.
  run mlops runs export --format mlflow -o "$TEST_ROOT/native2.$$"
  expect_eq "$(cd "$TEST_ROOT/native2.$$"/0/*/tags && grep -r . | sort)" "$(cd "$tags" && grep -r . | sort)"
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

# A store with a registry whose runs ran on two commits of the test repository (run-0 on the first,
# run-1 and run-2 on the second): see --models in the generator.
registry_repo() {
  new_repo
  echo a >a.txt && git add a.txt && git commit -qm first
  local first second
  first=$(git rev-parse HEAD)
  echo b >b.txt && git add b.txt && git commit -qm second
  second=$(git rev-parse HEAD)
  STORE="$TEST_ROOT/mlruns.$current_test"
  python3 "$GENERATOR" "$STORE" --runs 3 --artifacts --models --commits "$first,$second" "$@" || fail "generator failed"
  FIRST=$first SECOND=$second
}
# The stages of MODEL and the versions holding them, and its latest version.
stages_of() { mlops model show "$1" --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sorted((s, v["version"]) for v in d["versions"] for s in v["stages"]))'; }
# "model vN outcome" for every version of the import's JSON in $out.
outcomes() { echo "$out" | python3 -c '
import json, sys
for v in json.load(sys.stdin)["model_versions"]:
    print(v["model"], v["version"], v["outcome"], ",".join(v["stages"]), "deregistered" if v["deregistered"] else "")'; }

test_registered_models_become_registry_versions() {
  registry_repo
  run mlops import mlflow "$STORE" --json
  expect_rc 0
  expect_eq "$(outcomes)" "churn v0.0.1 registered  deregistered
churn v0.0.2 registered production 
churn v0.0.3 skipped  
churn v0.0.4 skipped  
churn v0.0.5 skipped  
plots v0.0.1 registered staging "
  local reasons
  reasons=$(echo "$out" | python3 -c 'import json,sys; print("\n".join(v["reason"] for v in json.load(sys.stdin)["model_versions"] if v["reason"]))')
  [[ "$reasons" == *"is failed: only a finished run's artifact is registered"* ]] || fail "failed run: $reasons"
  [[ "$reasons" == *"v0.0.2 of 'churn' is registered at the same commit"* ]] || fail "same commit: $reasons"
  [[ "$reasons" == *"is not among the runs imported"* ]] || fail "unknown run: $reasons"
  # The alias 'champion' is not an allowed stage by default: left out, with the command to give it.
  expect_eq "$(echo "$out" | json_get '["notes"].__len__()')" 1
  expect_eq "$(echo "$out" | json_get '["notes"][0]')" "'churn' v0.0.2 (MLflow version 2) was not given the stage 'champion': not in registry.stages of .mlops/config.yaml; add it, then: mlops model promote churn v0.0.2 --to champion"
  # The registry: on the run's commit, the run's artifact, the imported run as lineage.
  expect_eq "$(git rev-list -n1 churn@v0.0.2)" "$SECOND"
  expect_eq "$(git rev-list -n1 plots@v0.0.1)" "$FIRST"
  expect_eq "$(stages_of churn)" "[('production', 'v0.0.2')]"
  expect_eq "$(mlops model show churn --json | json_get '["latest"]')" "v0.0.2"
  run mlops model get churn@v0.0.2 -o "$TEST_ROOT/got.$$"
  expect_rc 0
  expect_eq "$(cat "$TEST_ROOT/got.$$")" "weights of run 1"
  run mlops model get plots#staging -o "$TEST_ROOT/plot.$$"
  expect_rc 0
  expect_eq "$(cat "$TEST_ROOT/plot.$$")" "plot 0"
}

test_models_without_aliases_are_read() {
  # MLflow makes aliases/ only when an alias is first set: a model without one has no such folder.
  registry_repo
  rm -rf "$STORE/models/churn/aliases"
  mkdir "$STORE/models/half-made"  # a model folder without meta.yaml is none
  run mlops import mlflow "$STORE" --json
  expect_rc 0
  expect_eq "$(stages_of churn)" "[('production', 'v0.0.2')]"
  expect_eq "$(stages_of plots)" "[('staging', 'v0.0.1')]"
}

test_ctrl_c_never_leaves_the_registry_half_imported() {
  # 60 versions of one model, each on a commit of its own, with stages and an archived one: a
  # Ctrl-C anywhere, then the import again, must give the registry an uninterrupted import gives.
  new_repo
  local i
  for i in $(seq 1 60); do echo "$i" >f && git add f && git commit -qm "c$i"; done
  STORE="$TEST_ROOT/mlruns.$current_test"
  python3 - "$STORE" <<'PY' || fail "store"
import os, subprocess, sys
root = sys.argv[1]
commits = subprocess.run(["git", "rev-list", "--reverse", "HEAD"], capture_output=True, text=True).stdout.split()
def w(p, t):
    os.makedirs(os.path.dirname(p), exist_ok=True); open(p, "w").write(t)
w(f"{root}/0/meta.yaml", f"experiment_id: '0'\nname: Default\nlifecycle_stage: active\nartifact_location: file://{root}/0\n")
w(f"{root}/models/m/meta.yaml", "name: m\n")
for i, c in enumerate(commits):
    rid, n = "%032x" % (i + 1), i + 1
    d = f"{root}/0/{rid}"
    w(f"{d}/meta.yaml", f"run_id: {rid}\nexperiment_id: '0'\nstatus: 3\nstart_time: {1700000000000 + i}\nend_time: {1700000000001 + i}\nlifecycle_stage: active\nartifact_uri: file://{d}/artifacts\n")
    w(f"{d}/tags/mlflow.source.git.commit", c)
    w(f"{d}/artifacts/model.pkl", f"model {i}")
    stage = {60: "Production", 30: "Staging", 45: "Archived"}.get(n, "None")
    w(f"{root}/models/m/version-{n}/meta.yaml", f"name: m\nversion: {n}\ncurrent_stage: {stage}\nrun_id: {rid}\nsource: runs:/{rid}/model.pkl\nstatus: READY\n")
PY
  local base=$PWD want delay rc
  cp -a "$base" "$TEST_ROOT/reference.$$"
  (cd "$TEST_ROOT/reference.$$" && mlops import mlflow "$STORE" >/dev/null 2>&1) || fail "the uninterrupted import failed"
  want=$(cd "$TEST_ROOT/reference.$$" && git tag -l | sort)
  [[ "$want" == *"m#staging"* && "$want" == *"m@v0.0.45!"* ]] || fail "reference registry: $want"
  for delay in 0.05 0.15 0.3 0.5; do
    rm -rf "$TEST_ROOT/cut.$$" && cp -a "$base" "$TEST_ROOT/cut.$$" && cd "$TEST_ROOT/cut.$$"
    timeout -s INT "$delay" "$MLOPS" import mlflow "$STORE" >/dev/null 2>"$TEST_ROOT/cut.err"
    rc=$?
    [[ $rc -eq 0 || $rc -eq 130 || $rc -eq 124 ]] || fail "interrupted at $delay s: exit $rc: $(cat "$TEST_ROOT/cut.err")"
    # Said, unless the signal came before the import began (a slow start, under the sanitizers):
    # then nothing was written.
    if [[ $rc -ne 0 ]] && ! grep -q "interrupted" "$TEST_ROOT/cut.err"; then
      [[ "$("$MLOPS" runs list --ids 2>/dev/null | wc -l)" -eq 0 ]] || fail "no word of the interruption at $delay s"
    fi
    run mlops import mlflow "$STORE"
    expect_rc 0
    expect_eq "$(git tag -l | sort)" "$want"
    cd "$base"
  done
}

test_of_versions_at_one_commit_the_one_in_the_highest_stage_is_registered() {
  # Every run on one commit: MLflow's v1 (Archived), v2 (Production, alias champion), v4 (no
  # stage) all name it. The registry's one version of that commit is the production one.
  new_repo
  echo a >a.txt && git add a.txt && git commit -qm first
  STORE="$TEST_ROOT/mlruns.$current_test"
  python3 "$GENERATOR" "$STORE" --runs 3 --artifacts --models --commits "$(git rev-parse HEAD)" || fail "generator failed"
  run mlops import mlflow "$STORE" --json
  expect_rc 0
  expect_eq "$(stages_of churn)" "[('production', 'v0.0.2')]"
  expect_eq "$(mlops model show churn --json | json_get '["latest"]')" "v0.0.2"
  [[ "$out" == *"v0.0.2 of 'churn' (MLflow version 2) is registered at the same commit"*"instead"* ]] || fail "no reason for v1: $out"
}

test_registered_version_names_the_data_versions_of_its_commit() {
  new_repo
  echo a >a.txt && git add a.txt && git commit -qm first
  local first second
  first=$(git rev-parse HEAD)
  echo 'x,y' >data.csv
  mlops data add data.csv >/dev/null 2>&1 || fail "data add failed"
  git add data.csv.mlops .gitignore && git commit -qm second
  second=$(git rev-parse HEAD)
  STORE="$TEST_ROOT/mlruns.$current_test"
  python3 "$GENERATOR" "$STORE" --runs 3 --artifacts --models --commits "$first,$second" || fail "generator failed"
  run mlops import mlflow "$STORE"
  expect_rc 0
  # MLflow records no data versions: the commit's pointers are what the run trained on.
  run mlops model show churn@v0.0.2 --json
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print([d["path"] for d in json.load(sys.stdin)["data"]])')" "['data.csv']"
  run mlops model show plots@v0.0.1 --json
  expect_eq "$(echo "$out" | json_get '["data"]')" "[]"
  # Its run has no command line to rerun: the hint says where it came from.
  run mlops repro churn@v0.0.2 --dry-run
  expect_rc 2
  expect_err "it was imported from MLflow (run "
}

test_model_show_json_writes_a_nan_metric_as_runs_show_does() {
  registry_repo
  local d
  for d in "$STORE"/0/*/; do echo "1700000000000 nan 0" >"$d/metrics/grad_norm"; done
  mlops import mlflow "$STORE" >/dev/null 2>&1
  run mlops model show churn@v0.0.2 --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["metrics"]["grad_norm"]')" "NaN"
  run mlops runs show "$(echo "$out" | json_get '["run"]')" --json
  expect_eq "$(echo "$out" | json_get '["metrics"]["grad_norm"]["value"]')" "NaN"
}

test_registry_import_is_idempotent_and_dry_run_writes_nothing() {
  registry_repo
  local before
  before=$(snapshot; git tag)
  run mlops import mlflow "$STORE" --dry-run
  expect_rc 0
  expect_out "would register churn@v0.0.2 (MLflow version 2) from model.pkl #production"
  expect_out "dry run: 3 model versions would be registered, 0 already registered, 3 skipped"
  expect_eq "$(snapshot; git tag)" "$before"
  mlops import mlflow "$STORE" >/dev/null 2>&1 || fail "first import failed"
  local tags
  tags=$(git tag)
  run mlops import mlflow "$STORE"
  expect_rc 0
  expect_out "0 model versions registered, 3 already registered, 3 skipped"
  expect_eq "$(git tag)" "$tags"
}

test_aliases_become_stages_the_registry_allows() {
  registry_repo
  sed -i 's/stages: \[dev, staging, production\]/stages: [dev, staging, production, champion]/' .mlops/config.yaml
  run mlops import mlflow "$STORE" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["notes"]')" "[]"
  expect_eq "$(stages_of churn)" "[('champion', 'v0.0.2'), ('production', 'v0.0.2')]"
}

test_model_versions_of_commits_elsewhere_are_skipped_and_named() {
  new_repo
  STORE="$TEST_ROOT/mlruns.$current_test"
  python3 "$GENERATOR" "$STORE" --runs 3 --artifacts --models || fail "generator failed"
  run mlops import mlflow "$STORE"
  expect_rc 0
  expect_out "3 runs imported"
  expect_out "is not in this repository (fetch it, or import where the run was made)"
  expect_out "0 model versions registered, 0 already registered, 6 skipped"
  expect_eq "$(git tag)" ""
}

test_malformed_registry_is_refused_before_anything_is_written() {
  registry_repo
  sed -i 's/^version: 2$/version: two/' "$STORE/models/churn/version-2/meta.yaml"
  local before
  before=$(snapshot; git tag)
  run mlops import mlflow "$STORE"
  expect_rc 2
  expect_err "version-2/meta.yaml' is not an MLflow model registry file: no version number"
  expect_eq "$(snapshot; git tag)" "$before"
}

SCHEMA="${MLOPS_SOURCE_DIR:?}/tests/fixtures/interop/mlflow_schema.sql"
TO_SQL="${MLOPS_SOURCE_DIR:?}/tests/fixtures/interop/mlflow_sql.py"
# $STORE as an MLflow 2.x SQLite database, $DB (made with the sqlite3 program from the schema script).
make_db() {
  DB="$TEST_ROOT/mlflow.$current_test.$RANDOM.db"
  sqlite3 "$DB" <"$SCHEMA" || fail "schema failed"
  python3 "$TO_SQL" "$STORE" | sqlite3 "$DB" || fail "inserts failed"
}

test_runs_whose_artifacts_are_on_a_server_are_named() {
  mlflow_repo --runs 3 --artifacts
  make_db
  # An MLflow tracking server's database: artifacts behind mlflow-artifacts:/, not on this machine.
  sqlite3 "$DB" "UPDATE runs SET artifact_uri = 'mlflow-artifacts:/0/' || run_uuid || '/artifacts'" || fail "update"
  run mlops import mlflow "sqlite:///$DB" --dry-run
  expect_rc 0
  expect_err "3 runs would be imported without their artifacts: they are on a server (mlflow-artifacts:/0/"
  run mlops import mlflow "sqlite:///$DB"
  expect_rc 0
  expect_err "3 runs were imported without their artifacts"
  expect_err "download the artifacts into an MLflow file store and import that instead"
}

test_sqlite_database_imports_the_same_records_as_the_file_store() {
  registry_repo --points 6 --experiments 2
  # NaN and infinities, which the database keeps as is_nan and +-DBL_MAX.
  printf '1700000000100 nan 7\n1700000000200 inf 8\n1700000000300 -inf 9\n' >>"$(first_run_dir)/metrics/loss"
  make_db
  local clone="$TEST_ROOT/clone.$current_test"
  git clone -q . "$clone" && (cd "$clone" && mlops init >/dev/null 2>&1) || fail "clone failed"
  run mlops import mlflow "$STORE" --json
  expect_rc 0
  local from_files versions_files models_files
  from_files=$(records)
  versions_files=$(outcomes)
  models_files=$(stages_of churn)
  cd "$clone" || return
  local db_sum
  db_sum=$(md5sum <"$DB")
  run mlops import mlflow "sqlite:///$DB" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["imported"].__len__()')" 6
  expect_eq "$(records)" "$from_files"
  expect_eq "$(outcomes)" "$versions_files"
  expect_eq "$(stages_of churn)" "$models_files"
  expect_eq "$(git rev-list -n1 churn@v0.0.2)" "$SECOND"
  # Read only; and a second import adds nothing.
  expect_eq "$(md5sum <"$DB")" "$db_sum"
  run mlops import mlflow "sqlite:///$DB"
  expect_rc 0
  expect_out "0 runs imported (0 metric points), 6 already imported"
  expect_out "0 model versions registered, 3 already registered"
  # An experiment by name, as from the file store.
  run mlops import mlflow "sqlite:///$DB" --experiment exp-2
  expect_rc 2
  expect_err "no experiment named 'exp-2'"
  expect_err "did you mean 'exp-1'?"
}

test_sqlite_unknown_schema_is_refused_with_the_versions_supported() {
  mlflow_repo --runs 2
  make_db
  sqlite3 "$DB" "UPDATE alembic_version SET version_num = '400f98739977'"
  local before db_sum
  before=$(snapshot)
  db_sum=$(md5sum <"$DB")
  run mlops import mlflow "sqlite:///$DB"
  expect_rc 2
  expect_err "is not an MLflow 2.x database mlops can read: unknown schema revision '400f98739977'"
  expect_err "hint: mlops reads the MLflow 2.x schema revisions (alembic_version) 97727af70f4d,"
  expect_err "0584bdc529eb"
  expect_err "'mlflow db upgrade sqlite:///COPY.db'; MLflow 3's databases are not read"
  expect_eq "$(snapshot)" "$before"
  expect_eq "$(md5sum <"$DB")" "$db_sum"
  sqlite3 "$DB" "DROP TABLE alembic_version"
  run mlops import mlflow "sqlite:///$DB"
  expect_rc 2
  expect_err "it has no alembic_version table"
  echo "not a database at all, just text that is long enough to be read as a header" >"$TEST_ROOT/junk.$$.db"
  run mlops import mlflow "sqlite:///$TEST_ROOT/junk.$$.db"
  expect_rc 2
  expect_err "is not an SQLite database: file is not a database"
  expect_err "hint: name an MLflow SQLite database (sqlite:///mlflow.db) or file store (mlruns/)"
  run mlops import mlflow "sqlite:///$TEST_ROOT/missing.db"
  expect_rc 2
  expect_err "no MLflow database"
  expect_no_file "$TEST_ROOT/missing.db"
  expect_eq "$(snapshot)" "$before"
}

test_wrong_sources_are_named_as_what_they_are() {
  mlflow_repo --runs 2
  make_db
  local before
  before=$(snapshot)
  run mlops import mlflow "$DB"
  expect_rc 2
  expect_err "'$DB' is a SQLite file, not a folder"
  expect_err "hint: name it as a database: sqlite:///$DB"
  run mlops import mlflow "sqlite://relative/mlflow.db"
  expect_rc 2
  expect_err "is not a SQLite URI: SQLAlchemy's form has three slashes"
  expect_err "write sqlite:///relative/mlflow.db"
  run mlops import mlflow postgresql://user@db/mlflow
  expect_rc 2
  expect_err "is a postgresql database: mlops reads MLflow's SQLite databases and file stores only"
  run mlops import mlflow http://localhost:5000
  expect_rc 2
  expect_err "is a tracking server"
  expect_err "--backend-store-uri"
  run mlops import mlflow "$STORE/0"
  expect_rc 2
  expect_err "is one experiment's folder of an MLflow file store, not the store"
  expect_err "hint: name the store, '$STORE', with --experiment NAME"
  run mlops import mlflow "$(first_run_dir)"
  expect_rc 2
  expect_err "is one run's folder"
  expect_eq "$(snapshot)" "$before"
  # An export names what it can write to.
  mkdir -p "$TEST_ROOT/notmlflow.$$/junk"
  run mlops runs export --format mlflow "$TEST_ROOT/notmlflow.$$"
  expect_rc 2
  expect_err "hint: export into a new or empty folder, or into an MLflow file store"
}

run_tests "${1:-.}"
