#!/usr/bin/env bash
# CLI tests: mlops import dvc, on DVC projects written by tests/fixtures/interop/dvc_project.py
# (DVC 2 and DVC 3 layouts, as dvc.org documents them; DVC itself is not needed).
source "$(dirname "$0")/lib.sh"

GENERATOR="${MLOPS_SOURCE_DIR:?}/tests/fixtures/interop/dvc_project.py"

# dvc_repo [generator options...]: a new repository holding a committed DVC project.
dvc_repo() {
  new_repo
  git add .mlops && git commit -qm "mlops init"
  python3 "$GENERATOR" . --commit "$@" >"$TEST_ROOT/objects.json" || fail "generator failed"
}
# The cache object the generator wrote for PATH.
object_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["objects"][sys.argv[2]])' "$TEST_ROOT/objects.json" "$1"; }
images_bytes() { python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256))*4)'; }

test_dvc3_project_is_imported_from_the_cache() {
  dvc_repo --dvc 3 --no-workspace
  run mlops import dvc
  expect_rc 0
  expect_out "imported data/images (1.4 KiB, 3 files) from data/images.dvc"
  expect_out "imported data/train.csv (31 B) from data/train.csv.dvc"
  expect_out "imported model.pkl (1.7 KiB) from dvc.lock"
  expect_out "skipped metrics.json: it is tracked by git"
  expect_out "3 imported, 0 unchanged, 0 missing, 1 skipped"
  expect_err "git add data/images.mlops data/train.csv.mlops model.pkl.mlops"
  expect_file data/images.mlops
  grep -q "kind: dir" data/images.mlops || fail "images is not a folder version"
  grep -qx "/model.pkl" .gitignore || fail ".gitignore lacks model.pkl"
  # The DVC files stay by default.
  expect_file data/images.dvc
  # The data is mlops data now: checkout brings it back byte for byte.
  run mlops data checkout
  expect_rc 0
  cmp data/images/cat.jpeg <(images_bytes) || fail "cat.jpeg differs after checkout"
  [[ "$(cat data/train.csv)" == $'id,label\r\n1,cat\r\n2,dog\r\n3,cat\r' ]] || fail "train.csv differs"
  run mlops data status
  expect_out "up to date"
}

test_dvc2_layout_and_its_crlf_hashes_are_imported() {
  dvc_repo --dvc 2 --no-workspace
  [[ -f "$(object_of data/train.csv)" && "$(object_of data/train.csv)" != *files/md5* ]] || fail "not a DVC 2 cache"
  run mlops import dvc --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["imported"].__len__()')" 3
  # DVC 2 hashed the CRLF text file as if its lines ended in LF; the bytes stored are the original.
  expect_eq "$(echo "$out" | json_get '["imported"][1]["md5"]')" "f3feb34d6eeb2c2d1ba6590431f494f6"
  run mlops data checkout
  [[ "$(od -c data/train.csv | head -1)" == *'\r'* ]] || fail "CRLF lost"
}

test_workspace_copy_is_used_when_the_cache_lacks_it() {
  dvc_repo --dvc 3
  rm -rf .dvc/cache
  run mlops import dvc
  expect_rc 0
  expect_out "3 imported"
  # Read from the workspace, so the stat cache knows the files: status reads nothing.
  run mlops data status -v
  expect_out "up to date"
}

test_local_dvc_remote_is_read_and_offered() {
  dvc_repo --dvc 3 --no-workspace --to-remote model.pkl
  run mlops import dvc
  expect_rc 0
  expect_out "imported model.pkl"
  expect_err "DVC remote 'storage'"
  expect_err "mlops remote add storage"
  expect_err "/mlops --create"
  run mlops import dvc --json
  expect_eq "$(echo "$out" | json_get '["dvc_remotes"][0]["name"]')" "storage"
}

test_second_import_reads_nothing_and_adds_nothing() {
  dvc_repo --dvc 3 --no-workspace
  mlops import dvc >/dev/null 2>&1
  local before
  before=$(snapshot)
  run mlops import dvc --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["files_read"]')" 0
  expect_eq "$(echo "$out" | json_get '["unchanged"].__len__()')" 3
  expect_eq "$(snapshot)" "$before"
  run mlops import dvc --dry-run
  expect_out "dry run: 0 would be imported, 3 unchanged"
}

test_import_again_keeps_a_version_made_with_mlops_since() {
  dvc_repo --dvc 3 --no-workspace
  mlops import dvc >/dev/null 2>&1
  mlops data checkout >/dev/null 2>&1
  git add -A && git commit -qm "imported"
  # A new version with mlops; the .dvc file (kept by default) still names DVC's older one.
  echo "4,bird" >> data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 && git commit -qam "v2 with mlops"
  local mine before
  mine=$(cat data/train.csv.mlops)
  before=$(snapshot)
  run mlops import dvc
  expect_rc 0
  expect_out "skipped data/train.csv: 'data/train.csv.mlops' names another version"
  expect_out "made with mlops since: kept over data/train.csv.dvc's"
  expect_eq "$(cat data/train.csv.mlops)" "$mine"
  expect_eq "$(snapshot)" "$before"
  run mlops import dvc --dry-run
  expect_out "skipped data/train.csv: 'data/train.csv.mlops' names another version"
  # DVC's own newer version is still taken: the pointer the import wrote is replaced.
  git checkout -q HEAD~1 -- data/train.csv.mlops data/train.csv.dvc && git commit -qm "back to DVC's"
  new_dvc_version data/train.csv $'id,label\n1,cat\n'
  run mlops import dvc data/train.csv.dvc
  expect_rc 0
  expect_out "imported data/train.csv (15 B) from data/train.csv.dvc"
}

test_executable_files_of_a_folder_keep_their_bit() {
  # A folder with a script, tracked by DVC with a .dir manifest that says nothing of modes.
  new_repo
  git add .mlops && git commit -qm "mlops init"
  mkdir -p .dvc scripts && : >.dvc/config && printf '/cache\n' >.dvc/.gitignore
  printf '#!/bin/sh\necho hi\n' >scripts/run.sh && chmod +x scripts/run.sh && printf 'notes\n' >scripts/README
  python3 - <<'PY' || fail "project"
import hashlib, json, os
entries = []
for name in ["README", "run.sh"]:
    data = open("scripts/" + name, "rb").read(); h = hashlib.md5(data).hexdigest()
    os.makedirs(f".dvc/cache/files/md5/{h[:2]}", exist_ok=True)
    open(f".dvc/cache/files/md5/{h[:2]}/{h[2:]}", "wb").write(data)
    entries.append({"md5": h, "relpath": name})
m = json.dumps(entries, sort_keys=True).encode(); mh = hashlib.md5(m).hexdigest()
os.makedirs(f".dvc/cache/files/md5/{mh[:2]}", exist_ok=True)
open(f".dvc/cache/files/md5/{mh[:2]}/{mh[2:]}.dir", "wb").write(m)
size = sum(os.path.getsize("scripts/" + n) for n in ["README", "run.sh"])
open("scripts.dvc", "w").write(f"outs:\n- md5: {mh}.dir\n  size: {size}\n  nfiles: 2\n  hash: md5\n  path: scripts\n")
PY
  echo /scripts >.gitignore && git add -A && git commit -qm dvc
  run mlops import dvc
  expect_rc 0
  run mlops data status --exit-code
  expect_rc 0
  rm -rf scripts
  run mlops data checkout scripts
  expect_rc 0
  [[ -x scripts/run.sh && ! -x scripts/README ]] || fail "modes after checkout: $(ls -l scripts)"
}

test_interrupted_import_is_finished_without_reading_again() {
  dvc_repo --dvc 3 --no-workspace
  # The objects of the first run are in the cache and the memo; its pointers were never written.
  mlops import dvc >/dev/null 2>&1
  rm data/images.mlops data/train.csv.mlops model.pkl.mlops
  run mlops import dvc --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["imported"].__len__()')" 3
  expect_eq "$(echo "$out" | json_get '["files_read"]')" 0
}

# big_dvc_folder PATH FILES BYTES: a DVC 3 folder out of FILES files of BYTES random bytes each,
# only in DVC's cache (its objects, its .dir manifest and PATH.dvc), committed.
big_dvc_folder() {
  python3 - "$@" <<'PY' || fail "big folder failed"
import hashlib, json, os, sys
path, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def put(md5, data, suffix=""):
    obj = os.path.join(".dvc/cache/files/md5", md5[:2], md5[2:] + suffix)
    os.makedirs(os.path.dirname(obj), exist_ok=True)
    open(obj, "wb").write(data)
entries = []
for i in range(n):
    data = os.urandom(size)
    md5 = hashlib.md5(data).hexdigest()
    put(md5, data)
    entries.append({"md5": md5, "relpath": "f%05d.bin" % i})
text = json.dumps(entries, sort_keys=True).encode()
md5 = hashlib.md5(text).hexdigest()
put(md5, text, ".dir")
open(path + ".dvc", "w").write("outs:\n- md5: %s.dir\n  size: %d\n  nfiles: %d\n  hash: md5\n  path: %s\n"
                               % (md5, n * size, n, os.path.basename(path)))
PY
  git add "$1.dvc" && git commit -qm "big folder $1"
}
# Rows of the import memo's objects table.
memo_objects() { python3 -c 'import sqlite3; print(sqlite3.connect(".mlops/dvc-import.db").execute("SELECT count(*) FROM objects").fetchone()[0])'; }

test_ctrl_c_keeps_each_object_stored_and_says_so() {
  dvc_repo --dvc 3 --no-workspace
  big_dvc_folder data/big 3000 20000
  "$MLOPS" import dvc data/big --json >"$TEST_ROOT/out.$$" 2>"$TEST_ROOT/err.$$" &  # not the function: $! must be mlops
  local pid=$! stored=0 i
  # Once part of the folder is in the mlops cache, Ctrl-C (early: an idle machine imports it fast).
  for ((i = 0; i < 6000; i++)); do
    stored=$(find .mlops/cache -type f 2>/dev/null | wc -l)
    ((stored >= 30)) && break
    sleep 0.005
  done
  # Frozen first, so that it cannot finish between the count and the signal (it takes about a
  # second on an idle machine); the handler runs when it goes on.
  kill -STOP "$pid" 2>/dev/null || fail "the import finished before it could be interrupted (make the folder larger)"
  kill -INT "$pid"
  kill -CONT "$pid"
  wait "$pid"
  local rc=$?
  err=$(cat "$TEST_ROOT/err.$$")
  expect_eq "$rc" 130
  expect_err "interrupted: the "
  expect_err "read so far are kept in the cache and remembered"
  expect_err "run 'mlops import dvc' again to finish"
  expect_no_file data/big.mlops
  # Remembered object by object, not only at the end of the folder.
  local remembered
  remembered=$(memo_objects)
  ((remembered > 0)) || fail "the memo remembers no object"
  # The rerun reads only what was not stored.
  run mlops import dvc data/big --json
  expect_rc 0
  local read
  read=$(echo "$out" | json_get '["files_read"]')
  ((read <= 3000 - remembered)) || fail "the rerun read $read files; $remembered were remembered"
  expect_file data/big.mlops
}

test_dry_run_writes_nothing() {
  dvc_repo --dvc 3
  local before
  before=$(snapshot)
  run mlops import dvc --dry-run
  expect_rc 0
  expect_out "would import data/images"
  expect_out "dry run: 3 would be imported, 0 unchanged"
  expect_err "a dry run reads no data, so MD5s are not checked"
  expect_eq "$(snapshot)" "$before"
}

test_corrupt_object_is_skipped_and_reported() {
  dvc_repo --dvc 3 --no-workspace --corrupt data/images/dog.jpeg --corrupt model.pkl
  run mlops import dvc
  expect_rc 1
  expect_out "missing data/images: 1 file is not in DVC's cache"
  expect_out "1 corrupt copy was skipped"
  expect_out "data/images/dog.jpeg"
  # DVC takes the damaged copy in its cache for a good one: it goes first, or dvc fetch does nothing.
  expect_out "fetch it with: rm '$PWD/$(object_of data/images/dog.jpeg)' && dvc fetch data/images.dvc"
  expect_out "missing model.pkl"
  expect_out "fetch it with: rm '$PWD/$(object_of model.pkl)' && dvc fetch train"
  expect_out "1 imported, 0 unchanged, 2 missing, 1 skipped"
  expect_err "does not match its MD5: skipped, never imported"
  expect_no_file data/images.mlops
  expect_no_file model.pkl.mlops
  # The corrupt bytes are in no object of the mlops cache.
  local corrupt
  corrupt=$(xxhsum -H2 "$(object_of model.pkl)" | cut -d' ' -f1)
  expect_no_file ".mlops/cache/${corrupt:0:2}/${corrupt:2}"
  # A good copy fetched later (here: the workspace's) finishes the import.
  mkdir -p "$TEST_ROOT/fresh.$$" && (cd "$TEST_ROOT/fresh.$$" && git init -q && python3 "$GENERATOR" . >/dev/null)
  cp -r "$TEST_ROOT/fresh.$$/data/images" data/ && cp "$TEST_ROOT/fresh.$$/model.pkl" .
  run mlops import dvc
  expect_rc 0
  expect_out "2 imported, 1 unchanged, 0 missing"
}

test_missing_data_names_the_dvc_command() {
  dvc_repo --dvc 3 --drop data/train.csv
  run mlops import dvc --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["missing"][0]["path"]')" "data/train.csv"
  expect_eq "$(echo "$out" | json_get '["missing"][0]["fetch"]')" "dvc fetch data/train.csv.dvc"
  expect_no_file data/train.csv.mlops
}

test_unknown_field_is_refused_and_nothing_changes() {
  dvc_repo --dvc 3
  printf 'outs:\n- md5: 3568c76fdbdcb337b85c4beb8e3e74a0\n  path: train.csv\n  colour: blue\n' >data/train.csv.dvc
  local before
  before=$(snapshot)
  run mlops import dvc
  expect_rc 2
  expect_err "'data/train.csv.dvc:4': unknown field 'colour' in an out"
  expect_eq "$(snapshot)" "$before"
  printf 'outs:\n- md5: 3568c76fdbdcb337b85c4beb8e3e74a0\n  path: train.csv\nextra: 1\n' >data/train.csv.dvc
  run mlops import dvc
  expect_rc 2
  expect_err "unknown field 'extra'"
  # Naming the other files is a way past a malformed one.
  run mlops import dvc data/images.dvc
  expect_rc 0
  expect_out "1 imported"
}

test_external_and_duplicate_outs_are_skipped_and_named() {
  dvc_repo --dvc 3
  # An external out, hashed by its etag: named by its URL as written, never joined to the folder.
  printf 'outs:\n- etag: "0x8d9f"\n  path: s3://bucket/ext.csv\n' >data/ext.dvc
  # A second DVC file naming data/train.csv.
  cp data/train.csv.dvc data/again.dvc
  sed -i 's|path: train.csv|path: ../data/train.csv|' data/again.dvc
  run mlops import dvc
  expect_rc 0
  expect_out "skipped s3://bucket/ext.csv: an external out (a URL)"
  expect_out "skipped data/train.csv: 'data/again.dvc' names it too, and comes first"
}

test_out_outside_the_repository_is_refused() {
  dvc_repo --dvc 3
  local before
  for bad in ../../etc/passwd /etc/passwd; do
    printf 'outs:\n- md5: 3568c76fdbdcb337b85c4beb8e3e74a0\n  path: %s\n' "$bad" >data/train.csv.dvc
    before=$(snapshot)
    run mlops import dvc
    expect_rc 2
    expect_err "out '$bad' is outside the repository"
    expect_eq "$(snapshot)" "$before"
  done
}

test_dir_manifest_climbing_out_is_refused() {
  dvc_repo --dvc 3 --no-workspace
  local dir md5
  dir='[{"md5": "1ab533612d85d6812fa956d1cdfcac3e", "relpath": "../../escape"}]'
  md5=$(printf '%s' "$dir" | md5sum | cut -d' ' -f1)
  mkdir -p ".dvc/cache/files/md5/${md5:0:2}" && printf '%s' "$dir" >".dvc/cache/files/md5/${md5:0:2}/${md5:2}.dir"
  printf 'outs:\n- md5: %s.dir\n  hash: md5\n  path: images\n' "$md5" >data/images.dvc
  local before
  before=$(snapshot)
  run mlops import dvc data/images.dvc
  expect_rc 2
  expect_err "path '../../escape' climbs out of its folder"
  expect_eq "$(snapshot)" "$before"
}

test_old_dvc_lock_schema_is_refused() {
  dvc_repo --dvc 3
  printf 'train:\n  cmd: python train.py\n' >dvc.lock
  run mlops import dvc
  expect_rc 2
  expect_err "mlops reads schema '2.0'"
}

test_keep_dvc_false_removes_the_dvc_files_of_imported_data() {
  dvc_repo --dvc 3 --drop data/train.csv
  run mlops import dvc --keep-dvc=false
  expect_rc 1
  expect_no_file data/images.dvc
  expect_file data/train.csv.dvc  # its data is missing: kept
  expect_file dvc.lock            # a pipeline's record is never removed
  expect_err "git rm --cached -q data/images.dvc"
  # A value that is not true or false is named as such.
  run mlops import dvc --keep-dvc=nope
  expect_rc 2
  expect_err "option '--keep-dvc' takes no value, or true or false (got 'nope')"
  expect_err "hint: write '--keep-dvc' alone, or '--keep-dvc=false' to turn it off"
}

test_paths_select_and_unknown_path_is_refused() {
  dvc_repo --dvc 3
  run mlops import dvc data/train.csv
  expect_rc 0
  expect_out "1 imported"
  expect_no_file data/images.mlops
  run mlops import dvc nowhere
  expect_rc 2
  expect_err "no DVC-tracked data at 'nowhere'"
  run mlops import dvc data/trian.csv.dvc
  expect_rc 2
  expect_err "hint: did you mean 'data/train.csv.dvc'?"
  run mlops import dvc /tmp
  expect_rc 2
  expect_err "hint: name a .dvc file, a dvc.lock, a path they track, or a folder of this repository"
}

test_needs_a_store() {
  new_repo --no-init
  run mlops import dvc
  expect_rc 2
}

test_init_and_status_point_a_dvc_project_at_the_import() {
  new_repo --no-init
  mkdir .dvc
  run mlops init
  expect_rc 0
  expect_err "this is a DVC project: bring its data and history in with 'mlops import dvc --all-commits'"
  run mlops data status
  expect_rc 0
  expect_out "this is a DVC project: bring its data in with 'mlops import dvc --all-commits'"
}

# --- mlops data export --format dvc ---

test_export_writes_what_dvc_wrote() {
  dvc_repo --dvc 3
  cp -r .dvc/cache "$TEST_ROOT/dvc-cache.$$"
  cp data/images.dvc data/train.csv.dvc "$TEST_ROOT/"
  mlops import dvc >/dev/null 2>&1
  rm -rf .dvc/cache data/images.dvc data/train.csv.dvc
  run mlops data export --format dvc
  expect_rc 0
  expect_out "exported data/images.dvc (2c95aad1b961a9e54851867ab3c763fe.dir)"
  expect_out "cached model.pkl (b53efbcdf076d3b880fcf7e01e40073d), an out of dvc.lock"
  expect_no_file model.pkl.dvc  # a pipeline's out: DVC refuses a .dvc file for it
  cmp data/images.dvc "$TEST_ROOT/images.dvc" || fail "images.dvc differs from DVC's"
  cmp data/train.csv.dvc "$TEST_ROOT/train.csv.dvc" || fail "train.csv.dvc differs from DVC's"
  diff -r .dvc/cache "$TEST_ROOT/dvc-cache.$$" || fail "the DVC cache differs from DVC's"
  expect_eq "$(stat -c %a .dvc/cache/files/md5/b5/3efbcdf076d3b880fcf7e01e40073d)" 444
}

test_round_trip_import_export_import_gives_the_same_pointers() {
  new_repo
  mkdir -p data/images/sub
  printf 'a,b\r\n1,2\r\n' >data/train.csv
  printf 'cat' >data/images/cat.jpeg
  printf 'bird' >data/images/sub/bird.jpeg
  mlops data add data/train.csv data/images >/dev/null 2>&1
  cp data/train.csv.mlops data/images.mlops "$TEST_ROOT/"
  run mlops data export --format dvc --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["created_dvc_folder"]')" "True"
  expect_file .dvc/config
  grep -qx "/cache" .dvc/.gitignore || fail ".dvc/.gitignore lacks the cache"
  # A fresh clone with only the DVC side: the import gives back the same versions.
  rm -rf .mlops data/train.csv.mlops data/images.mlops data/train.csv data/images
  mlops init >/dev/null 2>&1
  run mlops import dvc
  expect_rc 0
  expect_out "2 imported"
  cmp data/train.csv.mlops "$TEST_ROOT/train.csv.mlops" || fail "train.csv.mlops differs after the round trip"
  cmp data/images.mlops "$TEST_ROOT/images.mlops" || fail "images.mlops differs after the round trip"
  # ... and exporting again reads nothing.
  run mlops data export --format dvc --json
  expect_eq "$(echo "$out" | json_get '["files_read"]')" 0
  expect_eq "$(echo "$out" | json_get '["exported"][0]["changed"]')" "False"
}

test_export_names_data_missing_from_the_cache() {
  new_repo
  printf 'x' >a.txt && printf 'y' >b.txt
  mlops data add a.txt b.txt >/dev/null 2>&1
  local hash
  hash=$(sed -n 's/^hash: xxh3://p' a.txt.mlops)
  chmod -R u+w .mlops/cache && rm ".mlops/cache/${hash:0:2}/${hash:2}"
  run mlops data export --format dvc
  expect_rc 1
  expect_out "missing a.txt: 1 file is not in the mlops cache"
  expect_out "exported b.txt.dvc"
  expect_no_file a.txt.dvc
  expect_err "mlops data pull"
}

test_export_bad_input_changes_nothing() {
  new_repo
  printf 'x' >a.txt && mlops data add a.txt >/dev/null 2>&1
  local before
  before=$(snapshot)
  run mlops data export --format mlflow
  expect_rc 2
  run mlops data export
  expect_rc 2
  run mlops data export --format dvc nowhere.txt
  expect_rc 2
  expect_eq "$(snapshot)" "$before"
}

test_export_with_nothing_tracked_writes_nothing() {
  new_repo
  local before
  touch .mlops/store.lock  # the lock any data command takes
  before=$(snapshot)
  run mlops data export --format dvc
  expect_rc 0
  expect_out "nothing to export: no path is tracked with mlops"
  expect_err "mlops data add PATH"
  expect_no_file .dvc
  expect_eq "$(snapshot)" "$before"
  run mlops data export --format dvc --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["exported"], d["created_dvc_folder"]')" "([], False)"
}

# new_dvc_version PATH TEXT: a new version of a tracked file as `dvc add` + `git commit` leave it
# (its object in DVC 3's cache, its .dvc file's md5 and size), committed; the workspace is left alone.
new_dvc_version() {
  python3 - "$1" "$2" <<'PY' || fail "new version failed"
import hashlib, os, re, sys
path, text = sys.argv[1], sys.argv[2].encode()
md5 = hashlib.md5(text).hexdigest()
obj = os.path.join(".dvc/cache/files/md5", md5[:2], md5[2:])
os.makedirs(os.path.dirname(obj), exist_ok=True)
open(obj, "wb").write(text)
s = open(path + ".dvc").read()
s = re.sub(r"md5: [0-9a-f]+", "md5: " + md5, s, count=1)
s = re.sub(r"size: \d+", "size: %d" % len(text), s, count=1)
open(path + ".dvc", "w").write(s)
PY
  git add "$1.dvc" && git commit -qm "new version of $1"
}

test_all_commits_brings_every_commit_version_for_path_at_rev() {
  dvc_repo --dvc 3 --no-workspace
  local first
  first=$(git rev-parse HEAD)
  new_dvc_version data/train.csv $'id,label\n1,cow\n'
  run mlops import dvc --all-commits --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["history"]["commits"]')" 3
  # train.csv twice (each version once); images, the stage's model and its metrics (kept in git) once.
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print(sorted((v["path"], v["outcome"], len(v["commits"])) for v in json.load(sys.stdin)["history"]["versions"]))')" \
    "[('data/images', 'imported', 2), ('data/train.csv', 'imported', 1), ('data/train.csv', 'imported', 1), ('metrics.json', 'skipped', 2), ('model.pkl', 'imported', 2)]"
  # The first DVC commit has .dvc files and no pointers: PATH@REV reads what the import recorded.
  run mlops data checkout --rev "$first" data/train.csv
  expect_rc 0
  [[ "$(cat data/train.csv)" == $'id,label\r\n1,cat\r\n2,dog\r\n3,cat\r' ]] || fail "old train.csv differs: $(cat data/train.csv)"
  run mlops data checkout --rev "$first" data/images
  expect_rc 0
  cmp data/images/cat.jpeg <(images_bytes) || fail "old cat.jpeg differs"
  # HEAD's version, imported as the work tree's, is the new one.
  run mlops data checkout data/train.csv
  expect_eq "$(cat data/train.csv)" $'id,label\n1,cow'
  # Again: nothing read, nothing new.
  run mlops import dvc --all-commits --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["files_read"]')" 0
}

test_all_commits_names_an_old_version_missing_from_the_cache() {
  dvc_repo --dvc 3 --no-workspace
  local old md5
  old=$(object_of data/train.csv)
  md5=$(basename "$(dirname "$old")")$(basename "$old")
  new_dvc_version data/train.csv $'id,label\n1,cow\n'
  rm "$old"
  run mlops import dvc --all-commits
  expect_rc 1
  expect_out "missing data/train.csv (md5 $md5, in 1 commit"
  expect_out "fetch it with: dvc fetch --all-commits data/train.csv.dvc"
  expect_out "history: 3 commits walked, 3 versions imported, 0 unchanged, 1 missing, 1 skipped"
  # JSON gives the same command: `dvc fetch PATH.dvc` alone fetches only the work tree's version.
  run mlops import dvc --all-commits --json
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print([v["fetch"] for v in json.load(sys.stdin)["history"]["versions"] if v["outcome"] == "missing"])')" \
    "['dvc fetch --all-commits data/train.csv.dvc']"
  # A rerun brings in nothing new: what it had recorded is unchanged.
  run mlops import dvc --all-commits
  expect_out "history: 3 commits walked, 0 versions imported, 3 unchanged, 1 missing, 1 skipped"
  # PATH@REV says the DVC version was not imported, and how to bring it in, not "not tracked".
  run mlops data checkout --rev HEAD~1 data/train.csv
  expect_rc 2
  expect_err "the DVC version of 'data/train.csv' at 'HEAD~1' (md5 $md5) was not imported: 1 file is not in DVC's cache"
  expect_err "hint: fetch it with 'dvc fetch --all-commits data/train.csv.dvc', then run 'mlops import dvc --all-commits'"
  # data diff does not call it added, and says which version it cannot compare.
  run mlops data diff HEAD~1 HEAD
  expect_rc 0
  expect_out "modified"
  expect_out "data/train.csv  not imported ->"
  expect_no_out "added"
  expect_err "the DVC version of 'data/train.csv' at 'HEAD~1' (md5 $md5) was not imported"
  run mlops data diff HEAD~1 HEAD --json
  expect_eq "$(echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = [x for x in d["changes"] if x["path"] == "data/train.csv"][0]
print(c["change"], c.get("old_not_imported"), [(m["revision"], m["path"]) for m in d["not_imported"]])')" \
    "modified True [('HEAD~1', 'data/train.csv')]"
}

test_all_commits_names_the_missing_file_of_a_folder() {
  dvc_repo --dvc 3 --no-workspace --drop data/images/dog.jpeg
  local md5
  md5=$(sed -n 's/^- md5: //p' data/images.dvc)
  run mlops import dvc --all-commits
  expect_rc 1
  expect_out "missing data/images (md5 $md5, in 1 commit"
  expect_out "  data/images/dog.jpeg"
  run mlops data checkout --rev HEAD data/images
  expect_rc 2
  expect_err "(md5 $md5) was not imported: 1 file is not in DVC's cache, a DVC remote on a path, or the workspace: data/images/dog.jpeg"
  # Both sides missing: the diff says so instead of leaving it out.
  run mlops data diff HEAD~1 HEAD
  expect_err "the DVC version of 'data/images' at 'HEAD' (md5 $md5) was not imported"
}

test_data_tracked_by_dvc_but_not_imported_is_named_as_dvc_data() {
  dvc_repo --dvc 3 --no-workspace
  # The work tree: the hint is the import, not 'mlops data add' of a file that is not there.
  run mlops data checkout data/train.csv
  expect_rc 2
  expect_err "'data/train.csv' is tracked by DVC ('data/train.csv.dvc') and was not imported into mlops"
  expect_err "hint: import it with 'mlops import dvc data/train.csv.dvc'"
  # A commit, in a clone (or store) that never imported the history.
  run mlops data checkout --rev HEAD data/train.csv
  expect_rc 2
  expect_err "'data/train.csv' is tracked by DVC at 'HEAD' ('data/train.csv.dvc'), and its versions were not imported"
  expect_err "where another clone imported them, 'git pull' brings its .mlops/dvc-history.jsonl"
}

test_all_commits_history_reaches_a_clone_through_git_and_a_remote_and_gc_keeps_it() {
  dvc_repo --dvc 3 --no-workspace
  local first repo
  first=$(git rev-parse HEAD)
  repo=$PWD
  new_dvc_version data/train.csv $'id,label\n1,cow\n'
  run mlops import dvc --all-commits
  expect_rc 0
  expect_err "to version it with your code, run: git add .gitattributes "
  expect_err ".mlops/.gitignore .mlops/config.yaml .mlops/dvc-history.jsonl"
  expect_err "commit .mlops/dvc-history.jsonl and run 'mlops data push --all-commits'"
  git check-ignore -q .mlops/dvc-history.jsonl && fail "git ignores the history file"
  # gc keeps the versions of commits made under DVC (no pointer names them), uncommitted or not.
  rm -rf .dvc/cache
  run mlops data gc --grace 0 --include-unpushed --yes
  expect_rc 0
  run mlops data checkout --rev "$first" data/train.csv
  expect_rc 0
  [[ "$(cat data/train.csv)" == $'id,label\r\n1,cat\r\n2,dog\r\n3,cat\r' ]] || fail "old train.csv differs after gc"
  run mlops data checkout data/train.csv
  # data log lists the DVC-era versions after the pointer's, with the commit that brought each.
  run mlops data log data/train.csv --json
  expect_rc 0
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print([(v.get("dvc", False), v["commit"]) for v in json.load(sys.stdin)["versions"]][-1])')" \
    "(True, '$first')"
  run mlops data log data/train.csv
  expect_out "(DVC) "
  git add '*.mlops' '*.gitignore' .gitattributes .mlops &&
    git commit -qm "move to mlops" ||
    fail "commit failed"
  run mlops data gc --grace 0 --include-unpushed --yes
  expect_rc 0
  # After the move, a commit that keeps its .dvc files is read from its pointers: a second import
  # records nothing more.
  local lines
  lines=$(wc -l <.mlops/dvc-history.jsonl)
  run mlops import dvc --all-commits
  expect_rc 1  # DVC's cache is gone: the folder's .dir manifest cannot be read again (nothing changes)
  expect_eq "$(wc -l <.mlops/dvc-history.jsonl)" "$lines"
  expect_eq "$(git status --porcelain -- .mlops '*.mlops')" ""
  # Two branches' histories merge as a union (the root .gitattributes), without a conflict.
  expect_eq "$(git check-attr merge .mlops/dvc-history.jsonl)" ".mlops/dvc-history.jsonl: merge: union"
  # A file git itself keeps at a commit is named as git's.
  run mlops data checkout --rev "$first" metrics.json
  expect_rc 2
  expect_err "'metrics.json' is kept in git at '$first', not tracked by mlops"
  # Pushed with --all-commits, the old version reaches a clone that never ran the import.
  run mlops remote add origin "$TEST_ROOT/remote" --create
  expect_rc 0
  git add .mlops/config.yaml && git commit -qm "remote" || fail "commit failed"
  run mlops data push --all-commits --json
  expect_rc 0
  git clone -q "$repo" "$TEST_ROOT/clone.$current_test.$$" && cd "$TEST_ROOT/clone.$current_test.$$" ||
    fail "clone failed"
  run mlops data checkout --rev "$first" data/train.csv
  expect_rc 0
  [[ "$(cat data/train.csv)" == $'id,label\r\n1,cat\r\n2,dog\r\n3,cat\r' ]] || fail "old train.csv differs in the clone"
  run mlops data fetch --all-commits
  expect_rc 0
  # mlops init in a clone keeps the committed .mlops/.gitignore, and does not send it to the import.
  run mlops init
  [[ "$err" != *"this is a DVC project"* ]] || fail "init in a clone with the history sends it to the import: $err"
  expect_eq "$(git status --porcelain .mlops)" ""
  # Conflict markers a merge left are named as such, with the way out.
  printf '<<<<<<< HEAD\n' >>.mlops/dvc-history.jsonl
  run mlops data checkout --rev "$first" data/train.csv
  expect_rc 2
  expect_err "a merge left conflict markers in it"
  # data log leaves the DVC-era versions out with a warning rather than failing.
  run mlops data log data/train.csv
  expect_rc 0
  expect_err "the versions of commits made under DVC are left out"
  git checkout -q -- .mlops/dvc-history.jsonl
  # A damaged history file is named, with its line; nothing is checked out.
  printf '{"commit": "%s", "path": "data/train.csv", "hash": 7}\n' "$first" >.mlops/dvc-history.jsonl
  local before
  before=$(snapshot)
  run mlops data checkout --rev "$first" data/train.csv
  expect_rc 2
  expect_err ".mlops/dvc-history.jsonl:1: 'hash' is missing or not a string"
  expect_err "hint: it is written by 'mlops import dvc --all-commits': keep the lines of both sides of a merge"
  expect_eq "$(snapshot)" "$before"
}

# new_stage_version BYTES: `dvc repro` + `git commit` of a new model.pkl from the pipeline's stage
# (its object in DVC 3's cache, its md5 and size in dvc.lock), committed; the workspace is left alone.
new_stage_version() {
  python3 - "$1" <<'PY' || fail "new stage version failed"
import hashlib, os, re, sys
data = sys.argv[1].encode()
md5 = hashlib.md5(data).hexdigest()
obj = os.path.join(".dvc/cache/files/md5", md5[:2], md5[2:])
os.makedirs(os.path.dirname(obj), exist_ok=True)
open(obj, "wb").write(data)
s = open("dvc.lock").read()
s, n = re.subn(r"(- path: model.pkl\n(?:      hash: md5\n)?      md5: )[0-9a-f]+(\n      size: )\d+",
               lambda m: "%s%s%s%d" % (m.group(1), md5, m.group(2), len(data)), s)
assert n == 1, s
open("dvc.lock", "w").write(s)
PY
  git add dvc.lock && git commit -qm "dvc repro: new model.pkl"
}

test_all_commits_brings_every_version_of_a_stage_out() {
  dvc_repo --dvc 3 --no-workspace
  local first old_model
  first=$(git rev-parse HEAD)
  old_model=$(cat "$(object_of model.pkl)")
  new_stage_version "retrained weights"
  run mlops import dvc --all-commits --json
  expect_rc 0
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print(sorted((v["path"], len(v["commits"])) for v in json.load(sys.stdin)["history"]["versions"] if v["path"] == "model.pkl" and v["outcome"] == "imported"))')" \
    "[('model.pkl', 1), ('model.pkl', 1)]"
  # The first DVC commit has a dvc.lock and no model.pkl.mlops: PATH@REV reads what the import recorded.
  run mlops data checkout --rev "$first" model.pkl
  expect_rc 0
  [[ "$(cat model.pkl)" == "$old_model" ]] || fail "old model.pkl differs"
  run mlops data checkout model.pkl
  expect_eq "$(cat model.pkl)" "retrained weights"
}

test_all_commits_names_the_stage_of_a_missing_stage_out() {
  dvc_repo --dvc 3 --no-workspace
  local old
  old=$(object_of model.pkl)
  new_stage_version "retrained weights"
  rm "$old"
  run mlops import dvc --all-commits
  expect_rc 1
  expect_out "missing model.pkl (md5 "
  expect_out "fetch it with: dvc fetch --all-commits train"
  run mlops data checkout --rev HEAD~1 model.pkl
  expect_rc 2
  expect_err "the DVC version of 'model.pkl' at 'HEAD~1' (md5 "
  expect_err "hint: fetch it with 'dvc fetch --all-commits train', then run 'mlops import dvc --all-commits'"
}

# sub_pipeline_version BYTES: pipelines/dvc.yaml (a stage whose wdir is the root) and its dvc.lock
# naming report.bin at BYTES' MD5 (the object in DVC 3's cache), committed. Prints the object's path.
sub_pipeline_version() {
  python3 - "$1" <<'PY' || fail "sub-pipeline version failed"
import hashlib, os, sys
data = sys.argv[1].encode()
md5 = hashlib.md5(data).hexdigest()
obj = os.path.join(".dvc/cache/files/md5", md5[:2], md5[2:])
os.makedirs(os.path.dirname(obj), exist_ok=True)
open(obj, "wb").write(data)
os.makedirs("pipelines", exist_ok=True)
open("pipelines/dvc.yaml", "w").write("stages:\n  evaluate:\n    cmd: python evaluate.py\n    wdir: ..\n"
                                      "    outs:\n    - report.bin\n")
open("pipelines/dvc.lock", "w").write("schema: '2.0'\nstages:\n  evaluate:\n    cmd: python evaluate.py\n"
                                      "    outs:\n    - path: report.bin\n      hash: md5\n      md5: %s\n"
                                      "      size: %d\n" % (md5, len(data)))
print(obj)
PY
  git add pipelines && git commit -qm "dvc repro pipelines/dvc.yaml"
}

test_all_commits_reads_a_sub_folder_stage_with_its_wdir_at_each_commit() {
  dvc_repo --dvc 3 --no-workspace
  local old first
  old=$(sub_pipeline_version "first report")
  first=$(git rev-parse HEAD)
  sub_pipeline_version "second report" >/dev/null
  run mlops data checkout --rev "$first" report.bin
  expect_rc 2
  # Without the old object, the stage is named as `dvc fetch` takes it.
  mv "$old" "$TEST_ROOT/old-object"
  run mlops import dvc --all-commits
  expect_rc 1
  expect_out "missing report.bin (md5 "
  expect_out "fetch it with: dvc fetch --all-commits pipelines/dvc.yaml:evaluate"
  # Fetched again, the next run brings it in.
  mv "$TEST_ROOT/old-object" "$old"
  run mlops import dvc --all-commits
  expect_rc 0
  run mlops data checkout --rev "$first" report.bin
  expect_rc 0
  expect_eq "$(cat report.bin)" "first report"
}

run_tests "${1:-.}"
