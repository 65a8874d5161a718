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

# A SIGTERM as soon as the run is recorded (before the command has started) reaches the command
# when it starts, and mlops closes the run as killed: never "running" for the next command to find
# abandoned. The id file is written right after the run is recorded.
test_run_sigterm_right_after_the_run_is_recorded_closes_it() {
  new_committed_repo
  local i
  for i in 1 2 3 4 5 6; do
    rm -f "$TEST_ROOT/run.id"
    "$MLOPS" run --id-file "$TEST_ROOT/run.id" -- sh -c 'sleep 0.2' >/dev/null 2>&1 &
    local pid=$!
    while [[ ! -e "$TEST_ROOT/run.id" ]] && kill -0 "$pid" 2>/dev/null; do :; done
    kill -TERM "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    expect_rc 143
  done
  expect_eq "$(python3 -c 'import sqlite3; print(sqlite3.connect(".mlops/runs.db").execute(
    "select count(*), sum(status = \"killed\" and end_time is not null) from runs").fetchone())')" "(6, 6)"
  run mlops runs list
  [[ "$err" != *"left running"* ]] || fail "a run was left open: $err"
}

# An interpreter that cannot list its packages leaves the record saying so (and a warning), not
# a record that looks complete without them.
test_python_probe_that_fails_is_recorded_not_hidden() {
  new_committed_repo
  mkdir bin
  printf '#!/bin/sh\ncase "$1" in --version) echo "Python 3.99.0";; -c) exit 1;; *) exit 0;; esac\n' > bin/python3
  chmod +x bin/python3
  PATH="$PWD/bin:$PATH" run mlops run -- python3 train.py
  expect_rc 0
  expect_err "the run's environment lacks python.packages"
  local doc; doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_eval 'd["environment"]["unprobed.python.packages"]' <<<"$doc")" "python3 exited with 1"
  expect_eq "$(json_eval 'd["environment"]["tool.python3"]' <<<"$doc")" "Python 3.99.0"
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
ALTER TABLE runs DROP COLUMN watcher_start; ALTER TABLE runs DROP COLUMN watcher_boot;
ALTER TABLE runs DROP COLUMN data_dirty; ALTER TABLE data_versions DROP COLUMN state;
ALTER TABLE data_versions DROP COLUMN pointer_hash; PRAGMA user_version = 1;""")
PY
  run mlops runs list --csv
  expect_rc 0
  expect_out "$id"
  expect_eq "$(python3 -c 'import sqlite3; db=sqlite3.connect(".mlops/runs.db"); print(db.execute("pragma user_version").fetchone()[0], "watcher_pid" in [r[1] for r in db.execute("pragma table_info(runs)")])')" "3 True"
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

# A repository whose data/train.csv has two committed versions (v1, then v2 in HEAD).
two_data_versions_repo() {
  new_committed_repo
  mkdir data && echo "v1" > data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  git add -A && git commit -qm "data v1"
  echo "v2" > data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1
  git add -A && git commit -qm "data v2"
}
pointer_hash() { grep -o 'xxh3:[0-9a-f]*' "$1"; }

test_run_records_the_data_it_ran_on() {
  two_data_versions_repo
  local v2; v2=$(pointer_hash data/train.csv.mlops)
  mlops data checkout data/train.csv --rev HEAD~1 >/dev/null 2>&1 || fail "data checkout --rev failed"
  expect_eq "$(cat data/train.csv)" "v1"
  local v1; v1=$(git show HEAD~1:data/train.csv.mlops | grep -o 'xxh3:[0-9a-f]*')
  run mlops run -- cat data/train.csv
  expect_rc 0
  expect_err "'data/train.csv' in the workspace is version ${v1:0:17}, not ${v2:0:17}"
  expect_err "marked data-dirty"
  expect_err "mlops data checkout data/train.csv"
  local doc; doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_eval '[d["data_dirty"], d["git"]["dirty"]]' <<<"$doc")" "[True, False]"
  expect_eq "$(json_eval 'd["data"][0]["hash"]' <<<"$doc")" "$v1"
  expect_eq "$(json_eval 'd["data"][0]["state"]' <<<"$doc")" "other-version"
  expect_eq "$(json_eval 'd["data"][0]["pointer_hash"]' <<<"$doc")" "$v2"
  run mlops runs show "$(last_run)"
  expect_out "data-dirty"
  # Content in no version at all: recorded as modified.
  echo "v3, edited by hand" > data/train.csv
  run mlops run -- true
  expect_rc 0
  expect_err "'data/train.csv' differs from its pointer and from every version in the cache"
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_eval '[d["data_dirty"], d["data"][0]["state"], d["data"][0]["pointer_hash"] == "'"$v2"'"]' <<<"$doc")" "[True, 'modified', True]"
  # Missing from the workspace.
  rm data/train.csv
  run mlops run -- true
  expect_err "'data/train.csv' is missing from the workspace"
  expect_eq "$(mlops runs show "$(last_run)" --json | json_eval 'd["data"][0]["state"]')" "missing"
  # Back to the pointer's version: clean, and no warning.
  mlops data checkout data/train.csv >/dev/null 2>&1
  run mlops run -- true
  expect_rc 0
  [[ "$err" != *"data-dirty"* ]] || fail "a clean run warned: $err"
  doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_eval '[d["data_dirty"], d["data"][0]["state"], d["data"][0]["hash"], d["data"][0]["pointer_hash"]]' <<<"$doc")" "[False, 'clean', '$v2', None]"
  # The filter language knows it.
  expect_eq "$(mlops runs list --where "data.dirty = 'true'" --ids | wc -l)" "3"
  expect_eq "$(mlops runs list --where "data.dirty = 'false'" --ids | wc -l)" "1"
}

test_register_refuses_a_data_dirty_run() {
  two_data_versions_repo
  echo "model.bin" >> .gitignore && git add .gitignore && git commit -qm "ignore the model"
  mlops data checkout data/train.csv --rev HEAD~2 >/dev/null 2>&1
  mlops run --artifact model.bin -- sh -c 'cp data/train.csv model.bin' 2>/dev/null
  local id; id=$(last_run)
  local tags; tags=$(git tag | wc -l)
  run mlops model register churn --run "$id"
  expect_rc 2
  expect_err "run '$id' ran on data that differs from its pointers: 'data/train.csv' (other-version)"
  expect_err "--allow-dirty"
  expect_eq "$(git tag | wc -l)" "$tags"
  run mlops model register churn --run "$id" --allow-dirty
  expect_rc 0
  expect_err "ran on data its pointers did not describe"
  [[ "$err" != *"uncommitted changes"* ]] || fail "a data-dirty run is not uncommitted code: $err"
  expect_eq "$(git tag | wc -l)" "$((tags + 1))"
  # The version's lineage is the data the run really used.
  local v1; v1=$(git show HEAD~2:data/train.csv.mlops | grep -o 'xxh3:[0-9a-f]*')
  git tag -l --format='%(contents)' 'churn@v0.0.1' | grep -q "$v1" || fail "the tag does not name the data the run used"
}

test_data_dirty_run_travels_in_export_import() {
  two_data_versions_repo
  mlops data checkout data/train.csv --rev HEAD~1 >/dev/null 2>&1
  mlops run -- true 2>/dev/null
  local id; id=$(last_run)
  mlops runs export "$id" > run.json
  mlops runs delete "$id" >/dev/null 2>&1
  run mlops runs import run.json
  expect_rc 0
  expect_eq "$(mlops runs show "$id" --json | json_eval '[d["data_dirty"], d["data"][0]["state"]]')" "[True, 'other-version']"
}

test_database_of_version_2_is_upgraded_for_data_state() {
  new_committed_repo
  mlops run -- true 2>/dev/null
  # Rebuild the tables as schema 2 had them (no data_dirty, state, pointer_hash).
  python3 - <<'PY'
import sqlite3
db = sqlite3.connect(".mlops/runs.db")
db.execute("ALTER TABLE runs DROP COLUMN data_dirty")
db.execute("ALTER TABLE data_versions DROP COLUMN state")
db.execute("ALTER TABLE data_versions DROP COLUMN pointer_hash")
db.execute("PRAGMA user_version = 2")
db.commit()
PY
  run mlops runs list --json
  expect_rc 0
  expect_eq "$(json_eval 'len(d)' <<<"$out")" "1"
  run mlops runs show "$(last_run)" --json
  expect_eq "$(json_eval 'd["data_dirty"]' <<<"$out")" "False"
  expect_eq "$(python3 -c 'import sqlite3; print(sqlite3.connect(".mlops/runs.db").execute("PRAGMA user_version").fetchone()[0])')" "3"
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

# A file of the right shape with fields of the wrong JSON type is bad input, not an internal error.
test_runs_import_of_a_malformed_file_is_bad_input() {
  new_committed_repo
  echo '{"format": 1, "runs": []}' > bad.json
  run mlops runs import bad.json
  expect_rc 2
  expect_err "malformed runs file 'bad.json': expected an object with \"format\": \"mlops-runs\""
  echo '{"format": "mlops-runs", "version": "1", "runs": []}' > bad.json
  run mlops runs import bad.json
  expect_rc 2
  expect_err "unsupported version \"1\""
  expect_no_file .mlops/runs.db
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

test_secrets_never_reach_the_store() {
  new_committed_repo
  echo 'settings = {}' > config.py
  git add config.py && git commit -qm "config"
  # Credential files by their names: left out of the run's diff.
  printf 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzzSECRET1\nOPENAI_API_KEY=sk-proj-Zq8envfileSECRET2abcdefgh\n' > .env
  printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAidrsaSECRET3\n-----END OPENSSH PRIVATE KEY-----\n' > id_rsa
  # Credential-looking values in a file that is in the diff: redacted there.
  cat >> config.py <<'PY'
DB_PASSWORD = "correcthorseSECRET4"
aws_key_id = "AKIAIOSFODNN7SECRETX"
url = "postgres://me:urlpassSECRET5@db/x"
PY
  printf -- '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEApemSECRET6\n-----END RSA PRIVATE KEY-----\n' > deploy.txt
  echo 'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzzSECRET1' >> deploy.txt
  # Values the command logs itself come from variables whose names say secret (their values are
  # recorded as [redacted] among the environment variables).
  CLIENT_SECRET=loggedSECRET11 HF_TOKEN=hf_loggedSECRET12abcdefghijklmnopqrstuv \
  run mlops run --param db_password=paramSECRET7 --param endpoint=https://u:urlSECRET8@h/ --param lr=0.1 \
    --tag auth_token=tagSECRET9 --tag team=vision -- \
    sh -c 'echo "key is sk-ant-outputSECRET10abcdefgh"; mlops log param client_secret "$CLIENT_SECRET"; mlops log tag hf "$HF_TOKEN"' \
    job --api-key flagSECRET13 --password=flagSECRET14 ghp_commandSECRET15abcdefghijklmnopqrstuv
  expect_rc 0
  expect_err "'.env' looks like a credential file and is left out of the run's diff"
  expect_err "'id_rsa' looks like a credential file"
  expect_err "recorded as [redacted]"
  local id; id=$(last_run)
  local secrets=(wJalrXUtnFEMIK7MDENGbPxRfiCYzzSECRET1 sk-proj-Zq8envfileSECRET2abcdefgh
    b3BlbnNzaC1rZXktdjEAAAAidrsaSECRET3 correcthorseSECRET4 AKIAIOSFODNN7SECRET urlpassSECRET5
    MIIEpAIBAAKCAQEApemSECRET6 paramSECRET7 urlSECRET8 tagSECRET9 outputSECRET10 loggedSECRET11
    loggedSECRET12 flagSECRET13 flagSECRET14 commandSECRET15)
  # Close the database so that nothing is only in memory, then search every file of the store,
  # SQLite's database, WAL and journal included, and everything the run commands print.
  local printed
  printed=$( { mlops runs show "$id" --json; mlops -v runs show "$id"; mlops runs list --json --columns params.endpoint;
               mlops runs export "$id"; } 2>&1)
  local s
  for s in "${secrets[@]}"; do
    if grep -rqa -- "$s" .mlops; then fail "'$s' is stored under .mlops"; fi
    [[ "$printed" != *"$s"* ]] || fail "'$s' is printed by the runs commands"
  done
  # What is kept: the values' places, the diff without the credential files, the rest untouched.
  local doc; doc=$(mlops runs show "$id" --json)
  expect_eq "$(json_eval '[d["params"]["db_password"], d["params"]["endpoint"], d["params"]["lr"], d["tags"]["auth_token"], d["tags"]["team"]]' <<<"$doc")" \
    "['[redacted]', 'https://u:[redacted]@h/', '0.1', '[redacted]', 'vision']"
  expect_eq "$(json_eval 'd["command"][-4:]' <<<"$doc")" "['--api-key', '[redacted]', '--password=[redacted]', '[redacted]']"
  expect_eq "$(json_eval '[d["params"]["client_secret"], d["tags"]["hf"]]' <<<"$doc")" "['[redacted]', '[redacted]']"
  local hash; hash=$(json_eval '[a["hash"] for a in d["artifacts"] if a["name"] == "git.diff"][0]' <<<"$doc")
  local patch=".mlops/cache/${hash:5:2}/${hash:7}"
  grep -q "config.py" "$patch" || fail "config.py is missing from the diff"
  grep -q "deploy.txt" "$patch" || fail "deploy.txt is missing from the diff"
  grep -q -- "-----BEGIN RSA PRIVATE KEY-----" "$patch" || fail "the key block's frame should stay"
  if grep -q -e "\.env" -e "id_rsa" "$patch"; then fail "a credential file is in the diff"; fi
  # The redacted diff still applies to the commit.
  local rebuilt="$TEST_ROOT/rebuilt.$RANDOM"
  git worktree add -q --detach "$rebuilt" HEAD
  (cd "$rebuilt" && git apply --binary "$OLDPWD/$patch") || fail "the redacted diff does not apply"
  grep -q 'DB_PASSWORD = "\[redacted\]"' "$rebuilt/config.py" || fail "the rebuilt config.py lacks the redaction"
  git worktree remove --force "$rebuilt"
  # runs show says what was redacted.
  run mlops runs show "$id"
  expect_out "credential-looking values recorded as [redacted]"
  expect_out "params client_secret, db_password, endpoint"
  expect_out "credential files left out of git.diff: .env, id_rsa"
  expect_eq "$(json_eval 'sorted(json.loads(d["tags"]["mlops.redacted"]))' <<<"$doc")" "['command', 'diff', 'files', 'output', 'params', 'tags']"
  # A tag named mlops.redacted cannot be set from outside.
  mlops log tag mlops.redacted '{}' --run "$id" 2>/dev/null
  expect_eq "$(mlops runs show "$id" --json | json_eval '"files" in json.loads(d["tags"]["mlops.redacted"])')" "True"
}

test_big_and_binary_untracked_files_stay_out_of_the_diff() {
  new_committed_repo
  echo "print('changed')" >> train.py
  echo "notes" > notes.txt
  head -c 2000000 /dev/zero | tr '\0' 'x' > big.csv   # 2 MB of text: over the 1 MiB default
  printf 'PNG\0\1\2' > logo.png                         # small, but binary
  run mlops run -- true
  expect_rc 0
  expect_err "left out of the run's git.diff: 'big.csv' (1.9 MiB, over runs.diff_max_file_bytes = 1.0 MiB), 'logo.png' (untracked binary file)"
  expect_err "a rebuild of this run may not match it exactly"
  expect_err "runs.diff_max_file_bytes in .mlops/config.yaml sets the size limit"
  local id doc hash diff
  id=$(last_run)
  doc=$(mlops runs show "$id" --json)
  hash=$(json_eval '[a["hash"] for a in d["artifacts"] if a["name"] == "git.diff"][0]' <<<"$doc")
  diff=".mlops/cache/${hash:5:2}/${hash:7}"
  grep -q "changed" "$diff" || fail "the tracked change is not in the diff"
  grep -q "notes" "$diff" || fail "the small untracked text file is not in the diff"
  if grep -q "big.csv\|logo.png" "$diff"; then fail "a left-out file is in the diff"; fi
  [[ $(stat -c %s "$diff") -lt 10000 ]] || fail "the diff is $(stat -c %s "$diff") bytes"
  expect_eq "$(json_eval 'd["tags"]["mlops.diff_left_out"]' <<<"$doc")" \
    '{"max_file_bytes":1048576,"too_big":["big.csv"],"binary":["logo.png"]}'
  run mlops runs show "$id"
  expect_out "incomplete: left out of git.diff: big.csv (too big: untracked over 1.0 MiB); logo.png (untracked binary)"
  # The tag is mlops's own: log tag cannot clear it.
  mlops log tag mlops.diff_left_out '{}' --run "$id" 2>/dev/null
  expect_eq "$(mlops runs show "$id" --json | json_eval '"too_big" in d["tags"]["mlops.diff_left_out"]')" "True"
}

test_diff_max_file_bytes_is_configurable() {
  new_committed_repo
  head -c 3000 /dev/zero | tr '\0' 'x' > medium.txt
  printf 'runs:\n  diff_max_file_bytes: 2KiB\n' >> .mlops/config.yaml
  run mlops run -- true
  expect_rc 0
  expect_err "'medium.txt' (2.9 KiB, over runs.diff_max_file_bytes = 2.0 KiB)"
  sed -i 's/2KiB/4096/' .mlops/config.yaml
  run mlops run -- true
  expect_rc 0
  [[ "$err" != *"left out"* ]] || fail "medium.txt is under 4096 bytes: $err"
  expect_eq "$(mlops runs show "$(last_run)" --json | json_eval '"mlops.diff_left_out" in d["tags"]')" "False"
  # A value that is not a size: exit 2 before anything runs, no run recorded.
  sed -i 's/4096/lots/' .mlops/config.yaml
  local runs; runs=$(mlops runs list --ids | wc -l)
  run mlops run -- touch ran
  expect_rc 2
  expect_err "'runs.diff_max_file_bytes' in"
  expect_err "is not a size: 'lots'"
  expect_err "hint: write a number of bytes, or one with a unit"
  expect_no_file ran
  expect_eq "$(mlops runs list --ids | wc -l)" "$runs"
}

test_runs_show_quotes_the_command_as_a_shell_would() {
  new_committed_repo
  mlops run -- sh -c 'echo "it'"'"'s"; exit 0' '' > /dev/null 2>&1
  run mlops runs show "$(last_run)"
  expect_rc 0
  expect_out "command    sh -c 'echo \"it'\\''s\"; exit 0' ''"
}

# A secret variable's value is redacted wherever it turns up, even in a shape no scanner knows (an
# AWS secret key is 40 plain characters) and under an innocent name (found by a new-user trial).
test_secret_environment_values_are_redacted_everywhere() {
  new_repo
  git add -A && git commit -qm init
  local secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  run env AWS_SECRET_ACCESS_KEY=$secret "$MLOPS" run --param note=$secret -- sh -c 'echo "key is $AWS_SECRET_ACCESS_KEY"'
  expect_rc 0
  if grep -rla "$secret" .mlops > /dev/null; then fail "the secret reached the store: $(grep -rla "$secret" .mlops)"; fi
  local id; id=$(mlops runs list --ids | head -1)
  run mlops runs show "$id"
  expect_out "[redacted]"
  expect_no_out "$secret"
}

test_secret_file_patterns_are_configurable() {
  new_committed_repo
  printf 'runs:\n  secret_files: ["*.secret", "!.env"]\n' >> .mlops/config.yaml
  echo "x" > my.secret
  echo "PLAIN=1" > .env
  run mlops run -- true
  expect_rc 0
  expect_err "'my.secret' looks like a credential file"
  [[ "$err" != *"'.env' looks like"* ]] || fail ".env should be in the diff when '!.env' is configured"
  local doc hash; doc=$(mlops runs show "$(last_run)" --json)
  hash=$(json_eval '[a["hash"] for a in d["artifacts"] if a["name"] == "git.diff"][0]' <<<"$doc")
  grep -q "PLAIN=1" ".mlops/cache/${hash:5:2}/${hash:7}" || fail ".env is not in the diff"
  printf 'runs:\n  secret_files: "*.secret"\n' > .mlops/config.yaml
  local runs; runs=$(mlops runs list --ids | wc -l)
  run mlops run -- true
  expect_rc 2
  expect_err "'runs.secret_files' in"
  expect_err "must be a list of file patterns"
  expect_eq "$(mlops runs list --ids | wc -l)" "$runs"
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
  expect_err "left out of the run's git.diff: 'big.bin' (65.0 MiB, over runs.diff_max_file_bytes = 1.0 MiB)"
  expect_err "version it with 'mlops data add big.bin', commit it, or add it to .gitignore"
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

test_run_id_file_and_json() {
  new_committed_repo
  # The id file exists before the command starts: a script can read it.
  run mlops run --id-file run.id -- sh -c 'cat run.id'
  expect_rc 0
  local id; id=$(last_run)
  expect_eq "$(cat run.id)" "$id"
  expect_out "$id"
  # --json: stdout holds one document; the command's own stdout goes to stderr.
  run mlops run --json -- sh -c 'echo hello from the command; exit 3'
  expect_rc 3
  expect_err "hello from the command"
  expect_eq "$(json_eval '[d["id"], d["status"], d["exit_code"], d["duration"] >= 0]' <<<"$out")" "['$(last_run)', 'failed', 3, True]"
  # Bad --id-file: exit 2 before a run exists.
  local runs; runs=$(mlops runs list --ids | wc -l)
  run mlops run --id-file no/such/folder/run.id -- true
  expect_rc 2
  expect_err "cannot write the run id to 'no/such/folder/run.id': no folder"
  mkdir adir
  run mlops run --id-file adir -- true
  expect_rc 2
  expect_err "it is a folder"
  expect_eq "$(mlops runs list --ids | wc -l)" "$runs"
}

# Python that imports the module from the source tree.
py_mlops() { PYTHONPATH="$MLOPS_SOURCE_DIR/python" python3 "$@"; }

test_python_module_logs_in_process() {
  new_committed_repo
  cat > train.py <<'PY'
import mlops, math
p = mlops.params()
lr = float(p["lr"])
print("params", sorted(p), p["lr"], p["db_password"] == "hunter2xyz")
for step in range(1000):
    mlops.log_metric("loss", 1.0 / (1 + step * lr), step=step)
mlops.log_metrics({"acc": 0.93, "f1": 0.5}, step=7)
mlops.log_metric("odd", float("nan"))
mlops.log_metric("neg", -0.25, 2)
mlops.log_params({"layers": 3, "dropout": 0.1, "use_bias": True})
mlops.set_tag("stage", "smoke")
PY
  # Committed, so that the check of the secret above is not in the run's diff.
  git add train.py && git commit -qm "train"
  run env PYTHONPATH="$MLOPS_SOURCE_DIR/python" "$MLOPS" run --param lr=0.5 --param db_password=hunter2xyz -- python3 train.py
  expect_rc 0
  # The program gets the real values; the record keeps [redacted].
  expect_out "params ['db_password', 'lr'] 0.5 True"
  local doc; doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_eval 'len([p for p in d["metric_history"] if p["key"] == "loss"])' <<<"$doc")" "1000"
  expect_eq "$(json_eval '[d["metrics"]["loss"]["step"], d["metrics"]["acc"]["value"], d["metrics"]["acc"]["step"], d["metrics"]["neg"]["value"], d["metrics"]["odd"]["value"]]' <<<"$doc")" "[999, 0.93, 7, -0.25, 'NaN']"
  expect_eq "$(json_eval '[d["params"]["layers"], d["params"]["dropout"], d["params"]["use_bias"], d["params"]["db_password"], d["tags"]["stage"]]' <<<"$doc")" "['3', '0.1', 'true', '[redacted]', 'smoke']"
  expect_no_file ".mlops/tmp/run-$(last_run).stream"
  if grep -rqa hunter2xyz .mlops; then fail "a param's secret value is stored"; fi
}

test_python_module_outside_a_run_warns_once() {
  new_committed_repo
  run py_mlops -c 'import mlops; mlops.log_metric("a", 1); mlops.log_params({"b": 2}); mlops.set_tag("c", "d"); print(mlops.params(), mlops.run_id())'
  expect_rc 0
  expect_out "{} None"
  expect_eq "$(grep -c "not inside 'mlops run'" <<<"$err")" "1"
  expect_eq "$(mlops runs list --ids | wc -l)" "0"
}

test_python_module_stream_is_read_as_the_program_goes() {
  new_committed_repo
  cat > slow.py <<'PY'
import json, os, subprocess, time, mlops
mlops.log_metric("early", 1.0, step=1)
mlops.flush()
time.sleep(2.5)
doc = json.loads(subprocess.run(["mlops", "runs", "show", os.environ["MLOPS_RUN_ID"], "--json"],
                                capture_output=True, text=True, check=True).stdout)
print("seen while running:", sorted(doc["metrics"]))
PY
  run env PYTHONPATH="$MLOPS_SOURCE_DIR/python" "$MLOPS" run -- python3 slow.py
  expect_rc 0
  expect_out "seen while running: ['early']"
}

test_python_module_bad_lines_and_changed_params() {
  new_committed_repo
  cat > bad.py <<'PY'
import os, mlops
mlops.log_metric("good", 1.0)
mlops.flush()
with open(os.environ["MLOPS_RUN_STREAM"], "a") as f:
    f.write('this is not json\n{"metric": "m", "value": "abc"}\n')
mlops.log_params({"lr": "0.9"})
mlops.log_metric("after", 2.0)
PY
  run env PYTHONPATH="$MLOPS_SOURCE_DIR/python" "$MLOPS" run --param lr=0.1 -- python3 bad.py
  # The program succeeded, but a param could not be recorded: exit 2, as for a bad metrics file.
  expect_rc 2
  expect_err "line 2 of the run stream is skipped: not a JSON object"
  expect_err "line 3 of the run stream is skipped: metric value \"abc\" is not a number"
  expect_err "'lr'"
  local doc; doc=$(mlops runs show "$(last_run)" --json)
  expect_eq "$(json_eval '[sorted(d["metrics"]), d["params"]["lr"], d["status"]]' <<<"$doc")" "[['after', 'good'], '0.1', 'finished']"
}

test_python_module_in_a_run_opened_by_hand() {
  new_committed_repo
  local id; id=$(mlops run start 2>/dev/null)
  MLOPS_RUN_ID=$id py_mlops -c 'import mlops; mlops.log_metric("delta", -0.5, step=3); mlops.log_params({"k": "v"}); mlops.set_tag("t", "u")' 2>/dev/null
  local doc; doc=$(mlops runs show "$id" --json)
  expect_eq "$(json_eval '[d["metrics"]["delta"]["value"], d["metrics"]["delta"]["step"], d["params"]["k"], d["tags"]["t"]]' <<<"$doc")" "[-0.5, 3, 'v', 'u']"
}

test_python_module_installs_with_pip() {
  local venv="$TEST_ROOT/venv.$RANDOM"
  python3 -m venv "$venv" || { fail "python3 -m venv is not available"; return; }
  # Offline: the module's build backend needs nothing from an index.
  run "$venv/bin/pip" install --no-index --quiet "$MLOPS_SOURCE_DIR/python"
  expect_rc 0
  new_committed_repo
  run "$MLOPS" run -- "$venv/bin/python" -c 'import mlops; mlops.log_metric("x", 0.5); print(mlops.__version__)'
  expect_rc 0
  expect_out "0.1.0"
  expect_eq "$(mlops runs show "$(last_run)" --json | json_eval 'd["metrics"]["x"]["value"]')" "0.5"
}

# A folder on PYTHONPATH holding one installed distribution, fakepkg VERSION (its dist-info only).
fake_site() {
  local site="$TEST_ROOT/site.$1.$RANDOM"
  mkdir -p "$site/fakepkg-$1.dist-info"
  printf 'Metadata-Version: 2.1\nName: fakepkg\nVersion: %s\n' "$1" > "$site/fakepkg-$1.dist-info/METADATA"
  echo "$site"
}

test_python_run_records_installed_distributions() {
  new_committed_repo
  local old new; old=$(fake_site 1.2.3); new=$(fake_site 1.3.0)
  PYTHONPATH=$old mlops run -- python3 -c pass 2>/dev/null
  local a; a=$(last_run)
  PYTHONPATH=$new mlops run -- python3 -c pass 2>/dev/null
  local b; b=$(last_run)
  local doc; doc=$(mlops runs show "$a" --json)
  expect_eq "$(json_eval 'd["environment"]["python.package.fakepkg"]' <<<"$doc")" "1.2.3"
  expect_eq "$(json_eval 'd["environment"]["python.version"] == "'"$(python3 -c 'import sys; print(sys.version.split()[0])')"'"' <<<"$doc")" "True"
  # runs show counts them; -v lists them.
  run mlops runs show "$a"
  expect_out "python.packages"
  expect_out "installed (list them with -v)"
  expect_no_out "python.package.fakepkg"
  run mlops -v runs show "$a"
  expect_out "python.package.fakepkg"
  # runs diff names the package that changed.
  run mlops runs diff "$a" "$b"
  expect_rc 0
  expect_out "python.package.fakepkg"
  expect_out "1.2.3"
  expect_out "1.3.0"
  run mlops runs diff "$a" "$b" --json
  expect_eq "$(json_eval '[e for e in d["environment"] if e["key"] == "python.package.fakepkg"][0]["b"]' <<<"$out")" "1.3.0"
  # A command that is not Python records no packages.
  mlops run -- true 2>/dev/null
  expect_eq "$(mlops runs show "$(last_run)" --json | json_eval 'len([k for k in d["environment"] if k.startswith("python.")])')" "0"
}

test_runs_list_shows_varying_params_and_metrics() {
  new_committed_repo
  local lr acc
  for lr in 0.1 0.2 0.3; do
    acc=$(python3 -c "print({'0.1': 0.93123456789, '0.2': 0.5, '0.3': 0.25}['$lr'])")
    printf '{"acc": %s, "const": 1}' "$acc" > m.json
    mlops run --param lr=$lr --param model=rf --metrics-file m.json -- true 2>/dev/null
  done
  run mlops runs list
  expect_rc 0
  expect_out "params.lr"
  expect_out "metrics.acc"
  expect_no_out "params.model"
  expect_no_out "metrics.const"
  # Metric values in full, shortest round-trip; times in UTC, marked.
  expect_out "0.93123456789"
  expect_out " UTC"
  # Numbers right-aligned: the last column (metrics.acc) ends where its header ends.
  expect_eq "$(awk '{ print length($0) }' <<<"$out" | sort -u | wc -l | tr -d ' ')" "1"
  # --columns wins over the default.
  run mlops runs list --columns params.model
  expect_out "params.model"
  expect_no_out "params.lr"
  expect_no_out "metrics.acc"
  # What does not fit the width is named on stderr.
  COLUMNS=70 run mlops runs list
  expect_rc 0
  expect_no_out "metrics.acc"
  expect_err "not shown for the width"
  expect_err "metrics.acc"
  # One run: nothing varies.
  run mlops runs list --limit 1
  expect_no_out "params.lr"
}

test_metric_values_print_shortest_round_trip() {
  new_committed_repo
  mlops run -- sh -c 'mlops log metric a 0.016; mlops log metric b 0.30000000000000004; mlops log metric c 0.93123456789' 2>/dev/null
  run mlops runs show "$(last_run)"
  expect_out "0.016"
  expect_no_out "0.016000"
  expect_out "0.30000000000000004"
  expect_out "0.93123456789"
  expect_out "UTC by"
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
