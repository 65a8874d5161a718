#!/usr/bin/env bash
# Fault injection (issue 17): tests/fault/fault_inject.cpp, preloaded, makes the Nth write, fsync,
# rename or open-for-writing of a command fail with ENOSPC, EIO or EACCES, or makes one write
# short, for every N until the command gets through without meeting the fault. Each failing case
# must exit 3 with an error message and leave the repository as it was or as a clean run leaves
# it (or, where the fault hit something allowed to fail, exit 0 with the clean run's result), leave
# no temp file, and a rerun without the fault must succeed. MLOPS_FAULT_STRIDE (default 7;
# ./scripts/test --full: 1) tries every Nth N. The default run tries each N with ENOSPC and again
# with a short write; the full run tries every N once, the errors taking turns (ENOSPC, EIO,
# EACCES, and a short write for writes), which meets each error all along a command's writes at a
# third of the cost of trying every error at every N.
source "$(dirname "$0")/lib.sh"
if [[ -z "${MLOPS_FAULT_SHIM:-}" || ! -f "${MLOPS_FAULT_SHIM:-}" ]]; then
  echo "cli.faults skipped: no fault shim (a sanitizer build cannot preload one before its run-time)" >&2
  exit 77
fi
STRIDE=${MLOPS_FAULT_STRIDE:-7}
if ((STRIDE == 1)); then PASSES=(in-turn); else PASSES=(ENOSPC SHORT); fi

# What a user calls the repository's state: the work tree's files (not .git, not the cache and the
# store's scratch files), git's tags (by what they point at: a tag object records its time), and
# the runs: none left "running", and every finished run with all of its metric points. A run that
# an I/O error ended is recorded as failed, which is a record, not damage.
state() {
  find . \( -path ./.git -o -path ./.mlops -o -path ./remote \) -prune -o -type f -print0 | sort -z | xargs -0 md5sum
  cat .mlops/config.yaml 2> /dev/null | md5sum
  git for-each-ref --format='%(refname) %(*objectname)' refs/tags
  # The sqlite3 shell, not Python: this runs twice per case, over a thousand cases.
  if [[ -f .mlops/runs.db && -n "$(sqlite3 .mlops/runs.db "select 1 from sqlite_master where name = 'runs'")" ]]; then
    sqlite3 .mlops/runs.db "select 'running: ' || count(*) from runs where status = 'running';
      select 'finished without their point: ' || count(*) from runs r where status = 'finished' and
        (select count(*) from metrics m where m.run = r.seq) != 1;"
  fi
}

# Temp files of ours anywhere in the repository (git's own are git's business).
temp_files() { find . -path ./.git -prune -o -name '.*.tmp' -print; }

# drive SETUP COMMAND...: SETUP (a function) makes the repository in a fresh folder; COMMAND runs
# in copies of it with every fault, then without.
drive() {
  local setup=$1; shift
  local template="$TEST_ROOT/template.$current_test"
  local work="$TEST_ROOT/work.$current_test"
  local report="$TEST_ROOT/report.$current_test"
  rm -rf "$template" && mkdir -p "$template" && cd "$template" || return
  "$setup" || { fail "setup"; return; }
  rm -rf "$work" && cp -a "$template" "$work" && cd "$work" || return
  local before; before=$(state)
  run "$@"
  [[ $rc == 0 ]] || { fail "'$*' fails without a fault (exit $rc): $err"; return; }
  local after; after=$(state)
  local call pass error n cases=0
  for call in write fsync rename open; do
    local kinds=(ENOSPC EIO EACCES)
    [[ $call == write ]] && kinds+=(SHORT)
    for pass in "${PASSES[@]}"; do
      [[ $pass == SHORT && $call != write ]] && continue
      for ((n = 1; ; n += STRIDE)); do
        error=$pass
        [[ $pass == in-turn ]] && error=${kinds[(n - 1) % ${#kinds[@]}]}
        cd "$TEST_ROOT" && rm -rf "$work" && cp -a "$template" "$work" && cd "$work" || return
        rm -f "$report"
        out=$(LD_PRELOAD=$MLOPS_FAULT_SHIM MLOPS_FAULT_CALL=$call MLOPS_FAULT_AT=$n MLOPS_FAULT_ERRNO=$error \
          MLOPS_FAULT_REPORT=$report "$@" 2> "$TEST_ROOT/.stderr")
        rc=$? err=$(cat "$TEST_ROOT/.stderr")
        [[ -s "$report" ]] || break  # the command got through without meeting the fault
        cases=$((cases + 1))
        local what="'$*' with $call #$n failing ($error)"
        local now; now=$(state)
        # Exit 0: the fault hit something that may fail (a disposable cache, a retried write, a
        # short write the writer completed) and the result is the clean run's. Exit 3: an error
        # message, and the repository as before or as after, never in between.
        if [[ $rc == 0 ]]; then
          [[ "$now" == "$after" ]] || fail "$what: exit 0 but not the clean run's result: $(diff <(echo "$after") <(echo "$now") | head -4)"
        else
          [[ $rc == 3 ]] || fail "$what: exit $rc, not 3: $err"
          [[ "$err" == *"error: "* ]] || fail "$what: no error message: $err"
          # A checkout or pull writes file by file: one stopped half way is recorded, `data status`
          # says so, and the rerun finishes it.
          if [[ "$now" != "$before" && "$now" != "$after" ]] && ! "$MLOPS" data status 2> /dev/null | grep -q "incomplete:"; then
            fail "$what: left the repository half changed: $(diff <(echo "$before") <(echo "$now") | head -6)"
          fi
        fi
        [[ -z "$(temp_files)" ]] || fail "$what: left temp files: $(temp_files | head -3)"
        [[ $rc == 0 ]] && continue  # done: nothing for a rerun to finish
        run "$@"
        [[ $rc == 0 ]] || fail "$what: the rerun without the fault failed (exit $rc): $err"
        [[ "$(state)" == "$after" ]] || fail "$what: the rerun did not give the clean run's result"
      done
    done
  done
  echo "  faults: $cases cases of '$*'" >&2
  ((cases > 0)) || fail "no fault was ever met: is the shim preloaded?"
}

committed_repo() {
  git init -q . && "$MLOPS" init > /dev/null 2>&1
  printf '*.bin\n' > .gitignore
  git add -A && git commit -qm init
}
with_new_data() {
  committed_repo
  mkdir d && for i in 1 2 3 4 5; do head -c 3000 /dev/urandom > "d/$i"; done
  head -c 200000 /dev/urandom > big.bin
}
with_added_data() {
  with_new_data
  "$MLOPS" data add d big.bin > /dev/null 2>&1 && git add -A && git commit -qm data
  rm -rf d big.bin
}
with_a_remote() {
  with_new_data
  # Relative to the repository: each copy has its own remote.
  mkdir -p remote && "$MLOPS" remote add store remote --default > /dev/null 2>&1
  echo remote/ >> .gitignore
  "$MLOPS" data add d big.bin > /dev/null 2>&1 && git add -A && git commit -qm data
}
with_pushed_data() {
  with_a_remote
  "$MLOPS" data push > /dev/null 2>&1
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* d big.bin
}
with_a_model() {
  committed_repo
  head -c 5000 /dev/urandom > model.bin
}
with_a_registered_model() {
  with_a_model
  "$MLOPS" model register churn --path model.bin > /dev/null 2>&1
}
with_garbage() {
  with_added_data
  "$MLOPS" data checkout > /dev/null 2>&1
  echo changed >> d/1 && "$MLOPS" data add d > /dev/null 2>&1 && git checkout -q -- d.mlops 2> /dev/null
  "$MLOPS" data checkout --force > /dev/null 2>&1
}

test_data_add_under_faults() { drive with_new_data "$MLOPS" data add d big.bin; }
test_data_checkout_under_faults() { drive with_added_data "$MLOPS" data checkout; }
test_data_push_under_faults() { drive with_a_remote "$MLOPS" data push; }
test_data_pull_under_faults() { drive with_pushed_data "$MLOPS" data pull; }
test_data_gc_under_faults() { drive with_garbage "$MLOPS" data gc --grace 0 --include-unpushed --yes; }
test_run_and_log_under_faults() { drive committed_repo "$MLOPS" run --name faulty -- sh -c '"$MLOPS" log metric m 1 --step 1'; }
test_model_register_under_faults() { drive with_a_model "$MLOPS" model register churn --path model.bin; }
test_model_promote_under_faults() { drive with_a_registered_model "$MLOPS" model promote churn v0.0.1 --to staging; }

# A real full disk: a small tmpfs (where this machine lets the test mount one; said when not).
test_a_really_full_disk_changes_nothing_and_the_rerun_after_freeing_space_succeeds() {
  local mnt="$TEST_ROOT/small.$current_test"
  mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=4m tmpfs "$mnt" 2> /dev/null; then
    echo "  skipped: cannot mount a small tmpfs here (needs root and a kernel that allows it)" >&2
    return 0
  fi
  cd "$mnt" || return
  git init -q . && "$MLOPS" init > /dev/null 2>&1 && git add -A && git commit -qm init
  head -c $((1536 << 10)) /dev/urandom > one.bin
  head -c $((1536 << 10)) /dev/urandom > two.bin
  local before; before=$(state)
  # The cache needs a copy of each: 3 MiB more than the disk has left.
  run "$MLOPS" data add one.bin two.bin
  expect_rc 3
  expect_err "No space left on device"
  expect_eq "$(state)" "$before"
  expect_eq "$(temp_files)" ""
  mount -o remount,size=16m "$mnt" || fail "remount"
  run "$MLOPS" data add one.bin two.bin
  expect_rc 0
  run "$MLOPS" data verify
  expect_rc 0
  cd "$TEST_ROOT" && umount "$mnt"
}

run_tests "${1:-.}"
