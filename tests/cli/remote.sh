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

# --- settings: remote add/modify/list, config.local.yaml, the environment ---------------------------

test_s3_remote_settings_are_validated() {
  new_repo
  run mlops remote add storage s3://team-bucket/mlops/data --default
  expect_rc 0
  grep -q "url: s3://team-bucket/mlops/data" .mlops/config.yaml || fail "url not committed"
  local key
  for key in "endpoint_url http://127.0.0.1:9000" "region eu-west-1" "profile ci" "addressing path" \
    "ssl_verify false" "jobs 64" "multipart_threshold 8MiB" "multipart_chunksize 5MiB" "max_retries 3" \
    "connect_timeout 2.5" "sse aws:kms" "sse_kms_key_id alias/mlops" "acl bucket-owner-full-control"; do
    run mlops remote modify storage $key
    expect_rc 0
  done
  run mlops remote list --json
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["settings"]["region"]["value"]')" "eu-west-1"
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["settings"]["jobs"]["source"]')" ".mlops/config.yaml"
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["kind"]')" "s3"
  local before; before=$(config_sum)
  # Bad values say what the key takes; nothing is written.
  run mlops remote modify storage addressing sideways
  expect_rc 2
  expect_err "invalid value 'sideways' for remote setting 'addressing'"
  expect_err "hint: addressing takes auto, path or virtual"
  for key in "jobs 0" "multipart_chunksize 1MiB" "ssl_verify /no/such/ca.pem" "max_retries -1" \
    "connect_timeout soon" "sse rot13" "acl everyone" "endpoint_url ftp://x" "region eu_west"; do
    run mlops remote modify storage $key
    expect_rc 2
  done
  # Unknown keys get a suggestion; unknown remotes too.
  run mlops remote modify storage regoin eu-west-1
  expect_rc 2
  expect_err "unknown remote setting 'regoin'"
  expect_err "did you mean 'region'?"
  run mlops remote modify storag region eu-west-1
  expect_rc 2
  expect_err "unknown remote 'storag'"
  expect_err "did you mean 'storage'?"
  # A path remote's setting on an S3 remote, and the other way round.
  run mlops remote modify storage shared group
  expect_rc 2
  expect_err "'shared' is a setting of path remotes"
  expect_eq "$(config_sum)" "$before"
  # --unset brings the default back.
  run mlops remote modify storage jobs --unset
  expect_rc 0
  grep -q "jobs:" .mlops/config.yaml && fail "jobs still set"
  # Malformed URLs.
  for url in s3:// s3://ab s3://Upper-Case s3://bucket//x "s3://key:secret@bucket" gs://bucket; do
    run mlops remote add other "$url"
    expect_rc 2
  done
  expect_err "scheme"
  # One slash short is an S3 URL mistyped, not a folder named "s3:".
  local typo
  before=$(config_sum)
  for typo in s3:/team-bucket/mlops s3:team-bucket/mlops S3://team-bucket/mlops; do
    run mlops remote add other "$typo"
    expect_rc 2
    expect_err "remote URL '$typo' is not an S3 URL"
    expect_err "did you mean 's3://team-bucket/mlops'?"
  done
  run mlops remote modify storage url s3:/team-bucket
  expect_rc 2
  expect_err "did you mean 's3://team-bucket'?"
  expect_no_file s3:
  expect_eq "$(config_sum)" "$before"
}

test_secrets_never_go_into_the_committed_config() {
  new_repo
  mlops remote add storage s3://team-bucket --default > /dev/null 2>&1
  git add .mlops && git commit -qm config
  local before; before=$(config_sum)
  run mlops remote modify storage secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  expect_rc 2
  expect_err "refusing to write a secret (secret_access_key of remote 'storage') into the committed .mlops/config.yaml"
  expect_err "hint: keep it on this machine with --local"
  # A token-like value under any key, and a URL with a password, are refused too.
  run mlops remote modify storage profile AKIAIOSFODNN7EXAMPLE
  expect_rc 2
  expect_err "refusing to write a secret"
  run mlops remote add leaky "s3://team-bucket/x?X-Amz-Signature=abc"
  expect_rc 2
  run mlops remote modify storage endpoint_url http://user:pass@127.0.0.1:9000
  expect_rc 2
  expect_err "it holds a password"
  expect_eq "$(config_sum)" "$before"
  # --local writes to the git-ignored file; list masks the secret and names the file.
  run mlops remote modify storage secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY --local
  expect_rc 0
  run mlops remote modify storage access_key_id AKIAIOSFODNN7EXAMPLE --local
  expect_rc 0
  expect_file .mlops/config.local.yaml
  expect_eq "$(git status --porcelain)" ""  # committed config unchanged, the local file ignored
  expect_eq "$(config_sum)" "$before"
  run mlops remote list
  expect_out "secret_access_key = ****  (.mlops/config.local.yaml)"
  expect_no_out "wJalrXUtnFEMI"
  run mlops remote list --json
  expect_no_out "wJalrXUtnFEMI"
  expect_no_out "AKIAIOSFODNN7EXAMPLE"
}

test_local_values_win_and_a_remote_may_live_only_here() {
  new_repo
  mkdir -p ../shared-store.$current_test ../my-store.$current_test
  mlops remote add shared ../shared-store.$current_test --default > /dev/null 2>&1
  run mlops remote modify shared url ../my-store.$current_test --local
  expect_rc 0
  run mlops remote list --json
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["url"]')" "../my-store.$current_test"
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["sources"]["url"]')" ".mlops/config.local.yaml"
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  run mlops data push
  expect_rc 0
  [[ -n "$(ls ../my-store.$current_test)" ]] || fail "push did not go to the local url"
  [[ -z "$(ls ../shared-store.$current_test)" ]] || fail "push went to the committed url"
  # --unset --local removes only this machine's override: the committed url applies again.
  local committed; committed=$(config_sum)
  run mlops remote modify shared url --unset --local
  expect_rc 0
  expect_err "the committed url '../shared-store.$current_test' applies again"
  expect_eq "$(config_sum)" "$committed"
  grep -q "url:" .mlops/config.local.yaml && fail "the local url override is still there"
  run mlops remote list --json
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["url"]')" "../shared-store.$current_test"
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["sources"]["url"]')" ".mlops/config.yaml"
  # Nothing left to unset there; the committed url itself is never unset; nothing changes.
  local both; both=$(cat .mlops/config.yaml .mlops/config.local.yaml 2> /dev/null | md5sum)
  run mlops remote modify shared url --unset --local
  expect_rc 2
  expect_err "remote 'shared' has no url in .mlops/config.local.yaml to unset"
  run mlops remote modify shared url --unset
  expect_rc 2
  expect_err "a remote cannot lose its url"
  expect_eq "$(cat .mlops/config.yaml .mlops/config.local.yaml 2> /dev/null | md5sum)" "$both"
  mlops remote modify shared url ../my-store.$current_test --local > /dev/null 2>&1
  # A remote on this machine only; remove forgets it from both files.
  local before; before=$(config_sum)
  run mlops remote add mine ../my-store.$current_test --local
  expect_rc 0
  expect_eq "$(config_sum)" "$before"
  # Its url is only here: unsetting it would leave no url.
  run mlops remote modify mine url --unset --local
  expect_rc 2
  expect_err "a remote cannot lose its url (remote 'mine' has no url in .mlops/config.yaml)"
  expect_err "mlops remote remove mine"
  git check-ignore -q .mlops/config.local.yaml || fail "config.local.yaml is not git-ignored"
  grep -q mine .mlops/config.yaml && fail "a --local remote went into the committed config"
  run mlops remote remove shared
  expect_rc 0
  grep -q shared .mlops/config.yaml .mlops/config.local.yaml && fail "shared is still configured"
  true
}

test_environment_overrides_url_and_default() {
  new_repo
  mkdir -p ../a.$current_test ../b.$current_test ../ci.$current_test
  mlops remote add a ../a.$current_test --default > /dev/null 2>&1
  mlops remote add b-store ../b.$current_test > /dev/null 2>&1
  local before; before=$(config_sum)
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  # MLOPS_REMOTE_<NAME>_URL: the name in capitals, '-' and '.' as '_'.
  MLOPS_REMOTE_B_STORE_URL="$TEST_ROOT/ci.$current_test" run mlops remote list --json
  expect_eq "$(echo "$out" | json_get '["remotes"][1]["sources"]["url"]')" "MLOPS_REMOTE_B_STORE_URL"
  MLOPS_DEFAULT_REMOTE=b-store MLOPS_REMOTE_B_STORE_URL="$TEST_ROOT/ci.$current_test" run mlops data push
  expect_rc 0
  [[ -n "$(ls ../ci.$current_test)" ]] || fail "push did not follow the environment"
  [[ -z "$(ls ../a.$current_test)$(ls ../b.$current_test)" ]] || fail "push went to a configured url"
  MLOPS_DEFAULT_REMOTE=b-store run mlops remote list
  expect_out "default from MLOPS_DEFAULT_REMOTE"
  MLOPS_DEFAULT_REMOTE=nope run mlops data push
  expect_rc 2
  expect_err "unknown remote 'nope' (the default remote, from MLOPS_DEFAULT_REMOTE)"
  # Other settings too: MLOPS_REMOTE_<NAME>_<KEY>.
  MLOPS_REMOTE_A_JOBS=3 run mlops remote list
  expect_out "jobs = 3  (MLOPS_REMOTE_A_JOBS)"
  expect_eq "$(config_sum)" "$before"
  expect_no_file .mlops/config.local.yaml
}

test_status_remote_says_what_the_remote_lacks() {
  new_repo
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create --default > /dev/null 2>&1
  echo one > a.txt && mlops data add a.txt > /dev/null 2>&1
  mlops data push > /dev/null 2>&1
  mkdir d && echo 1 > d/1 && echo 2 > d/2 && mlops data add d > /dev/null 2>&1
  run mlops data status --remote store
  expect_rc 0
  expect_out "not pushed:"
  expect_out "d (3 of 3 objects not on remote 'store')"
  expect_no_out "a.txt ("
  run mlops data status --remote store --json --exit-code
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["remote"]["missing"][0]["path"]')" "d"
  expect_eq "$(echo "$out" | json_get '["remote"]["missing"][0]["not_on_remote"]')" "3"
  mlops data push > /dev/null 2>&1
  run mlops data status --remote store --verify --exit-code
  expect_rc 0
  expect_out "Remote 'store' has every object of the 2 tracked."
  run mlops data status --remote nope
  expect_rc 2
  expect_err "unknown remote 'nope'"
}

# --- issue 19.7: shared remotes and corrupt objects -----------------------------------------------

test_shared_group_remote_makes_group_writable_setgid_folders() {
  new_repo
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create --default > /dev/null 2>&1
  run mlops remote modify store shared group
  expect_rc 0
  run mlops remote modify store shared everyone
  expect_rc 2
  expect_err "shared takes group"
  mkdir -p d && for i in 1 2 3; do echo "$i" > "d/$i"; done
  mlops data add d > /dev/null 2>&1
  (umask 077 && mlops data push > /dev/null 2>&1) || fail "push"
  local dirs; dirs=$(find "$store" -mindepth 1 -type d -printf '%m\n' | sort -u)
  expect_eq "$dirs" "2775"
  local files; files=$(find "$store" -type f -printf '%m\n' | sort -u)
  expect_eq "$files" "444"
  # Without the setting, folders follow the umask as before.
  local plain="$TEST_ROOT/plain.$current_test"
  mlops remote add plain "$plain" --create > /dev/null 2>&1
  (umask 022 && mlops data push --remote plain > /dev/null 2>&1) || fail "push plain"
  expect_eq "$(find "$plain" -mindepth 1 -type d -printf '%m\n' | sort -u)" "755"
}

test_corrupt_object_on_a_path_remote_is_moved_aside_and_replaced_by_the_next_push() {
  new_repo
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create --default > /dev/null 2>&1
  echo "good bytes" > a.txt && mlops data add a.txt > /dev/null 2>&1
  git add a.txt.mlops .gitignore .mlops && git commit -qm data
  mlops data push > /dev/null 2>&1 || fail "push"
  local h; h=$(hash_in a.txt.mlops); h=${h#xxh3:}
  chmod u+w "$store/${h:0:2}/${h:2}" && echo "bad bytes" > "$store/${h:0:2}/${h:2}"
  # A second clone, with no cache, pulls: refused, moved aside, exit 3, the hint says what fixes it.
  local clone="$TEST_ROOT/clone.$current_test"
  git clone -q . "$clone" && cd "$clone" || fail "clone"
  run mlops data pull
  expect_rc 3
  expect_err "object xxh3:$h on remote '$store' is corrupt"
  expect_err "moved aside on the remote to '$store/.corrupt/$h."
  expect_err "hint: run 'mlops data push --verify' in a clone that has a good copy"
  expect_no_file a.txt
  expect_no_file "$store/${h:0:2}/${h:2}"
  [[ -z "$(find .mlops/cache -type f 2>/dev/null)" ]] || fail "a corrupt object entered the cache"
  # The first clone has a good copy: its push --verify replaces it, as the hint says.
  cd "$OLDPWD" || fail "back"
  run mlops data push --verify --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "1"
  cd "$clone" || fail "clone"
  run mlops data pull
  expect_rc 0
  expect_eq "$(cat a.txt)" "good bytes"
}

# --- a new user's trial of remotes ---------------------------------------------------------------

# --jobs N on push, pull and fetch: 1 to 512, else exit 2 before anything moves.
test_jobs_option_is_checked_on_push_pull_and_fetch() {
  new_repo
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create --default > /dev/null 2>&1
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  local verb
  for verb in push pull fetch; do
    run mlops data "$verb" --jobs 0
    expect_rc 2
    expect_err "--jobs must be from 1 to 512, not 0"
    run mlops data "$verb" -j 513
    expect_rc 2
    expect_err "--jobs must be from 1 to 512, not 513"
    run mlops data "$verb" --jobs many
    expect_rc 2
    run mlops data "$verb" --help
    expect_out "--jobs"
    expect_out "mlops data $verb --jobs"
  done
  [[ -z "$(ls "$store")" ]] || fail "a refused push sent something"
  run mlops data push --jobs 4
  expect_rc 0
  # --jobs wins over the remote's own setting, even a bad one from the environment.
  MLOPS_REMOTE_STORE_JOBS=0 run mlops data fetch --jobs 2
  expect_rc 0
}

# A value from the environment that the remote cannot use names the variable, once, and says to
# correct or unset it (not `remote modify`, which cannot change the environment).
test_environment_override_errors_name_the_variable() {
  new_repo
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create --default > /dev/null 2>&1
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  MLOPS_REMOTE_STORE_JOBS=0 run mlops data push
  expect_rc 2
  expect_err "remote 'store': MLOPS_REMOTE_STORE_JOBS='0' is not a valid jobs value"
  expect_err "hint: jobs takes transfers in flight at once, 1 to 512: correct or unset MLOPS_REMOTE_STORE_JOBS"
  [[ "$err" != *"'jobs' 'jobs'"* ]] || fail "the key is named twice: $err"
  [[ "$err" != *"remote modify"* ]] || fail "the hint sends to remote modify: $err"
  MLOPS_REMOTE_STORE_URL=http://example.com/x run mlops data push
  expect_rc 2
  expect_err "(the url of remote 'store', from MLOPS_REMOTE_STORE_URL)"
  expect_err "hint: correct or unset MLOPS_REMOTE_STORE_URL"
  MLOPS_REMOTE_STORE_URL="$TEST_ROOT/nowhere.$current_test" run mlops data push
  expect_rc 3
  expect_err "(its url comes from MLOPS_REMOTE_STORE_URL)"
  expect_err "hint: mount it, or correct or unset MLOPS_REMOTE_STORE_URL"
  MLOPS_REMOTE_STORE_REGION=eu-west-1 run mlops data push
  expect_rc 2
  expect_err "MLOPS_REMOTE_STORE_REGION is set, but region is a setting of S3 remotes"
  expect_err "hint: unset MLOPS_REMOTE_STORE_REGION"
  # A bad value in a file names the file and the command that fixes it.
  mlops remote modify store jobs 5 > /dev/null 2>&1
  sed -i 's/jobs: 5/jobs: 0/' .mlops/config.yaml
  run mlops data push
  expect_rc 2
  expect_err "remote 'store': invalid value '0' for jobs in .mlops/config.yaml"
  expect_err "mlops remote modify store jobs VALUE"
}

test_status_remote_without_a_name_uses_the_default_remote() {
  new_repo
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add store "$store" --create --default > /dev/null 2>&1
  echo one > a.txt && mlops data add a.txt > /dev/null 2>&1
  run mlops data status --remote
  expect_rc 0
  expect_out "a.txt (1 of 1 object not on remote 'store')"
  run mlops data status --remote --json --exit-code
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["remote"]["name"]')" "store"
  run mlops data status --remote --verify --exit-code --json
  expect_rc 1
  mlops data push > /dev/null 2>&1
  run mlops data status -r --exit-code
  expect_rc 0
  expect_out "Remote 'store' has every object of the 1 tracked."
}

test_misspelt_remote_names_get_did_you_mean() {
  new_repo
  local store="$TEST_ROOT/store.$current_test"
  mlops remote add storage "$store" --create --default > /dev/null 2>&1
  echo one > a.txt && mlops data add a.txt > /dev/null 2>&1
  local command
  for command in "data push" "data pull" "data fetch" "data status" "data gc" "runs push" "runs pull"; do
    # shellcheck disable=SC2086
    run mlops $command -r storag
    expect_rc 2
    expect_err "unknown remote 'storag'"
    expect_err "hint: did you mean 'storage'?"
  done
  run mlops model get churn@v0.0.1 --remote storag
  expect_rc 2
  expect_err "did you mean 'storage'?"
  MLOPS_DEFAULT_REMOTE=storge run mlops data push
  expect_rc 2
  expect_err "unknown remote 'storge' (the default remote, from MLOPS_DEFAULT_REMOTE)"
  expect_err "did you mean 'storage'?"
  [[ -z "$(ls "$store")" ]] || fail "something was pushed"
}

# Without --local, a remote's values go to the file the remote lives in: a remote of this machine
# only never leaks into the committed config; a committed one is changed in the committed file.
test_modify_writes_where_the_remote_lives() {
  new_repo
  mkdir -p "$TEST_ROOT/mine.$current_test" "$TEST_ROOT/team.$current_test"
  mlops remote add team "$TEST_ROOT/team.$current_test" --default > /dev/null 2>&1
  mlops remote add mine "$TEST_ROOT/mine.$current_test" --local > /dev/null 2>&1
  local committed; committed=$(config_sum)
  run mlops remote modify mine jobs 4
  expect_rc 0
  expect_err "set jobs of remote 'mine' to 4 in .mlops/config.local.yaml (the remote is on this machine only)"
  expect_eq "$(config_sum)" "$committed"
  grep -q "mine" .mlops/config.yaml && fail "the local remote leaked into the committed config"
  grep -q "jobs: 4" .mlops/config.local.yaml || fail "jobs is not in the local config"
  run mlops remote modify mine jobs --unset
  expect_rc 0
  expect_err "unset jobs of remote 'mine' in .mlops/config.local.yaml"
  expect_eq "$(config_sum)" "$committed"
  # The committed remote: the committed file, as before.
  run mlops remote modify team jobs 8
  expect_rc 0
  expect_err "in .mlops/config.yaml"
  grep -q "jobs: 8" .mlops/config.yaml || fail "jobs of the committed remote is not committed"
  grep -q "jobs" .mlops/config.local.yaml && fail "jobs of the committed remote went to the local file"
  true
}

# As `git config --unset` of a key that is not there: an error (git: 5; here 2, bad input),
# nothing changes, and the hint says where the value is, if anywhere.
test_unset_of_a_setting_that_is_not_set_says_so() {
  new_repo
  mkdir -p "$TEST_ROOT/s.$current_test"
  mlops remote add store "$TEST_ROOT/s.$current_test" --default > /dev/null 2>&1
  local before; before=$(config_sum)
  run mlops remote modify store jobs --unset
  expect_rc 2
  expect_err "jobs of remote 'store' is not set in .mlops/config.yaml; nothing to unset"
  [[ "$err" != *"unset jobs of remote"* ]] || fail "it claims to have unset it: $err"
  mlops remote modify store jobs 3 --local > /dev/null 2>&1
  run mlops remote modify store jobs --unset
  expect_rc 2
  expect_err "hint: it is set in .mlops/config.local.yaml: add --local"
  MLOPS_REMOTE_STORE_SHARED=group run mlops remote modify store shared --unset
  expect_rc 2
  expect_err "hint: its value comes from the environment: unset MLOPS_REMOTE_STORE_SHARED"
  expect_eq "$(config_sum)" "$before"
  run mlops remote modify store jobs --unset --local
  expect_rc 0
  expect_err "unset jobs of remote 'store' in .mlops/config.local.yaml"
}

# remote add/modify/remove edit the remotes section in place: the file's comments, order and block
# style stay as written.
test_remote_edits_keep_the_config_comments_and_block_style() {
  new_repo
  local a="$TEST_ROOT/a.$current_test" b="$TEST_ROOT/b.$current_test"
  mkdir -p "$a" "$b"
  printf '%s\n' "# Team settings: read docs/remotes.md before changing." "version: 1" "cache:" \
    "  # copy keeps the workspace writable" "  link: copy" "# Data remotes: mlops remote add NAME URL" \
    "remotes: {}  # none yet" "registry:" "  # who may promote: see CODEOWNERS" \
    "  stages: [dev, staging, production]" > .mlops/config.yaml
  run mlops remote add storage "$a" --default
  expect_rc 0
  mlops remote add backup "$b" > /dev/null 2>&1 || fail "add backup"
  mlops remote modify storage jobs 8 > /dev/null 2>&1 || fail "modify"
  expect_eq "$(cat .mlops/config.yaml)" "$(printf '%s\n' "# Team settings: read docs/remotes.md before changing." \
    "version: 1" "cache:" "  # copy keeps the workspace writable" "  link: copy" \
    "# Data remotes: mlops remote add NAME URL" "remotes:  # none yet" "  storage:" "    url: $a" \
    "    default: true" "    jobs: 8" "  backup:" "    url: $b" "registry:" "  # who may promote: see CODEOWNERS" \
    "  stages: [dev, staging, production]")"
  # A comment of the user's inside the section stays too; the edits keep to their lines.
  sed -i 's|^  backup:|  # the nightly copy\n  backup:|; s|^    jobs: 8|    jobs: 8  # a fast link|' .mlops/config.yaml
  mlops remote modify storage jobs 16 > /dev/null 2>&1 || fail "modify again"
  grep -q "^    jobs: 16  # a fast link$" .mlops/config.yaml || fail "the value's comment is gone: $(cat .mlops/config.yaml)"
  mlops remote add other "$b" --default > /dev/null 2>&1 || fail "add other"
  grep -q "# the nightly copy" .mlops/config.yaml || fail "a comment in the section is gone"
  run mlops remote list --json
  expect_eq "$(echo "$out" | json_get '["remotes"][2]["default"]')" "True"
  expect_eq "$(echo "$out" | json_get '["remotes"][0]["default"]')" "False"
  mlops remote remove backup > /dev/null 2>&1 || fail "remove"
  grep -q "nightly" .mlops/config.yaml && fail "the removed remote's comment stayed"
  mlops remote remove storage > /dev/null 2>&1 && mlops remote remove other > /dev/null 2>&1 || fail "remove all"
  grep -q "^remotes: {}  # none yet$" .mlops/config.yaml || fail "the empty section: $(cat .mlops/config.yaml)"
  grep -q "^  # who may promote: see CODEOWNERS$" .mlops/config.yaml || fail "a comment elsewhere is gone"
  # The config `mlops init` writes: its comments kept, the remote in block style.
  new_repo
  local fresh; fresh=$(cat .mlops/config.yaml)
  run mlops remote add storage "$a"
  expect_rc 0
  expect_eq "$err" "$(printf '%s\n' "added remote 'storage' ($a) as the default" "hint: commit the setting: git add .mlops/config.yaml")"
  grep -q "^  storage:$" .mlops/config.yaml || fail "not block style: $(cat .mlops/config.yaml)"
  expect_eq "$(grep -c '^ *#' .mlops/config.yaml)" "$(echo "$fresh" | grep -c '^ *#')"
}

# This machine's file may hold credentials: only its owner may read it.
test_local_config_is_created_readable_by_its_owner_only() {
  new_repo
  mkdir -p "$TEST_ROOT/s.$current_test"
  mlops remote add store "$TEST_ROOT/s.$current_test" --local > /dev/null 2>&1 || fail "add --local"
  expect_eq "$(stat -c %a .mlops/config.local.yaml)" "600"
  chmod 644 .mlops/config.local.yaml
  mlops remote modify store jobs 2 --local > /dev/null 2>&1 || fail "modify --local"
  expect_eq "$(stat -c %a .mlops/config.local.yaml)" "600"
}

# `model ... --push` to a git origin that is a repository with a work tree (libgit2 pushes only to
# bare ones on the local disk) says what to do.
test_push_to_a_non_bare_git_origin_has_a_hint() {
  new_repo
  local origin; origin=$(pwd)
  git commit -q --allow-empty -m init
  local clone="$TEST_ROOT/clone.$current_test"
  git clone -q . "$clone" && cd "$clone" || fail "clone"
  mlops init > /dev/null 2>&1
  echo weights > model.bin
  mlops remote add store "$TEST_ROOT/store.$current_test" --create --default > /dev/null 2>&1
  printf 'model.bin\n' > .gitignore && git add -A && git commit -qm setup
  run mlops model register churn --path model.bin --push
  expect_rc 3
  expect_err "is not a bare repository"
  expect_err "git push origin --tags"
}

run_tests "${1:-.}"
