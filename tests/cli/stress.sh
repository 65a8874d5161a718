#!/usr/bin/env bash
# Sixteen processes on one store at once (issue 17): data add, log metric, model promote and
# data gc --dry-run, for $MLOPS_STRESS_SECONDS (default 10; ./scripts/test --full: 60). Nothing
# logged or added may be lost, no "database is locked" may reach the user, nothing may hang: a
# command either succeeds or, if a lock is held past its limit, exits 3 naming the holder.
source "$(dirname "$0")/lib.sh"

test_sixteen_processes_on_one_store_lose_nothing() {
  new_repo
  printf '*.bin\nw*/\n' > .gitignore
  git add -A && git commit -qm init
  local v
  for v in 1 2 3; do
    head -c 2048 /dev/urandom > "m$v.bin"
    git commit -q --allow-empty -m "version $v"  # one version per commit, as GTO reads the tags
    mlops model register churn --path "m$v.bin" --metric "auc=0.$v" > /dev/null 2>&1 || fail "register v$v"
  done
  local run; run=$(mlops run start --name stress)
  local seconds=${MLOPS_STRESS_SECONDS:-10}
  local deadline=$((SECONDS + seconds))
  local logs="$TEST_ROOT/stress.$current_test"
  mkdir -p "$logs"
  # worker KIND N: repeats its command until the deadline; one line per command in its log,
  # "ok", or the exit code and the first line of stderr.
  worker() {
    local kind=$1 n=$2 i=0 rc
    while ((SECONDS < deadline)); do
      i=$((i + 1))
      case $kind in
        add)
          mkdir -p "w$n" && head -c 4096 /dev/urandom > "w$n/f$i"
          timeout 120 "$MLOPS" data add "w$n/f$i" > /dev/null 2> "$logs/$kind.$n.err" ;;
        log) timeout 120 "$MLOPS" log metric "w$n" "$i" --step "$i" --run "$run" > /dev/null 2> "$logs/$kind.$n.err" ;;
        promote)
          timeout 120 "$MLOPS" model promote churn "v0.0.$((i % 3 + 1))" --to "$( ((n % 2)) && echo staging || echo production)" \
            > /dev/null 2> "$logs/$kind.$n.err" ;;
        gc) timeout 120 "$MLOPS" data gc --dry-run > /dev/null 2> "$logs/$kind.$n.err" ;;
      esac
      rc=$?
      if ((rc == 0)); then
        echo "ok $i" >> "$logs/$kind.$n.log"
      else
        echo "rc=$rc $i $(head -1 "$logs/$kind.$n.err")" >> "$logs/$kind.$n.log"
      fi
    done
  }
  local kind n
  for kind in add log promote gc; do
    for n in 1 2 3 4; do worker "$kind" "$n" & done
  done
  wait

  # Every failure is a bounded lock wait (exit 3, naming the holder's pid); none is "database is
  # locked", a timeout (124: a hang) or anything else.
  local failures; failures=$(cat "$logs"/*.log | grep -v '^ok ' || true)
  local bad; bad=$(grep -v -E '^rc=3 .*(held by|pid [0-9]+)' <<< "$failures" | grep . || true)
  [[ -z "$bad" ]] || fail "commands failed otherwise than a bounded lock wait: $(head -5 <<< "$bad")"
  grep -q -i "database is locked" "$logs"/*.log "$logs"/*.err && fail "'database is locked' reached the user"
  local done_ops; done_ops=$(cat "$logs"/*.log | grep -c '^ok ')
  echo "  stress: $done_ops commands succeeded in ${seconds} s ($(grep -c . <<< "$failures") lock waits gave up)" >&2
  ((done_ops > 16)) || fail "only $done_ops commands succeeded"

  # Every metric point whose command succeeded is there.
  for n in 1 2 3 4; do
    local want; want=$(grep -c '^ok ' "$logs/log.$n.log")
    local have; have=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect(".mlops/runs.db")
print(db.execute("select count(*) from metrics m join runs r on r.seq = m.run where r.id = ? and m.key = ?",
                 (sys.argv[1], sys.argv[2])).fetchone()[0])' "$run" "w$n") || fail "counting the points failed"
    expect_eq "$have" "$want"
  done
  # Every file whose add succeeded has its pointer and its object; the cache verifies.
  local line f
  for n in 1 2 3 4; do
    while read -r line; do
      f="w$n/f${line#ok }"
      [[ -f "$f.mlops" ]] || fail "'$f' was added but has no pointer"
    done < <(grep '^ok ' "$logs/add.$n.log")
  done
  run mlops data verify
  expect_rc 0
  local db
  for db in .mlops/runs.db .mlops/state.db; do
    [[ -f "$db" ]] || continue
    expect_eq "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("pragma integrity_check").fetchone()[0])' "$db")" "ok"
  done
  # The registry's tags all parse: history lists every promotion that succeeded.
  run mlops model history churn --json
  expect_rc 0
  local promotions; promotions=$(cat "$logs"/promote.*.log | grep -c '^ok ')
  local events; events=$(echo "$out" | json_get '["events"]' | python3 -c 'import sys,ast; print(sum(1 for e in ast.literal_eval(sys.stdin.read()) if e["event"] == "assignment"))' 2>/dev/null || echo "?")
  [[ "$events" != "?" ]] || fail "model history --json did not parse: $out"
  # A promotion of the version already in a stage is a no-op: at most one event per success.
  ((events <= promotions && events > 0)) || fail "$events assignments for $promotions promotions that succeeded"
  mlops run end "$run" > /dev/null 2>&1
}

run_tests "${1:-.}"
