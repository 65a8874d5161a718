#!/usr/bin/env bash
# CLI tests for teams (issue 19): a bare origin, three clones (alice, bob, carol) with the hooks
# installed, and one shared path remote, taking turns. Every test ends by checking that no
# committed version was lost: the data of every commit any clone holds can be fetched from the
# remote or from some clone's cache.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/team_helpers.bash"

# --- stale is not modified (issue 19, item 1) ------------------------------------------------------

test_pulled_data_is_out_of_date_not_modified() {
  team
  become alice
  echo v1 > data.csv && mlops data add data.csv >/dev/null 2>&1
  git add -A && git commit -qm "v1" && git push -q origin main 2>/dev/null
  become bob
  git pull -q 2>/dev/null
  expect_eq "$(cat data.csv 2>/dev/null)" "v1"           # post-merge fetched and checked it out
  printf 'hooks:\n  checkout: false\n' > .mlops/config.local.yaml
  become alice
  echo v2 > data.csv && mlops data add data.csv >/dev/null 2>&1
  git add -A && git commit -qm "v2" && git push -q origin main 2>/dev/null
  become bob
  git pull -q 2>/dev/null
  expect_eq "$(cat data.csv)" "v1"                        # hooks.checkout: false left it
  run mlops data status
  expect_rc 0
  expect_out "out of date:  data.csv"
  expect_no_out "modified"
  expect_err "'mlops data pull' brings out-of-date and missing data up to date"
  [[ "$err" != *"data add"* ]] || fail "the hint offers data add, which reverts alice's v2: $err"
  run mlops data status --json
  expect_eq "$(echo "$out" | json_get '["data"][0]["state"]')" "stale"
  # A code-only commit is not blocked by it.
  echo "code" > train.py && git add train.py
  run git commit -qm "code"
  expect_rc 0
  expect_err "data.csv is out of date with its pointer"
  mlops data pull >/dev/null 2>&1
  expect_eq "$(cat data.csv)" "v2"
  # A branch switch brings the data along (post-checkout), both ways, when the cache has it.
  rm .mlops/config.local.yaml
  git checkout -q HEAD~2 2>/dev/null
  expect_eq "$(cat data.csv)" "v1"
  git checkout -q main 2>/dev/null
  expect_eq "$(cat data.csv)" "v2"
  run mlops data status --exit-code
  expect_rc 0
  # Local modifications are never overwritten by the hook.
  echo "mine" > data.csv
  run git checkout -q HEAD~2
  expect_rc 0
  expect_err "data.csv has local modifications and was left as it is"
  expect_eq "$(cat data.csv)" "mine"
  git checkout -q main 2>/dev/null
  assert_no_version_lost
}

# --- pre-push pushes the data of every pushed commit (issue 19, item 2) -------------------------

test_pre_push_uploads_every_commit_in_the_range() {
  team
  become alice
  local i v=()
  for i in 1 2 3; do
    echo "v$i" > data.csv && mlops data add data.csv >/dev/null 2>&1 && v[$i]=$(hash_in data.csv.mlops)
    git add -A && git commit -qm "v$i"
  done
  run git push -q origin main
  expect_rc 0
  for i in 1 2 3; do on_remote "${v[$i]}" || fail "v$i (not the tip) was not pushed"; done
  # bob's data never reached the remote (he pushed with --no-verify): alice's push is not
  # blocked by it, but she is told whose commit it is.
  become bob
  git pull -q 2>/dev/null
  echo "bob's" > b.csv && mlops data add b.csv >/dev/null 2>&1 && local b; b=$(hash_in b.csv.mlops)
  git add -A && git commit -qm "bob's data" && git push -q --no-verify origin main 2>/dev/null
  become alice
  git pull -q 2>/dev/null
  echo "code" > train.py && git add train.py && git commit -qm "code"
  run git push -q origin main
  expect_rc 0
  expect_err "b.csv $b is in no cache and not on remote 'store': introduced by commit"
  expect_err "by bob <bob@example.com> (\"bob's data\")"
  expect_err "ask the author to run 'mlops data push'"
  # hooks.push_strict makes it block.
  printf 'hooks:\n  push_strict: true\n' > .mlops/config.local.yaml
  echo "more" >> train.py && git add train.py && git commit -qm "more code"
  run git push -q origin main
  expect_rc 1
  expect_err "introduced by commit"
  [[ "$(git rev-parse origin/main)" != "$(git rev-parse main)" ]] || fail "the strict push went through"
  rm .mlops/config.local.yaml
  # Her own commit naming data she no longer has blocks her push.
  echo "v4" > data.csv && mlops data add data.csv >/dev/null 2>&1 && local v4; v4=$(hash_in data.csv.mlops)
  git add -A && git commit -qm "v4"
  rm -f "$(object_of "$v4")"
  run git push -q origin main
  expect_rc 1
  expect_err "by alice <alice@example.com>"
  expect_err "your commit names data you no longer have"
  # bob pushes his data: everything is safe again.
  become bob
  mlops data push >/dev/null 2>&1
  on_remote "$b" || fail "bob's data is not on the remote"
}

# --- issue 10.8: data checkout --rev OLD in a fresh clone --------------------------------------

test_checkout_old_revision_in_a_fresh_clone_fetches_it() {
  team
  become alice
  echo v1 > data.csv && mlops data add data.csv >/dev/null 2>&1 && git add -A && git commit -qm "v1"
  echo v2 > data.csv && mlops data add data.csv >/dev/null 2>&1 && git add -A && git commit -qm "v2"
  git push -q origin main 2>/dev/null
  local dave="$TEST_ROOT/$current_test/dave"
  git clone -q "$ORIGIN" "$dave" 2>/dev/null && cd "$dave" || return 1
  run mlops data checkout data.csv --rev HEAD~1
  expect_rc 0
  expect_err "fetched 1 object"
  expect_eq "$(cat data.csv)" "v1"
  # Without a default remote the hint names the command that fetches that revision.
  rm -rf .mlops/cache/* data.csv
  sed -i 's/default: true/default: false/' .mlops/config.yaml
  local before; before=$(snapshot)
  run mlops data checkout data.csv --rev HEAD~1
  expect_rc 2
  expect_err "is not in the cache"
  expect_err "mlops data fetch --rev HEAD~1"
  expect_eq "$(snapshot)" "$before"
  run mlops data fetch --rev HEAD~1 --remote store
  expect_rc 0
  run mlops data checkout data.csv --rev HEAD~1
  expect_rc 0
  expect_eq "$(cat data.csv)" "v1"
}

# --- shared remotes: pull reports what is missing; interrupted checkouts (issue 19, item 7) -----

test_pull_fetches_what_exists_and_names_what_is_missing() {
  team
  become alice
  echo a > a.csv && echo b > b.csv && mlops data add a.csv b.csv >/dev/null 2>&1
  git add -A && git commit -qm "a and b" && git push -q origin main 2>/dev/null
  become bob
  git pull -q 2>/dev/null
  echo c > c.csv && mlops data add c.csv >/dev/null 2>&1
  git add -A && git commit -qm "bob's c" && git push -q --no-verify origin main 2>/dev/null
  become carol
  printf 'hooks:\n  checkout: false\n' > .mlops/config.local.yaml
  git pull -q 2>/dev/null
  run mlops data pull
  expect_rc 2
  expect_eq "$(cat a.csv 2>/dev/null)$(cat b.csv 2>/dev/null)" "ab"
  expect_no_file c.csv
  expect_out "written to the workspace"
  expect_err "1 dataset is not on remote"
  expect_err "c.csv (committed in $(git rev-parse HEAD | cut -c1-12) by bob <bob@example.com>: \"bob's c\")"
  expect_err "ask the author to run 'mlops data push'"
  run mlops data pull --json
  expect_rc 2
  expect_eq "$(echo "$out" | json_get '["missing"][0]["path"]')" "c.csv"
  expect_eq "$(echo "$out" | json_get '["missing"][0]["author"]')" "bob <bob@example.com>"
  become bob
  mlops data push >/dev/null 2>&1
  become carol
  run mlops data pull
  expect_rc 0
  expect_eq "$(cat c.csv)" "c"
  assert_no_version_lost
}

test_fetch_fetches_what_exists_and_names_what_is_missing() {
  team
  become alice
  echo a > a.csv && echo b > b.csv && mlops data add a.csv b.csv >/dev/null 2>&1
  git add -A && git commit -qm "a and b" && git push -q origin main 2>/dev/null
  become bob
  git pull -q 2>/dev/null
  # 0.csv sorts first: the first missing version must not stop the rest.
  echo 0 > 0.csv && mlops data add 0.csv >/dev/null 2>&1
  git add -A && git commit -qm "bob's 0" && git push -q --no-verify origin main 2>/dev/null
  become carol
  printf 'hooks:\n  checkout: false\n' > .mlops/config.local.yaml
  git pull -q 2>/dev/null
  run mlops data fetch
  expect_rc 2
  expect_out "2 objects fetched"
  [[ -e "$(object_of "$(hash_in a.csv.mlops)")" && -e "$(object_of "$(hash_in b.csv.mlops)")" ]] ||
    fail "fetch stopped at the first missing version"
  expect_err "1 dataset is not on remote"
  expect_err "0.csv (committed in $(git rev-parse HEAD | cut -c1-12) by bob <bob@example.com>: \"bob's 0\")"
  expect_err "everything else was fetched"
  run mlops data fetch --json
  expect_rc 2
  expect_eq "$(echo "$out" | json_get '["missing"][0]["path"]')" "0.csv"
  expect_eq "$(echo "$out" | json_get '["missing"][0]["commit"]')" "$(git rev-parse HEAD)"
  become bob
  mlops data push >/dev/null 2>&1
  become carol
  run mlops data fetch
  expect_rc 0
  assert_no_version_lost
}

test_interrupted_checkout_is_marked_and_finished() {
  team
  become alice
  mkdir big && for i in $(seq 1 5000); do echo "file $i"; done | split -l 1 -a 4 - big/f
  mlops data add big >/dev/null 2>&1
  rm -rf big
  "$MLOPS" data checkout big >/dev/null 2>&1 &   # the binary itself, so that kill reaches it
  local pid=$! i
  for i in $(seq 1 1000); do
    (($(find big -type f 2>/dev/null | head -20 | wc -l) >= 10)) && break
    sleep 0.005
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # What a kill between a temp file's write and its rename leaves behind.
  [[ -d big ]] && echo "half" > "big/.fzzzz.$pid.0badf00d.tmp"
  if (($(find big -type f | wc -l) == 5000)) && [[ ! -e .mlops/checkout-incomplete ]]; then
    echo "  skip [$current_test] the checkout finished before it could be interrupted"
    return 0
  fi
  run mlops data status
  expect_out "incomplete:   big"
  expect_no_out "modified"
  expect_err "'mlops data checkout big' finishes it"
  run mlops data status --json
  expect_eq "$(echo "$out" | json_get '["data"][0]["incomplete"]')" "True"
  local before; before=$(cat big.mlops)
  run mlops data add big
  expect_rc 2
  expect_err "'big' is half written by an interrupted checkout or pull"
  expect_eq "$(cat big.mlops)" "$before"
  run mlops data checkout
  expect_rc 0
  expect_no_file .mlops/checkout-incomplete
  expect_eq "$(find big -type f | wc -l)" "5000"
  run mlops data status --exit-code
  expect_rc 0
}

# A file is written through a temp file beside it; the one an interrupted checkout leaves (it is
# not git-ignored: `git add -A` would commit it) goes when the checkout is finished.
test_interrupted_file_checkout_leaves_no_temp_file() {
  team
  become alice
  mkdir -p data && head -c 30000000 /dev/urandom > data/big.bin
  mlops data add data/big.bin >/dev/null 2>&1
  rm data/big.bin
  "$MLOPS" data checkout data/big.bin >/dev/null 2>&1 &
  local pid=$! i
  for i in $(seq 1 1000); do
    compgen -G "data/.big.bin.*.tmp" >/dev/null && break
    sleep 0.002
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # What a kill before the rename leaves (written here too, in case the checkout was too quick).
  echo "half" > "data/.big.bin.$pid.0badf00d.tmp"
  [[ -e .mlops/checkout-incomplete ]] || { echo "  skip [$current_test] the checkout finished first"; return 0; }
  run mlops data checkout data/big.bin
  expect_rc 0
  expect_eq "$(compgen -G 'data/.big.bin.*.tmp' | wc -l)" "0"
  expect_eq "$(git status --porcelain --untracked-files=all | grep -c '\.tmp')" "0"
  run mlops data status --exit-code
  expect_rc 0
}

# --- move and remove (issue 19, item 6) ---------------------------------------------------------

test_mv_moves_data_pointer_and_ignore_entries() {
  team
  become alice
  mkdir -p data && echo raw > data/raw.csv && mlops data add data/raw.csv >/dev/null 2>&1
  git add -A && git commit -qm "raw" && git push -q origin main 2>/dev/null
  local h; h=$(hash_in data/raw.csv.mlops)
  run mlops data mv data/raw.csv data/sets/train.csv
  expect_rc 0
  expect_out "moved data/raw.csv to data/sets/train.csv"
  expect_no_file data/raw.csv
  expect_no_file data/raw.csv.mlops
  expect_eq "$(cat data/sets/train.csv)" "raw"
  expect_eq "$(hash_in data/sets/train.csv.mlops)" "$h"
  grep -qx "path: train.csv" data/sets/train.csv.mlops || fail "the pointer's path was not renamed"
  grep -qx "/train.csv" data/sets/.gitignore || fail "the new path is not ignored"
  [[ ! -e data/.gitignore ]] || ! grep -qx "/raw.csv" data/.gitignore || fail "the old ignore entry stayed"
  run mlops data status --exit-code
  expect_rc 0
  git add -A && run git commit -qm "move"
  expect_rc 0
  # Refused, changing nothing: a destination that exists, an untracked source.
  echo other > other.csv
  local before; before=$(snapshot)
  run mlops data mv data/sets/train.csv other.csv
  expect_rc 2
  expect_err "'other.csv' exists already"
  run mlops data mv nothing.csv x.csv
  expect_rc 2
  expect_eq "$(snapshot)" "$before"
  git push -q origin main 2>/dev/null
  assert_no_version_lost
}

test_remove_stops_tracking_and_refuses_unrecorded_changes() {
  team
  become bob
  echo one > a.csv && echo two > b.csv && mlops data add a.csv b.csv >/dev/null 2>&1
  git add -A && git commit -qm "a, b" && git push -q origin main 2>/dev/null
  run mlops data remove a.csv
  expect_rc 0
  expect_no_file a.csv
  expect_no_file a.csv.mlops
  grep -qx "/a.csv" .gitignore && fail "a.csv is still ignored"
  run mlops data remove b.csv --keep-data
  expect_rc 0
  expect_eq "$(cat b.csv)" "two"
  expect_no_file b.csv.mlops
  [[ "$(git status --porcelain b.csv)" == "?? b.csv" ]] || fail "b.csv is not an untracked file now"
  # Content no cache has is never deleted.
  git checkout -q a.csv.mlops .gitignore && mlops data checkout a.csv >/dev/null 2>&1
  echo "unrecorded" > a.csv
  local before; before=$(snapshot)
  run mlops data remove a.csv
  expect_rc 2
  expect_err "'a.csv' holds changes that are in no cache"
  expect_err "--keep-data"
  expect_eq "$(snapshot)" "$before"
  run mlops data remove never.csv
  expect_rc 2
  assert_no_version_lost
}

test_nested_add_inside_a_tracked_folder_is_refused() {
  team
  become carol
  mkdir -p imgs/sub && echo 1 > imgs/1.png && echo 2 > imgs/sub/2.png
  mlops data add imgs >/dev/null 2>&1
  local before; before=$(snapshot)
  run mlops data add imgs/sub/2.png
  expect_rc 2
  expect_err "'imgs/sub/2.png' is inside 'imgs', which is tracked data"
  expect_err "mlops data add imgs"
  expect_eq "$(snapshot)" "$before"
}

# --- gc (issue 19, item 3) ----------------------------------------------------------------------

test_gc_keeps_every_version_git_still_holds() {
  team
  become alice
  local v=()
  add_version() { echo "version $1" > data.csv && mlops data add data.csv >/dev/null 2>&1 && v[$1]=$(hash_in data.csv.mlops); }
  add_version 1 && git add -A && git commit -qm "v1" && git push -q origin main 2>/dev/null
  add_version 2 && git add -A && git commit -qm "v2 (history only)"
  add_version 3 && git add -A && git commit -qm "v3"
  git checkout -q -b exp && add_version 4 && git add -A && git commit -qm "v4 on a branch" && git checkout -q main
  mlops data checkout >/dev/null 2>&1
  git checkout -q -b gone && add_version 5 && git add -A && git commit -qm "v5" && git tag -a t5 -m "tagged" \
    && git checkout -q main && git branch -q -D gone             # only the tag holds v5
  mlops data checkout >/dev/null 2>&1
  add_version 6 && git add data.csv.mlops                        # staged only
  add_version 7 && git stash -q                                  # stashed (the index's v6 with it)
  add_version 8 && git add -A && git commit -qm "v8" && git reset -q --hard HEAD~1   # only in the reflog
  mlops data checkout >/dev/null 2>&1
  # A worktree sharing the store, with uncommitted data of its own.
  git worktree add -q --detach "$TEST_ROOT/$current_test/wt" HEAD
  (cd "$TEST_ROOT/$current_test/wt" && echo "version 9" > data.csv \
    && MLOPS_STORE_DIR="$alice/.mlops" "$MLOPS" data add data.csv >/dev/null 2>&1) || fail "worktree add"
  v[9]=$(hash_in "$TEST_ROOT/$current_test/wt/data.csv.mlops")
  add_version 10 && add_version 11   # 10: superseded before anything named it
  run mlops data gc --include-unpushed --grace 0 --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["removed"]')" "['${v[10]}']"
  local i
  for i in 1 2 3 4 5 6 7 8 9 11; do expect_file "$(object_of "${v[$i]}")"; done
  expect_no_file "$(object_of "${v[10]}")"
  assert_no_version_lost
  # Beyond git's own reflog expiry the reset commit is garbage too.
  git config gc.reflogExpireUnreachable now
  run mlops data gc --include-unpushed --grace 0
  expect_rc 0
  expect_out "removed 1 object"
  expect_no_file "$(object_of "${v[8]}")"
}

test_gc_never_removes_the_only_copy() {
  team
  become bob
  echo one > a.csv && mlops data add a.csv >/dev/null 2>&1
  local one; one=$(hash_in a.csv.mlops)
  mlops data push >/dev/null 2>&1                                # on the remote
  echo two > a.csv && mlops data add a.csv >/dev/null 2>&1
  local two; two=$(hash_in a.csv.mlops)
  echo three > a.csv && mlops data add a.csv >/dev/null 2>&1     # two: only in this cache
  run mlops data gc --grace 0
  expect_rc 0
  expect_out "removed 1 object"
  expect_out "kept 1 object (4 B) that the default remote 'store' does not have"
  expect_err "--include-unpushed"
  expect_no_file "$(object_of "$one")"
  expect_file "$(object_of "$two")"
  # Without a default remote nothing unreferenced is safe elsewhere.
  sed -i 's/default: true/default: false/' .mlops/config.yaml
  run mlops data gc --grace 0
  expect_rc 0
  expect_out "removed 0 objects"
  expect_out "no remote has (there is no default remote)"
  expect_file "$(object_of "$two")"
  run mlops data gc --grace 0 --include-unpushed
  expect_out "removed 1 object"
  expect_no_file "$(object_of "$two")"
  git checkout -q .mlops/config.yaml
  assert_no_version_lost
}

test_gc_grace_period_keeps_new_objects() {
  team
  become carol
  echo one > a.csv && mlops data add a.csv >/dev/null 2>&1 && local one; one=$(hash_in a.csv.mlops)
  echo two > a.csv && mlops data add a.csv >/dev/null 2>&1
  run mlops data gc --include-unpushed
  expect_rc 0
  expect_out "removed 0 objects"
  expect_out "kept 1 object (4 B) newer than the grace period (1d)"
  expect_file "$(object_of "$one")"
  printf 'gc:\n  grace: 2h\n' >> .mlops/config.yaml
  touch -d '3 hours ago' "$(object_of "$one")"
  run mlops data gc --include-unpushed --dry-run
  expect_out "would remove $one"
  run mlops data gc --grace nonsense
  expect_rc 2
  expect_err "'nonsense' is not a duration"
  printf 'gc:\n  grace: soon\n' > .mlops/config.local.yaml
  run mlops data gc
  expect_rc 2
  expect_err "gc.grace is 'soon'"
  expect_file "$(object_of "$one")"
}

# Reproduces the loss of 5,001 objects: gc ran while `data add` of a 5,000-file folder (symlink
# mode) was writing them. The store lock makes gc wait for the add, which then names them.
test_gc_during_add_loses_nothing() {
  team
  become alice
  sed -i 's/link: copy/link: symlink/' .mlops/config.yaml
  mkdir big && for i in $(seq 1 5000); do echo "file $i"; done | split -l 1 -a 4 - big/f
  mlops data add big >"$TEST_ROOT/add.out" 2>&1 &
  local add_pid=$! i
  for i in $(seq 1 500); do
    (($(find .mlops/cache -type f 2>/dev/null | head -20 | wc -l) >= 10)) && break
    sleep 0.01
  done
  run mlops data gc --include-unpushed --grace 0 --yes
  expect_rc 0
  wait "$add_pid" || fail "data add failed: $(cat "$TEST_ROOT/add.out")"
  run mlops data verify
  expect_rc 0
  expect_out "5001 objects checked, 0 corrupt, 0 missing"
  run mlops data status --exit-code
  expect_rc 0
  [[ "$(cat big/faaaa)" == "file 1" ]] || fail "big/faaaa lost its content"
}

test_gc_asks_on_a_terminal() {
  team
  become bob
  echo one > a.csv && mlops data add a.csv >/dev/null 2>&1 && local one; one=$(hash_in a.csv.mlops)
  echo two > a.csv && mlops data add a.csv >/dev/null 2>&1
  run script -qec "mlops data gc --include-unpushed --grace 0" /dev/null <<< "n"
  [[ "$out" == *"remove 1 object from the cache, freeing 4 B? [y/N]"* ]] || fail "no question: $out"
  [[ "$out" == *"nothing removed"* ]] || fail "declining removed something: $out"
  expect_file "$(object_of "$one")"
  run script -qec "mlops data gc --include-unpushed --grace 0" /dev/null <<< "y"
  [[ "$out" == *"removed 1 object"* ]] || fail "not removed after yes: $out"
  expect_no_file "$(object_of "$one")"
}

test_gc_remote_needs_a_dry_run_first() {
  team
  become alice
  mkdir imgs && for i in 1 2 3; do echo "img $i" > "imgs/$i"; done
  echo v1 > a.csv && mlops data add a.csv imgs >/dev/null 2>&1
  git add -A && git commit -qm "v1" && git push -q origin main 2>/dev/null
  echo scratch > a.csv && mlops data add a.csv >/dev/null 2>&1 && mlops data push >/dev/null 2>&1
  local scratch; scratch=$(hash_in a.csv.mlops)
  mlops data checkout --force >/dev/null 2>&1; git checkout -q a.csv.mlops; mlops data checkout >/dev/null 2>&1
  local before; before=$(find "$STORE" -type f | sort | md5sum)
  # carol has never fetched the folder's manifest: its files must not look unreferenced to her.
  become carol
  git pull -q
  run mlops data gc --remote store --grace 0
  expect_rc 2
  expect_err "removes only what a dry run showed"
  expect_err "mlops data gc --remote store --dry-run"
  expect_eq "$(find "$STORE" -type f | sort | md5sum)" "$before"
  run mlops data gc --remote store --grace 0 --dry-run --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["removed"]')" "['$scratch']"
  run mlops data gc --remote store --grace 0 --yes
  expect_rc 0
  expect_out "removed 1 object from remote 'store'"
  on_remote "$scratch" && fail "the scratch version is still on the remote"
  # The dry run's record is used up.
  run mlops data gc --remote store --grace 0
  expect_rc 2
  assert_no_version_lost
}

# --- ignore entries (issue 19, items 5 and 6) ------------------------------------------------------

test_tracked_data_no_longer_ignored_is_flagged() {
  team
  become alice
  mkdir -p data && echo v1 > data/train.csv && echo k > data/keep.csv
  mlops data add data/train.csv data/keep.csv >/dev/null 2>&1
  git add -A && git commit -qm "data" && git push -q origin main 2>/dev/null
  # The entry is lost (edited by hand, a bad merge): git would now commit the data itself.
  sed -i '/^\/train.csv$/d' data/.gitignore
  run mlops data status --exit-code
  expect_rc 1
  expect_out "not ignored:  data/train.csv (tracked, but git does not ignore it)"
  expect_err "add the line '/train.csv' to data/.gitignore"
  run mlops data status --json
  expect_eq "$(echo "$out" | json_get '["ignore"][0]["problem"]')" "not_ignored"
  expect_eq "$(echo "$out" | json_get '["clean"]')" "False"
  # The pre-commit hook only informs for a code-only commit...
  echo code > code.py && git add code.py
  run git commit -qm "code only"
  expect_rc 0
  expect_err "data/train.csv is tracked by mlops but git does not ignore it"
  # ...and refuses a commit that holds the data itself.
  git add -A
  run git commit -qm "oops, the data"
  expect_rc 1
  expect_err "data/train.csv itself is staged"
  expect_eq "$(git log -1 --format=%s)" "code only"
  # The fix the hint gives works.
  git reset -q
  echo /train.csv >> data/.gitignore
  run mlops data status --exit-code
  expect_rc 0
  # Another pattern that covers it counts as ignored too.
  sed -i '/^\/train.csv$/d' data/.gitignore && echo '*.csv' > .gitignore
  run mlops data status --exit-code
  expect_rc 0
  assert_no_version_lost
}

test_ignored_data_whose_pointer_is_gone_is_flagged() {
  team
  become alice
  mkdir -p data && echo old > data/old.csv && echo new > data/new.csv
  mlops data add data/old.csv data/new.csv >/dev/null 2>&1
  git add -A && git commit -qm "data" && git push -q origin main 2>/dev/null
  become bob
  git pull -q 2>/dev/null
  git rm -q data/old.csv.mlops && git commit -qm "drop old.csv" && git push -q origin main 2>/dev/null
  become alice
  git pull -q 2>/dev/null
  expect_eq "$(cat data/old.csv)" "old"  # the data stays, ignored, versioned by nothing
  run mlops data status --exit-code
  expect_rc 1
  expect_out "untracked:    data/old.csv (ignored by '/old.csv' in data/.gitignore, but no pointer tracks it"
  expect_out "removed in $(git rev-parse HEAD | cut -c1-12) by bob <bob@example.com>"
  expect_err "'mlops data add data/old.csv' versions it again"
  run mlops data status --json
  expect_eq "$(echo "$out" | json_get '["ignore"][0]["problem"]')" "untracked"
  expect_eq "$(echo "$out" | json_get '["ignore"][0]["removed_in"]["author"]')" "bob <bob@example.com>"
  # The user's own entries are never flagged.
  echo /build >> .gitignore && mkdir build && echo x > build/out
  run mlops data status --json
  expect_eq "$(echo "$out" | json_get '["ignore"].__len__()')" "1"
  # Either fix clears it.
  sed -i '/^\/old.csv$/d' data/.gitignore && rm data/old.csv
  run mlops data status --exit-code
  expect_rc 0
  assert_no_version_lost
}

run_tests "${1:-.}"
