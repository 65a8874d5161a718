#!/usr/bin/env bash
# Runs a command against each local S3 server that can be had: moto (moto_server, with IAM
# enforcing signatures) and s3rver (npm, pinned in tests/s3/package.json), each on 127.0.0.1 on
# a free port, with a fault-injecting proxy (fault_proxy.py) in front. Every server is started
# here and stopped here, by PID; every wait is bounded.
#
#   tests/s3/with-servers.sh COMMAND [ARGS...]
#
# The command runs once per server with:
#   MLOPS_S3_SERVER    moto | s3rver
#   MLOPS_S3_ENDPOINT  http://127.0.0.1:PORT           MLOPS_S3_BUCKET  an empty bucket
#   MLOPS_S3_PROXY     http://127.0.0.1:PORT of the fault proxy (20% of requests fail)
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION (valid for the server)
#   MLOPS_S3_SESSION_KEY_ID, MLOPS_S3_SESSION_SECRET, MLOPS_S3_SESSION_TOKEN (moto: an assumed role)
#
# Exit: the first failing command's status; 77 (CTest's "skipped") when neither server can be
# had, after saying why. MLOPS_S3_SERVERS="moto" (or "s3rver") limits the servers tried.
# MLOPS_S3_NPM_DIR: where s3rver is installed (default: $TMPDIR/mlops-s3-npm-<hash of the lock>).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if (($# == 0)); then
  echo "usage: tests/s3/with-servers.sh COMMAND [ARGS...]" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-s3-servers.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The servers and the clients talk over loopback only: no proxy from the environment.
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy AWS_PROFILE AWS_SESSION_TOKEN
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE=$work/aws-config AWS_SHARED_CREDENTIALS_FILE=$work/aws-credentials

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_http URL SECONDS LOG: until something answers HTTP at URL.
wait_http() {
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if curl -s -o /dev/null --max-time 2 "$1"; then return 0; fi
    sleep 0.2
  done
  echo "with-servers: nothing answered at $1 within $2 s; its log:" >&2
  tail -20 "$3" >&2
  return 1
}

start_proxy() {  # start_proxy UPSTREAM NAME [PROXY OPTIONS...]: sets MLOPS_S3_PROXY
  local port_file=$work/$2-proxy.port
  python3 "$here/fault_proxy.py" --upstream "$1" --port-file "$port_file" --rate 0.2 "${@:3}" 2>"$work/$2-proxy.log" &
  pids+=($!)
  for _ in $(seq 100); do [[ -s $port_file ]] && break; sleep 0.1; done
  [[ -s $port_file ]] || { echo "with-servers: the fault proxy did not start" >&2; return 1; }
  export MLOPS_S3_PROXY=http://127.0.0.1:$(cat "$port_file")
}

start_moto() {
  local port
  port=$(free_port)
  # The first 3 requests (create the user, its key and its policy) may go unsigned; every later
  # request must be signed by a key moto knows.
  INITIAL_NO_AUTH_ACTION_COUNT=3 moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
  pids+=($!)
  local endpoint=http://127.0.0.1:$port
  wait_http "$endpoint/moto-api/" 60 "$work/moto.log" || return 1
  local aws=(aws --endpoint-url "$endpoint" --output text)
  AWS_ACCESS_KEY_ID=bootstrap AWS_SECRET_ACCESS_KEY=bootstrap "${aws[@]}" iam create-user --user-name mlops >/dev/null &&
    read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY < <(AWS_ACCESS_KEY_ID=bootstrap AWS_SECRET_ACCESS_KEY=bootstrap \
      "${aws[@]}" iam create-access-key --user-name mlops --query 'AccessKey.[AccessKeyId,SecretAccessKey]') &&
    AWS_ACCESS_KEY_ID=bootstrap AWS_SECRET_ACCESS_KEY=bootstrap "${aws[@]}" iam put-user-policy --user-name mlops \
      --policy-name everything --policy-document \
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' || return 1
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  "${aws[@]}" iam create-role --role-name mlops-tests --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}' \
    >/dev/null &&
    "${aws[@]}" iam put-role-policy --role-name mlops-tests --policy-name everything --policy-document \
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' &&
    read -r MLOPS_S3_SESSION_KEY_ID MLOPS_S3_SESSION_SECRET MLOPS_S3_SESSION_TOKEN < <("${aws[@]}" sts assume-role \
      --role-arn "arn:aws:iam::123456789012:role/mlops-tests" --role-session-name tests \
      --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]') &&
    "${aws[@]}" s3api create-bucket --bucket mlops-tests >/dev/null || return 1
  export MLOPS_S3_SESSION_KEY_ID MLOPS_S3_SESSION_SECRET MLOPS_S3_SESSION_TOKEN
  export MLOPS_S3_ENDPOINT=$endpoint MLOPS_S3_BUCKET=mlops-tests
  # moto answers a repeated CompleteMultipartUpload with NoSuchUpload, as S3 does (s3rver fails
  # it with a 500 until the retries run out): the client's recovery is tested against moto.
  start_proxy "$endpoint" moto --lose-first-complete
}

# s3rver from npm, installed once per version of the lock file (npm ci) outside the source tree.
s3rver_bin() {
  local hash dir
  hash=$(sha256sum "$here/package-lock.json" | cut -c1-12)
  dir=${MLOPS_S3_NPM_DIR:-${TMPDIR:-/tmp}/mlops-s3-npm-$hash}
  if [[ ! -x $dir/node_modules/.bin/s3rver ]]; then
    command -v npm >/dev/null || { echo "npm is not installed" >&2; return 1; }
    mkdir -p "$dir" && cp "$here/package.json" "$here/package-lock.json" "$dir/" &&
      (cd "$dir" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >&2) || return 1
  fi
  echo "$dir/node_modules/.bin/s3rver"
}

start_s3rver() {
  local bin port
  bin=$(s3rver_bin) || return 1
  port=$(free_port)
  mkdir -p "$work/s3rver"
  # s3rver 3.7 makes continuation tokens with a cipher that Node's OpenSSL 3 keeps in its legacy provider.
  NODE_OPTIONS=--openssl-legacy-provider "$bin" --directory "$work/s3rver" --address 127.0.0.1 --port "$port" --configure-bucket mlops-tests \
    >"$work/s3rver.log" 2>&1 &
  pids+=($!)
  local endpoint=http://127.0.0.1:$port
  wait_http "$endpoint/" 60 "$work/s3rver.log" || return 1
  # s3rver's own key pair, which it checks signatures against.
  export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
  unset MLOPS_S3_SESSION_KEY_ID MLOPS_S3_SESSION_SECRET MLOPS_S3_SESSION_TOKEN
  export MLOPS_S3_ENDPOINT=$endpoint MLOPS_S3_BUCKET=mlops-tests
  start_proxy "$endpoint" s3rver
}

ran=0
status=0
skipped=()
for server in ${MLOPS_S3_SERVERS:-moto s3rver}; do
  case $server in
    moto) command -v moto_server >/dev/null && command -v aws >/dev/null || {
        skipped+=("moto: moto_server or the aws CLI is not installed"); continue; } ;;
    s3rver) command -v node >/dev/null || { skipped+=("s3rver: node is not installed"); continue; } ;;
    *) echo "with-servers: unknown server '$server'" >&2; exit 2 ;;
  esac
  if ! "start_$server"; then
    skipped+=("$server: could not be started (see above)")
    continue
  fi
  echo "== against $server at $MLOPS_S3_ENDPOINT (fault proxy $MLOPS_S3_PROXY)" >&2
  export MLOPS_S3_SERVER=$server
  "$@"
  rc=$?
  ran=$((ran + 1))
  if ((rc != 0)); then
    echo "with-servers: FAILED against $server (exit $rc)" >&2
    ((status == 0)) && status=$rc
  fi
  # Stop this server (and its proxy) before the next one starts.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  pids=()
  cat "$work/$server-proxy.log" >&2  # what the fault proxy did
done
for reason in "${skipped[@]}"; do echo "with-servers: SKIPPED $reason" >&2; done
if ((ran == 0)); then
  echo "with-servers: the S3 suite was SKIPPED: no S3 test server could be had" >&2
  exit 77
fi
exit $status
