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

run_tests "${1:-.}"
