#!/usr/bin/env bash
# Remote sync against local S3 servers (moto and s3rver on 127.0.0.1, started and stopped by
# tests/s3/with-servers.sh), beside the tools users would pick instead: `aws s3 sync` and
# `rclone copy`. Not part of the test suite (it takes minutes: these servers store ~130 objects/s).
#
#   bench/remote.sh [N] [BIG_MB]     N files of 4 KiB (default 20000), one file of BIG_MB MiB (1024)
#   MLOPS_S3_SERVERS=s3rver bench/remote.sh 2000 256
#
# Per server and tool: wall time of push, no-op push (median of 3) and pull of the N files, push
# and pull of the big file; client CPU (user+sys) and peak RSS from /usr/bin/time; HTTP requests
# (mlops counts its own; the peers' no-op requests are counted through a pass-through proxy).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "${MLOPS_S3_ENDPOINT:-}" ]]; then
  exec bash "$here/tests/s3/with-servers.sh" bash "$0" "$@"
fi
N=${1:-20000}
BIG_MB=${2:-1024}
MLOPS=${MLOPS:-$here/build/mlops}
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-remote.XXXXXX")
trap 'rm -rf "$work"' EXIT
ep=$MLOPS_S3_ENDPOINT
aws_() { aws --endpoint-url "$ep" "$@"; }
# rclone reads its remote from the environment; it needs no CA bundle for http.
rclone_() { env -u AWS_CA_BUNDLE RCLONE_CONFIG_B_TYPE=s3 RCLONE_CONFIG_B_PROVIDER=Other RCLONE_CONFIG_B_ENDPOINT="$ep" \
  RCLONE_CONFIG_B_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" RCLONE_CONFIG_B_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
  RCLONE_CONFIG_B_REGION=us-east-1 rclone --transfers 32 --checkers 32 "$@"; }

# measure LABEL CMD...: one timed run; prints "LABEL wall_s cpu_s rss_MiB" and keeps them in $wall $cpu $rss.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" ||
    { echo "FAILED: $label: $(tail -3 "$work/err")" >&2; }
  read -r wall u s rss < "$work/time"
  cpu=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')
  rss=$((rss / 1024))
  printf '%-34s %9.2f s wall %8.2f s cpu %6d MiB rss\n' "$label" "$wall" "$cpu" "$rss"
}
median3() {  # median3 LABEL CMD...: the median wall time of three runs
  local label=$1 t=(); shift
  for _ in 1 2 3; do measure "$label" "$@" > /dev/null; t+=("$wall"); done
  wall=$(printf '%s\n' "${t[@]}" | sort -n | sed -n 2p)
  printf '%-34s %9.2f s wall (median of 3)\n' "$label" "$wall"
}
# requests_via_proxy CMD...: HTTP requests CMD sends, counted by a pass-through proxy (rate 0).
requests_via_proxy() {
  local pf=$work/proxy.port; rm -f "$pf"
  python3 "$here/tests/s3/fault_proxy.py" --upstream "$ep" --port-file "$pf" --rate 0 2> "$work/proxy.log" &
  local pid=$!
  for _ in $(seq 50); do [[ -s $pf ]] && break; sleep 0.1; done
  local saved=$ep; ep=http://127.0.0.1:$(cat "$pf")
  "$@" > /dev/null 2>&1
  ep=$saved
  kill "$pid"; wait "$pid" 2> /dev/null
  python3 -c 'import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read().strip().split("\n")[-1].split(": ",1)[1])["forwarded"])' "$work/proxy.log"
}

echo "== $MLOPS_S3_SERVER: N=$N files of 4 KiB, big file $BIG_MB MiB"
mkdir -p "$work/small" && (cd "$work/small" && for i in $(seq 1 "$N"); do head -c 4096 /dev/urandom > "f$i"; done)
head -c $((BIG_MB << 20)) /dev/urandom > "$work/big.bin"

# --- mlops
repo=$work/repo && mkdir "$repo" && cd "$repo" && git init -q && "$MLOPS" init > /dev/null 2>&1
cp -r "$work/small" small && cp "$work/big.bin" big.bin
"$MLOPS" data add small big.bin > /dev/null 2>&1
"$MLOPS" remote add s3 "s3://$MLOPS_S3_BUCKET/mlops-$RANDOM" --default > /dev/null 2>&1
"$MLOPS" remote modify s3 endpoint_url "$ep" --local > /dev/null 2>&1
measure "mlops push $N files" "$MLOPS" data push small --json; m_push=$wall
echo "    requests: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$work/out"), cpu per object $(awk -v c="$cpu" -v n="$N" 'BEGIN {printf "%.3f ms", c * 1000 / n}')"
m_cpu=$cpu
median3 "mlops no-op push" "$MLOPS" data push small --json; m_noop=$wall
echo "    requests: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$work/out")"
chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* small
measure "mlops pull $N files" "$MLOPS" data pull small; m_pull=$wall
measure "mlops push $BIG_MB MiB" "$MLOPS" data push big.bin; m_bpush=$wall
chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* big.bin
measure "mlops pull $BIG_MB MiB" "$MLOPS" data pull big.bin; m_bpull=$wall
cd "$work"

# --- aws s3 sync (a bucket of its own: moto refuses the '%2F' its listings under a prefix send)
aws_ s3 mb s3://aws-bench > /dev/null 2>&1
measure "aws s3 sync push $N files" aws_ s3 sync "$work/small" s3://aws-bench/; a_push=$wall
echo "    cpu per object $(awk -v c="$cpu" -v n="$N" 'BEGIN {printf "%.3f ms", c * 1000 / n}')"; a_cpu=$cpu
median3 "aws s3 sync no-op" aws_ s3 sync "$work/small" s3://aws-bench/; a_noop=$wall
echo "    requests: $(requests_via_proxy aws_ s3 sync "$work/small" s3://aws-bench/)"
measure "aws s3 sync pull $N files" aws_ s3 sync s3://aws-bench/ "$work/aws-pull"; a_pull=$wall
measure "aws s3 cp push $BIG_MB MiB" aws_ s3 cp "$work/big.bin" s3://aws-big/big.bin; a_bpush=$wall
[[ $(wc -c < "$work/out") -gt 0 ]] || true

# --- rclone copy
rclone_ mkdir b:rclone-bench > /dev/null 2>&1
measure "rclone copy push $N files" rclone_ copy "$work/small" b:rclone-bench; r_push=$wall
median3 "rclone copy no-op" rclone_ copy "$work/small" b:rclone-bench; r_noop=$wall
measure "rclone copy pull $N files" rclone_ copy b:rclone-bench "$work/rclone-pull"; r_pull=$wall

echo "-- ratios (mlops / peer; below 1 is faster)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
echo "push $N: vs aws $(ratio "$m_push" "$a_push"), vs rclone $(ratio "$m_push" "$r_push")"
echo "pull $N: vs aws $(ratio "$m_pull" "$a_pull"), vs rclone $(ratio "$m_pull" "$r_pull")"
echo "no-op push: vs aws $(ratio "$m_noop" "$a_noop"), vs rclone $(ratio "$m_noop" "$r_noop")"
echo "cpu per object: aws / mlops $(ratio "$a_cpu" "$m_cpu")"
echo "big push: vs aws s3 cp $(ratio "$m_bpush" "$a_bpush")"
