#!/usr/bin/env bash
# CLI test: the quickstart walkthrough (examples/quickstart/walkthrough.sh, which ./scripts/demo
# runs) end to end with small data, and its README kept to the commands the walkthrough runs.
source "$(dirname "$0")/lib.sh"
PATH="$(cd "$(dirname "$MLOPS")" && pwd):$PATH"
QUICKSTART="$MLOPS_SOURCE_DIR/examples/quickstart"

test_walkthrough_runs_end_to_end() {
  local dir="$TEST_ROOT/churn"
  run env ROWS=1000 "$QUICKSTART/walkthrough.sh" "$dir"
  expect_rc 0
  expect_out "Promoted churn v0.0.1 to production"
  expect_out "Dataset drift detected"
  expect_out "Promoted churn v0.0.2 to production"
  expect_out "Rolled back churn production: v0.0.2 -> v0.0.1"
  expect_out "bit-identical: run"
  expect_out "Walkthrough finished"
  cd "$dir" || return
  run mlops model show 'churn#production' --json
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.1"
  expect_file deployed/model.json
  expect_eq "$(git worktree list | wc -l | tr -d ' ')" "1"
}

test_readme_shows_the_commands_the_walkthrough_runs() {
  python3 - "$QUICKSTART/README.md" "$QUICKSTART/walkthrough.sh" <<'PY' || fail "README and walkthrough.sh disagree"
import re, sys
readme, script = (open(p).read() for p in sys.argv[1:])
blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
missing = []
for line in "\n".join(blocks).splitlines():
    line = re.split(r"\s+#\s", line)[0]           # a trailing comment
    for command in re.findall(r"mlops [^&)]*", line):
        command = command.strip().rstrip('"')
        if command not in script:
            missing.append(command)
if missing:
    print("in the README but not in walkthrough.sh:", *missing, sep="\n  ", file=sys.stderr)
    sys.exit(1)
PY
}

run_tests "${1:-.}"
