#!/usr/bin/env bash
# Remote sync against local S3 servers (moto and s3rver on 127.0.0.1, started and stopped by
# tests/s3/with-servers.sh), beside the tools users would pick instead: `aws s3 sync` and
# `rclone copy`. Not part of the test suite (it takes minutes: these servers store ~130 objects/s).
#
#   bench/remote.sh [N] [BIG_MB]     N files of 4 KiB (default 20000), one file of BIG_MB MiB (1024)
#   MLOPS_S3_SERVERS=s3rver bench/remote.sh 2000 256
#   BENCH_TOOLS="mlops" bench/remote.sh     only some of mlops, aws, rclone (default all three);
#                                           the others' last figures per server and size are
#                                           read from $BENCH_RESULTS (default bench/.remote-results)
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
TOOLS=${BENCH_TOOLS:-mlops aws rclone}
RESULTS=${BENCH_RESULTS:-$here/bench/.remote-results}
wants() { [[ " $TOOLS " == *" $1 "* ]]; }
# keep NAME VALUE / recall NAME: a figure kept per server and size, so tools can be run apart.
keep() { mkdir -p "$RESULTS" && echo "$2" > "$RESULTS/$MLOPS_S3_SERVER-$N-$BIG_MB-$1"; }
recall() { cat "$RESULTS/$MLOPS_S3_SERVER-$N-$BIG_MB-$1" 2> /dev/null || echo 0; }
MLOPS=${MLOPS:-$here/build/mlops}
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-remote.XXXXXX")
trap 'rm -rf "$work"' EXIT
ep=$MLOPS_S3_ENDPOINT
# The peers as commands (/usr/bin/time runs programs, not shell functions), at $BENCH_EP.
export BENCH_EP=$ep
mkdir -p "$work/bin" && PATH="$work/bin:$PATH"
printf '#!/bin/sh\nexec aws --endpoint-url "$BENCH_EP" "$@"\n' > "$work/bin/aws_"
# rclone reads its remote from the environment; it needs no CA bundle for http. --fast-list lists
# a bucket in one recursive listing (fewer requests; and moto's signature check refuses the
# '%2F' delimiter rclone's folder-by-folder listing sends).
cat > "$work/bin/rclone_" <<'SH'
#!/bin/sh
exec env -u AWS_CA_BUNDLE RCLONE_CONFIG_B_TYPE=s3 RCLONE_CONFIG_B_PROVIDER=Other RCLONE_CONFIG_B_ENDPOINT="$BENCH_EP" \
  RCLONE_CONFIG_B_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" RCLONE_CONFIG_B_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
  RCLONE_CONFIG_B_REGION=us-east-1 rclone --transfers 32 --checkers 32 --fast-list "$@"
SH
chmod +x "$work/bin/aws_" "$work/bin/rclone_"

# measure LABEL CMD...: one timed run; prints "LABEL wall_s cpu_s rss_MiB" and keeps them in $wall $cpu $rss.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" ||
    { echo "FAILED: $label: $(tail -3 "$work/err")" >&2; }
  read -r wall u s rss < <(tail -1 "$work/time")  # after "Command exited with non-zero status N"
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
  BENCH_EP=http://127.0.0.1:$(cat "$pf") "$@" > /dev/null 2>&1
  kill "$pid"; wait "$pid" 2> /dev/null
  python3 -c 'import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read().strip().split("\n")[-1].split(": ",1)[1])["forwarded"])' "$work/proxy.log"
}

echo "== $MLOPS_S3_SERVER: N=$N files of 4 KiB, big file $BIG_MB MiB"
mkdir -p "$work/small" && (cd "$work/small" && for i in $(seq 1 "$N"); do head -c 4096 /dev/urandom > "f$i"; done)
head -c $((BIG_MB << 20)) /dev/urandom > "$work/big.bin"

# --- mlops
if wants mlops; then
repo=$work/repo && mkdir "$repo" && cd "$repo" && git init -q && "$MLOPS" init > /dev/null 2>&1
cp -r "$work/small" small && cp "$work/big.bin" big.bin
"$MLOPS" data add small big.bin > /dev/null 2>&1
"$MLOPS" remote add s3 "s3://$MLOPS_S3_BUCKET/mlops-$RANDOM" --default > /dev/null 2>&1
"$MLOPS" remote modify s3 endpoint_url "$ep" --local > /dev/null 2>&1
measure "mlops push $N files" "$MLOPS" data push small --json; keep m_push "$wall"
echo "    requests: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$work/out"), cpu per object $(awk -v c="$cpu" -v n="$N" 'BEGIN {printf "%.3f ms", c * 1000 / n}')"
keep m_cpu "$cpu"
median3 "mlops no-op push" "$MLOPS" data push small --json; keep m_noop "$wall"
echo "    requests: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$work/out")"
measure "mlops push $BIG_MB MiB" "$MLOPS" data push big.bin; keep m_bpush "$wall"
# Pull into a fresh clone, as a teammate or CI runner does. (Emptying this clone's cache instead
# makes the pull create 20,000 files just after 20,000 were deleted there, which ext4's inode
# allocator makes slow for minutes: its recently_deleted() scan took most of the pull's CPU.)
git add -A > /dev/null && git commit -qm data
git clone -q "$repo" "$work/clone" && cd "$work/clone"
"$MLOPS" remote modify s3 endpoint_url "$ep" --local > /dev/null 2>&1
measure "mlops pull $N files" "$MLOPS" data pull small; keep m_pull "$wall"
measure "mlops pull $BIG_MB MiB" "$MLOPS" data pull big.bin; keep m_bpull "$wall"
cmp -s big.bin "$work/big.bin" || echo "FAILED: the pulled big file differs" >&2
cd "$work"
fi

# --- aws s3 sync (a bucket of its own: moto refuses the '%2F' its listings under a prefix send)
if wants aws; then
aws_ s3 mb s3://aws-bench > /dev/null 2>&1
aws_ s3 mb s3://aws-big > /dev/null 2>&1
measure "aws s3 sync push $N files" aws_ s3 sync "$work/small" s3://aws-bench/; keep a_push "$wall"
echo "    cpu per object $(awk -v c="$cpu" -v n="$N" 'BEGIN {printf "%.3f ms", c * 1000 / n}')"; keep a_cpu "$cpu"
median3 "aws s3 sync no-op" aws_ s3 sync "$work/small" s3://aws-bench/; keep a_noop "$wall"
echo "    requests: $(requests_via_proxy aws_ s3 sync "$work/small" s3://aws-bench/)"
measure "aws s3 sync pull $N files" aws_ s3 sync s3://aws-bench/ "$work/aws-pull"; keep a_pull "$wall"
measure "aws s3 cp push $BIG_MB MiB" aws_ s3 cp "$work/big.bin" s3://aws-big/big.bin; keep a_bpush "$wall"
measure "aws s3 cp pull $BIG_MB MiB" aws_ s3 cp s3://aws-big/big.bin "$work/aws-big.bin"; keep a_bpull "$wall"
rm -f "$work/aws-big.bin"
fi

# --- rclone copy (its no-op takes minutes against these servers: one run, not the median of 3)
if wants rclone; then
rclone_ mkdir b:rclone-bench > /dev/null 2>&1
measure "rclone copy push $N files" rclone_ copy "$work/small" b:rclone-bench; keep r_push "$wall"
echo "    cpu per object $(awk -v c="$cpu" -v n="$N" 'BEGIN {printf "%.3f ms", c * 1000 / n}')"
measure "rclone copy no-op" rclone_ copy "$work/small" b:rclone-bench; keep r_noop "$wall"
measure "rclone copy pull $N files" rclone_ copy b:rclone-bench "$work/rclone-pull"; keep r_pull "$wall"
rclone_ mkdir b:rclone-big > /dev/null 2>&1
measure "rclone copy push $BIG_MB MiB" rclone_ copyto "$work/big.bin" b:rclone-big/big.bin; keep r_bpush "$wall"
measure "rclone copy pull $BIG_MB MiB" rclone_ copyto b:rclone-big/big.bin "$work/rclone-big.bin"; keep r_bpull "$wall"
rm -f "$work/rclone-big.bin"
fi

echo "-- ratios (mlops / peer; below 1 is faster), from the figures kept in $RESULTS"
ratio() { awk -v a="$(recall "$1")" -v b="$(recall "$2")" 'BEGIN {printf "%.2f", (a > 0 && b > 0) ? a / b : 0}'; }
echo "push $N: vs aws $(ratio m_push a_push), vs rclone $(ratio m_push r_push)"
echo "pull $N: vs aws $(ratio m_pull a_pull), vs rclone $(ratio m_pull r_pull)"
echo "no-op push: vs aws $(ratio m_noop a_noop), vs rclone $(ratio m_noop r_noop)"
echo "cpu per object: aws / mlops $(ratio a_cpu m_cpu)"
echo "big push: vs aws s3 cp $(ratio m_bpush a_bpush), vs rclone $(ratio m_bpush r_bpush)"
echo "big pull: vs aws s3 cp $(ratio m_bpull a_bpull), vs rclone $(ratio m_bpull r_bpull)"
