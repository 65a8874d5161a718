#!/bin/sh
# CI setup, before the other scripts: says which data remote the job uses, and stops the job
# early (exit 2) when there is none. It writes nothing: the runner's location of the remote comes
# from the environment, where every later mlops command reads it too. MLOPS_REMOTE_<NAME>_URL
# overrides the url of the committed remote NAME (the quickstart's 'storage':
# MLOPS_REMOTE_STORAGE_URL), MLOPS_DEFAULT_REMOTE picks another default (docs/remotes.md). So
# .mlops/config.yaml is never edited on a runner, and the work tree stays clean for a training run.
set -eu

line=$(mlops remote list | grep '(default)' | head -n 1) || true
if [ -z "$line" ]; then
  echo "setup-remote: no default data remote: commit one ('mlops remote add NAME URL --default')" >&2
  exit 2
fi
name=$(printf '%s\n' "$line" | cut -f1)
var="MLOPS_REMOTE_$(printf '%s' "$name" | tr 'a-z' 'A-Z' | tr -c 'A-Z0-9' '_')_URL"
# The location is not printed, in case it ever carries credentials.
if [ -n "$(printenv "$var" || true)" ]; then
  echo "setup-remote: data remote '$name' from $var"
else
  echo "setup-remote: $var is not set: using the url of remote '$name' in .mlops/config.yaml"
fi
