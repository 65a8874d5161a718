#!/bin/sh
# CD, on a stage tag push: puts the artifact of the model version that holds the stage at OUT,
# verified against the hash its registry tag records.
#   usage: deploy.sh NAME#STAGE#N OUT           e.g. deploy.sh 'churn#production#3' deploy/model.json
set -eu

if [ $# -ne 2 ]; then
  echo "usage: deploy.sh NAME#STAGE#N OUT" >&2
  exit 2
fi
tag=$1
out=$2

case $tag in
  ?*'#'?*'#'[0-9]*) ;;
  *)
    echo "deploy: '$tag' is not a stage tag (NAME#STAGE#N)" >&2
    exit 2
    ;;
esac
name=${tag%%#*}
stage=${tag#*#}
stage=${stage%%#*}
# An unassignment (NAME#STAGE!#N) hands the stage back to the version that held it before.
stage=${stage%!}

# Deploy whichever version holds the stage now rather than the one this tag named: when two
# promotions are close together and their jobs run out of order, the last job to finish must not
# put back the older version. `model get` fetches the artifact from the data remote (a CI job
# starts with an empty cache) and fails rather than deploy bytes that do not match the hash.
doc=$(mlops model get "$name#$stage" --out "$out" --json)
version=$(printf '%s\n' "$doc" | sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p')
echo "deploy: $name#$stage ($version) is at $out"
