#!/bin/sh
# CI setup, before the other scripts: makes the data remote that the CI variable MLOPS_REMOTE_URL
# names the default one, without changing what git sees. Without the variable, the default remote
# committed in .mlops/config.yaml is used as it is.
set -eu

if [ -z "${MLOPS_REMOTE_URL:-}" ]; then
  echo "setup-remote: MLOPS_REMOTE_URL is not set: using the default remote of .mlops/config.yaml"
  exit 0
fi

# The location is not printed, in case it ever carries credentials; mlops' own notes and hints
# (meant for a developer, who would commit the setting) are shown only when the command fails.
if mlops remote list | cut -f1 | grep -qx ci; then
  mlops -q remote remove ci
fi
if ! messages=$(mlops -q remote add ci "$MLOPS_REMOTE_URL" --default 2>&1); then
  echo "$messages" >&2
  exit 2
fi

# `remote add` rewrites .mlops/config.yaml, a committed file. Telling git to assume it unchanged
# keeps the work tree clean, so that a training run records a clean commit and
# `mlops model register` accepts it, and so that the CI-only location never lands in a commit.
git update-index --assume-unchanged .mlops/config.yaml
echo "setup-remote: data remote 'ci' (from MLOPS_REMOTE_URL) is the default"
