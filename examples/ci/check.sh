#!/bin/sh
# CI, on every commit: the data every pointer names can be fetched and matches its pointer, and
# the project's tests pass.
#   usage: check.sh TEST_COMMAND [ARGS...]      e.g. check.sh python3 -m pytest -q
set -eu

if [ $# -eq 0 ]; then
  echo "usage: check.sh TEST_COMMAND [ARGS...]  (e.g. check.sh python3 -m pytest -q)" >&2
  exit 2
fi

# Fetch what the pointers name from the default remote and check it out. A pointer committed
# without `mlops data push` fails here, naming the missing object, instead of on a colleague's
# machine; a local file changed without `mlops data add` is refused, not overwritten.
mlops data pull

# Every tracked file and folder must now match its pointer exactly (exit 1 and a list otherwise).
mlops data status --exit-code

# The tests run on the data the commit pins.
"$@"
