#!/usr/bin/env bash
# CLI tests: mlops hooks install/run, the git hooks in action, and .pre-commit-hooks.yaml.
source "$(dirname "$0")/lib.sh"

# The hooks call `mlops` by name, as they would on a user's machine.
BIN_DIR="$TEST_ROOT/bin"
mkdir -p "$BIN_DIR" && ln -sf "$MLOPS" "$BIN_DIR/mlops"
export PATH="$BIN_DIR:$PATH"

test_pre_commit_hook_blocks_stale_pointers() {
  new_repo
  seq 1 100 > data.csv
  mlops data add data.csv >/dev/null 2>&1
  run mlops hooks install
  expect_rc 0
  local h
  for h in pre-commit pre-push post-checkout post-merge; do
    expect_file .git/hooks/$h
    [[ -x .git/hooks/$h ]] || fail "$h hook not executable"
  done
  git add -A
  run git commit -qm "data v1"
  expect_rc 0
  echo 101 >> data.csv                        # data changed, its pointer staged as it was
  mlops data add data.csv >/dev/null 2>&1 && git add data.csv.mlops && echo 102 >> data.csv
  run git commit -qm "data v2, changed again after staging"
  expect_rc 1
  expect_err "data.csv changed but its pointer was not updated"   # git shows a hook's output on stderr
  [[ "$(git log --oneline | wc -l)" == 1 ]] || fail "the commit went through"
  mlops data add data.csv >/dev/null 2>&1 && git add -A
  run git commit -qm "data v2"
  expect_rc 0
  # Data missing from the workspace (a fresh clone before pull) does not block commits.
  rm data.csv
  echo more >> train.py && git add train.py
  run git commit -qm "edit"
  expect_rc 0
}

# New-user finding: a hint names the command that works. Data the pointer is ahead of, whose new
# version the cache lacks, is brought up to date by `data pull`, not `data checkout`.
test_pre_commit_hints_name_pull_when_the_cache_lacks_the_version() {
  new_repo
  mlops hooks install >/dev/null 2>&1
  echo v1 > data.csv && mlops data add data.csv >/dev/null 2>&1 && git add -A && git commit -qm v1
  echo v2 > data.csv && mlops data add data.csv >/dev/null 2>&1 && git add -A && git commit -qm v2
  local h; h=$(sed -n 's/^hash: xxh3://p' data.csv.mlops)
  mlops data checkout --rev HEAD~1 >/dev/null 2>&1
  rm -f ".mlops/cache/${h:0:2}/${h:2}"  # as in a clone that pulled the pointer, not the data
  echo code >> train.py && git add train.py
  run git commit -qm "code"
  expect_rc 0
  expect_err "data.csv is out of date with its pointer; 'mlops data pull data.csv' updates it"
  # A staged pointer whose data changed again: the restore hint names pull too.
  echo v3 > data.csv && mlops data add data.csv >/dev/null 2>&1 && git add data.csv.mlops
  local h3; h3=$(sed -n 's/^hash: xxh3://p' data.csv.mlops)
  echo v4 > data.csv && rm -f ".mlops/cache/${h3:0:2}/${h3:2}"
  run git commit -qm "v3"
  expect_rc 1
  expect_err "restore the pointer's version with 'mlops data pull data.csv'"
}

# Issue 10.22: data that differs from a pointer the commit does not include informs, not blocks;
# hooks.pre_commit: block makes it block.
test_pre_commit_informs_about_data_outside_the_commit() {
  new_repo
  seq 1 100 > data.csv
  mlops data add data.csv >/dev/null 2>&1
  mlops hooks install >/dev/null
  git add -A && git commit -qm "data v1"
  echo 101 >> data.csv                        # data changed, pointer not updated, not in the commit
  echo "code" > train.py && git add train.py
  run git commit -qm "code only"
  expect_rc 0
  expect_err "data.csv differs from its pointer, which this commit does not include (not blocking)"
  expect_err "hooks.pre_commit: block"
  [[ "$(git log --oneline | wc -l)" == 2 ]] || fail "the code-only commit did not go through"
  printf 'hooks:\n  pre_commit: block\n' > .mlops/config.local.yaml
  echo more >> train.py && git add train.py
  run git commit -qm "code only, strict"
  expect_rc 1
  expect_err "data.csv changed but its pointer was not updated"
  [[ "$(git log --oneline | wc -l)" == 2 ]] || fail "the strict commit went through"
  printf 'hooks:\n  pre_commit: sometimes\n' > .mlops/config.local.yaml
  run mlops hooks run pre-commit
  expect_rc 2
  expect_err "hooks.pre_commit is 'sometimes'; expected inform or block"
}

test_pre_commit_blocks_pointers_to_unavailable_data() {
  new_repo
  seq 1 100 > data.csv
  mlops data add data.csv >/dev/null 2>&1
  mlops hooks install >/dev/null
  rm -rf .mlops/cache/* data.csv
  git add -A
  run git commit -qm "pointer to nothing"
  expect_rc 1
  expect_err "in no cache or remote"
  # On the default remote it counts as available.
  seq 1 100 > data.csv && mlops data add data.csv >/dev/null 2>&1
  mlops remote add store "$TEST_ROOT/store.$current_test" --create >/dev/null 2>&1
  mlops data push >/dev/null 2>&1
  rm -rf .mlops/cache/*
  run mlops hooks run pre-commit
  expect_rc 0
}

# A repository with the hooks installed, a bare git origin ($TEST_ROOT/origin.TEST.git) and a
# default data remote ($TEST_ROOT/store.TEST).
repo_with_hooks_and_remotes() {
  new_repo
  git init -q --bare "$TEST_ROOT/origin.$current_test.git"
  git remote add origin "$TEST_ROOT/origin.$current_test.git"
  mlops remote add store "$TEST_ROOT/store.$current_test" --create >/dev/null 2>&1
  mlops hooks install >/dev/null
}

test_pre_push_uploads_data_before_git_push() {
  repo_with_hooks_and_remotes
  local store="$TEST_ROOT/store.$current_test"
  seq 1 500 > data.csv
  mlops data add data.csv >/dev/null 2>&1
  git add -A && git commit -qm "data"
  run git push -q origin main
  expect_rc 0
  expect_err "pushed"
  local h; h=$(sed -n 's/^hash: xxh3://p' data.csv.mlops)
  expect_file "$store/${h:0:2}/${h:2}"
  # A clone can pull what the pointer names.
  git clone -q "$TEST_ROOT/origin.$current_test.git" "$TEST_ROOT/clone.$RANDOM" && cd "$TEST_ROOT"/clone.* || return
  # The clone has the committed config (with the data remote) but no cache yet.
  run mlops data pull
  expect_rc 0
  expect_eq "$(seq 1 500 | md5sum)" "$(md5sum < data.csv)"
}

test_pre_push_uploads_model_artifacts_with_registry_tags() {
  repo_with_hooks_and_remotes
  local store="$TEST_ROOT/store.$current_test"
  printf 'model.bin\n' > .gitignore
  git add -A && git commit -qm "init"
  head -c 2048 /dev/urandom > model.bin
  mlops model register m --path model.bin >/dev/null 2>&1
  local h; h=$(mlops model show m@v0.0.1 --json | json_get '["artifact"]["hash"]')
  h=${h#xxh3:}
  expect_no_file "$store/${h:0:2}/${h:2}"
  run git push -q origin main 'm@v0.0.1'
  expect_rc 0
  expect_file "$store/${h:0:2}/${h:2}"
  # A fresh clone gets the tag from git and the model from the data remote.
  git clone -q "$TEST_ROOT/origin.$current_test.git" "$TEST_ROOT/clone.$current_test" && cd "$TEST_ROOT/clone.$current_test" || return
  run mlops model get m@v0.0.1 --out got.bin
  expect_rc 0
  expect_eq "$(md5sum < got.bin)" "$(md5sum < ../"$(basename "$OLDPWD")"/model.bin)"
}

test_install_keeps_foreign_hooks() {
  new_repo
  printf '#!/bin/sh\necho mine\n' > .git/hooks/pre-commit
  run mlops hooks install
  expect_rc 2
  expect_err "was not written by mlops"
  grep -q mine .git/hooks/pre-commit || fail "foreign hook overwritten"
  expect_no_file .git/hooks/pre-push
  run mlops hooks install --force
  expect_rc 0
  grep -q "mlops hooks run pre-commit" .git/hooks/pre-commit || fail "not replaced with --force"
  run mlops hooks install   # ours may be rewritten freely
  expect_rc 0
}

# Issue 10.25: the hooks work in the real pre-commit framework (Debian 12 ships 3.0.4, which
# refuses the stage names of 3.2+): a repository whose .pre-commit-config.yaml names this
# repository's hooks, `pre-commit install`, a commit that passes, one the hook stops, and a push
# that uploads the data.
test_pre_commit_framework_runs_the_hooks() {
  if ! command -v pre-commit >/dev/null 2>&1; then
    echo "  skip [$current_test] the pre-commit framework is not installed (scripts/install-deps installs it)"
    return 0
  fi
  export PRE_COMMIT_HOME="$TEST_ROOT/pre-commit-home.$current_test"
  local hooks_repo="$TEST_ROOT/hooks-repo.$current_test" origin="$TEST_ROOT/origin.$current_test.git"
  local store="$TEST_ROOT/store.$current_test"
  mkdir -p "$hooks_repo" && cp "$MLOPS_SOURCE_DIR/.pre-commit-hooks.yaml" "$hooks_repo/"
  git -C "$hooks_repo" init -q && git -C "$hooks_repo" add -A && git -C "$hooks_repo" commit -qm hooks
  local rev; rev=$(git -C "$hooks_repo" rev-parse HEAD)
  git init -q --bare "$origin"
  new_repo
  git remote add origin "$origin"
  mlops remote add store "$store" --create --default >/dev/null 2>&1
  printf '%s\n' "default_install_hook_types: [pre-commit, pre-push]" "repos:" "  - repo: $hooks_repo" \
    "    rev: $rev" "    hooks:" "      - id: mlops-pointers" "      - id: mlops-push-data" > .pre-commit-config.yaml
  run pre-commit install
  expect_rc 0
  expect_file .git/hooks/pre-commit
  expect_file .git/hooks/pre-push
  seq 1 100 > data.csv && mlops data add data.csv >/dev/null 2>&1
  git add -A
  run git commit -qm "data v1"
  expect_rc 0
  expect_err "mlops data pointers are up to date"
  [[ "$out$err" != *"Expected one of"* ]] || fail "the framework refused the manifest: $out $err"
  [[ "$(git log --oneline | wc -l)" == 1 ]] || fail "the passing commit did not go through: $out $err"
  echo 101 >> data.csv && mlops data add data.csv >/dev/null 2>&1 && git add data.csv.mlops
  echo 102 >> data.csv   # changed again after its pointer was staged
  run git commit -qm "data v2, stale pointer"
  expect_rc 1
  expect_err "data.csv changed but its pointer was not updated"
  [[ "$(git log --oneline | wc -l)" == 1 ]] || fail "the framework let the stale pointer through"
  mlops data add data.csv >/dev/null 2>&1 && git add -A
  run git commit -qm "data v2"
  expect_rc 0
  local v1 v2 h
  v2=$(sed -n 's/^hash: //p' data.csv.mlops)
  v1=$(git show HEAD~1:data.csv.mlops | sed -n 's/^hash: //p')
  run git push -q origin HEAD:main
  expect_rc 0
  for h in "$v1" "$v2"; do
    h=${h#xxh3:}
    expect_file "$store/${h:0:2}/${h:2}"
  done
}

test_pre_commit_framework_manifest_names_real_commands() {
  local manifest="$MLOPS_SOURCE_DIR/.pre-commit-hooks.yaml"
  expect_file "$manifest"
  new_repo
  seq 1 10 > d.csv && mlops data add d.csv >/dev/null 2>&1
  local entry
  while read -r entry; do
    run bash -c "$entry" </dev/null
    expect_rc 0
  done < <(sed -n 's/^  entry: //p' "$manifest")
}

run_tests "${1:-.}"
