#!/usr/bin/env bash
# CLI tests: mlops data add/status/checkout/diff/log/push/pull/fetch/gc/verify and mlops remote.
source "$(dirname "$0")/lib.sh"

make_data() {
  seq 1 20000 > train.csv
  mkdir -p images/sub
  for i in 1 2 3; do echo "image $i" > "images/$i.txt"; done
  echo "nested" > images/sub/deep.txt
}

object_of() { local h=${1#xxh3:}; echo ".mlops/cache/${h:0:2}/${h:2}"; }
hash_in() { sed -n 's/^hash: //p' "$1"; }

# --- add ---------------------------------------------------------------------------------------

test_add_file_writes_pointer_gitignore_and_cache() {
  new_repo; make_data
  run mlops data add train.csv
  expect_rc 0
  expect_out "added train.csv"
  expect_err "git add"
  expect_file train.csv.mlops
  grep -qx '/train.csv' .gitignore || fail ".gitignore lacks /train.csv"
  local h; h=$(hash_in train.csv.mlops)
  expect_eq "$h" "xxh3:$(xxhsum -H2 train.csv 2>/dev/null | cut -d' ' -f1)"
  grep -qx 'kind: file' train.csv.mlops || fail "kind"
  grep -qx "size: $(stat -c %s train.csv)" train.csv.mlops || fail "size"
  expect_file "$(object_of "$h")"
  expect_eq "$(stat -c %a "$(object_of "$h")")" "444"
  cmp -s train.csv "$(object_of "$h")" || fail "cache object differs from the data"
  # git sees the pointer and not the data
  [[ "$(git status --porcelain --untracked-files=all | grep -c 'train.csv$')" == 0 ]] || fail "git sees train.csv"
}

test_add_again_reads_nothing() {
  new_repo; make_data
  # Files hashed within the racy window of their last change are (rightly) read again next time.
  sleep 0.05
  mlops data add train.csv images >/dev/null 2>&1
  local before; before=$(cat train.csv.mlops images.mlops)
  run mlops -v data add train.csv images
  expect_rc 0
  expect_out "unchanged train.csv"
  expect_err "read 0 of 5 files"
  expect_eq "$(cat train.csv.mlops images.mlops)" "$before"
}

test_add_directory_manifest() {
  new_repo; make_data
  run mlops data add images --json
  expect_rc 0
  expect_out '"kind": "dir"'
  expect_out '"files": 4'
  local h; h=$(hash_in images.mlops)
  head -1 "$(object_of "$h")" | grep -qx 'mlops-manifest 1' || fail "manifest header"
  grep -q ' - sub/deep.txt$' "$(object_of "$h")" || fail "manifest entry for sub/deep.txt"
  # the same tree added elsewhere gives the same version
  cp -r images images2
  mlops data add images2 >/dev/null 2>&1
  expect_eq "$(hash_in images2.mlops)" "$h"
}

test_add_refuses_bad_paths_and_changes_nothing() {
  new_repo; make_data
  echo tracked > code.py; git add code.py; git commit -qm code
  ln -s /etc/hostname outside-link
  local before; before=$(snapshot)
  run mlops data add /etc/hostname;     expect_rc 2; expect_err "outside the repository"
  run mlops data add .git/config;       expect_rc 2; expect_err "inside .git"
  run mlops data add .mlops/config.yaml; expect_rc 2; expect_err "inside .mlops"
  run mlops data add outside-link;      expect_rc 2; expect_err "symbolic link that leaves the repository"
  run mlops data add code.py;           expect_rc 2; expect_err "already tracked by git"; expect_err "git rm -r --cached"
  run mlops data add no-such-file;      expect_rc 2; expect_err "no-such-file"
  # one bad path among good ones: nothing is written for any of them
  run mlops data add train.csv code.py; expect_rc 2
  expect_eq "$(snapshot)" "$before"
  expect_no_file train.csv.mlops
}

test_add_refuses_symlink_inside_folder_leaving_repo() {
  new_repo; make_data
  ln -s /etc images/escape
  run mlops data add images
  expect_rc 2
  expect_err "points outside the repository"
  expect_no_file images.mlops
}

test_add_outside_store_needs_init() {
  new_repo --no-init; make_data
  run mlops data add train.csv
  expect_rc 2
  expect_err "not set up for mlops"
  expect_err "mlops init"
}

test_link_modes() {
  for mode in hardlink symlink reflink; do
    new_repo; make_data
    sed -i "s/link: copy/link: $mode/" .mlops/config.yaml
    run mlops data add train.csv images
    expect_rc 0
    local h; h=$(hash_in train.csv.mlops)
    case $mode in
      hardlink) expect_eq "$(stat -c %i train.csv)" "$(stat -c %i "$(object_of "$h")")" ;;
      symlink) [[ -L train.csv ]] || fail "symlink mode: train.csv is not a link" ;;
      reflink) [[ ! -L train.csv ]] || fail "reflink mode made a symlink" ;;
    esac
    # with links the workspace file is read-only, so an edit cannot corrupt the cache
    [[ "$(stat -L -c %a train.csv)" == 444 ]] || fail "$mode: train.csv is writable"
    run mlops data status --exit-code
    expect_rc 0
    rm -f train.csv
    run mlops data checkout train.csv
    expect_rc 0
    cmp -s train.csv "$(object_of "$h")" || fail "$mode: checkout content"
  done
}

# With cache.link hardlink or symlink, add links the file itself into the cache (as DVC does)
# instead of copying it: the object is the file that was added, same inode.
test_link_mode_add_links_the_file_into_the_cache() {
  for mode in hardlink symlink; do
    new_repo; make_data
    sed -i "s/link: copy/link: $mode/" .mlops/config.yaml
    local inode deep; inode=$(stat -c %i train.csv); deep=$(stat -c %i images/sub/deep.txt)
    run mlops -v data add train.csv images
    expect_rc 0
    expect_out "added train.csv"
    [[ "$err" != *"copied into the cache"* ]] || fail "$mode: add copied: $err"
    local h; h=$(hash_in train.csv.mlops)
    expect_eq "$(stat -c %i "$(object_of "$h")")" "$inode"
    expect_eq "$(stat -c %a "$(object_of "$h")")" "444"
    expect_eq "$h" "xxh3:$(xxhsum -H2 "$(object_of "$h")" 2>/dev/null | cut -d' ' -f1)"
    case $mode in
      hardlink) expect_eq "$(stat -c %i train.csv)" "$inode"; expect_eq "$(stat -c %h train.csv)" "2" ;;
      symlink) [[ -L train.csv ]] || fail "symlink mode: train.csv is not a link"
        expect_eq "$(stat -L -c %i train.csv)" "$inode" ;;
    esac
    # The folder's files are linked the same way: the object is the file that was added.
    expect_eq "$(stat -L -c %i images/sub/deep.txt)" "$deep"
    expect_eq "$(stat -c %i "$(object_of "xxh3:$(xxhsum -H2 images/sub/deep.txt 2>/dev/null | cut -d' ' -f1)")")" "$deep"
    run mlops data status --exit-code
    expect_rc 0
    run mlops data verify
    expect_rc 0
    # Added again, nothing changes; the same content under another name links to the one object.
    run mlops data add train.csv
    expect_rc 0
    expect_out "unchanged train.csv"
    cp images/1.txt copy-of-1.txt
    run mlops -v data add copy-of-1.txt
    expect_rc 0
    expect_eq "$(hash_in copy-of-1.txt.mlops)" "$(xxhsum -H2 images/1.txt 2>/dev/null | cut -d' ' -f1 | sed 's/^/xxh3:/')"
  done
}

# A file with other hard links is copied: linking it would let those other names change the cache.
test_link_mode_add_copies_a_file_with_other_hard_links() {
  new_repo; make_data
  sed -i "s/link: copy/link: hardlink/" .mlops/config.yaml
  ln train.csv "$TEST_ROOT/$current_test-other"
  local inode; inode=$(stat -c %i train.csv)
  run mlops -v data add train.csv
  expect_rc 0
  expect_err "'train.csv' is copied into the cache, not linked: it has 1 other hard link"
  local h; h=$(hash_in train.csv.mlops)
  [[ "$(stat -c %i "$(object_of "$h")")" != "$inode" ]] || fail "the object is the file with other links"
  # The other name keeps its own, writable file; the workspace file is now the object.
  expect_eq "$(stat -c %a "$TEST_ROOT/$current_test-other")" "644"
  expect_eq "$(stat -c %i train.csv)" "$(stat -c %i "$(object_of "$h")")"
  cmp -s train.csv "$TEST_ROOT/$current_test-other" || fail "content differs"
  # Without -v nothing is said.
  seq 5 > small.csv; ln small.csv "$TEST_ROOT/$current_test-small"
  run mlops data add small.csv
  expect_rc 0
  [[ "$err" != *"copied into the cache"* ]] || fail "said without -v: $err"
}

# A cache on another filesystem than the workspace cannot hold a hard link: add copies.
test_link_mode_add_copies_across_filesystems() {
  local shm
  if [[ ! -d /dev/shm ]] || ! shm=$(mktemp -d /dev/shm/mlops-test.XXXXXX 2>/dev/null); then
    echo "  (no /dev/shm to put the cache on another filesystem: skipped)"; return 0
  fi
  new_repo; make_data
  if [[ "$(stat -c %d "$shm")" == "$(stat -c %d .)" ]]; then
    echo "  (/dev/shm is on the same filesystem as $TEST_ROOT: skipped)"; rm -rf "$shm"; return 0
  fi
  sed -i "s/link: copy/link: symlink/" .mlops/config.yaml
  mv .mlops/cache "$shm/cache" && ln -s "$shm/cache" .mlops/cache
  mv .mlops/tmp "$shm/tmp" 2>/dev/null && ln -s "$shm/tmp" .mlops/tmp
  run mlops -v data add train.csv
  expect_rc 0
  expect_err "'train.csv' is copied into the cache, not linked: it is on another filesystem than the cache"
  local h; h=$(hash_in train.csv.mlops)
  [[ -L train.csv ]] || fail "train.csv is not a link to the object"
  cmp -s train.csv "$shm/cache/${h:5:2}/${h:7}" || fail "object content"
  chmod -R u+w "$shm"; rm -rf "$shm"
}

# --- status ------------------------------------------------------------------------------------

test_status_reports_each_state() {
  new_repo; make_data
  mlops data add train.csv images >/dev/null 2>&1
  run mlops data status --exit-code
  expect_rc 0
  expect_out "up to date (2 tracked)"
  echo extra >> train.csv
  echo changed > images/1.txt
  rm images/2.txt
  echo new > images/4.txt
  run mlops data status --exit-code
  expect_rc 1
  expect_out "modified:"
  expect_out "added:    4.txt"
  expect_out "modified: 1.txt"
  expect_out "deleted:  2.txt"
  run mlops data status --json images
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["data"][0]["state"]')" "modified"
  expect_eq "$(echo "$out" | json_get '["data"][0]["added"]')" "['4.txt']"
  rm train.csv
  run mlops data status train.csv --json
  expect_eq "$(echo "$out" | json_get '["data"][0]["state"]')" "missing"
}

test_status_not_in_cache() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  rm -rf .mlops/cache/*
  run mlops data status --exit-code
  expect_rc 1
  expect_out "not in cache:"
  run mlops data status --json
  expect_eq "$(echo "$out" | json_get '["data"][0]["in_cache"]')" "False"
}

# The stat cache remembers unchanged folders and complete versions; neither memo may hide a change.
test_status_memos_never_hide_changes() {
  new_repo; make_data
  sleep 0.05
  mlops data add images >/dev/null 2>&1
  sleep 0.05
  run mlops data status --exit-code; expect_rc 0
  run mlops data status --exit-code; expect_rc 0   # answered from the memos
  local obj; obj=$(object_of "xxh3:$(xxhsum -H2 images/2.txt 2>/dev/null | cut -d' ' -f1)")
  chmod u+w "$obj"; rm "$obj"
  run mlops data status --json --exit-code
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["data"][0]["in_cache"]')" "False"
  mlops data add images >/dev/null 2>&1   # puts the object back
  sleep 0.05
  run mlops data status --exit-code; expect_rc 0
  echo "same size" > images/3.txt; echo "same sizf" > images/3.txt
  run mlops data status --exit-code
  expect_rc 1
  expect_out "modified: 3.txt"
}

test_status_unknown_path() {
  new_repo; make_data
  run mlops data status nothing-here
  expect_rc 2
  expect_err "is not tracked by mlops"
}

# --- checkout ----------------------------------------------------------------------------------

test_checkout_restores_and_protects_local_changes() {
  new_repo; make_data
  mlops data add train.csv images >/dev/null 2>&1
  local original; original=$(md5sum train.csv)
  rm train.csv
  run mlops data checkout
  expect_rc 0
  expect_eq "$(md5sum train.csv)" "$original"
  # a local change that is not in the cache is never overwritten silently
  echo "my edit" >> train.csv
  local edited; edited=$(md5sum train.csv)
  run mlops data checkout train.csv
  expect_rc 2
  expect_err "would lose local changes"
  expect_err "train.csv"
  expect_err "running the same command again with --force"
  expect_eq "$(md5sum train.csv)" "$edited"
  run mlops data checkout --force train.csv
  expect_rc 0
  expect_eq "$(md5sum train.csv)" "$original"
}

test_checkout_directory_matches_manifest_exactly() {
  new_repo; make_data
  mlops data add images >/dev/null 2>&1
  git add -A && git commit -qm v1
  echo new > images/4.txt
  mlops data add images >/dev/null 2>&1   # 4.txt is now in the cache
  git checkout -q images.mlops           # pointer back to v1
  run mlops data checkout images
  expect_rc 0
  expect_no_file images/4.txt            # in the cache, so safe to remove
  echo "unsaved" > images/5.txt
  run mlops data checkout images
  expect_rc 2
  expect_err "images/5.txt"
  expect_file images/5.txt
  run mlops data checkout --force images
  expect_rc 0
  expect_no_file images/5.txt
  run mlops data status --exit-code images
  expect_rc 0
}

test_checkout_rev_leaves_git_worktree_alone() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  git add -A && git commit -qm v1
  local v1; v1=$(md5sum < train.csv)
  seq 1 30 > train.csv
  mlops data add train.csv >/dev/null 2>&1
  git add -A && git commit -qm v2
  run mlops data checkout --rev HEAD~1
  expect_rc 0
  expect_eq "$(md5sum < train.csv)" "$v1"
  [[ -z "$(git status --porcelain)" ]] || fail "git work tree changed: $(git status --porcelain)"
  run mlops data checkout --rev no-such-rev
  expect_rc 2
  expect_err "unknown revision 'no-such-rev'"
}

test_checkout_never_serves_corrupt_object() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  local obj; obj=$(object_of "$(hash_in train.csv.mlops)")
  chmod u+w "$obj"; echo garbage > "$obj"
  rm train.csv
  run mlops data checkout train.csv
  expect_rc 3
  expect_err "corrupt"
  expect_no_file train.csv
  ls -A . | grep -q '^\.train\.csv' && fail "temp file left in the workspace"
  true
}

test_checkout_missing_object_suggests_pull() {
  new_repo; make_data
  mlops data add train.csv images >/dev/null 2>&1
  rm -rf .mlops/cache/* train.csv
  local before; before=$(snapshot)
  run mlops data checkout
  expect_rc 2
  expect_err "is not in the cache"
  expect_err "mlops data pull"
  expect_eq "$(snapshot)" "$before"
}

# --- bad pointers and manifests ---------------------------------------------------------------

test_bad_pointers_are_clear_errors() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  local good; good=$(cat train.csv.mlops)
  local h; h=$(hash_in train.csv.mlops)
  local before

  printf 'version: 1\npath: [broken\n' > train.csv.mlops
  before=$(snapshot)
  run mlops data status;   expect_rc 2; expect_err "malformed pointer file 'train.csv.mlops"
  run mlops data checkout; expect_rc 2; expect_err "train.csv.mlops"
  expect_eq "$(snapshot)" "$before"

  echo "$good" | sed 's/^version: 1/version: 7/' > train.csv.mlops
  run mlops data status; expect_rc 2; expect_err "unsupported pointer version 7"; expect_err "train.csv.mlops:1"

  echo "$good" | sed 's|^path: .*|path: /etc/passwd|' > train.csv.mlops
  before=$(snapshot)
  run mlops data checkout --force; expect_rc 2; expect_err "train.csv.mlops:2"; expect_err "relative"
  expect_eq "$(snapshot)" "$before"

  echo "$good" | sed 's|^path: .*|path: ../../escape.csv|' > train.csv.mlops
  run mlops data checkout --force; expect_rc 2; expect_err "climb"
  expect_no_file ../../escape.csv

  echo "$good" | sed 's|^hash: .*|hash: xxh3:nothex|' > train.csv.mlops
  run mlops data status; expect_rc 2; expect_err "train.csv.mlops:3"
}

test_manifest_entry_climbing_out_is_refused() {
  new_repo; make_data
  mlops data add images >/dev/null 2>&1
  # A hand-made manifest whose entry climbs out of the folder.
  local fh; fh=$(xxhsum -H2 train.csv 2>/dev/null | cut -d' ' -f1)
  mlops data add train.csv >/dev/null 2>&1
  printf 'mlops-manifest 1\n%s 5 - ../../pwned\n' "$fh" > evil.manifest
  local mh; mh=$(xxhsum -H2 evil.manifest 2>/dev/null | cut -d' ' -f1)
  mkdir -p ".mlops/cache/${mh:0:2}" && cp evil.manifest ".mlops/cache/${mh:0:2}/${mh:2}"
  sed -i "s/^hash: .*/hash: xxh3:$mh/" images.mlops
  run mlops data checkout --force images
  expect_rc 2
  expect_err "../../pwned"
  expect_no_file ../../pwned
}

test_disk_full_is_exit_3_and_leaves_nothing() {
  new_repo
  head -c 2000000 /dev/urandom > big.bin
  run bash -c "ulimit -f 500; '$MLOPS' data add big.bin"
  expect_rc 3
  expect_err "big.bin"
  expect_no_file big.bin.mlops
  [[ -z "$(ls -A .mlops/tmp)" ]] || fail "temp files left: $(ls -A .mlops/tmp)"
  [[ -z "$(find .mlops/cache -type f)" ]] || fail "objects left in the cache"
  [[ ! -e .gitignore ]] || fail ".gitignore written"
}

# --- diff and log ------------------------------------------------------------------------------

# Issue 10.5: an argument that is neither a revision nor tracked data is named (exit 2), never
# "No data changes"; issue 16: columns aligned.
test_diff_unknown_revision_or_path_is_named() {
  new_repo; make_data
  mlops data add train.csv images >/dev/null 2>&1
  git add -A && git commit -qm "first data"
  local before; before=$(snapshot)
  run mlops data diff v9.9 HEAD
  expect_rc 2
  expect_err "'v9.9' is neither a revision nor tracked data"
  expect_err "hint:"
  run mlops data diff HEAD v9.9
  expect_rc 2
  expect_err "'v9.9' is neither a revision nor tracked data"
  run mlops data diff HEAD nothing-here
  expect_rc 2
  expect_err "'nothing-here'"
  run mlops data diff HEAD --json typo
  expect_rc 2
  expect_eq "$(snapshot)" "$before"
  # Data deleted since the revision is still a path that diff knows.
  git rm -q --cached train.csv.mlops && rm train.csv.mlops train.csv
  run mlops data diff HEAD train.csv
  expect_rc 0
  expect_out "deleted"
  git checkout -q HEAD train.csv.mlops && mlops data checkout train.csv >/dev/null 2>&1
  # Columns line up whatever the change's name or the path's length.
  echo more >> images/1.txt && echo x > short.csv
  mlops data add images short.csv >/dev/null 2>&1
  run mlops data diff
  expect_rc 0
  local cols; cols=$(echo "$out" | grep -E '^(added|modified|deleted) ' | awk '{print index($0, "->")}' | sort -u | wc -l)
  expect_eq "$cols" "1"
  # One file is "1 file".
  mkdir one && echo x > one/only.txt
  run mlops data add one
  expect_out "1 file,"
  expect_no_out "1 files"
  # Coloured labels keep their padding: the paths of data status line up as without colour.
  echo changed > short.csv && echo y >> one/only.txt
  local plain coloured
  plain=$(NO_COLOR= mlops --color never data status 2>/dev/null | awk -F'\t' '/:/ {print length($2)}' | sort -u)
  coloured=$(NO_COLOR= mlops --color always data status 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | awk -F'\t' '/:/ {print length($2)}' | sort -u)
  expect_eq "$coloured" "$plain"
}

# New-user finding: the hint after `data add` lists the files that add really changed.
test_add_hint_lists_only_changed_files() {
  new_repo
  mkdir -p data && echo 1 > data/a.csv
  run mlops data add data/a.csv
  expect_err "git add data/.gitignore data/a.csv.mlops"
  echo 2 > data/a.csv
  run mlops data add data/a.csv
  expect_err "git add data/a.csv.mlops"
  expect_no_out ".gitignore"
  [[ "$err" != *".gitignore"* ]] || fail "the hint names a .gitignore that did not change: $err"
  echo 1 > top.csv
  run mlops data add top.csv
  expect_err "git add .gitignore top.csv.mlops"
}

# New-user finding: data behind its pointer (after git pull) is out of date, as status says.
test_diff_says_out_of_date_not_modified() {
  new_repo
  echo v1 > data.csv && mlops data add data.csv >/dev/null 2>&1 && git add -A && git commit -qm v1
  echo v2 > data.csv && mlops data add data.csv >/dev/null 2>&1 && git add -A && git commit -qm v2
  mlops data checkout --rev HEAD~1 >/dev/null 2>&1
  run mlops data diff
  expect_rc 0
  expect_out "out of date data.csv"
  expect_no_out "modified"
  expect_err "'mlops data checkout' updates it"
  run mlops data diff --json
  expect_eq "$(echo "$out" | json_get '["changes"][0]["change"]')" "stale"
  echo v3 > data.csv
  run mlops data diff
  expect_out "modified"
}

test_diff_and_log() {
  new_repo; make_data
  mlops data add train.csv images >/dev/null 2>&1
  git add -A && git commit -qm "first data"
  run mlops data diff
  expect_rc 0
  expect_out "No data changes"
  echo more >> images/1.txt; echo new > images/9.txt
  mlops data add images >/dev/null 2>&1
  run mlops data diff
  expect_out "modified"
  expect_out "+ 9.txt"
  expect_out "~ 1.txt"
  git add -A && git commit -qm "second data"
  run mlops data diff HEAD~1 HEAD --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["changes"][0]["path"]')" "images"
  expect_eq "$(echo "$out" | json_get '["changes"][0]["files"]["added"]')" "['9.txt']"
  run mlops data diff HEAD~1 train.csv
  expect_out "No data changes"
  run mlops data log images --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["versions"].__len__()')" "2"
  expect_eq "$(echo "$out" | json_get '["versions"][0]["message"]')" "second data"
  expect_eq "$(echo "$out" | json_get '["versions"][0]["files"]')" "5"
  run mlops data log images
  expect_out "first data"
  run mlops data log never-added
  expect_rc 2
  expect_err "no committed versions"
}

# --- remotes, push, pull, fetch -----------------------------------------------------------------

test_remote_add_list_remove() {
  new_repo
  run mlops remote add origin "$TEST_ROOT/store-a" --create; expect_rc 0
  run mlops remote add backup "$TEST_ROOT/store-b" --create; expect_rc 0
  run mlops remote add origin "$TEST_ROOT/x";       expect_rc 2; expect_err "already exists"
  run mlops remote add 'bad name' "$TEST_ROOT/x";   expect_rc 2; expect_err "invalid remote name"
  run mlops remote add gs gs://bucket/path;         expect_rc 2; expect_err "scheme"
  run mlops remote list --json
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["default"]')" "True"
  expect_eq "$(echo "$out" | json_get '["remotes"][1]["name"]')" "backup"
  run mlops remote remove backup; expect_rc 0
  run mlops remote remove backup; expect_rc 2; expect_err "unknown remote 'backup'"
  grep -q backup .mlops/config.yaml && fail "backup still in config"
  true
}

test_push_delete_cache_pull_round_trip() {
  new_repo; make_data
  mlops data add train.csv images >/dev/null 2>&1
  local sums; sums=$(find train.csv images -type f -print0 | sort -z | xargs -0 md5sum)
  run mlops data push
  expect_rc 2
  expect_err "no default remote"
  mlops remote add store "$TEST_ROOT/store.$current_test" --create >/dev/null 2>&1
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "6"
  run mlops data push --json      # only missing objects move
  expect_eq "$(echo "$out" | json_get '["objects"]')" "0"
  expect_eq "$(echo "$out" | json_get '["skipped"]')" "6"
  rm -rf .mlops/cache/* train.csv images
  run mlops data pull
  expect_rc 0
  expect_eq "$(find train.csv images -type f -print0 | sort -z | xargs -0 md5sum)" "$sums"
  run mlops data verify
  expect_rc 0
}

test_fetch_fills_cache_without_touching_workspace() {
  new_repo; make_data
  mlops data add images >/dev/null 2>&1
  mlops remote add store "$TEST_ROOT/store.$current_test" --create >/dev/null 2>&1
  mlops data push >/dev/null 2>&1
  rm -rf .mlops/cache/* images/1.txt
  run mlops data fetch --remote store
  expect_rc 0
  expect_no_file images/1.txt
  run mlops data status --json
  expect_eq "$(echo "$out" | json_get '["data"][0]["in_cache"]')" "True"
  run mlops data fetch --remote nope
  expect_rc 2
  expect_err "unknown remote 'nope'"
}

test_pull_rejects_corrupt_remote_object() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create >/dev/null 2>&1
  mlops data push >/dev/null 2>&1
  local h; h=$(hash_in train.csv.mlops); h=${h#xxh3:}
  chmod u+w "$store/${h:0:2}/${h:2}"; echo bad > "$store/${h:0:2}/${h:2}"
  rm -rf .mlops/cache/* train.csv
  run mlops data pull
  expect_rc 3
  expect_err "corrupt"
  expect_no_file train.csv
  [[ -z "$(find .mlops/cache -type f)" ]] || fail "a corrupt object entered the cache"
}

test_push_at_rev() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  git add -A && git commit -qm v1
  seq 1 5 > train.csv
  mlops data add train.csv >/dev/null 2>&1
  mlops remote add store "$TEST_ROOT/store.$current_test" --create >/dev/null 2>&1
  run mlops data push --rev HEAD --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "1"
  local h; h=$(git show HEAD:train.csv.mlops | hash_in /dev/stdin); h=${h#xxh3:}
  expect_file "$TEST_ROOT/store.$current_test/${h:0:2}/${h:2}"
}

test_push_uploads_registered_model_artifacts() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  printf 'model.bin\n' >> .gitignore
  head -c 4096 /dev/urandom > model.bin
  git add -A && git commit -qm v1
  mlops model register churn --path model.bin >/dev/null 2>&1
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create >/dev/null 2>&1
  # Named paths push only those.
  run mlops data push train.csv --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "1"
  # Everything: the registered model's artifact too, so a fresh clone can `model get` it.
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "1"
  local clone="$TEST_ROOT/clone.$current_test"
  git clone -q . "$clone" && cd "$clone"
  mlops remote add store "$store" --create >/dev/null 2>&1
  run mlops model get churn@v0.0.1 --out got.bin
  expect_rc 0
  cmp -s got.bin "$OLDPWD/model.bin" || fail "the fetched model differs"
  # A version whose artifact is in no local cache is left alone, not an error.
  printf 'got.bin\nother.bin\n' >> .git/info/exclude
  head -c 100 /dev/urandom > other.bin
  run mlops model register other --path other.bin --allow-dirty
  expect_rc 0
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/*
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "0"
}

# --- gc and verify ------------------------------------------------------------------------------

test_gc_keeps_referenced_and_removes_the_rest() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  git add -A && git commit -qm v1
  local v1; v1=$(hash_in train.csv.mlops)
  seq 1 10 > train.csv; mlops data add train.csv >/dev/null 2>&1
  seq 1 11 > train.csv; mlops data add train.csv >/dev/null 2>&1   # v2 is now referenced by nothing
  local count; count=$(find .mlops/cache -type f | wc -l)
  # Nothing is removed within the grace period (1 day), nor what no remote has.
  run mlops data gc
  expect_rc 0
  expect_out "removed 0 objects"
  expect_out "kept 1 object (21 B) newer than the grace period (1d)"
  run mlops data gc --dry-run --grace 0 --include-unpushed
  expect_rc 0
  expect_out "1 object would be removed"
  expect_eq "$(find .mlops/cache -type f | wc -l)" "$count"
  run mlops data gc --json --grace 0 --include-unpushed
  expect_eq "$(echo "$out" | json_get '["objects"]')" "1"
  expect_file "$(object_of "$v1")"          # HEAD still points at v1
  run mlops data gc --workspace-only --grace 0 --include-unpushed
  expect_no_file "$(object_of "$v1")"
  run mlops data status --exit-code
  expect_rc 0
}

test_gc_keeps_run_artifacts_and_registered_models() {
  new_repo
  echo code > train.sh && git add -A && git commit -qm code
  run mlops run --artifact out.txt -- sh -c 'echo "artifact of a run" > out.txt'
  expect_rc 0
  echo "a model" > model.bin
  run mlops model register m --path model.bin --allow-dirty
  expect_rc 0
  local a m
  a=$(object_of "xxh3:$(xxhsum -H2 out.txt 2>/dev/null | cut -d' ' -f1)")
  m=$(object_of "xxh3:$(xxhsum -H2 model.bin 2>/dev/null | cut -d' ' -f1)")
  expect_file "$a"; expect_file "$m"
  run mlops data gc --workspace-only
  expect_rc 0
  expect_file "$a"
  expect_file "$m"
}

test_verify_detects_corruption() {
  new_repo; make_data
  mlops data add train.csv images >/dev/null 2>&1
  run mlops data verify --all
  expect_rc 0
  expect_out "6 objects checked, 0 corrupt, 0 missing"
  local obj; obj=$(object_of "$(hash_in train.csv.mlops)")
  chmod u+w "$obj"; echo garbage >> "$obj"
  run mlops data verify --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["corrupt"][0]')" "$(hash_in train.csv.mlops)"
  run mlops data verify
  expect_rc 1
  expect_out "missing:"           # moved aside, so now it is missing
}

# Issue 10.14: a corrupt object moved aside stays missing until it is replaced, and the hint
# names the command that fetches it (model artifacts included).
test_verify_keeps_reporting_moved_aside_objects() {
  new_repo
  echo code > train.sh && git add -A && git commit -qm code
  echo "a model" > model.bin
  mlops model register m --path model.bin --allow-dirty >/dev/null 2>&1 || fail "register failed"
  mlops remote add store "$TEST_ROOT/store.$current_test" --create --default >/dev/null 2>&1
  mlops data push >/dev/null 2>&1
  local h obj
  h="xxh3:$(xxhsum -H2 model.bin 2>/dev/null | cut -d' ' -f1)"
  obj=$(object_of "$h")
  chmod u+w "$obj" && echo garbage >> "$obj"
  run mlops data verify --all
  expect_rc 1
  expect_out "corrupt: $h"
  run mlops data verify --all
  expect_rc 1
  expect_out "missing: $h"
  expect_out "1 object checked, 0 corrupt, 1 missing"
  expect_err "'mlops data fetch --models' fetches registered models' artifacts"
  run mlops data fetch --models
  expect_rc 0
  run mlops data verify --all
  expect_rc 0
  expect_out "0 corrupt, 0 missing"
  expect_eq "$(cat "$obj")" "a model"
}

test_commands_work_from_subdirectory() {
  new_repo; make_data
  mkdir -p sub && cd sub
  run mlops data add ../train.csv
  expect_rc 0
  expect_file ../train.csv.mlops
  run mlops data status ../train.csv --exit-code
  expect_rc 0
}

test_concurrent_adds_lose_nothing() {
  new_repo
  for i in $(seq 1 8); do seq 1 $((i * 1000)) > "part$i.csv"; done
  for i in $(seq 1 8); do mlops data add "part$i.csv" >/dev/null 2>"add$i.err" & done
  wait
  for i in $(seq 1 8); do
    [[ -f "part$i.csv.mlops" ]] || fail "data add part$i.csv failed: $(cat "add$i.err")"
    expect_file "part$i.csv.mlops"
    grep -qx "/part$i.csv" .gitignore || fail ".gitignore lost /part$i.csv"
  done
  run mlops data verify --all
  expect_rc 0
  run mlops data status --exit-code
  expect_rc 0
}

# The stat cache is disposable: a damaged one is rebuilt, and the add goes on.
test_damaged_stat_cache_is_rebuilt() {
  new_repo; make_data
  head -c 8192 /dev/urandom > .mlops/state.db
  run mlops data add train.csv
  expect_rc 0
  expect_file train.csv.mlops
  run mlops data status --exit-code
  expect_rc 0
}

test_store_dir_shared_by_a_git_worktree() {
  new_repo; make_data
  mlops data add train.csv >/dev/null 2>&1
  git add -A && git commit -qm v1
  local store=$PWD/.mlops wt="$TEST_ROOT/wt.$RANDOM"
  git worktree add -q --detach "$wt" HEAD
  cd "$wt"
  run env MLOPS_STORE_DIR="$store" "$MLOPS" data checkout
  expect_rc 0
  cmp -s train.csv ../"$(basename "$OLDPWD")"/train.csv || fail "worktree data differs"
  expect_no_file .mlops/cache
}

run_tests "${1:-.}"
