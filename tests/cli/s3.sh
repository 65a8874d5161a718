#!/usr/bin/env bash
# S3 remotes end to end, against real local servers (moto with IAM enforcing signatures, and
# s3rver), each started and stopped by tests/s3/with-servers.sh on 127.0.0.1. Without either
# server the suite exits 77 (skipped) after saying why.
if [[ -z "${MLOPS_S3_ENDPOINT:-}" ]]; then
  exec bash "$(dirname "$0")/../s3/with-servers.sh" bash "$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
export PATH="$(cd "$(dirname "$MLOPS")" && pwd):$PATH"  # the git hooks call mlops by name

hash_in() { sed -n 's/^hash: //p' "$1"; }
tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 md5sum); }
# The aws CLI against the test server (moto refuses '%2F' in a query: list with prefixes without '/').
aws_s3() { aws --endpoint-url "$MLOPS_S3_ENDPOINT" "$@"; }

# s3_repo: a fresh repository whose default remote is a fresh prefix of the test bucket.
s3_repo() {
  new_repo
  S3_PREFIX="$current_test-$RANDOM$RANDOM"
  mlops remote add s3 "s3://$MLOPS_S3_BUCKET/$S3_PREFIX" --default > /dev/null 2>&1 || fail "remote add"
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1 || fail "remote modify"
}

test_round_trip_files_folders_and_multipart() {
  s3_repo
  mlops remote modify s3 multipart_threshold 5MiB > /dev/null 2>&1
  mlops remote modify s3 multipart_chunksize 5MiB > /dev/null 2>&1
  mkdir -p images
  for i in $(seq 1 5001); do echo "image $i" > "images/$i.txt"; done
  head -c 12000000 /dev/urandom > big.bin
  echo "a,b" > small.csv
  mlops data add images big.bin small.csv > /dev/null 2>&1 || fail "data add"
  local sums; sums=$(tree_sum images; md5sum big.bin small.csv)
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "5004"  # 5001 files, their manifest, 2 files
  # Nothing new: no request at all (the objects are known to be there).
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "0"
  expect_eq "$(echo "$out" | json_get '["requests"]')" "0"
  # --verify asks the remote again (LIST of the 256 folders, not 5,004 HEADs).
  run mlops data push --verify --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["skipped"]')" "5004"
  (($(echo "$out" | json_get '["requests"]') <= 300)) || fail "verify sent too many requests: $out"
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* .mlops/remotes.db images big.bin small.csv
  run mlops data pull --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "5004"
  expect_eq "$(tree_sum images; md5sum big.bin small.csv)" "$sums"
  run mlops data verify
  expect_rc 0
}

test_layout_is_readable_and_writable_by_the_aws_cli() {
  s3_repo
  echo "hello from mlops" > a.txt
  mlops data add a.txt > /dev/null 2>&1
  mlops data push > /dev/null 2>&1 || fail "push"
  local h; h=$(hash_in a.txt.mlops); h=${h#xxh3:}
  # What mlops pushes, the aws CLI reads, at the cache's layout.
  run aws_s3 s3api list-objects-v2 --bucket "$MLOPS_S3_BUCKET" --prefix "$S3_PREFIX" --query 'Contents[].Key' --output text
  expect_out "$S3_PREFIX/${h:0:2}/${h:2}"
  aws_s3 s3 cp "s3://$MLOPS_S3_BUCKET/$S3_PREFIX/${h:0:2}/${h:2}" "$TEST_ROOT/got.$current_test" > /dev/null 2>&1 ||
    fail "aws s3 cp could not read the object"
  cmp -s "$TEST_ROOT/got.$current_test" a.txt || fail "the object's bytes differ"
  # What the aws CLI puts under the layout, mlops pulls and verifies.
  echo "made elsewhere" > b.txt
  mlops data add b.txt > /dev/null 2>&1
  local hb; hb=$(hash_in b.txt.mlops); hb=${hb#xxh3:}
  aws_s3 s3 cp b.txt "s3://$MLOPS_S3_BUCKET/$S3_PREFIX/${hb:0:2}/${hb:2}" > /dev/null 2>&1 || fail "aws s3 cp put"
  cp b.txt "$TEST_ROOT/b.$current_test"
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* b.txt
  run mlops data pull b.txt
  expect_rc 0
  cmp -s b.txt "$TEST_ROOT/b.$current_test" || fail "pulled bytes differ"
}

test_credentials_and_bad_remotes_are_exit_3_or_2() {
  s3_repo
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  # moto checks every signature against the keys its IAM knows (s3rver accepts any secret).
  if [[ "$MLOPS_S3_SERVER" == moto ]]; then
    AWS_SECRET_ACCESS_KEY=not-the-secret run mlops data push
    expect_rc 3
    expect_err "environment"
    [[ "$err" != *"not-the-secret"* ]] || fail "the secret was printed: $err"
  fi
  run mlops data push --remote nope
  expect_rc 2
  expect_err "unknown remote 'nope'"
  run mlops remote add bad s3://Not_A_Bucket
  expect_rc 2
  expect_err "malformed S3 URL"
  mlops remote add missing s3://no-such-bucket-$RANDOM > /dev/null 2>&1
  mlops remote modify missing endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  run mlops data push --remote missing
  expect_rc 3
  expect_err "bucket"
  # An endpoint where nothing listens: exit 3 after the retries, saying how long it tried.
  mlops remote add down "s3://$MLOPS_S3_BUCKET/x" > /dev/null 2>&1
  mlops remote modify down endpoint_url http://127.0.0.1:9 --local > /dev/null 2>&1
  mlops remote modify down max_retries 1 > /dev/null 2>&1
  mlops remote modify down connect_timeout 1 > /dev/null 2>&1
  run timeout 60 "$MLOPS" data push --remote down
  expect_rc 3
  expect_err "127.0.0.1:9"
  [[ "$err" =~ [0-9]+(\.[0-9]+)?\ ?s ]] || fail "the time waited is not said: $err"
  # With the default settings, a refused connection is retried twice, quickly: exit 3 within
  # about a second (2 s asked; 4 s allowed for a loaded machine), saying how long it tried.
  mlops remote modify down max_retries --unset > /dev/null 2>&1
  mlops remote modify down connect_timeout --unset > /dev/null 2>&1
  local start; start=$(date +%s%N)
  run timeout 60 "$MLOPS" data push --remote down
  local took=$((($(date +%s%N) - start) / 1000000))
  expect_rc 3
  expect_err "cannot reach http://127.0.0.1:9 for remote 'down'"
  expect_err "gave up after 3 attempts over"
  ((took < 4000)) || fail "an unreachable endpoint took $took ms with the default settings"
}

# A remote's own keys (.mlops/config.local.yaml, MLOPS_REMOTE_<NAME>_*) come before the AWS ones
# and are really used to sign (moto refuses a wrong one).
test_remote_credentials_from_local_config_and_environment() {
  s3_repo
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  local id=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY token=${AWS_SESSION_TOKEN:-}
  mlops remote modify s3 access_key_id "$id" --local > /dev/null 2>&1 || fail "modify access_key_id"
  mlops remote modify s3 secret_access_key "$secret" --local > /dev/null 2>&1 || fail "modify secret"
  if [[ -n "$token" ]]; then mlops remote modify s3 session_token "$token" --local > /dev/null 2>&1; fi
  run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN HOME="$TEST_ROOT" "$MLOPS" data push
  expect_rc 0
  expect_err ""
  grep -q "$secret" .mlops/config.yaml && fail "the secret reached the committed config"
  mlops remote modify s3 access_key_id --unset --local > /dev/null 2>&1
  mlops remote modify s3 secret_access_key --unset --local > /dev/null 2>&1
  mlops remote modify s3 session_token --unset --local > /dev/null 2>&1
  rm -f .mlops/remotes.db
  run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN HOME="$TEST_ROOT" \
    MLOPS_REMOTE_S3_ACCESS_KEY_ID="$id" MLOPS_REMOTE_S3_SECRET_ACCESS_KEY="$secret" \
    MLOPS_REMOTE_S3_SESSION_TOKEN="$token" "$MLOPS" data push --verify
  expect_rc 0
  if [[ "$MLOPS_S3_SERVER" == moto ]]; then
    run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN HOME="$TEST_ROOT" \
      MLOPS_REMOTE_S3_ACCESS_KEY_ID="$id" MLOPS_REMOTE_S3_SECRET_ACCESS_KEY=not-the-secret "$MLOPS" data push --verify
    expect_rc 3
    expect_err "MLOPS_REMOTE_S3_ACCESS_KEY_ID"
    [[ "$err" != *"not-the-secret"* ]] || fail "the secret was printed: $err"
  fi
  run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE HOME="$TEST_ROOT" "$MLOPS" data push --verify
  expect_rc 3
  expect_err "access_key_id"
}

test_corrupt_object_is_never_placed_and_the_next_push_replaces_it() {
  s3_repo
  echo "good bytes" > a.txt && mlops data add a.txt > /dev/null 2>&1
  mlops data push > /dev/null 2>&1 || fail "push"
  local h; h=$(hash_in a.txt.mlops); h=${h#xxh3:}
  echo "bad bytes" > "$TEST_ROOT/bad.$current_test"
  aws_s3 s3 cp "$TEST_ROOT/bad.$current_test" "s3://$MLOPS_S3_BUCKET/$S3_PREFIX/${h:0:2}/${h:2}" > /dev/null 2>&1
  mv .mlops/cache "$TEST_ROOT/cache.$current_test" && mkdir .mlops/cache && rm a.txt
  run mlops data pull
  expect_rc 3
  expect_err "is corrupt"
  expect_err "moved aside on the remote"
  expect_err "hint: run 'mlops data push --verify' in a clone that has a good copy"
  expect_no_file a.txt
  [[ -z "$(find .mlops/cache -type f)" ]] || fail "a corrupt object entered the cache"
  # The clone with a good copy pushes; then the pull works.
  rm -rf .mlops/cache && mv "$TEST_ROOT/cache.$current_test" .mlops/cache
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "1"
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* a.txt
  run mlops data pull
  expect_rc 0
  expect_eq "$(cat a.txt)" "good bytes"
}

test_push_and_pull_through_a_faulty_proxy_complete() {
  s3_repo
  mlops remote modify s3 endpoint_url "$MLOPS_S3_PROXY" --local > /dev/null 2>&1
  mkdir -p d && for i in $(seq 1 300); do echo "row $i" > "d/$i"; done
  mlops data add d > /dev/null 2>&1
  local sums; sums=$(tree_sum d)
  run mlops data push
  expect_rc 0
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* d
  run mlops data pull
  expect_rc 0
  expect_eq "$(tree_sum d)" "$sums"
  run mlops data verify
  expect_rc 0
}

# Killed in the middle of a push, the server restarts and the rerun completes; nothing half-
# written is served. s3rver keeps its objects on disk across a restart (moto does not).
test_server_killed_mid_push_then_rerun_is_consistent() {
  [[ "$MLOPS_S3_SERVER" == s3rver ]] || return 0
  local bin; bin=$(ls "${MLOPS_S3_NPM_DIR:-${TMPDIR:-/tmp}}"/mlops-s3-npm-*/node_modules/.bin/s3rver 2>/dev/null | head -1)
  [[ -x "$bin" ]] || { fail "s3rver binary not found"; return; }
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local dir="$TEST_ROOT/s3rver.$current_test"; mkdir -p "$dir"
  start() {
    NODE_OPTIONS=--openssl-legacy-provider "$bin" --directory "$dir" --address 127.0.0.1 --port "$port" \
      --configure-bucket mlops-tests > "$dir.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
    return 1
  }
  start || { fail "own s3rver did not start"; return; }
  s3_repo
  mlops remote modify s3 endpoint_url "http://127.0.0.1:$port" --local > /dev/null 2>&1
  mlops remote modify s3 max_retries 1 > /dev/null 2>&1
  mkdir -p d && for i in $(seq 1 1500); do echo "row $i" > "d/$i"; done
  mlops data add d > /dev/null 2>&1
  local sums; sums=$(tree_sum d)
  "$MLOPS" data push > /dev/null 2>&1 &
  local pusher=$!
  sleep 2
  kill -9 "$server"; wait "$server" 2>/dev/null
  wait "$pusher"; local first=$?
  # s3rver writes an object's bytes, then its .md5, then its metadata, none atomically: killed in
  # between, it keeps a truncated file that fails every later listing of that folder (HTTP 500).
  # Real S3 and MinIO publish an object whole or not at all, so the store is put back to that
  # state (objects whose metadata is missing or cut short are removed) before the rerun.
  python3 - "$dir" <<'PY'
import json, os, sys
for root, _, files in os.walk(sys.argv[1]):
    for name in files:
        if not name.endswith("._S3rver_object"):
            continue
        base = os.path.join(root, name[: -len("object")])
        try:
            json.load(open(base + "metadata.json"))
            md5 = open(base + "object.md5").read() if os.path.exists(base + "object.md5") else "x" * 32
            if len(md5) == 32:
                continue
        except (OSError, ValueError):
            pass
        for suffix in ("object", "object.md5", "metadata.json"):
            if os.path.exists(base + suffix):
                os.remove(base + suffix)
PY
  start || { fail "own s3rver did not restart"; return; }
  run mlops data push --json
  expect_rc 0
  kill "$server"; wait "$server" 2>/dev/null; start || { fail "restart"; return; }
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* .mlops/remotes.db d
  run mlops data pull
  expect_rc 0
  expect_eq "$(tree_sum d)" "$sums"
  kill "$server"; wait "$server" 2>/dev/null
  [[ $first != 0 ]] || echo "  note: the first push finished before the server was killed" >&2
}

test_model_get_and_pre_push_hook_with_an_s3_default_remote() {
  s3_repo
  printf '*.bin\n' > .gitignore
  git add .gitignore .mlops && git commit -qm init
  local origin="$TEST_ROOT/origin.$current_test.git"
  git init -q --bare "$origin" && git remote add origin "$origin"
  mlops hooks install > /dev/null 2>&1 || fail "hooks install"
  echo "rows" > data.csv && mlops data add data.csv > /dev/null 2>&1
  git add data.csv.mlops .gitignore .gitattributes && git commit -qm data  # hooks install declares the merge rules
  # The pre-push hook sends the data to the S3 default remote.
  run git push -q origin HEAD:main
  expect_rc 0
  local h; h=$(hash_in data.csv.mlops); h=${h#xxh3:}
  aws_s3 s3api head-object --bucket "$MLOPS_S3_BUCKET" --key "$S3_PREFIX/${h:0:2}/${h:2}" > /dev/null 2>&1 ||
    fail "the pre-push hook did not push the data to S3"
  # model get in a fresh clone fetches the artifact from S3.
  head -c 4096 /dev/urandom > model.bin
  mlops model register churn --path model.bin > /dev/null 2>&1 || fail "register"
  mlops data push > /dev/null 2>&1 || fail "push"
  git push -q origin HEAD:main --tags 2> /dev/null
  local clone="$TEST_ROOT/clone.$current_test"
  git clone -q "$origin" "$clone" && cd "$clone" || fail "clone"
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  run mlops model get churn@v0.0.1 --out got.bin
  expect_rc 0
  cmp -s got.bin "$OLDPWD/model.bin" || fail "model get brought other bytes"
}

# A pull killed with -9 leaves its temp files in .mlops/tmp/; the next pull removes them (their
# process is gone) and brings the data whole. A live process's temp file is never touched.
test_pull_killed_with_kill_9_leaves_nothing_after_the_rerun() {
  s3_repo
  mlops remote modify s3 jobs 4 > /dev/null 2>&1
  mkdir -p d && for i in $(seq 1 1500); do echo "row $i" > "d/$i"; done
  head -c 30000000 /dev/urandom > big.bin
  mlops data add d big.bin > /dev/null 2>&1 || fail "data add"
  local sums; sums=$(tree_sum d; md5sum big.bin)
  mlops data push > /dev/null 2>&1 || fail "push"
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* d big.bin
  "$MLOPS" data pull > /dev/null 2>&1 &
  local puller=$! seen=""
  for _ in $(seq 600); do
    seen=$(find .mlops/tmp -name ".download*" 2> /dev/null | head -1)
    [[ -n "$seen" ]] && break
    sleep 0.05
  done
  kill -9 "$puller"; wait "$puller" 2> /dev/null
  [[ -n "$seen" ]] || { fail "the pull made no temp file to be killed with"; return; }
  [[ -n "$(find .mlops/tmp -name '.download*')" ]] || fail "kill -9 left no temp file (nothing to test)"
  # A download of a live process (this shell) is not touched.
  sleep 300 &
  local live=$!
  # Named as that process would name it: ".download.HOST-PID-START.RANDOM.tmp", START from /proc.
  local live_start; live_start=$(sed 's/.*) //' "/proc/$live/stat" | awk '{print $20}')
  local live_temp; live_temp=".mlops/tmp/$(basename "$seen" | sed -E "s/-[0-9]+-[0-9]+\.([0-9a-f]+)\.tmp$/-$live-$live_start.\1.tmp/")"
  : > "$live_temp"
  run mlops data pull
  expect_rc 0
  expect_eq "$(find .mlops/tmp -name '.download*' | grep -v -- "-$live-")" ""
  expect_file "$live_temp"
  kill "$live"; wait "$live" 2> /dev/null
  expect_eq "$(tree_sum d; md5sum big.bin)" "$sums"
  run mlops data verify
  expect_rc 0
}

# `runs push` from one clone; `runs pull` and `repro` in a fresh clone that has only the git origin
# and the S3 remote (its endpoint set for this machine): the rebuilt model is bit-identical. The
# training is the quickstart's (examples/quickstart), made small.
test_runs_push_then_pull_and_repro_in_a_fresh_clone_through_s3() {
  local origin="$TEST_ROOT/origin.$current_test.git"
  git init -q --bare "$origin"
  s3_repo
  cp "$MLOPS_SOURCE_DIR"/examples/quickstart/{generate_data.py,train.py,params.yaml} . || fail "quickstart"
  sed -i 's/^epochs: .*/epochs: 40/' params.yaml
  mkdir data && python3 generate_data.py --seed 1 --rows 400 --out data/train.csv || fail "generate data"
  mlops data add data/train.csv > /dev/null 2>&1 || fail "data add"
  printf 'model.json\nrun.id\n' >> .gitignore
  git add -A && git commit -qm "churn model" && git remote add origin "$origin" && git push -q origin main
  mlops run --id-file run.id --params-file params.yaml --artifact model.json -- python3 train.py > /dev/null 2>&1 ||
    fail "training run"
  local id; id=$(cat run.id)
  local model_sum; model_sum=$(md5sum < model.json)
  run mlops data push
  expect_rc 0
  run mlops runs push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pushed"]')" "['$id']"
  aws_s3 s3api head-object --bucket "$MLOPS_S3_BUCKET" --key "$S3_PREFIX/runs/docs/$id.json" > /dev/null 2>&1 ||
    fail "the run document is not in the bucket"

  git clone -q "$origin" "$TEST_ROOT/fresh.$current_test" && cd "$TEST_ROOT/fresh.$current_test" || fail "clone"
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  expect_eq "$("$MLOPS" runs list --ids)" ""
  run mlops runs pull --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pulled"]')" "['$id']"
  run mlops runs pull --json  # a second pull is a no-op
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pulled"]')" "[]"
  run mlops repro "$id" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "bit-identical"
  # The artifact the repro compared with came from the bucket: the same bytes as the original.
  run mlops runs show "$id" --json
  local art; art=$(echo "$out" | json_get '["artifacts"][0]["hash"]' | sed 's/xxh3://')
  expect_eq "$(md5sum < ".mlops/cache/${art:0:2}/${art:2}")" "$model_sum"
}

# start_own_proxy [OPTIONS...]: a fault proxy of this test's own in front of the server (no
# faults unless OPTIONS ask), at $OWN_PROXY; its counts go to $OWN_PROXY_LOG when it is stopped.
start_own_proxy() {
  local port_file="$TEST_ROOT/proxy.$current_test.port"
  OWN_PROXY_LOG="$TEST_ROOT/proxy.$current_test.log"
  rm -f "$port_file"  # a proxy this test started before left its port there
  python3 "$MLOPS_SOURCE_DIR/tests/s3/fault_proxy.py" --upstream "$MLOPS_S3_ENDPOINT" --port-file "$port_file" \
    --rate 0 "$@" 2> "$OWN_PROXY_LOG" &
  OWN_PROXY_PID=$!
  for _ in $(seq 100); do [[ -s "$port_file" ]] && break; sleep 0.1; done
  [[ -s "$port_file" ]] || { fail "the test's own proxy did not start"; return 1; }
  OWN_PROXY=http://127.0.0.1:$(cat "$port_file")
}
stop_own_proxy() { kill "$OWN_PROXY_PID" 2> /dev/null; wait "$OWN_PROXY_PID" 2> /dev/null; }

# Run documents are created with If-None-Match: * (tests/unit/data/remote_s3_test.cpp races two
# writers); a server without conditional writes answers 501 NotImplemented (here a proxy that
# says so), and the documents are then written with a plain PUT: asked for once per process.
test_runs_push_without_conditional_writes_falls_back_to_a_plain_put() {
  s3_repo
  git commit -q --allow-empty -m init
  mlops run --id-file run.id --name plain -- true > /dev/null 2>&1 || fail "run"
  local id; id=$(cat run.id)
  start_own_proxy --no-conditional-writes || return
  mlops remote modify s3 endpoint_url "$OWN_PROXY" --local > /dev/null 2>&1
  run mlops runs push --json
  stop_own_proxy
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pushed"]')" "['$id']"
  grep -q "'refused': 1}" "$OWN_PROXY_LOG" || fail "expected exactly one refused conditional PUT: $(cat "$OWN_PROXY_LOG")"
  aws_s3 s3api head-object --bucket "$MLOPS_S3_BUCKET" --key "$S3_PREFIX/runs/docs/$id.json" > /dev/null 2>&1 ||
    fail "the run document is not on the remote"
  # And another clone of the remote reads it back.
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  mlops runs delete "$id" > /dev/null 2>&1 || fail "runs delete"
  run mlops runs pull --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pulled"]')" "['$id']"
}

# --- a new user's trial of S3 remotes --------------------------------------------------------------

# --jobs N is how many requests are in flight (counted by a proxy of the test's own), over the
# remote's `jobs` setting and its environment override; pull and fetch report their requests too.
test_jobs_option_sets_the_requests_in_flight() {
  s3_repo
  mkdir -p d && for i in $(seq 1 120); do echo "row $i" > "d/$i"; done
  mlops data add d > /dev/null 2>&1 || fail "data add"
  start_own_proxy || return
  mlops remote modify s3 endpoint_url "$OWN_PROXY" --local > /dev/null 2>&1
  MLOPS_REMOTE_S3_JOBS=16 run mlops data push --jobs 1 --json
  stop_own_proxy
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "121"
  grep -q "'most_at_once': 1," "$OWN_PROXY_LOG" || fail "--jobs 1 kept more in flight: $(cat "$OWN_PROXY_LOG")"
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* d
  start_own_proxy || return
  mlops remote modify s3 endpoint_url "$OWN_PROXY" --local > /dev/null 2>&1
  run mlops data fetch --jobs 3 --json
  stop_own_proxy
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "121"
  local most; most=$(sed -n "s/.*'most_at_once': \([0-9]*\),.*/\1/p" "$OWN_PROXY_LOG")
  ((most >= 2 && most <= 3)) || fail "--jobs 3 kept $most in flight"
  # The requests sent: one GET per object at least (the first HEADs or LISTs come before).
  (($(echo "$out" | json_get '["requests"]') >= 121)) || fail "fetch --json requests: $out"
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/*
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  run mlops data pull --json
  expect_rc 0
  (($(echo "$out" | json_get '["requests"]') >= 121)) || fail "pull --json requests: $out"
  run mlops data pull --json  # everything is here: no request
  expect_eq "$(echo "$out" | json_get '["requests"]')" "0"
  run mlops data push --jobs 0
  expect_rc 2
  expect_err "--jobs must be from 1 to 512, not 0"
}

# A bucket that does not exist: pull, fetch and model get fail as push does (exit 3, the bucket
# named, how to make it), never "the data is not on the remote" (exit 2).
test_missing_bucket_is_exit_3_for_pull_fetch_and_model_get() {
  s3_repo
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  head -c 1000 /dev/urandom > model.bin
  printf 'model.bin\n' >> .gitignore
  git add -A && git commit -qm data
  mlops model register churn --path model.bin > /dev/null 2>&1 || fail "register"
  local bucket="no-such-bucket-$RANDOM$RANDOM"
  mlops remote add missing "s3://$bucket/p" > /dev/null 2>&1
  mlops remote modify missing endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* a.txt model.bin
  local command
  for command in "data pull" "data fetch" "data fetch --models"; do
    # shellcheck disable=SC2086
    run mlops $command --remote missing
    expect_rc 3
    expect_err "bucket '$bucket' does not exist at $MLOPS_S3_ENDPOINT"
    expect_err "hint: create it (e.g. 'aws s3 mb s3://$bucket') or correct the remote's URL"
  done
  run mlops model get churn@v0.0.1 --remote missing --out got.bin
  expect_rc 3
  expect_err "bucket '$bucket' does not exist"
  expect_no_file got.bin
  expect_no_file a.txt
}

# The clone that pushed an object remembers the remote has it: after the bad copy is moved aside,
# a plain push there sends nothing, and `push --verify` (what the hint says) replaces it.
test_corrupt_object_hint_names_push_verify_which_replaces_it() {
  local origin="$TEST_ROOT/origin.$current_test.git"
  git init -q --bare "$origin"
  s3_repo
  echo "good bytes" > a.txt && mlops data add a.txt > /dev/null 2>&1
  git add -A && git commit -qm data && git remote add origin "$origin" && git push -q origin main
  mlops data push > /dev/null 2>&1 || fail "push"
  local first=$PWD h; h=$(hash_in a.txt.mlops); h=${h#xxh3:}
  echo "bad bytes" > "$TEST_ROOT/bad.$current_test"
  aws_s3 s3 cp "$TEST_ROOT/bad.$current_test" "s3://$MLOPS_S3_BUCKET/$S3_PREFIX/${h:0:2}/${h:2}" > /dev/null 2>&1
  git clone -q "$origin" "$TEST_ROOT/second.$current_test" && cd "$TEST_ROOT/second.$current_test" || fail "clone"
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  run mlops data pull
  expect_rc 3
  expect_err "is corrupt"
  expect_err "hint: run 'mlops data push --verify' in a clone that has a good copy"
  cd "$first" || fail "back"
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "0"  # why the hint says --verify
  run mlops data push --verify --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "1"
  cd "$TEST_ROOT/second.$current_test" || fail "second"
  run mlops data pull
  expect_rc 0
  expect_eq "$(cat a.txt)" "good bytes"
}

# A deleted bucket took every object with it: once a command has been told so, this clone forgets
# what it knew, and a push to the bucket created again sends everything, not only what is new.
test_push_to_a_recreated_bucket_sends_every_object() {
  local bucket="recreated-$RANDOM$RANDOM"
  aws_s3 s3 mb "s3://$bucket" > /dev/null 2>&1 || { fail "mb"; return; }
  new_repo
  mlops remote add s3 "s3://$bucket/p" --default > /dev/null 2>&1
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  mkdir d && for i in 1 2 3; do echo "file $i" > "d/$i"; done
  mlops data add d > /dev/null 2>&1
  run mlops data push --json
  expect_rc 0
  aws_s3 s3 rb "s3://$bucket" --force > /dev/null 2>&1 || { fail "rb"; return; }
  echo "file 4" > d/4 && mlops data add d > /dev/null 2>&1
  run mlops data push
  expect_rc 3
  expect_err "bucket '$bucket' does not exist"
  aws_s3 s3 mb "s3://$bucket" > /dev/null 2>&1 || { fail "mb again"; return; }
  run mlops data push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["objects"]')" "5"  # 4 files and the manifest, not only the 2 new
  run mlops data status --remote --verify
  expect_rc 0
  expect_out "Remote 's3' has every object"
  aws_s3 s3 rb "s3://$bucket" --force > /dev/null 2>&1
}

# What the remote lacks comes after the workspace's summary, never above an "up to date".
test_status_remote_prints_what_is_lacking_last() {
  s3_repo
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  run mlops data status --remote --verify
  expect_rc 0
  expect_out "not pushed:"
  [[ "$(printf '%s\n' "$out" | tail -1)" != *"up to date"* ]] || fail "'up to date' is the last line: $out"
  [[ "$out" == *"up to date"*"not pushed:"* ]] || fail "the workspace's summary is not first: $out"
}

test_url_mistakes_are_refused_with_the_way_out() {
  new_repo
  run mlops remote add spaced "s3://team-data/a b"
  expect_rc 2
  expect_err "its prefix has a space"
  run mlops remote add keyed "s3://team-data/AKIAIOSFODNN7EXAMPLE"
  expect_rc 2
  expect_err "refusing to write a secret"
  expect_err "MLOPS_REMOTE_KEYED_URL"
  [[ "$err" != *AWS_SECRET_ACCESS_KEY* ]] || fail "a URL's hint points at the AWS key variables: $err"
  expect_no_file .mlops/config.local.yaml
  run mlops remote list
  [[ "$out" != *keyed* && "$out" != *spaced* ]] || fail "a refused remote was added: $out"
}

# Ctrl-C during a push says what happened and what to do; the rerun finishes the job.
test_interrupted_push_says_so_and_the_rerun_finishes() {
  s3_repo
  mlops remote modify s3 jobs 1 > /dev/null 2>&1
  mlops remote modify s3 multipart_threshold 5242880 > /dev/null 2>&1
  mlops remote modify s3 multipart_chunksize 5242880 > /dev/null 2>&1
  head -c $((400 << 20)) /dev/urandom > big.bin && mlops data add big.bin > /dev/null 2>&1
  "$MLOPS" data push > "$TEST_ROOT/push.out" 2> "$TEST_ROOT/push.err" &
  local pusher=$!
  sleep 1
  kill -INT "$pusher" 2>/dev/null
  wait "$pusher"; local rc=$?
  if ((rc == 0)); then
    echo "  note: the push finished before it could be interrupted" >&2
  else
    # Ended by the signal, as from Ctrl-C, even as a background job whose SIGINT was ignored.
    expect_eq "$rc" "130"
    grep -q "interrupted; the uploads begun were aborted" "$TEST_ROOT/push.err" || fail "no word of the interruption: $(cat "$TEST_ROOT/push.err")"
    grep -q "hint: run the same command again" "$TEST_ROOT/push.err" || fail "no way on: $(cat "$TEST_ROOT/push.err")"
  fi
  run mlops data push
  expect_rc 0
  run mlops data status --remote --verify --exit-code
  expect_rc 0
}

# A bucket emptied behind this clone's back (no NoSuchBucket to tell it): a plain push says its
# "already there" comes from memory; a run published again is sent with its artifacts, asked
# about on the remote itself, so a fresh clone can pull it; a lost artifact is named with its run.
test_emptied_bucket_push_says_it_remembers_and_runs_go_with_their_artifacts() {
  local origin="$TEST_ROOT/origin.$current_test.git"
  git init -q --bare "$origin"
  s3_repo
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  echo "weights" > model.bin && echo model.bin >> .gitignore
  git add -A && git commit -qm init && git remote add origin "$origin" && git push -q origin main
  mlops run --id-file .mlops/run.id --artifact model.bin -- true > /dev/null 2>&1 || fail "run"
  local id; id=$(cat .mlops/run.id)
  mlops data push > /dev/null 2>&1 && mlops runs push > /dev/null 2>&1 || fail "push"
  # Every key under the prefix, deleted one by one (moto refuses the signature of aws s3 rm's listing).
  local key
  for key in $(aws_s3 s3api list-objects-v2 --bucket "$MLOPS_S3_BUCKET" --prefix "$S3_PREFIX" \
    --query 'Contents[].Key' --output text); do
    aws_s3 s3api delete-object --bucket "$MLOPS_S3_BUCKET" --key "$key" > /dev/null 2>&1 || fail "delete $key"
  done
  run mlops data push
  expect_rc 0
  expect_out "1 already there (as this machine remembers; --verify asks the remote)"
  run mlops runs push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pushed"]')" "['$id']"
  [[ "$(echo "$out" | json_get '["artifact_objects"]')" != 0 ]] || fail "the run went without its artifacts: $out"
  # Another clone pulls the run with its artifact.
  git clone -q "$origin" "$TEST_ROOT/fresh.$current_test" && cd "$TEST_ROOT/fresh.$current_test" || fail "clone"
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  run mlops runs pull "$id"
  expect_rc 0
  # The artifact lost again: the pull names the run, the artifact and the way out.
  local art; art=$("$MLOPS" runs show "$id" --json |
    python3 -c 'import json,sys; print([a["hash"] for a in json.load(sys.stdin)["artifacts"] if a["name"] == "model.bin"][0])')
  art=${art#xxh3:}
  git clone -q "$origin" "$TEST_ROOT/third.$current_test" && cd "$TEST_ROOT/third.$current_test" || fail "clone"
  mlops remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
  aws_s3 s3api delete-object --bucket "$MLOPS_S3_BUCKET" --key "$S3_PREFIX/${art:0:2}/${art:2}" > /dev/null 2>&1 ||
    fail "delete the artifact"
  run mlops runs pull "$id"
  expect_rc 2
  expect_err "run '$id' names artifact 'model.bin'"
  expect_err "'mlops runs push --verify $id' sends it again"
  expect_eq "$("$MLOPS" runs list --ids)" ""
}

test_remote_mistakes_in_the_environment_and_the_endpoint_are_named() {
  s3_repo
  echo data > a.txt && mlops data add a.txt > /dev/null 2>&1
  # A misspelt variable is said, with the one meant; the command goes on without it.
  MLOPS_REMOTE_S3_ENDPIONT_URL=http://127.0.0.1:9 run mlops data push
  expect_rc 0
  expect_err "MLOPS_REMOTE_S3_ENDPIONT_URL names no setting of any remote and is ignored (did you mean MLOPS_REMOTE_S3_ENDPOINT_URL?)"
  # A wrong remote name: nothing printed on stdout before the error.
  run mlops data status --remote s4
  expect_rc 2
  expect_eq "$out" ""
  expect_err "unknown remote 's4'"
  # An endpoint that is a web server, not S3.
  mkdir -p "$TEST_ROOT/www.$current_test"
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  python3 -m http.server --bind 127.0.0.1 --directory "$TEST_ROOT/www.$current_test" "$port" > /dev/null 2>&1 &
  local web=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  MLOPS_REMOTE_S3_ENDPOINT_URL="http://127.0.0.1:$port" run mlops data push --verify
  kill "$web"; wait "$web" 2> /dev/null
  expect_rc 3
  expect_err "answered 404 without an S3 error"
  expect_err "endpoint_url an S3 service"
}

run_tests "${1:-.}"
