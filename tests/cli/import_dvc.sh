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
  expect_out "dry run: 0 imported, 3 unchanged"
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

test_dry_run_writes_nothing() {
  dvc_repo --dvc 3
  local before
  before=$(snapshot)
  run mlops import dvc --dry-run
  expect_rc 0
  expect_out "would import data/images"
  expect_out "dry run: 3 imported"
  expect_eq "$(snapshot)" "$before"
}

test_corrupt_object_is_skipped_and_reported() {
  dvc_repo --dvc 3 --no-workspace --corrupt data/images/dog.jpeg --corrupt model.pkl
  run mlops import dvc
  expect_rc 1
  expect_out "missing data/images: 1 file is not in DVC's cache"
  expect_out "1 corrupt copy was skipped"
  expect_out "data/images/dog.jpeg"
  expect_out "fetch it with: dvc fetch data/images.dvc"
  expect_out "missing model.pkl"
  expect_out "fetch it with: dvc fetch train"
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
}

test_needs_a_store() {
  new_repo --no-init
  run mlops import dvc
  expect_rc 2
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
  local old
  old=$(object_of data/train.csv)
  new_dvc_version data/train.csv $'id,label\n1,cow\n'
  rm "$old"
  run mlops import dvc --all-commits
  expect_rc 1
  expect_out "missing data/train.csv (md5 "
  expect_out "fetch it with: dvc fetch --all-commits data/train.csv.dvc"
  expect_out "history: 3 commits walked, 3 versions imported, 1 missing, 1 skipped"
  run mlops data checkout --rev HEAD~1 data/train.csv
  expect_rc 2
  expect_err "is not tracked by mlops at 'HEAD~1'"
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
  expect_err "is not tracked by mlops at 'HEAD~1'"
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
