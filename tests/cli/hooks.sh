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
  mlops remote add store "$TEST_ROOT/store.$current_test" >/dev/null 2>&1
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
  mlops remote add store "$TEST_ROOT/store.$current_test" >/dev/null 2>&1
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
