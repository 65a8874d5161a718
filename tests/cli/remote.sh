#!/usr/bin/env bash
# `mlops remote` and path remotes: adding them (issue 10.9: never created silently), their
# settings, documents, shared (group-writable) remotes and corrupt objects on a remote.
source "$(dirname "$0")/lib.sh"

hash_in() { sed -n 's/^hash: //p' "$1"; }
config_sum() { md5sum .mlops/config.yaml | cut -d' ' -f1; }

# --- issue 10.9: a path remote that does not exist ------------------------------------------------

test_add_refuses_a_path_that_does_not_exist() {
  new_repo
  local before; before=$(config_sum)
  run mlops remote add store "$TEST_ROOT/nowhere/store"
  expect_rc 2
  expect_err "remote path '$TEST_ROOT/nowhere/store' does not exist"
  expect_err "hint: check the path and that its disk is mounted; to make a new remote there, add it with --create"
  expect_eq "$(config_sum)" "$before"
  expect_no_file "$TEST_ROOT/nowhere"
  # A file is not a folder.
  echo x > "$TEST_ROOT/a-file.$current_test"
  run mlops remote add store "$TEST_ROOT/a-file.$current_test"
  expect_rc 2
  expect_err "is not a folder"
  expect_eq "$(config_sum)" "$before"
  # A relative path is relative to the repository's root (it is committed), from any folder.
  mkdir -p sub ../rel-store.$current_test && cd sub
  run mlops remote add rel "../rel-store.$current_test"
  expect_rc 0
}

test_add_create_makes_the_folder_on_purpose() {
  new_repo
  run mlops remote add store "$TEST_ROOT/made/by/create.$current_test" --create --default
  expect_rc 0
  [[ -d "$TEST_ROOT/made/by/create.$current_test" ]] || fail "--create made no folder"
  run mlops remote list
  expect_out "store"
}

test_push_pull_to_a_vanished_path_remote_is_unreachable() {
  new_repo
  echo "some data" > data.txt
  mlops data add data.txt > /dev/null 2>&1
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create --default > /dev/null 2>&1
  rmdir "$store"  # an unmounted share looks like this
  run mlops data push
  expect_rc 3
  expect_err "remote 'store' is unreachable: '$store' does not exist"
  expect_err "hint: mount it"
  expect_no_file "$store"
  for verb in pull fetch; do
    run mlops data $verb
    expect_rc 3
    expect_err "is unreachable"
  done
  expect_no_file "$store"
  # Made on purpose, the push goes through.
  mkdir "$store"
  run mlops data push
  expect_rc 0
}

run_tests "${1:-.}"
