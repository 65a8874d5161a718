#!/usr/bin/env bash
# CLI tests: mlops run, run start/end, log, runs list/show/compare/diff/delete/export/import.
source "$(dirname "$0")/lib.sh"

# `mlops log` inside a run finds mlops on PATH, as a user's script would.
export PATH="$(dirname "$MLOPS"):$PATH"

# A repository with one commit, so that runs have a commit to record.
new_committed_repo() {
  new_repo
  echo "print('hi')" > train.py
  git add -A && git commit -qm "first"
}

# Evaluates a Python expression over the JSON document on stdin, bound to d.
json_eval() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# The id of the newest run.
last_run() { mlops runs list --csv | sed -n 2p | cut -d, -f1; }

# A fingerprint of the runs database's content (not its bytes: WAL checkpoints move those).
db_dump() { python3 - <<'EOF'
import sqlite3
db = sqlite3.connect(".mlops/runs.db")
for table in ["runs", "params", "tags", "metrics", "latest_metrics", "artifacts", "data_versions"]:
    for row in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
        print(table, row)
EOF
}

test_run_records_everything() {
  new_committed_repo
  cat > train.sh <<'EOF'
echo "training on stdout"
echo "warning on stderr" >&2
for i in 1 2 3; do mlops log metric loss 0.$((10 - i)) --step $i; done
mlops log param lr 0.01
mlops log tag stage smoke
echo '{"acc": 0.91, "nested": {"f1": 0.8}}' > metrics.json
echo "run id is $MLOPS_RUN_ID"
EOF
  run mlops run --name first --param model=rf --tag team=vision --metrics-file metrics.json -- bash train.sh
  expect_rc 0
  expect_out "training on stdout"
  expect_err "warning on stderr"
  expect_err "finished (exit 0)"
  local id
  id=$(last_run)
  expect_out "run id is $id"
  run mlops runs show "$id" --json
  expect_rc 0
  local doc=$out
  expect_eq "$(json_get '["name"]' <<<"$doc")" "first"
  expect_eq "$(json_get '["status"]' <<<"$doc")" "finished"
  expect_eq "$(json_get '["exit_code"]' <<<"$doc")" "0"
  expect_eq "$(json_get '["command"]' <<<"$doc")" "['bash', 'train.sh']"
  expect_eq "$(json_get '["params"]' <<<"$doc")" "{'lr': '0.01', 'model': 'rf'}"
  # mlops.outputs keeps the --artifact and --metrics-file paths for repro.
  expect_eq "$(json_get '["tags"]' <<<"$doc")" "{'mlops.outputs': '{\"artifacts\":[],\"metrics_files\":[\"metrics.json\"]}', 'stage': 'smoke', 'team': 'vision'}"
  expect_eq "$(json_get '["metrics"]["loss"]["value"]' <<<"$doc")" "0.7"
  expect_eq "$(json_get '["metrics"]["loss"]["step"]' <<<"$doc")" "3"
  expect_eq "$(json_get '["metrics"]["acc"]["value"]' <<<"$doc")" "0.91"
  expect_eq "$(json_get '["metrics"]["nested.f1"]["value"]' <<<"$doc")" "0.8"
  expect_eq "$(json_get '["git"]["commit"]' <<<"$doc")" "$(git rev-parse HEAD)"
  expect_eq "$(json_get '["git"]["branch"]' <<<"$doc")" "main"
  expect_eq "$(json_get '["user"]' <<<"$doc")" "${USER:-$(id -un)}"
  expect_eq "$(json_get '["host"]' <<<"$doc")" "$(hostname)"
  expect_eq "$(json_get '["environment"]["os"] != ""' <<<"$doc")" "True"
  expect_eq "$(json_get '["environment"]["kernel"].startswith("Linux")' <<<"$doc")" "True"
  expect_eq "$(json_get '["environment"]["tool.python3"].startswith("Python 3")' <<<"$doc")" "True"
  expect_eq "$(json_get '["duration"] >= 0' <<<"$doc")" "True"
  expect_eq "$(json_eval '[p["value"] for p in d["metric_history"] if p["key"] == "loss"]' <<<"$doc" | tr -d ' ')" "[0.9,0.8,0.7]"
  # stdout and stderr are kept as the artifact output.log, in the cache by hash.
  local hash
  hash=$(json_eval '[a["hash"] for a in d["artifacts"] if a["name"] == "output.log"][0]' <<<"$doc")
  local object=".mlops/cache/${hash:5:2}/${hash:7}"
  expect_file "$object"
  grep -q "training on stdout" "$object" || fail "output.log lacks stdout"
  grep -q "warning on stderr" "$object" || fail "output.log lacks stderr"
  run mlops runs show "${id:0:12}"
  expect_rc 0
  expect_out "first"
  expect_out "loss"
}

test_run_exit_codes_and_status() {
  new_committed_repo
  run mlops run -- sh -c 'exit 3'
  expect_rc 3
  expect_eq "$(mlops runs show "$(last_run)" --json | json_get '["status"]')" "failed"
  expect_eq "$(mlops runs show "$(last_run)" --json | json_get '["exit_code"]')" "3"
  run mlops run -- true
  expect_rc 0
  expect_eq "$(mlops runs show "$(last_run)" --json | json_get '["status"]')" "finished"
}

test_run_missing_command_is_127() {
  new_committed_repo
  run mlops run -- no-such-command-xyz --flag
  expect_rc 127
  expect_err "command 'no-such-command-xyz' not found"
  local doc
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_get '["status"]' <<<"$doc")" "failed"
  expect_eq "$(json_get '["exit_code"]' <<<"$doc")" "127"
}

test_run_without_command_is_usage_error() {
  new_committed_repo
  run mlops run --name x
  expect_rc 2
  expect_err "no command to run"
  expect_no_file .mlops/runs.db
}

test_run_option_after_command_is_the_commands() {
  new_committed_repo
  # From the command's first word on, every word is the command's, as with env, nice or docker run.
  run mlops run echo hi --name x
  expect_rc 0
  expect_out "hi --name x"
  expect_eq "$(mlops runs list --limit 1 --csv | sed -n 2p | cut -d, -f2)" "echo"
  # With '--', the command's own options are its own, in order.
  run mlops run --name x -- echo hi --name y
  expect_rc 0
  expect_out "hi --name y"
}

test_run_sigterm_reaches_child_and_run_is_killed() {
  new_committed_repo
  cat > slow.sh <<'EOF'
trap 'echo got-term > term.txt; exit 143' TERM
echo started > started.txt
while true; do sleep 0.05; done
EOF
  "$MLOPS" run -- bash slow.sh >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do [[ -e started.txt ]] && break; sleep 0.05; done
  kill -TERM "$pid"
  wait "$pid"
  rc=$?
  expect_rc 143
  expect_file term.txt
  expect_eq "$(mlops runs show "$(last_run)" --json | json_get '["status"]')" "killed"
}

test_run_sigint_to_child_ends_killed() {
  new_committed_repo
  run mlops run -- sh -c 'kill -INT $$'
  expect_rc 130
  expect_eq "$(mlops runs show "$(last_run)" --json | json_get '["status"]')" "killed"
}

# The status of run $1 as stored, read without mlops (which would mark it first).
stored_status() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(".mlops/runs.db").execute("select status from runs where id=?", (sys.argv[1],)).fetchone()[0])' "$1"; }

test_run_whose_mlops_process_died_is_marked_killed() {
  new_committed_repo
  "$MLOPS" run -- sleep 30 >/dev/null 2>&1 &
  local pid=$! child="" id=""
  for _ in $(seq 200); do
    child=$(pgrep -P "$pid" sleep)
    [[ -n "$child" ]] && break
    sleep 0.05
  done
  [[ -n "$child" ]] || fail "the command did not start"
  id=$(python3 -c 'import sqlite3; print(sqlite3.connect(".mlops/runs.db").execute("select id from runs").fetchone()[0])')
  # While mlops run lives, the run is running, and listing it changes nothing.
  run mlops runs list --csv
  expect_rc 0
  expect_out "$id"
  expect_eq "$(mlops runs show "$id" --json | json_get '["status"]')" "running"
  expect_eq "$(stored_status "$id")" "running"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  kill "$child" 2>/dev/null
  run mlops runs list --json
  expect_rc 0
  expect_err "run $id was left running by an 'mlops run' process that is gone: marked killed"
  expect_eq "$(json_get '["runs"][0]["status"]' <<<"$out")" "killed"
  expect_eq "$(stored_status "$id")" "killed"
  # Persisted: the next look neither warns again nor changes it back.
  run mlops runs show "$id" --json
  expect_rc 0
  expect_eq "$(json_get '["status"]' <<<"$out")" "killed"
  expect_eq "$err" ""
}

test_running_run_is_marked_killed_only_when_its_process_is_certainly_gone() {
  new_committed_repo
  local id
  id=$(mlops run start --name watched)
  # Point the run at a watcher by hand: this test's shell ($$), alive, with its true start time.
  local start boot host
  start=$(python3 -c 'import sys; s=open(f"/proc/{sys.argv[1]}/stat").read(); print(s[s.rindex(")")+2:].split()[19])' $$)
  boot=$(cat /proc/sys/kernel/random/boot_id)
  host=$(hostname)
  set_watcher() {
    python3 -c 'import sqlite3,sys; db=sqlite3.connect(".mlops/runs.db"); db.execute("update runs set status=?, host=?, watcher_pid=?, watcher_start=?, watcher_boot=? where id=?", sys.argv[1:]); db.commit()' running "$@" "$id"
  }
  set_watcher "$host" $$ "$start" "$boot"
  run mlops runs list
  expect_rc 0
  expect_eq "$(stored_status "$id")" "running"
  # Another host's process cannot be checked from here: left alone, even with a pid gone here.
  set_watcher other-host 999999999 "$start" "$boot"
  run mlops runs show "$id"
  expect_rc 0
  expect_eq "$(stored_status "$id")" "running"
  # The pid now belongs to a process that started at another time: the watcher is gone.
  set_watcher "$host" $$ $((start + 1)) "$boot"
  run mlops runs show "$id"
  expect_rc 0
  expect_err "marked killed"
  expect_eq "$(stored_status "$id")" "killed"
  # The machine booted again since (a crash): gone, whatever runs with that pid now.
  set_watcher "$host" $$ "$start" "00000000-0000-0000-0000-000000000000"
  run mlops runs list
  expect_eq "$(stored_status "$id")" "killed"
  # A run opened with `run start` has no watcher and stays running after its process ended.
  id=$(mlops run start)
  run mlops runs list
  expect_eq "$(stored_status "$id")" "running"
}

test_runs_database_of_version_1_is_upgraded() {
  new_committed_repo
  local id
  id=$(mlops run start --name old)
  python3 - <<'PY'
import sqlite3
db = sqlite3.connect(".mlops/runs.db")
db.executescript("""DROP INDEX runs_watched; ALTER TABLE runs DROP COLUMN watcher_pid;
ALTER TABLE runs DROP COLUMN watcher_start; ALTER TABLE runs DROP COLUMN watcher_boot; PRAGMA user_version = 1;""")
PY
  run mlops runs list --csv
  expect_rc 0
  expect_out "$id"
  expect_eq "$(python3 -c 'import sqlite3; db=sqlite3.connect(".mlops/runs.db"); print(db.execute("pragma user_version").fetchone()[0], "watcher_pid" in [r[1] for r in db.execute("pragma table_info(runs)")])')" "2 True"
  run mlops run -- true
  expect_rc 0
}

test_run_stdin_passes_through() {
  new_committed_repo
  out=$(echo "from stdin" | mlops run -- cat 2>/dev/null)
  expect_eq "$out" "from stdin"
}

test_params_file_flattens_and_param_overrides() {
  new_committed_repo
  cat > params.yaml <<'EOF'
model:
  name: rf
  depth: 7
optimizer:
  lr: 0.010
layers: [64, 32]
EOF
  run mlops run --params-file params.yaml --param model.depth=9 -- true
  expect_rc 0
  local doc
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_get '["params"]' <<<"$doc")" "{'layers': '[64, 32]', 'model.depth': '9', 'model.name': 'rf', 'optimizer.lr': '0.010'}"
  echo '{"a": {"b": true}}' > params.json
  run mlops run --params-file params.json -- true
  expect_eq "$(mlops runs show "$(last_run)" --json | json_get '["params"]')" "{'a.b': 'true'}"
}

test_malformed_params_file_creates_no_run() {
  new_committed_repo
  printf 'a: [1, 2\nb: 3\n' > params.yaml
  run mlops run --params-file params.yaml -- touch ran.txt
  expect_rc 2
  expect_err "malformed file 'params.yaml'"
  expect_err "line"
  expect_no_file ran.txt
  expect_no_file .mlops/runs.db
  run mlops run --params-file missing.yaml -- touch ran.txt
  expect_rc 2
  expect_err "missing.yaml"
  expect_no_file ran.txt
  run mlops run --param novalue -- touch ran.txt
  expect_rc 2
  expect_err "'novalue' given to --param is not KEY=VALUE"
  expect_no_file ran.txt
}

test_metrics_files_json_yaml_csv() {
  new_committed_repo
  cat > make.sh <<'EOF'
printf 'acc: 0.5\nloss: [0.9, 0.5, 0.25]\nbad: .nan\n' > m.yaml
printf 'step,name,value\n1,auc,0.7\n2,auc,0.8\n3,auc,0.75\n' > m.csv
echo '{"f1": 0.66}' > m.json
EOF
  run mlops run --metrics-file m.yaml --metrics-file m.csv --metrics-file m.json -- bash make.sh
  expect_rc 0
  local doc
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_get '["metrics"]["acc"]["value"]' <<<"$doc")" "0.5"
  expect_eq "$(json_get '["metrics"]["loss"]["value"]' <<<"$doc")" "0.25"
  expect_eq "$(json_get '["metrics"]["loss"]["step"]' <<<"$doc")" "2"
  expect_eq "$(json_get '["metrics"]["auc"]["value"]' <<<"$doc")" "0.75"
  expect_eq "$(json_get '["metrics"]["bad"]["value"]' <<<"$doc")" "NaN"
  expect_eq "$(json_get '["metrics"]["f1"]["value"]' <<<"$doc")" "0.66"
}

test_malformed_metrics_file_exit_2_run_recorded() {
  new_committed_repo
  run mlops run --metrics-file m.csv -- sh -c 'printf "1,loss,0.5\n2,loss,abc\n" > m.csv'
  expect_rc 2
  expect_err "malformed file 'm.csv': line 2: value 'abc' is not a number"
  local doc
  doc=$(mlops runs show "$(last_run)" --json)
  # The run is recorded as the command ended; none of the bad file's points are.
  expect_eq "$(json_get '["status"]' <<<"$doc")" "finished"
  expect_eq "$(json_get '["metrics"]' <<<"$doc")" "{}"
  run mlops run --metrics-file never-written.json -- true
  expect_rc 2
  expect_err "never-written.json"
  # A failing command keeps its own exit code.
  run mlops run --metrics-file never-written.json -- sh -c 'exit 4'
  expect_rc 4
}

test_log_outside_run_fails() {
  new_committed_repo
  run mlops log metric loss 0.5
  expect_rc 2
  expect_err "no run to log to"
  expect_err "--run ID"
  expect_no_file .mlops/runs.db
}

test_log_unknown_and_ambiguous_run() {
  new_committed_repo
  mlops run -- true 2>/dev/null
  mlops run -- true 2>/dev/null
  local before
  before=$(db_dump)
  run mlops log metric loss 0.5 --run zzzzzzzz
  expect_rc 2
  expect_err "unknown run 'zzzzzzzz'"
  expect_err "mlops runs list"
  run mlops log metric loss 0.5 --run 0
  expect_rc 2
  expect_err "run id prefix '0' is ambiguous"
  run mlops runs show 0
  expect_rc 2
  expect_err "ambiguous"
  run mlops runs show nothere
  expect_rc 2
  expect_err "unknown run 'nothere'"
  expect_eq "$(db_dump)" "$before"
}

test_log_metric_values() {
  new_committed_repo
  local id
  id=$(mlops run start --name manual)
  run mlops log metric loss abc --run "$id"
  expect_rc 2
  expect_err "metric value 'abc' is not a number"
  run mlops log metric loss 1.5x --run "$id"
  expect_rc 2
  run mlops log metric loss nan --run "$id"
  expect_rc 0
  expect_err "metric 'loss' is nan: stored as such"
  run mlops log metric gain inf --run "$id" --step 2
  expect_rc 0
  expect_err "is inf"
  run mlops log metric delta --run "$id" -- -0.5
  expect_rc 0
  local doc
  doc=$(mlops runs show "$id" --json)
  expect_eq "$(json_get '["metrics"]["loss"]["value"]' <<<"$doc")" "NaN"
  expect_eq "$(json_get '["metrics"]["gain"]["value"]' <<<"$doc")" "Infinity"
  expect_eq "$(json_get '["metrics"]["delta"]["value"]' <<<"$doc")" "-0.5"
}

test_log_param_cannot_change() {
  new_committed_repo
  local id
  id=$(mlops run start)
  mlops log param lr 0.1 --run "$id"
  run mlops log param lr 0.1 --run "$id"
  expect_rc 0
  run mlops log param lr 0.2 --run "$id"
  expect_rc 2
  expect_err "param 'lr' of run '$id' is already '0.1'"
  expect_eq "$(mlops runs show "$id" --json | json_get '["params"]["lr"]')" "0.1"
  mlops log tag note a --run "$id"
  mlops log tag note b --run "$id"
  expect_eq "$(mlops runs show "$id" --json | json_get '["tags"]["note"]')" "b"
}

test_log_artifact_file_and_folder() {
  new_committed_repo
  mkdir -p model && echo weights > model/w.bin && echo cfg > model/c.txt
  echo report > report.txt
  run mlops run -- sh -c 'mlops log artifact model && mlops log artifact report.txt --name summary'
  expect_rc 0
  local doc
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_eval '[(a["name"], a["kind"], a["files"]) for a in d["artifacts"] if a["name"] not in ("output.log", "git.diff")]' <<<"$doc")" \
    "[('model', 'dir', 2), ('summary', 'file', 1)]"
  local hash
  hash=$(json_eval '[a["hash"] for a in d["artifacts"] if a["name"] == "summary"][0]' <<<"$doc")
  expect_eq "$(cat ".mlops/cache/${hash:5:2}/${hash:7}")" "report"
  run mlops log artifact missing.bin --run "$(last_run)"
  expect_rc 2
  expect_err "missing.bin"
}

test_run_start_end() {
  new_committed_repo
  local id
  id=$(mlops run start --name pipeline --param stage=etl)
  [[ "$id" =~ ^[0-9a-z]{14}$ ]] || fail "bad id '$id'"
  expect_eq "$(mlops runs show "$id" --json | json_get '["status"]')" "running"
  MLOPS_RUN_ID=$id mlops log metric rows 1000
  echo '{"quality": 0.99}' > q.json
  run mlops run end "${id:0:12}" --metrics-file q.json
  expect_rc 0
  local doc
  doc=$(mlops runs show "$id" --json)
  expect_eq "$(json_get '["status"]' <<<"$doc")" "finished"
  expect_eq "$(json_get '["metrics"]["rows"]["value"]' <<<"$doc")" "1000.0"
  expect_eq "$(json_get '["metrics"]["quality"]["value"]' <<<"$doc")" "0.99"
  run mlops run end "$id"
  expect_rc 2
  expect_err "already ended"
  id=$(mlops run start)
  run mlops run end "$id" --status failed
  expect_rc 0
  expect_eq "$(mlops runs show "$id" --json | json_get '["status"]')" "failed"
  run mlops run end "$id" --status bogus
  expect_rc 2
}

test_runs_list_filter_sort_limit() {
  new_committed_repo
  local i
  for i in 1 2 3 4; do
    mlops run --name "r$i" --param model=$([[ $i -le 2 ]] && echo rf || echo svm) --tag team=t$i -- \
      mlops log metric acc "0.$((5 + i))" 2>/dev/null
  done
  run mlops runs list --where "metrics.acc > 0.7 and params.model = 'svm'" --sort -metrics.acc
  expect_rc 0
  expect_out "metrics.acc"
  [[ "$(grep -c svm <<<"$out"; true)" ]]
  expect_eq "$(awk 'NR>1 {print $2}' <<<"$out" | tr '\n' ' ')" "r4 r3 "
  run mlops runs list --where "metrics.acc > 0.5" --sort metrics.acc --limit 2 --csv
  expect_rc 0
  expect_eq "$(cut -d, -f2 <<<"$out" | tr '\n' ' ')" "name r1 r2 "
  run mlops runs list --where "tags.team != 't1' and status = 'finished' and name like 'r%'" --json
  expect_rc 0
  expect_eq "$(json_eval '[r["name"] for r in d["runs"]]' <<<"$out")" "['r4', 'r3', 'r2']"
  expect_eq "$(json_get '["runs"][0]["metrics"]["acc"]' <<<"$out")" "0.9"
  run mlops runs list --where "git.commit = '$(git rev-parse HEAD)' and start_time > '2000-01-01'" --csv
  expect_eq "$(grep -c . <<<"$out")" "5"
  run mlops runs list
  expect_rc 0
  expect_out "r1"
  expect_out "finished"
}

test_runs_list_malformed_filter() {
  new_committed_repo
  mlops run -- true 2>/dev/null
  run mlops runs list --where "metrics.acc > and"
  expect_rc 2
  expect_err "malformed filter at position 14"
  expect_err "  metrics.acc > and"
  expect_err "                ^"
  run mlops runs list --where "metrics.acc > 0.5 params.x = 'a'"
  expect_rc 2
  expect_err "position 18"
  run mlops runs list --where "bogus = 1"
  expect_rc 2
  expect_err "unknown key 'bogus'"
  run mlops runs list --sort "-"
  expect_rc 2
  expect_err "malformed sort key"
}

test_runs_compare_and_diff() {
  new_committed_repo
  mlops run --name a --param lr=0.1 --param depth=3 -- mlops log metric acc 0.8 2>/dev/null
  local a
  a=$(last_run)
  echo "change" >> train.py
  mlops run --name b --param lr=0.2 --param depth=3 -- mlops log metric acc 0.9 2>/dev/null
  local b
  b=$(last_run)
  run mlops runs compare "$a" "$b"
  expect_rc 0
  expect_out "params.lr"
  grep -q '^\* *params.lr' <<<"$out" || fail "params.lr not marked as different: $out"
  grep -q '^  *params.depth' <<<"$out" || fail "params.depth marked as different: $out"
  run mlops runs compare "$a" "$b" --json
  expect_eq "$(json_get '["params"]["lr"]["different"]' <<<"$out")" "True"
  expect_eq "$(json_get '["params"]["depth"]["different"]' <<<"$out")" "False"
  expect_eq "$(json_get '["metrics"]["acc"]["values"]["'"$b"'"]' <<<"$out")" "0.9"
  run mlops runs compare "$a"
  expect_rc 2
  expect_err "at least two runs"
  run mlops runs diff "$a" "$b" --json
  expect_rc 0
  expect_eq "$(json_get '["params"]' <<<"$out")" "[{'key': 'lr', 'a': '0.1', 'b': '0.2'}]"
  expect_eq "$(json_get '["metrics"]' <<<"$out")" "[{'key': 'acc', 'a': '0.8', 'b': '0.9'}]"
  expect_eq "$(json_get '["git"]' <<<"$out")" "[{'key': 'dirty', 'a': 'false', 'b': 'true'}]"
  run mlops runs diff "$a" "$b"
  expect_rc 0
  expect_out "- lr: 0.1"
  expect_out "+ lr: 0.2"
}

test_runs_diff_data_versions() {
  new_committed_repo
  mkdir data && echo "v1" > data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || { fail "data add failed"; return; }
  mlops run -- true 2>/dev/null
  local a
  a=$(last_run)
  echo "v2" > data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1
  mlops run -- true 2>/dev/null
  local b
  b=$(last_run)
  expect_eq "$(mlops runs show "$a" --json | json_get '["data"][0]["path"]')" "data/train.csv"
  run mlops runs diff "$a" "$b" --json
  expect_eq "$(json_eval '[len(d["data"]), d["data"][0]["key"]]' <<<"$out")" "[1, 'data/train.csv']"
}

test_runs_delete() {
  new_committed_repo
  mlops run -- mlops log metric x 1 2>/dev/null
  local id
  id=$(last_run)
  run mlops runs delete "$id" nothere
  expect_rc 2
  expect_err "unknown run 'nothere'"
  expect_eq "$(last_run)" "$id"
  run mlops runs delete "$id"
  expect_rc 0
  expect_out "deleted run $id"
  expect_eq "$(last_run)" ""
  expect_eq "$(python3 -c 'import sqlite3; print(sqlite3.connect(".mlops/runs.db").execute("select count(*) from metrics").fetchone()[0])')" "0"
}

test_runs_export_import_roundtrip() {
  new_committed_repo
  mlops run --name ci --param lr=0.1 --tag ci=yes -- sh -c 'mlops log metric loss 0.5 --step 1; mlops log metric loss 0.25 --step 2; mlops log metric odd nan' 2>/dev/null
  local id
  id=$(last_run)
  run mlops runs export "$id" -o runs.json
  expect_rc 0
  expect_file runs.json
  expect_eq "$(json_eval '(d["format"], d["version"])' <runs.json)" "('mlops-runs', 1)"
  local before
  before=$(mlops runs show "$id" --json)
  run mlops runs import runs.json
  expect_rc 2
  expect_err "run '$id' already exists"
  # Into another repository: the same document comes back.
  local src=$PWD
  new_committed_repo
  run mlops runs import "$src/runs.json"
  expect_rc 0
  expect_out "imported 1 run"
  expect_eq "$(mlops runs show "$id" --json)" "$before"
  run mlops runs import "$src/runs.json" --skip-existing
  expect_rc 0
  expect_out "imported 0 runs (1 already present)"
  echo '{"format": "mlops-runs", "version": 1, "runs": [{"id": "x!", "status": "finished", "start_time": "t"}]}' > bad.json
  local snap
  snap=$(db_dump)
  run mlops runs import bad.json
  expect_rc 2
  expect_err "'x!' is not a run id"
  echo 'not json' > bad2.json
  run mlops runs import bad2.json
  expect_rc 2
  expect_err "not valid JSON"
  expect_eq "$(db_dump)" "$snap"
}

test_secret_redaction() {
  new_committed_repo
  local secret="s3cr3t-value-4f9a2b"
  AWS_SECRET_ACCESS_KEY=$secret GITHUB_TOKEN=$secret DB_URL="postgres://me:$secret@db/x" \
    mlops run -- sh -c 'echo working' >/dev/null 2>&1
  local id
  id=$(last_run)
  local everything
  everything=$( { mlops runs show "$id" --json; mlops -v runs show "$id"; mlops runs list --json; mlops runs export; } 2>&1)
  [[ "$everything" != *"$secret"* ]] || fail "secret appears in output"
  [[ "$everything" == *'"AWS_SECRET_ACCESS_KEY": "[redacted]"'* ]] || fail "redacted variable not listed"
  [[ "$everything" == *'postgres://me:[redacted]@db/x'* ]] || fail "URL password not redacted"
  if grep -rqa "$secret" .mlops; then fail "secret stored under .mlops"; fi
}

test_dirty_tree_diff_rebuilds_worktree() {
  new_committed_repo
  printf 'line1\nline2\n' > tracked.txt
  printf '\x00\x01binary' > blob.bin
  echo "ignored.log" > .gitignore
  git add -A && git commit -qm "more"
  # Unstaged, staged and untracked changes, a binary edit, a deletion; an ignored file.
  printf 'line1\nchanged\n' > tracked.txt
  echo "staged" > staged.txt && git add staged.txt
  mkdir -p sub && echo "untracked" > sub/new.txt
  printf '\x00\x02binary2' > blob.bin
  git rm -q train.py
  echo "noise" > ignored.log
  mlops run -- true 2>/dev/null
  local doc
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_get '["git"]["dirty"]' <<<"$doc")" "True"
  local hash
  hash=$(json_eval '[a["hash"] for a in d["artifacts"] if a["name"] == "git.diff"][0]' <<<"$doc")
  local patch=".mlops/cache/${hash:5:2}/${hash:7}"
  expect_file "$patch"
  grep -q "ignored.log" "$patch" && fail "ignored file in the diff"
  local commit
  commit=$(json_get '["git"]["commit"]' <<<"$doc")
  local rebuilt="$TEST_ROOT/rebuilt.$RANDOM"
  git worktree add -q --detach "$rebuilt" "$commit"
  (cd "$rebuilt" && git apply --binary "$OLDPWD/$patch") || fail "the stored diff does not apply"
  local f
  for f in tracked.txt staged.txt sub/new.txt blob.bin .gitignore; do
    cmp -s "$f" "$rebuilt/$f" || fail "$f differs after applying the diff"
  done
  expect_no_file "$rebuilt/train.py"
  expect_no_file "$rebuilt/ignored.log"
  git worktree remove --force "$rebuilt"
  # A clean tree records no diff.
  git add -A && git commit -qm "all" && rm -f ignored.log
  mlops run -- true 2>/dev/null
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_get '["git"]["dirty"]' <<<"$doc")" "False"
  expect_eq "$(json_eval '[a["name"] for a in d["artifacts"] if a["name"] == "git.diff"]' <<<"$doc")" "[]"
}

test_dirty_tree_big_file_left_out_of_diff() {
  new_committed_repo
  truncate -s 65M big.bin
  echo "small" > small.txt
  run mlops run -- true
  expect_rc 0
  expect_err "'big.bin' is too big for the run's diff and is left out"
  expect_err "mlops data add big.bin"
  local doc hash
  doc=$(mlops runs show "$(last_run)" --json)
  hash=$(json_eval '[a["hash"] for a in d["artifacts"] if a["name"] == "git.diff"][0]' <<<"$doc")
  local patch=".mlops/cache/${hash:5:2}/${hash:7}"
  grep -q "small.txt" "$patch" || fail "small.txt missing from the diff"
  grep -q "big.bin" "$patch" && fail "big.bin is in the diff"
}

test_concurrent_logging_loses_nothing() {
  new_committed_repo
  local id
  id=$(mlops run start --name sweep)
  local p
  for p in 1 2 3 4 5 6 7 8; do
    (
      for i in $(seq 200); do
        mlops log metric "m$p" "$i" --step "$i" --run "$id" || echo "FAILED $p $i" >&2
      done
    ) 2>>"$TEST_ROOT/concurrent.err" &
  done
  wait
  [[ ! -s "$TEST_ROOT/concurrent.err" ]] || fail "errors: $(head -5 "$TEST_ROOT/concurrent.err")"
  local counts
  counts=$(python3 -c '
import sqlite3
db = sqlite3.connect(".mlops/runs.db")
print(db.execute("select count(*), count(distinct key || \":\" || step) from metrics").fetchone())')
  expect_eq "$counts" "(1600, 1600)"
  expect_eq "$(mlops runs show "$id" --json | json_eval '[d["metrics"]["m5"]["value"], len(d["metrics"])]')" "[200.0, 8]"
}

test_help_texts() {
  run mlops run --help
  expect_rc 0
  expect_out "-- CMD"
  expect_out "--metrics-file"
  run mlops runs list --help
  expect_rc 0
  expect_out "metrics.acc > 0.9"
  run mlops log --help
  expect_rc 0
  expect_out "metric"
}

test_store_required() {
  new_repo --no-init
  run mlops run -- true
  expect_rc 2
  expect_err "mlops init"
}

run_tests "${1:-.}"
