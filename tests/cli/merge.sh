#!/usr/bin/env bash
# CLI tests for merging pointers (issue 19, item 5): real git merges between clones of one origin
# with a shared data remote. The merge driver (`mlops hooks install`, `*.mlops merge=mlops`)
# merges folder versions by their manifests; a conflict that remains stops only its dataset, and
# the documented way out works. Every test ends by checking that no committed version was lost.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/team_helpers.bash"

# commit_push MESSAGE: commit everything and push, as the current clone.
commit_push() { git add -A && git commit -qm "$1" && git push -q origin main 2>/dev/null; }
# pull_merge: git pull that makes a merge commit (or stops at a conflict).
pull_merge() { git pull -q --no-rebase origin main; }

# --- merges that need no one -----------------------------------------------------------------------

test_folder_versions_merge_by_their_manifests() {
  team
  become alice
  mkdir -p images && echo 1 > images/a.png && echo 2 > images/b.png && echo 3 > images/c.png
  mlops data add images >/dev/null 2>&1 && commit_push "images v1"
  become bob
  git pull -q 2>/dev/null
  become alice
  echo 1-alice > images/a.png && echo 4 > images/d.png && mlops data add images >/dev/null 2>&1
  commit_push "alice changes a, adds d"
  become bob
  echo 2-bob > images/b.png && rm images/c.png && mlops data add images >/dev/null 2>&1
  git add -A && git commit -qm "bob changes b, deletes c"
  # bob's cache has never seen alice's manifest: the driver fetches it from the remote.
  run pull_merge
  expect_rc 0
  expect_eq "$(git status --porcelain)" ""
  expect_eq "$(git log -1 --format=%p HEAD | wc -w)" "2"  # a merge commit
  run mlops data status --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["clean"]')" "True"  # post-merge checked the merged version out
  expect_eq "$(cat images/a.png images/b.png images/d.png)" "$(printf '1-alice\n2-bob\n4')"
  expect_no_file images/c.png
  expect_eq "$(sed -n 's/^files: //p' images.mlops)" "3"
  # The merged manifest is bob's to push; the pre-push hook does.
  git push -q origin main 2>/dev/null || fail "bob's push failed"
  on_remote "$(hash_in images.mlops)" || fail "the merged manifest is not on the remote"
  become carol
  git pull -q 2>/dev/null
  expect_eq "$(cat images/a.png images/b.png)" "$(printf '1-alice\n2-bob')"
  assert_no_version_lost
}

test_one_side_unchanged_takes_the_other() {
  team
  become alice
  echo v1 > data.csv && echo k1 > keep.csv && mlops data add data.csv keep.csv >/dev/null 2>&1
  commit_push "v1"
  become bob
  git pull -q 2>/dev/null
  echo notes > notes.txt && git add notes.txt && git commit -qm "bob: code only"
  become alice
  echo v2 > data.csv && mlops data add data.csv >/dev/null 2>&1 && commit_push "v2"
  become bob
  run pull_merge
  expect_rc 0
  expect_eq "$(cat data.csv)" "v2"
  run mlops data status --exit-code
  expect_rc 0
  assert_no_version_lost
}

test_ignore_lists_merge_as_a_union() {
  team
  become alice
  mkdir -p data && echo base > data/base.csv && mlops data add data/base.csv >/dev/null 2>&1 && commit_push "base"
  become bob
  git pull -q 2>/dev/null
  become alice
  echo a > data/a.csv && mlops data add data/a.csv >/dev/null 2>&1 && commit_push "alice adds a"
  become bob
  echo b > data/b.csv && mlops data add data/b.csv >/dev/null 2>&1 && git add -A && git commit -qm "bob adds b"
  # Both appended a line at the end of data/.gitignore: a text merge would conflict.
  run pull_merge
  expect_rc 0
  expect_eq "$(sort data/.gitignore | tr '\n' ' ')" "/a.csv /b.csv /base.csv "
  expect_eq "$(git status --porcelain --ignored data | grep -c '^!!')" "3"
  assert_no_version_lost
}

test_gitattributes_are_written_once_and_keep_the_users_lines() {
  new_repo
  expect_no_file .gitattributes  # init leaves the work tree as `git add .mlops` expects
  printf '*.png binary\n' > .gitattributes
  mlops hooks install >/dev/null 2>&1
  expect_eq "$(grep -c 'merge=' .gitattributes)" "3"
  mlops hooks install >/dev/null 2>&1
  expect_eq "$(grep -c '^\*\.mlops merge=mlops$' .gitattributes)" "1"
  expect_eq "$(grep -c '^\.gitignore merge=union$' .gitattributes)" "1"
  expect_eq "$(grep -c '^\.mlops/dvc-history\.jsonl merge=union$' .gitattributes)" "1"
  expect_eq "$(grep -c '^\*\.png binary$' .gitattributes)" "1"
  expect_eq "$(git config merge.mlops.driver)" "mlops hooks merge-driver %O %A %B %P"
  expect_eq "$(git check-attr merge -- x.csv.mlops | sed 's/.*: //')" "mlops"
  new_repo
  run mlops hooks install
  expect_rc 0
  expect_out "declared the merge rules in .gitattributes"
  expect_err "git add .gitattributes"
  expect_file .gitattributes
  # The driver is hidden from help.
  run mlops hooks --help
  expect_no_out "merge-driver"
}

# --- conflicts that remain -----------------------------------------------------------------------

# Alice and bob both change data.csv (other.csv is alice's alone); bob's merge conflicts.
conflicting_file_versions() {
  team
  become alice
  echo v1 > data.csv && echo o1 > other.csv && mlops data add data.csv other.csv >/dev/null 2>&1
  commit_push "v1"
  become bob
  git pull -q 2>/dev/null
  become alice
  echo alice > data.csv && echo o2 > other.csv && mlops data add data.csv other.csv >/dev/null 2>&1
  commit_push "alice's data"
  become bob
  echo bob > data.csv && mlops data add data.csv >/dev/null 2>&1
  git add -A && git commit -qm "bob's data" && git push -q origin HEAD:refs/heads/bob 2>/dev/null
  ALICE_HASH=$(git -C "$alice" show HEAD:data.csv.mlops | sed -n 's/^hash: //p')
  BOB_HASH=$(hash_in data.csv.mlops)
  run pull_merge
  expect_rc 1
  expect_eq "$(git diff --name-only --diff-filter=U)" "data.csv.mlops"
}

test_file_conflict_stops_only_that_dataset() {
  conflicting_file_versions
  expect_err "merge conflict in pointer 'data.csv.mlops'"
  grep -q '^<<<<<<< ours' data.csv.mlops || fail "no conflict markers in data.csv.mlops"
  run mlops data status
  expect_rc 0
  expect_out "conflict:     data.csv (ours ${BOB_HASH:5:12}, theirs ${ALICE_HASH:5:12})"
  expect_err "mlops data checkout data.csv --ours' (or --theirs), then 'git add data.csv.mlops'"
  run mlops data status --exit-code --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["data"][0]["state"]')" "conflict"
  expect_eq "$(echo "$out" | json_get '["data"][0]["conflict"]["theirs"]')" "$ALICE_HASH"
  expect_eq "$(echo "$out" | json_get '["data"][1]["path"]')" "other.csv"
  # Every other data command works on the other datasets.
  run mlops data checkout
  expect_rc 0
  expect_eq "$(cat other.csv)" "o2"
  expect_err "'data.csv' was not checked out: its pointer has a merge conflict"
  run mlops data diff
  expect_rc 0
  expect_out "conflict"
  run mlops data pull
  expect_rc 0
  expect_err "'data.csv' was fetched but not checked out"
  expect_eq "$(cat data.csv)" "bob"  # neither side was written over the workspace
  [[ -e "$(object_of "$ALICE_HASH")" ]] || fail "pull did not fetch their side"
  run mlops data push
  expect_rc 0
  # Naming the conflicted dataset is an error with the way out, and changes nothing.
  local before; before=$(snapshot)
  run mlops data checkout data.csv
  expect_rc 2
  expect_err "'data.csv' has a merge conflict in its pointer 'data.csv.mlops'"
  expect_err "--ours"
  expect_eq "$(snapshot)" "$before"
  # mlops run records it as conflicted.
  run mlops run -- true
  expect_rc 0
  expect_err "'data.csv' has a merge conflict in its pointer"
  local id; id=$(mlops runs list --limit 1 --ids)
  run mlops runs show "$id" --json
  [[ "$out" == *'"conflict"'* ]] || fail "the run does not mark data.csv as conflicted: $out"
  # `data add` records the workspace's data as the resolution, and says so.
  run mlops data add data.csv
  expect_rc 0
  expect_err "resolved the merge conflict in 'data.csv.mlops' with the data in the workspace"
  expect_err "git add data.csv.mlops"
  expect_eq "$(hash_in data.csv.mlops)" "$BOB_HASH"
  assert_no_version_lost
}

test_gc_keeps_both_sides_of_a_conflict() {
  conflicting_file_versions
  # The remote does not hold bob's side (never pushed to main's data), and gc must keep it.
  run mlops data gc --grace 0 --include-unpushed --yes
  expect_rc 0
  expect_file "$(object_of "$BOB_HASH")"
  run mlops data gc --workspace-only --grace 0 --include-unpushed --yes
  expect_rc 0
  expect_file "$(object_of "$BOB_HASH")"
  mlops data fetch data.csv >/dev/null 2>&1
  expect_file "$(object_of "$ALICE_HASH")"
  run mlops data gc --workspace-only --grace 0 --include-unpushed --yes
  expect_file "$(object_of "$ALICE_HASH")"
  assert_no_version_lost
}

test_checkout_theirs_resolves_and_git_add_finishes_the_merge() {
  conflicting_file_versions
  run mlops data checkout data.csv --theirs
  expect_rc 0
  expect_out "resolved data.csv with theirs ($ALICE_HASH)"
  expect_err "git add data.csv.mlops"
  expect_eq "$(cat data.csv)" "alice"
  expect_eq "$(hash_in data.csv.mlops)" "$ALICE_HASH"
  git add data.csv.mlops && git commit -qm "merge: alice's data" || fail "the merge did not commit"
  mlops data pull >/dev/null 2>&1  # other.csv: the stopped merge ran no post-merge hook
  run mlops data status --exit-code
  expect_rc 0
  git push -q origin main 2>/dev/null || fail "push failed"
  # bob's version is still in history (his branch), and fetchable.
  assert_no_version_lost
}

test_checkout_ours_and_errors() {
  conflicting_file_versions
  run mlops data checkout other.csv --ours
  expect_rc 2
  expect_err "'other.csv' has no merge conflict in its pointer"
  run mlops data checkout --ours --theirs
  expect_rc 2
  run mlops data checkout --ours
  expect_rc 0
  expect_eq "$(cat data.csv)" "bob"
  expect_eq "$(hash_in data.csv.mlops)" "$BOB_HASH"
  run mlops data checkout --ours
  expect_rc 2
  expect_err "no pointer has a merge conflict"
  git add data.csv.mlops && git commit -qm "merge: bob's data" || fail "the merge did not commit"
  git push -q origin main 2>/dev/null
  assert_no_version_lost
}

test_pre_commit_refuses_a_staged_conflict() {
  conflicting_file_versions
  git add data.csv.mlops
  run git commit -qm "merge with markers"
  expect_rc 1
  expect_err "data.csv has a merge conflict in its pointer"
  expect_err "--ours"
  expect_eq "$(git rev-parse -q --verify MERGE_HEAD >/dev/null && echo merging)" "merging"
}

test_folder_conflict_names_the_files() {
  team
  become alice
  mkdir -p images && echo 1 > images/a.png && echo 2 > images/b.png
  mlops data add images >/dev/null 2>&1 && commit_push "images v1"
  become bob
  git pull -q 2>/dev/null
  become alice
  echo alice > images/a.png && echo 3 > images/c.png && mlops data add images >/dev/null 2>&1
  commit_push "alice's a"
  become bob
  echo bob > images/a.png && rm images/b.png && mlops data add images >/dev/null 2>&1
  git add -A && git commit -qm "bob's a" && git push -q origin HEAD:refs/heads/bob 2>/dev/null
  run pull_merge
  expect_rc 1
  expect_err "both sides changed 1 file differently: a.png"
  run mlops data status
  expect_out "conflict:     images"
  expect_out "both changed: a.png"
  run mlops data checkout images --theirs
  expect_rc 0
  expect_eq "$(cat images/a.png images/b.png images/c.png | tr '\n' ' ')" "alice 2 3 "
  git add images.mlops && git commit -qm "merge" && git push -q origin main 2>/dev/null
  assert_no_version_lost
}

test_conflict_without_the_driver_is_read_too() {
  team
  become alice
  echo v1 > data.csv && echo o1 > other.csv && mlops data add data.csv other.csv >/dev/null 2>&1
  commit_push "v1"
  become bob
  git pull -q 2>/dev/null
  git config --remove-section merge.mlops  # a teammate who never ran `mlops hooks install`
  become alice
  echo alice > data.csv && mlops data add data.csv >/dev/null 2>&1 && commit_push "alice's data"
  become bob
  echo bob > data.csv && mlops data add data.csv >/dev/null 2>&1
  git add -A && git commit -qm "bob's data" && git push -q origin HEAD:refs/heads/bob 2>/dev/null
  run pull_merge
  expect_rc 1
  grep -q '^=======$' data.csv.mlops || fail "git's text merge left no markers"
  run mlops data status --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["data"][0]["state"]')" "conflict"
  expect_eq "$(echo "$out" | json_get '["data"][1]["state"]')" "unchanged"
  run mlops data checkout data.csv --theirs
  expect_rc 0
  expect_eq "$(cat data.csv)" "alice"
  git add data.csv.mlops && git commit -qm merge && git push -q origin main 2>/dev/null
  assert_no_version_lost
}

test_malformed_pointer_hint_works_during_a_merge() {
  conflicting_file_versions
  printf 'version: 1\npath: [oops\n' > other.csv.mlops
  run mlops data status
  expect_rc 2
  expect_err "malformed pointer file 'other.csv.mlops"
  expect_err "git checkout HEAD -- other.csv.mlops"
  git checkout HEAD -- other.csv.mlops || fail "the hint's command failed during a merge"
  run mlops data status
  expect_rc 0
}

run_tests "${1:-.}"
