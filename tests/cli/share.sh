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
  mlops remote add store "$TEST_ROOT/$current_test.store" --default --create > /dev/null 2>&1 \
    || mlops remote add store "$TEST_ROOT/$current_test.store" --default > /dev/null 2>&1
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
  mlops remote add store "$TEST_ROOT/$current_test.store" --default > /dev/null 2>&1
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

run_tests "${1:-.}"
