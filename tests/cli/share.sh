#!/usr/bin/env bash
# CLI tests: sharing through a remote — the data of git history (`data push|fetch|gc --all-commits,
# --all-tags, --all-branches`) and runs (`runs push|pull`).
source "$(dirname "$0")/lib.sh"
PATH="$(cd "$(dirname "$MLOPS")" && pwd):$PATH"

# Objects on a path remote, one per line (the layout ab/cdef...).
remote_objects() { [[ -d "$1" ]] || return 0; (cd "$1" && find . -type f -not -path './runs/*' | sed 's|^\./||; s|/||' | sort); }
hash_of() { grep '^hash:' "$1.mlops" | sed 's/hash: xxh3://'; }

# A repository with three versions of d.txt: v1 (tag v1), v2 on branch 'side' (tip), v3 on main.
history_repo() {
  new_repo
  mlops remote add store "$TEST_ROOT/$current_test.store" --default --create > /dev/null 2>&1
  echo one > d.txt && mlops data add d.txt > /dev/null 2>&1
  git add -A && git commit -qm v1 && git tag v1
  V1=$(hash_of d.txt)
  git checkout -qb side && echo two > d.txt && mlops data add d.txt > /dev/null 2>&1 && git commit -qam v2
  V2=$(hash_of d.txt)
  git checkout -q main && mlops data checkout d.txt > /dev/null 2>&1
  echo three > d.txt && mlops data add d.txt > /dev/null 2>&1 && git commit -qam v3
  V3=$(hash_of d.txt)
  STORE="$TEST_ROOT/$current_test.store"
}

test_push_head_only_by_default() {
  history_repo
  run mlops data push; expect_rc 0
  expect_eq "$(remote_objects "$STORE")" "$V3"
}

test_push_all_tags_adds_tagged_versions() {
  history_repo
  run mlops data push --all-tags --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["revisions"]')" "1"
  expect_eq "$(remote_objects "$STORE")" "$(printf '%s\n' "$V1" "$V3" | sort)"
}

test_push_all_branches_adds_branch_tips() {
  history_repo
  run mlops data push --all-branches; expect_rc 0
  expect_err "2 revisions named"
  expect_eq "$(remote_objects "$STORE")" "$(printf '%s\n' "$V2" "$V3" | sort)"
}

test_push_all_commits_then_fetch_all_commits_in_a_fresh_clone() {
  history_repo
  run mlops data push --all-commits --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["revisions"]')" "3"
  expect_eq "$(remote_objects "$STORE")" "$(printf '%s\n' "$V1" "$V2" "$V3" | sort)"
  local src=$PWD
  git clone -q "$src" "$TEST_ROOT/$current_test.clone" && cd "$TEST_ROOT/$current_test.clone" || return
  git branch -q side origin/side
  run mlops data fetch --all-commits; expect_rc 0
  expect_out "3 objects fetched"
  for h in "$V1" "$V2" "$V3"; do expect_file ".mlops/cache/${h:0:2}/${h:2}"; done
  # Nothing new the second time.
  run mlops data fetch --all-commits --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "0"
}

test_fetch_all_tags_takes_only_tagged_versions() {
  history_repo
  mlops data push --all-commits > /dev/null 2>&1
  git clone -q "$PWD" "$TEST_ROOT/$current_test.clone" && cd "$TEST_ROOT/$current_test.clone" || return
  run mlops data fetch --all-tags; expect_rc 0
  expect_file ".mlops/cache/${V1:0:2}/${V1:2}"
  expect_file ".mlops/cache/${V3:0:2}/${V3:2}"   # the workspace's version comes too
  expect_no_file ".mlops/cache/${V2:0:2}/${V2:2}"
}

test_lost_history_version_is_warned_and_the_rest_moves() {
  history_repo
  # v2's object is neither in the cache nor on the remote: lost.
  chmod -R u+w .mlops/cache && rm -f ".mlops/cache/${V2:0:2}/${V2:2}"
  run mlops data push --all-commits --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["missing"][0]["hash"]')" "xxh3:$V2"
  expect_eq "$(remote_objects "$STORE")" "$(printf '%s\n' "$V1" "$V3" | sort)"
  run mlops data push --all-commits; expect_rc 0
  expect_err "1 version named by history is neither in the cache nor on"
  expect_err "d.txt xxh3:$V2"
}

test_history_flags_with_paths() {
  history_repo
  echo other > e.txt && mlops data add e.txt > /dev/null 2>&1 && git add -A && git commit -qm e
  run mlops data push d.txt --all-tags; expect_rc 0
  expect_eq "$(remote_objects "$STORE")" "$(printf '%s\n' "$V1" "$V3" | sort)"
  local before; before=$(remote_objects "$STORE")
  run mlops data push nothere.txt --all-commits; expect_rc 2
  expect_err "'nothere.txt' is not tracked in the workspace or in any revision named"
  expect_eq "$(remote_objects "$STORE")" "$before"
}

test_history_flags_exclude_rev() {
  history_repo
  run mlops data push --all-tags --rev v1; expect_rc 2
  expect_err "cannot be used together"
  expect_eq "$(remote_objects "$STORE")" ""
  run mlops data fetch --all-commits --rev v1; expect_rc 2
}

test_gc_workspace_only_widened_by_all_tags() {
  history_repo
  # Local cache: v1, v2, v3. -w keeps v3 only; -w --all-tags keeps v1 too.
  run mlops data gc -w --all-tags --grace 0 --include-unpushed --dry-run --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["removed"]')" "['xxh3:$V2']"
  expect_err "keeping the data of 1 revision besides the workspace"
  run mlops data gc -w --all-branches --grace 0 --include-unpushed --dry-run --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["removed"]')" "['xxh3:$V1']"
  run mlops data gc -w --grace 0 --include-unpushed --yes --all-commits --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "0"
  run mlops data gc -w --grace 0 --include-unpushed --yes --all-tags; expect_rc 0
  expect_no_file ".mlops/cache/${V2:0:2}/${V2:2}"
  expect_file ".mlops/cache/${V1:0:2}/${V1:2}"
}

test_gc_all_tags_without_workspace_only_changes_nothing() {
  history_repo
  run mlops data gc --all-tags --grace 0 --include-unpushed --dry-run --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "0"
  expect_err "change nothing here"
}

test_remote_gc_keeps_tagged_versions_with_workspace_only() {
  history_repo
  mlops data push --all-commits > /dev/null 2>&1
  run mlops data gc --remote store -w --all-tags --grace 0 --dry-run --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["removed"]')" "['xxh3:$V2']"
  run mlops data gc --remote store -w --all-tags --grace 0 --yes; expect_rc 0
  expect_eq "$(remote_objects "$STORE")" "$(printf '%s\n' "$V1" "$V3" | sort)"
}

test_all_commits_reads_a_long_history_quickly() {
  new_repo
  mlops remote add store "$TEST_ROOT/$current_test.store" --default --create > /dev/null 2>&1
  mkdir -p data/a data/b
  echo x > data/a/f.txt && mlops data add data/a/f.txt > /dev/null 2>&1
  echo y > data/b/g.txt && mlops data add data/b/g.txt > /dev/null 2>&1
  git add -A && git commit -qm base
  # 2,000 commits, each changing one pointer (written by git fast-import: no checkout needed).
  python3 - > "$TEST_ROOT/$current_test.stream" <<'PY'
import subprocess
head = subprocess.check_output(["git", "rev-parse", "HEAD"]).decode().strip()
for i in range(2000):
    body = "version: 1\npath: f.txt\nhash: xxh3:%032x\nsize: 2\nfiles: 1\nkind: file\n" % (i + 1)
    print("commit refs/heads/main")
    print("committer T <t@example.com> %d +0000" % (1700000000 + i))
    msg = "c%d" % i
    print("data %d\n%s" % (len(msg), msg))
    if i == 0: print("from %s" % head)
    print("M 100644 inline data/a/f.txt.mlops")
    print("data %d\n%s" % (len(body), body))
PY
  git fast-import --quiet < "$TEST_ROOT/$current_test.stream" && git reset -q --hard main
  local start=$SECONDS
  run mlops data push --all-commits --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["revisions"]')" "2001"
  # Every fake version is lost (no object anywhere): each is reported, none stops the push.
  expect_eq "$(echo "$out" | json_get '["missing"].__len__()')" "2000"
  ((SECONDS - start < 20)) || fail "--all-commits over 2,001 commits took $((SECONDS - start)) s"
}

# ---- runs push / pull ----

QUICKSTART="${MLOPS_SOURCE_DIR:-.}/examples/quickstart"
run_ids() { "$MLOPS" runs list --ids | sort; }
remote_runs() { [[ -d "$1/runs/docs" ]] && (cd "$1/runs/docs" && ls | sed 's/\.json$//' | sort); }

# An origin (bare git repository) and a store shared by every clone of it: $ORIGIN, $STORE.
shared_project() {
  ORIGIN="$TEST_ROOT/$current_test.origin.git"; STORE="$TEST_ROOT/$current_test.store"
  mkdir -p "$STORE" && git init -q --bare "$ORIGIN"
  new_repo
  mlops remote add store "$STORE" --default > /dev/null 2>&1
  printf 'out.txt\nrun.id\nmodel.bin\n' > .gitignore
  git add -A && git commit -qm init && git remote add origin "$ORIGIN" && git push -q origin main
}
clone_of() { git clone -q "$ORIGIN" "$TEST_ROOT/$current_test.$1" && cd "$TEST_ROOT/$current_test.$1"; }
# A finished run with a metric history and an artifact that only this clone has.
make_run() {
  "$MLOPS" run --name "$1" --param who="$1" --artifact out.txt -- \
    sh -c "echo $1-\$\$ > out.txt; mlops log metric loss 0.5 --step 1; mlops log metric loss 0.25 --step 2" > /dev/null 2>&1
}

test_runs_pushed_concurrently_from_two_clones_all_arrive() {
  shared_project
  clone_of a || return; for i in 1 2 3 4 5 6; do make_run "a$i"; done; local a_ids; a_ids=$(run_ids)
  clone_of b || return; for i in 1 2 3 4 5 6; do make_run "b$i"; done; local b_ids; b_ids=$(run_ids)
  # Both clones push at the same moment, each run by itself (12 index segments written at once).
  local pids=()
  for c in a b; do
    (cd "$TEST_ROOT/$current_test.$c" && for id in $(run_ids); do "$MLOPS" runs push "$id" > /dev/null 2>&1 || exit 1; done) &
    pids+=($!)
    (cd "$TEST_ROOT/$current_test.$c" && "$MLOPS" runs push > /dev/null 2>&1) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || fail "a concurrent push failed"; done
  expect_eq "$(remote_runs "$STORE")" "$(printf '%s\n' $a_ids $b_ids | sort)"
  # A third clone pulls the union, histories and artifacts included.
  clone_of c || return
  run mlops runs pull --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pulled"].__len__()')" "12"
  expect_eq "$(run_ids)" "$(printf '%s\n' $a_ids $b_ids | sort)"
  local id; id=$(echo "$a_ids" | head -1)
  run mlops runs show "$id" --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["metric_history"].__len__()')" "2"
  expect_eq "$(echo "$out" | json_get '["params"]["who"]')" "$(cd "$TEST_ROOT/$current_test.a" && "$MLOPS" runs show "$id" --json | json_get '["params"]["who"]')"
  local art; art=$(echo "$out" | json_get '["artifacts"][0]["hash"]' | sed 's/xxh3://')
  expect_file ".mlops/cache/${art:0:2}/${art:2}"
  # Pulling again is a no-op: nothing downloaded, nothing written.
  local before; before=$(snapshot .mlops)
  run mlops runs pull --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pulled"]')" "[]"
  expect_eq "$(echo "$out" | json_get '["already"].__len__()')" "12"
  expect_eq "$(echo "$out" | json_get '["artifact_objects"]')" "0"
  # And pushing what was pulled publishes nothing new (same bytes, no new index segment).
  local segments; segments=$(ls "$STORE/runs/index" | wc -l)
  run mlops runs push --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pushed"]')" "[]"
  expect_eq "$(ls "$STORE/runs/index" | wc -l)" "$segments"
}

test_runs_push_verify_sends_an_artifact_the_remote_lost() {
  shared_project
  make_run one
  local home=$PWD id art
  id=$(run_ids)
  mlops runs push > /dev/null 2>&1 || fail "first push failed"
  art=$("$MLOPS" runs show "$id" --json | json_get '["artifacts"][0]["hash"]' | sed 's/xxh3://')
  expect_file "$STORE/${art:0:2}/${art:2}"
  rm -f "$STORE/${art:0:2}/${art:2}"  # the remote loses it (a bucket emptied by other means)
  # A plain push trusts that a published run is whole.
  run mlops runs push --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["artifact_objects"]')" "0"
  # So a fresh clone cannot pull the run, and the hint names the repair.
  clone_of c || return
  run mlops runs pull; expect_rc 2
  expect_err "mlops runs push --verify"
  expect_eq "$(run_ids)" ""
  # --verify sends the lost object again, without publishing the run a second time.
  cd "$home" || return
  run mlops runs push --verify --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["artifact_objects"]')" "1"
  expect_eq "$(echo "$out" | json_get '["already"]')" "['$id']"
  expect_file "$STORE/${art:0:2}/${art:2}"
  cd "$TEST_ROOT/$current_test.c" || return
  run mlops runs pull; expect_rc 0
  expect_eq "$(run_ids)" "$id"
}

test_runs_pull_by_id_prefix_and_unknown_ids() {
  shared_project
  make_run one; make_run two
  local one; one=$("$MLOPS" runs list --ids | tail -1)
  mlops runs push > /dev/null 2>&1
  clone_of c || return
  run mlops runs pull "${one:0:10}"; expect_rc 0
  expect_out "1 run pulled"
  expect_eq "$(run_ids)" "$one"
  run mlops runs pull zzzzzzzz; expect_rc 2
  expect_err "no run 'zzzzzzzz' on remote"
  expect_err "runs push"
  expect_eq "$(run_ids)" "$one"
  run mlops runs pull 0; expect_rc 2
  expect_err "ambiguous"
}

test_same_id_other_content_is_an_error_naming_both() {
  shared_project
  make_run original
  local id; id=$(run_ids)
  mlops runs export "$id" -o "$TEST_ROOT/run.json" 2>/dev/null
  mlops runs push > /dev/null 2>&1
  clone_of b || return
  # The same id with other content: an export edited by hand, imported here.
  sed -i 's/"name": "original"/"name": "impostor"/' "$TEST_ROOT/run.json"
  mlops runs import "$TEST_ROOT/run.json" > /dev/null 2>&1
  local before store_before; before=$(mlops runs export; find .mlops/cache -type f | sort); store_before=$(snapshot "$STORE")
  run mlops runs pull; expect_rc 2
  expect_err "run '$id' differs"
  expect_err "'original' on"
  expect_err "'impostor' on"
  expect_err "(name differ"
  expect_eq "$(mlops runs export; find .mlops/cache -type f | sort)" "$before"
  run mlops runs push "$id"; expect_rc 2
  expect_err "run '$id' differs"
  expect_eq "$(snapshot "$STORE")" "$store_before"
}

test_unfinished_runs_are_not_pushed() {
  shared_project
  make_run done
  local open_id; open_id=$(mlops run start --name open)
  run mlops runs push "$open_id"; expect_rc 2
  expect_err "still running: only finished runs are pushed"
  expect_no_file "$STORE/runs"
  run mlops runs push; expect_rc 0
  expect_out "1 run pushed"
  expect_err "not pushed: 1 unfinished run (still running: $open_id)"
  run mlops runs push --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["unfinished"]')" "['$open_id']"
}

test_runs_push_without_a_remote() {
  new_repo
  git commit -q --allow-empty -m init
  make_run x
  run mlops runs push; expect_rc 2
  expect_err "no default remote"
  run mlops runs push --remote nowhere; expect_rc 2
  expect_err "unknown remote 'nowhere'"
}

# The quickstart, registered and pushed from one clone; `repro` in a fresh clone that has only the
# git origin and the data remote.
test_repro_from_a_fresh_clone_using_only_the_remote() {
  shared_project
  cp "$QUICKSTART"/{generate_data.py,train.py,params.yaml} .
  sed -i 's/^epochs: .*/epochs: 40/' params.yaml
  mkdir data && python3 generate_data.py --seed 1 --rows 400 --out data/train.csv
  mlops data add data/train.csv > /dev/null 2>&1
  printf 'model.json\n' >> .gitignore
  git add -A && git commit -qm "churn model" && git push -q origin main
  mlops run --id-file run.id --params-file params.yaml --artifact model.json -- python3 train.py > /dev/null 2>&1
  local id; id=$(cat run.id)
  mlops model register churn --run "$id" > /dev/null 2>&1 || fail "register"
  run mlops data push; expect_rc 0
  expect_err "pushed 1 run of registered models"
  expect_eq "$(remote_runs "$STORE")" "$id"
  git push -q --tags origin main
  clone_of fresh || return
  expect_eq "$(run_ids)" ""
  run mlops repro churn@v0.0.1 --json; expect_rc 0
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "bit-identical"
  expect_eq "$(echo "$out" | json_get '["registered_artifact"]["rebuilt"]')" "True"
  expect_err "pulled run '$id'"
  [[ "$(run_ids)" == *"$id"* ]] || fail "the original run was not pulled"
}

test_model_register_push_publishes_the_run() {
  shared_project
  echo weights > model.bin
  mlops run --id-file run.id --artifact model.bin -- true > /dev/null 2>&1
  local id; id=$(cat run.id)
  run mlops model register churn --run "$id" --push; expect_rc 0
  expect_eq "$(remote_runs "$STORE")" "$id"
  clone_of fresh || return
  run mlops runs pull; expect_rc 0
  expect_eq "$(run_ids)" "$id"
}

run_tests "${1:-.}"
