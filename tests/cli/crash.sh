#!/usr/bin/env bash
# What killed commands leave behind (issue 17): temp files in .mlops/tmp name their writer (host,
# pid, start time); any command removes those whose writer is certainly gone, `data gc` says what
# it freed, and a running writer's file is never touched.
source "$(dirname "$0")/lib.sh"

# A pid that belongs to no process: a child that has exited.
dead_pid() { sh -c 'echo $$'; }

test_data_add_killed_with_kill_9_leaves_a_temp_file_the_next_command_removes() {
  new_repo
  head -c $((300 << 20)) /dev/urandom > big.bin
  "$MLOPS" data add big.bin > /dev/null 2>&1 &
  local adder=$! seen=""
  for _ in $(seq 400); do
    seen=$(find .mlops/tmp -name '*.tmp' 2> /dev/null | head -1)
    [[ -n "$seen" ]] && break
    sleep 0.02
  done
  kill -9 "$adder"; wait "$adder" 2> /dev/null
  if [[ -z "$seen" || ! -e "$seen" ]]; then
    echo "  note: data add finished or wrote no temp file before the kill" >&2
    return 0
  fi
  run mlops data status
  expect_rc 0
  expect_no_file "$seen"
  run mlops data add big.bin
  expect_rc 0
  run mlops data verify
  expect_rc 0
}

test_gc_reports_the_stale_temp_files_it_removes_and_keeps_a_live_writers() {
  new_repo
  mkdir -p .mlops/tmp
  local dead; dead=$(dead_pid)
  local host; host=$(hostname | tr -c 'A-Za-z0-9\n' '-' | cut -c1-64)
  head -c 5000 /dev/urandom > ".mlops/tmp/.object.$host-$dead-12345.0a1b2c3d.tmp"
  head -c 3000 /dev/urandom > ".mlops/tmp/.download.$dead.0a1b2c3e.tmp"  # the older naming
  sleep 300 &
  local live=$!
  local live_start; live_start=$(sed 's/.*) //' "/proc/$live/stat" | awk '{print $20}')
  local live_temp=".mlops/tmp/.object.$host-$live-$live_start.0a1b2c3f.tmp"
  echo partial > "$live_temp"
  # The same pid with another start time is a later process: that writer is gone.
  echo reused > ".mlops/tmp/.object.$host-$live-$((live_start + 1)).0a1b2c40.tmp"
  # Another host's fresh file cannot be judged yet (a store on a shared disk).
  echo elsewhere > ".mlops/tmp/.object.other-box-1-5.0a1b2c41.tmp"

  run mlops data gc --dry-run --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["stale_temp_files"]["files"]')" "3"
  expect_eq "$(echo "$out" | json_get '["stale_temp_files"]["bytes"]')" "8007"
  expect_eq "$(find .mlops/tmp -name '*.tmp' | wc -l)" "5"

  run mlops data gc
  expect_rc 0
  expect_out "removed 3 temp files left in .mlops/tmp by commands that were killed, freed 7.8 KiB"
  expect_file "$live_temp"
  expect_file ".mlops/tmp/.object.other-box-1-5.0a1b2c41.tmp"
  expect_eq "$(find .mlops/tmp -name '*.tmp' | wc -l)" "2"
  run mlops data gc --json
  expect_eq "$(echo "$out" | json_get '["stale_temp_files"]["files"]')" "0"
  kill "$live"; wait "$live" 2> /dev/null
  # Its writer gone, any command removes the file.
  run mlops data status
  expect_no_file "$live_temp"
}

# --- crash anywhere: kill -9 at random moments, then check the store and rerun -------------------
# $MLOPS_CRASH_ROUNDS rounds of kills, one per command (default 3; ./scripts/test --full: 40).

# The store is whole: every object verifies, every SQLite database passes integrity_check, the
# registry's tags parse.
check_store_whole() {
  local what=$1
  run mlops data verify --all
  [[ $rc == 0 ]] || fail "after a kill during $what: data verify --all exit $rc: $out $err"
  local db
  for db in .mlops/*.db; do
    [[ -f "$db" ]] || continue
    local state; state=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("pragma integrity_check").fetchone()[0])' "$db" 2>&1)
    [[ "$state" == ok ]] || fail "after a kill during $what: $db: $state"
  done
  run mlops model history --json
  [[ $rc == 0 ]] || fail "after a kill during $what: model history exit $rc: $err"
}

# kill_at_random WHAT COMMAND...: starts COMMAND, kills it with SIGKILL 0-150 ms later (most of
# these commands take 50-300 ms here; one that has ended is not counted as killed), checks the
# store, then runs COMMAND again to the end: it must finish the job.
kill_at_random() {
  local what=$1; shift
  "$@" > /dev/null 2>&1 &
  local pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 150)))"
  kill -9 "$pid" 2> /dev/null && kills=$((kills + 1))
  wait "$pid" 2> /dev/null
  check_store_whole "$what"
  run "$@"
  # A registration killed after its tag was made is done: the rerun says so (one version per
  # commit, as GTO reads the tags).
  [[ $rc == 2 && "$what" == "model register" && "$err" == *"is already registered at commit"* ]] && return
  [[ $rc == 0 ]] || fail "after a kill during $what, the rerun failed (exit $rc): $err"
}

test_kill_9_anywhere_leaves_a_whole_store_and_the_rerun_finishes() {
  local rounds=${MLOPS_CRASH_ROUNDS:-3} round kills=0
  local remote="$TEST_ROOT/remote.$current_test"
  mkdir -p "$remote"
  new_repo
  printf '*.bin\nbig/\n' > .gitignore
  mlops remote add store "$remote" --default > /dev/null 2>&1
  git add -A && git commit -qm init
  mkdir big && for i in $(seq 1 300); do head -c 20000 /dev/urandom > "big/$i"; done
  head -c $((20 << 20)) /dev/urandom > model.bin
  for ((round = 0; round < rounds; round++)); do
    head -c 100 /dev/urandom >> "big/$((round % 300 + 1))"
    kill_at_random "data add" "$MLOPS" data add big model.bin
    kill_at_random "data push" "$MLOPS" data push
    rm -rf big
    kill_at_random "data checkout" "$MLOPS" data checkout
    chmod -R u+w .mlops/cache && rm -rf .mlops/cache/*
    kill_at_random "data pull" "$MLOPS" data pull
    kill_at_random "data gc" "$MLOPS" data gc --grace 0 --include-unpushed --yes
    git add -A > /dev/null 2>&1 && git commit -qm "round $round" > /dev/null 2>&1
    kill_at_random "model register" "$MLOPS" model register churn --path model.bin --metric auc=0.9
    kill_at_random "model promote" "$MLOPS" model promote churn latest --to "$( ((round % 2)) && echo staging || echo production)"
  done
  run mlops data status --exit-code
  expect_rc 0
  echo "  crash: $kills kills (of $((rounds * 7)) tries; the others had ended) survived over $rounds rounds" >&2
}

# `mlops run` whose command has 8 writers logging metrics, killed with -9 at a random moment: every
# point whose `log metric` reported success is in the store, whatever happened to the run.
test_kill_9_of_a_run_with_8_writers_loses_no_logged_point() {
  local rounds=${MLOPS_CRASH_ROUNDS:-3} round
  new_repo
  git add -A && git commit -qm init
  local acks="$TEST_ROOT/acks.$current_test"
  for ((round = 0; round < rounds; round++)); do
    : > "$acks"
    rm -f "$acks.done"
    ACKS=$acks "$MLOPS" run --id-file .mlops/run.id -- sh -c '
      for w in 1 2 3 4 5 6 7 8; do
        (for i in $(seq 1 40); do
           "$MLOPS" log metric "w$w" "$i" --step "$i" > /dev/null 2>&1 && echo "$MLOPS_RUN_ID w$w $i" >> "$ACKS"
         done) &
      done
      wait
      touch "$ACKS.done"' > /dev/null 2>&1 &
    local pid=$!
    sleep "0.$((RANDOM % 800 + 100))"
    kill -9 "$pid" 2> /dev/null
    wait "$pid" 2> /dev/null
    # The command and its writers outlive the killed `mlops run`: wait for them to finish.
    for _ in $(seq 300); do [[ -e "$acks.done" ]] && break; sleep 0.1; done
    check_store_whole "mlops run"
    local id; id=$(cat .mlops/run.id 2> /dev/null)
    [[ -n "$id" ]] || continue
    local missing; missing=$(python3 - "$acks" <<'PY'
import sqlite3, sys
db = sqlite3.connect(".mlops/runs.db")
have = set(db.execute("select r.id, m.key, m.step from metrics m join runs r on r.seq = m.run").fetchall())
for line in open(sys.argv[1]):
    run, key, step = line.split()
    if (run, key, int(step)) not in have:
        print(line.strip())
PY
) || fail "the check of logged points failed"
    [[ -z "$missing" ]] || fail "acknowledged points are missing: $(head -3 <<< "$missing")"
  done
  run mlops runs list --json
  expect_rc 0
}

run_tests "${1:-.}"
