#!/usr/bin/env bash
# Big-object throughput of mlops beside the aws CLI, against the local S3 servers that
# with-servers.sh starts (not part of the test suite: it moves gigabytes). Prints wall time and
# peak RSS of a push and a pull of one file of MB MiB, for mlops and for `aws s3 cp`.
#
#   MLOPS_S3_SERVERS=moto tests/s3/measure-big.sh [MB]        (default 500)
#   MLOPS=build/mlops MLOPS_S3_SERVERS=moto tests/s3/measure-big.sh 1024
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
if [[ -z "${MLOPS_S3_ENDPOINT:-}" ]]; then
  exec bash "$here/tests/s3/with-servers.sh" bash "$0" "$@"
fi
MB=${1:-500}
MLOPS=${MLOPS:-$here/build/mlops}
export GIT_AUTHOR_NAME=m GIT_AUTHOR_EMAIL=m@example.com GIT_COMMITTER_NAME=m GIT_COMMITTER_EMAIL=m@example.com
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-measure-big.XXXXXX")
trap 'rm -rf "$work"' EXIT

measure() {  # measure LABEL CMD...: "LABEL wall s, peak RSS MiB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" ||
    { echo "FAILED: $label: $(tail -3 "$work/err")"; return 1; }
  local wall rss; read -r wall rss < "$work/time"
  printf '%-28s %8.2f s wall %6d MiB peak RSS\n' "$label" "$wall" $((rss / 1024))
}

head -c $((MB << 20)) /dev/urandom > "$work/big.bin"
echo "== $MLOPS_S3_SERVER, one file of $MB MiB"

repo=$work/repo && mkdir "$repo" && cd "$repo" && git init -q && "$MLOPS" init > /dev/null 2>&1
cp "$work/big.bin" big.bin && "$MLOPS" data add big.bin > /dev/null 2>&1
"$MLOPS" remote add s3 "s3://$MLOPS_S3_BUCKET/measure-$RANDOM" --default > /dev/null 2>&1
"$MLOPS" remote modify s3 endpoint_url "$MLOPS_S3_ENDPOINT" --local > /dev/null 2>&1
measure "mlops data push" "$MLOPS" data push
chmod -R u+w .mlops/cache && rm -rf .mlops/cache/* big.bin
measure "mlops data pull" "$MLOPS" data pull
cmp -s big.bin "$work/big.bin" || echo "FAILED: the pulled bytes differ"
cd "$work"

aws=(aws --endpoint-url "$MLOPS_S3_ENDPOINT")
measure "aws s3 cp (up)" "${aws[@]}" s3 cp "$work/big.bin" "s3://$MLOPS_S3_BUCKET/aws-measure/big.bin"
measure "aws s3 cp (down)" "${aws[@]}" s3 cp "s3://$MLOPS_S3_BUCKET/aws-measure/big.bin" "$work/aws.bin"
cmp -s "$work/aws.bin" "$work/big.bin" || echo "FAILED: aws brought other bytes"
