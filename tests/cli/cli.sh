#!/usr/bin/env bash
# CLI tests of what every command shares: usage errors, "did you mean", argument rules, output
# conventions (-q, hints, tables, timestamps, a closed pipe), --help and completion.
source "$(dirname "$0")/lib.sh"

# `mlops log` inside a run finds mlops on PATH, as a user's script would.
export PATH="$(dirname "$MLOPS"):$PATH"

# A repository with one commit, so that runs have a commit to record.
new_committed_repo() {
  new_repo
  echo "print('hi')" > train.py
  git add -A && git commit -qm "first"
}

# The usage error convention: exit 2, "mlops: error: " first, a hint, none of CLI11's own words.
expect_usage_error() {
  expect_rc 2
  [[ "$err" == "mlops: error: "* ]] || fail "stderr does not start with 'mlops: error: ': $err"
  [[ "$err" == *$'\n'"hint: "* ]] || fail "no hint: $err"
  local phrase
  for phrase in "not expected" "is required" "Could not convert" "could not convert" "At Most" "At least" \
    "required but received" " excludes " " requires " "not in {" "not in range" "Expected exactly" \
    "1 required" "missing (" "subcommand" "Should be true/false" "too many inputs"; do
    [[ "$err" != *"$phrase"* ]] || fail "CLI11's text '$phrase' reached the user: $err"
  done
}

# --- issue 10, item 7: usage errors name the mistake ---------------------------------------

test_unknown_flag_is_named_with_did_you_mean() {
  new_committed_repo
  run mlops runs list --sortt metrics.auc
  expect_usage_error
  expect_err "unknown option '--sortt' for 'mlops runs list'"
  expect_err "did you mean '--sort'?"
  [[ "$err" != *"not a command"* ]] || fail "an option was taken for a command: $err"
  # A transposition, a prefix, a flag of the command's parents (-q, -C), an unknown short flag.
  run mlops run --nmae x -- true
  expect_usage_error
  expect_err "did you mean '--name'?"
  run mlops runs list --lim 3
  expect_usage_error
  expect_err "did you mean '--limit'?"
  run mlops data status --quite
  expect_usage_error
  expect_err "did you mean '--quiet'?"
  run mlops runs list -x
  expect_usage_error
  expect_err "unknown option '-x' for 'mlops runs list'"
  run mlops --bogus
  expect_usage_error
  expect_err "unknown option '--bogus' for 'mlops'"
  expect_no_file .mlops/runs.db
}

test_did_you_mean_at_every_level() {
  new_committed_repo
  run mlops innit
  expect_usage_error
  expect_err "'innit' is not an mlops command"
  expect_err "did you mean 'init'?"
  run mlops runs lst
  expect_usage_error
  expect_err "'lst' is not a command of 'mlops runs'"
  expect_err "did you mean 'list'?"
  run mlops model promot churn v1 --to production
  expect_usage_error
  expect_err "did you mean 'promote'?"
  run mlops data stauts
  expect_usage_error
  expect_err "did you mean 'status'?"
  run mlops drift chek a b
  expect_usage_error
  expect_err "did you mean 'check'?"
  # Nothing close: the group lists what it has.
  run mlops runs frobnicate
  expect_usage_error
  expect_err "'mlops runs' has: list, show"
  # A group alone names what it needs.
  run mlops model
  expect_usage_error
  expect_err "'mlops model' needs a command"
  run mlops
  expect_usage_error
  expect_err "no command given"
}

test_negative_metric_value_after_separator() {
  new_committed_repo
  local id
  id=$(mlops run start --name neg 2>/dev/null)
  export MLOPS_RUN_ID=$id
  # As docs/runs.md says, and with the options after the value too (a training loop writes that).
  run mlops log metric delta -- -0.5
  expect_rc 0
  run mlops log metric delta -- -0.25 --step 2
  expect_rc 0
  run mlops log metric delta --step 3 -- -0.125
  expect_rc 0
  # A negative number is a value without '--' as well, in every spelling.
  run mlops log metric delta -.5 --step 4
  expect_rc 0
  run mlops log metric delta -1e-3 --step 5
  expect_rc 0
  run mlops log metric delta -inf --step 6
  expect_rc 0
  # After '--' a value is a value, even one that looks like an option.
  run mlops log tag note -- --json
  expect_rc 0
  local doc
  doc=$(mlops runs show "$id" --json)
  expect_eq "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print([(p["step"], p["value"]) for p in d["metric_history"]])' "$doc")" \
    "[(0, -0.5), (2, -0.25), (3, -0.125), (4, -0.5), (5, -0.001), (6, '-Infinity')]"
  expect_eq "$(json_get '["tags"]["note"]' <<<"$doc")" "--json"
  # An option after '--' still needs its value, and one word too many is named.
  run mlops log metric delta -- -0.5 --step
  expect_usage_error
  expect_err "option '--step' needs a value"
  run mlops log metric delta -- -0.5 extra
  expect_usage_error
  expect_err "unexpected argument 'extra' for 'mlops log metric'"
}

test_run_passes_program_options_without_separator() {
  new_committed_repo
  cat > args.py <<'EOF'
import sys
print(sys.argv[1:])
EOF
  run mlops run python3 args.py --alpha 1 --name z
  expect_rc 0
  expect_out "['--alpha', '1', '--name', 'z']"
  # Our options come before the command; with or without '--' the program's are its own.
  run mlops run --name mine -- python3 args.py --name theirs
  expect_rc 0
  expect_out "['--name', 'theirs']"
  expect_eq "$(mlops runs list --limit 1 --csv | sed -n 2p | cut -d, -f2)" "mine"
}

test_no_raw_cli11_text_reaches_the_user() {
  new_committed_repo
  local before
  before=$(snapshot)
  # Every kind of CLI11 parse error: a value that does not convert, a negative count, a value not
  # in a set or a range, a missing value, an option given twice, a missing argument, a missing
  # required option, options that exclude or need each other, an extra argument, a flag with a value.
  run mlops runs list --limit abc
  expect_usage_error
  expect_err "'abc' is not a valid value for option '--limit'"
  expect_err "--limit takes a whole number"
  run mlops runs list --limit -3
  expect_usage_error
  expect_err "'-3' is not a valid value for option '--limit'"
  run mlops drift check a.csv b.csv --drift-share x
  expect_usage_error
  expect_err "'x' is not a valid value for option '--drift-share'"
  run mlops --color=sometimes data status
  expect_usage_error
  expect_err "'sometimes' is not a valid value for option '--color'"
  expect_err "one of auto, always, never"
  run mlops drift check a.csv b.csv --drift-share 1.5
  expect_usage_error
  expect_err "a number from 0 to 1"
  run mlops runs list --sort
  expect_usage_error
  expect_err "option '--sort' needs a value"
  run mlops run --name a --name b -- true
  expect_usage_error
  expect_err "option '--name' was given 2 times"
  run mlops log metric b
  expect_usage_error
  expect_err "'mlops log metric' needs VALUE"
  expect_err "usage: mlops log metric NAME VALUE"
  run mlops model promote churn v0.0.1
  expect_usage_error
  expect_err "'mlops model promote' needs option '--to'"
  run mlops runs list --json --csv
  expect_usage_error
  expect_err "'--csv' and '--json' cannot be used together"
  run mlops model register churn --artifact model.bin
  expect_usage_error
  expect_err "'--artifact' needs '--run'"
  run mlops runs show abc def
  expect_usage_error
  expect_err "unexpected argument 'def' for 'mlops runs show'"
  run mlops data status --exit-code=maybe
  expect_usage_error
  run mlops runs list --csv=x
  expect_usage_error
  expect_err "'--csv'"
  expect_eq "$(snapshot)" "$before"
  expect_no_file .mlops/runs.db
}

test_list_option_does_not_swallow_arguments() {
  new_repo
  printf 'a,b\n1,2\n3,4\n' > ref.csv
  printf 'a,b\n1,2\n3,4\n' > cur.csv
  # CLI11 would give ref.csv and cur.csv to --columns and then miss both arguments.
  run mlops drift check --columns a ref.csv cur.csv --json
  expect_rc 0
  expect_out '"name": "a"'
  expect_no_out '"name": "b"'
}

run_tests "${1:-}"
