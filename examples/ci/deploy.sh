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

# What the tag means, from the registry itself (exit 2 when it is not a registry tag).
ref=$(mlops model check-ref "$tag" --json) || exit $?
field() { printf '%s\n' "$ref" | sed -n "s/^ *\"$1\": *\"\([^\"]*\)\".*/\1/p"; }
name=$(field model)
stage=$(field stage)
if [ -z "$stage" ]; then
  echo "deploy: '$tag' is not a stage tag ($(field event) of $name, not an assignment)" >&2
  exit 2
fi

# Deploy whichever version holds the stage now rather than the one this tag named: when two
# promotions are close together and their jobs run out of order, the last job to finish must not
# put back the older version. `model get` fetches the artifact from the data remote (a CI job
# starts with an empty cache) and fails rather than deploy bytes that do not match the hash.
doc=$(mlops model get "$name#$stage" --out "$out" --json)
version=$(printf '%s\n' "$doc" | sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p')
echo "deploy: $name#$stage ($version) is at $out"
