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

# A mistyped command followed by a known one's name is the mistyped command, not a stray
# argument of the later one (`mlops evl run` once said "'evl' is not a command of 'mlops run'").
test_mistyped_command_before_a_known_name() {
  new_committed_repo
  run mlops evl run
  expect_usage_error
  expect_err "'evl' is not an mlops command"
  expect_err "did you mean 'eval'?"
  [[ "$err" != *"mlops run"* ]] || fail "the error names 'mlops run': $err"
  run mlops evals run -c eval.yaml
  expect_usage_error
  expect_err "did you mean 'eval'?"
  # Global options and their values come before it.
  run mlops -C . --color never evl run
  expect_usage_error
  expect_err "'evl' is not an mlops command"
  run mlops --color=never -q modle list
  expect_usage_error
  expect_err "did you mean 'model'?"
  # Words after a known command are still that command's.
  run mlops runs lst run
  expect_usage_error
  expect_err "'lst' is not a command of 'mlops runs'"
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

# --- issue 10, item 13: a closed pipe on stdout -------------------------------------------

# closed_stdout CMD...: runs CMD with stdout a pipe whose reader is gone (as after `| head -2` has
# read its lines), keeping stderr in $err and the exit status in $rc (-13: killed by SIGPIPE).
closed_stdout() {
  rc=$(python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
sys.stderr.write(p.stderr.decode())
print(p.returncode)' "$@" 2>"$TEST_ROOT/.stderr")
  err=$(cat "$TEST_ROOT/.stderr")
}

test_closed_stdout_ends_quietly_like_git() {
  new_committed_repo
  local i
  for i in 1 2 3; do mlops run --name "r$i" -- true >/dev/null 2>&1; done
  local before
  before=$(mlops runs list --csv)
  # git dies of SIGPIPE, silently; so does mlops, whatever the command and however much it printed.
  closed_stdout git --version
  expect_eq "$rc" "-13"
  closed_stdout "$MLOPS" runs list --json
  expect_eq "$rc" "-13"
  expect_eq "$err" ""
  closed_stdout "$MLOPS" runs list
  expect_eq "$rc" "-13"
  expect_eq "$err" ""
  closed_stdout "$MLOPS" --version
  expect_eq "$rc" "-13"
  expect_eq "$err" ""
  expect_eq "$(mlops runs list --csv)" "$before"
  # A real pipe into head: the first lines arrive, and nothing is said about the rest.
  for i in $(seq 40); do mlops run --name "many$i" --param "p$i=$i" -- true >/dev/null 2>&1; done
  out=$(mlops runs list --json 2>"$TEST_ROOT/.stderr" | head -2)
  err=$(cat "$TEST_ROOT/.stderr")
  expect_eq "$(sed -n 1p <<<"$out")" "{"
  expect_eq "$err" ""
  # An error is still an error: stderr is open, the message and the exit code stay.
  closed_stdout "$MLOPS" runs show nosuchrun
  expect_eq "$rc" "2"
  [[ "$err" == "mlops: error: "* ]] || fail "the error was lost: $err"
}

# --- issue 10, items 15 and 16: -q, and hints after the result ----------------------------

test_quiet_does_what_help_and_docs_say() {
  new_committed_repo
  # One wording: --help says what docs/conventions.md says.
  local said
  said=$(mlops --help | grep -- '-q,--quiet' | sed 's/.*--quiet *//')
  expect_eq "$said" "Print only results, warnings and errors (no notes, progress or advice)"
  grep -qF -- "$said" "$MLOPS_SOURCE_DIR/docs/conventions.md" || fail "docs/conventions.md does not say '$said'"
  # One behaviour: the result stays, the advice goes; before or after the command name.
  printf 'a,b\n1,2\n' > d.csv
  run mlops -q data add d.csv
  expect_rc 0
  expect_out "added d.csv"
  expect_eq "$err" ""
  printf '3,4\n' >> d.csv
  run mlops data add d.csv --quiet
  expect_rc 0
  expect_out "added d.csv"
  expect_eq "$err" ""
  printf '5,6\n' >> d.csv
  run mlops data add d.csv
  expect_err "hint: to version it with your code, run: git add"
  # Notes (what was done) go too.
  echo m > model.bin
  git add -A && git commit -qm model
  run mlops -q model register churn --path model.bin
  expect_rc 0
  expect_out "Registered churn v0.0.1"
  expect_eq "$err" ""
  # A warning shows, with its hint: it is not advice.
  run mlops -q hooks run pre-push </dev/null
  expect_rc 0
  expect_err "mlops: warning: no default data remote"
  expect_err "hint: set one with 'mlops remote add NAME URL --default'"
  # An error shows, with its hint.
  run mlops -q runs show nosuchrun
  expect_rc 2
  expect_err "mlops: error: "
  expect_err "hint: "
}

test_hints_print_after_the_result() {
  new_committed_repo
  echo m > model.bin
  git add -A && git commit -qm model
  local both
  both=$(mlops model register churn --path model.bin 2>&1)
  expect_eq "$(sed -n 1p <<<"$both")" "Registered churn v0.0.1 (tag 'churn@v0.0.1' on $(git rev-parse --short=7 HEAD))"
  expect_eq "$(sed -n 2p <<<"$both")" "hint: to push the changes upstream, run: mlops model push churn"
  # The advice follows every line of the result.
  printf 'a,b\n1,2\n' > d.csv
  both=$(mlops data add d.csv 2>&1)
  expect_eq "$(sed -n 1p <<<"$both")" "$(grep -m1 added <<<"$both")"
  [[ "$(tail -1 <<<"$both")" == "hint: to version it with your code, run: git add"* ]] || fail "the hint is not last: $both"
}

# --- issue 10 items 16 and 19, issue 12 item 3: help and completion -------------------------

# Every command of the tree, found through the completion ("runs list", "model promote", ...).
all_commands() {
  local queue=("") path sub
  while ((${#queue[@]})); do
    path=${queue[0]}
    queue=("${queue[@]:1}")
    [[ -n "$path" ]] && echo "$path"
    # shellcheck disable=SC2086
    for sub in $(mlops __complete $path '' | cut -f1); do queue+=("${path:+$path }$sub"); done
  done
}

test_every_command_answers_help_with_an_example() {
  new_repo
  local commands path count=0 groups=0
  commands=$(all_commands)
  for path in "" $commands; do
    # shellcheck disable=SC2086
    run mlops $path --help
    expect_rc 0
    [[ "$out" == *"Example"* ]] || fail "'mlops $path --help' shows no example"
    # The commands that --help lists are the ones the completion offers.
    local listed offered
    listed=$(sed -n '/^Subcommands:/,/^$/p' <<<"$out" | awk 'NR > 1 && NF {sub(/,$/, "", $1); print $1}' | sort)
    # shellcheck disable=SC2086
    offered=$(mlops __complete $path '' | cut -f1 | grep -v '[.#@]' | sort)
    expect_eq "$offered" "$listed"
    [[ -n "$listed" ]] && groups=$((groups + 1))
    count=$((count + 1))
  done
  ((count > 40)) || fail "only $count commands found"
  ((groups >= 8)) || fail "only $groups commands with subcommands found"
  # The groups and the leaves that every user meets are among them.
  for path in "runs list" "model promote" "data add" "drift check" "log metric" "run start"; do
    grep -qx "$path" <<<"$commands" || fail "the completion does not offer 'mlops $path'"
  done
}

test_completion_lists_each_flag_once() {
  new_repo
  local path dup
  for path in "" "runs list" "model promote" "data status"; do
    # shellcheck disable=SC2086
    run mlops __complete $path -
    expect_rc 0
    dup=$(cut -f1 <<<"$out" | sort | uniq -d)
    expect_eq "$dup" ""
  done
  run mlops __complete runs list --
  expect_out $'--help\t'
  expect_out $'--limit\t'
  expect_out $'--quiet\t'
  expect_no_out "__complete"
  expect_eq "$err" ""
}

test_completion_offers_values_from_the_store() {
  new_committed_repo
  local id
  id=$(mlops run start --name comp 2>/dev/null)
  MLOPS_RUN_ID=$id mlops log metric auc 0.9
  MLOPS_RUN_ID=$id mlops log param lr 0.1
  MLOPS_RUN_ID=$id mlops log tag team vision
  mlops run end "$id" 2>/dev/null
  echo m > model.bin
  git add -A && git commit -qm model
  mlops model register churn --path model.bin >/dev/null 2>&1
  mlops model promote churn v0.0.1 --to staging >/dev/null 2>&1
  mkdir -p "$TEST_ROOT/store.$current_test"
  mlops remote add shared "$TEST_ROOT/store.$current_test" --create --default >/dev/null 2>&1
  run mlops __complete model promote ''
  expect_eq "$err" ""
  expect_out "churn"
  run mlops __complete model promote churn ''
  expect_out $'v0.0.1\tin staging'
  run mlops __complete model promote churn v0.0.1 --to ''
  expect_eq "$(cut -f1 <<<"$out" | tr '\n' ' ')" "dev staging production "
  run mlops __complete model promote churn v0.0.1 --to pr
  expect_eq "$(cut -f1 <<<"$out")" "production"
  run mlops __complete runs show ''
  expect_out "$id"$'\tcomp, finished'
  run mlops __complete runs show "${id:0:4}"
  expect_eq "$(cut -f1 <<<"$out")" "$id"
  run mlops __complete runs list --sort m
  expect_eq "$(cut -f1 <<<"$out")" "metrics.auc"
  run mlops __complete runs list --where ''
  expect_out "status"
  expect_out "params.lr"
  expect_out "tags.team"
  run mlops __complete log metric ''
  expect_eq "$(cut -f1 <<<"$out")" "auc"
  run mlops __complete log param ''
  expect_eq "$(cut -f1 <<<"$out")" "lr"
  run mlops __complete model get churn
  expect_eq "$(cut -f1 <<<"$out" | sort | tr '\n' ' ')" "churn churn#staging churn@latest churn@v0.0.1 "
  run mlops __complete data push --remote ''
  expect_eq "$(cut -f1 <<<"$out")" "shared"
  run mlops __complete repro ''
  expect_out "churn@v0.0.1"
  expect_out "$id"
  # -C names the repository, as it does for the command.
  local repo=$PWD
  cd "$TEST_ROOT" || return 1
  run mlops __complete -C "$repo" log metric ''
  expect_eq "$(cut -f1 <<<"$out")" "auc"
  # Outside any repository: no values, no error.
  run mlops __complete runs show ''
  expect_rc 0
  expect_eq "$out" ""
  expect_eq "$err" ""
}

test_completion_scripts_for_bash_zsh_and_fish() {
  new_committed_repo
  echo m > model.bin
  git add -A && git commit -qm model
  mlops model register churn --path model.bin >/dev/null 2>&1
  local scripts=$MLOPS_SOURCE_DIR/completions
  # bash: the function the script registers fills COMPREPLY.
  out=$(bash -c 'source "$1"; COMP_WORDS=(mlops model promote ""); COMP_CWORD=3; _mlops; printf "%s\n" "${COMPREPLY[@]}"' _ "$scripts/mlops.bash")
  expect_eq "$out" "churn"
  out=$(bash -c 'source "$1"; COMP_WORDS=(mlops ru); COMP_CWORD=1; _mlops; printf "%s\n" "${COMPREPLY[@]}"' _ "$scripts/mlops.bash")
  expect_eq "$out" $'run\nruns'
  # zsh: _describe and _files stand in for the completion system, which needs a terminal.
  if command -v zsh >/dev/null; then
    out=$(zsh -fc '_describe() { print -l -- $candidates; }; _files() { print FILES; }
      words=(mlops model promote ""); CURRENT=4; source "$1"' _ "$scripts/_mlops")
    expect_eq "$out" "churn:model"
  else
    echo "  skipped the zsh check: zsh is not installed (scripts/install-deps installs it)"
  fi
  # fish: its own completion engine, as at a prompt.
  if command -v fish >/dev/null; then
    out=$(fish -c 'source $argv[1]; complete -C "mlops model promote "' "$scripts/mlops.fish")
    expect_eq "$out" $'churn\tmodel'
  else
    echo "  skipped the fish check: fish is not installed (scripts/install-deps installs it)"
  fi
}

# --- issue 10, item 16: one timestamp format in JSON ---------------------------------------

# Prints every value whose key names a time (time, timestamp, date, …_time) that is not ISO 8601 UTC.
non_iso_times() {
  python3 -c '
import json, re, sys
iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")
def walk(x, path):
    if isinstance(x, dict):
        for k, v in x.items():
            if (k in ("time", "timestamp", "date") or k.endswith("_time")) and v is not None and not (isinstance(v, str) and iso.match(v)):
                print(f"{path}.{k} = {v!r}")
            walk(v, f"{path}.{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            walk(v, f"{path}[{i}]")
walk(json.load(sys.stdin), "")'
}

test_json_timestamps_are_iso_8601_utc() {
  new_committed_repo
  local id
  id=$(mlops run start --name t 2>/dev/null)
  MLOPS_RUN_ID=$id mlops log metric loss 0.5 --step 1
  MLOPS_RUN_ID=$id mlops log metric loss 0.25 --step 2
  mlops run end "$id" 2>/dev/null
  echo m > model.bin
  git add -A && git commit -qm model
  mlops model register churn --path model.bin >/dev/null 2>&1
  printf 'a\n1\n' > d.csv
  mlops data add d.csv >/dev/null 2>&1 && git add -A && git commit -qm data
  local cmd
  for cmd in "runs show $id --json" "runs list --json" "model history churn --json" "model show churn --json" \
    "data log d.csv --json" "runs export $id"; do
    # shellcheck disable=SC2086
    run mlops $cmd
    expect_rc 0
    expect_eq "$(non_iso_times <<<"$out")" ""
  done
  run mlops runs show "$id" --json
  [[ "$(json_get '["metric_history"][0]["timestamp"]' <<<"$out")" =~ ^20[0-9][0-9]-.*\.[0-9]{3}Z$ ]] ||
    fail "a metric point's timestamp is not ISO 8601 with milliseconds: $out"
  # An export round-trips its timestamps, and an export of older mlops (milliseconds) still imports.
  local shown
  shown=$(mlops runs show "$id" --json)
  mlops runs export "$id" -o run.json 2>/dev/null
  mlops runs delete "$id" >/dev/null 2>&1
  run mlops runs import run.json
  expect_rc 0
  expect_eq "$(mlops runs show "$id" --json)" "$shown"
  python3 -c '
import json, sys
d = json.load(open("run.json"))
runs = d["runs"] if isinstance(d, dict) and "runs" in d else d if isinstance(d, list) else [d]
for r in runs:
    for p in r["metric_history"]: p["timestamp"] = 1795921980500
    for m in r["metrics"].values(): m["timestamp"] = 1795921980900
json.dump(d, open("old.json", "w"))'
  mlops runs delete "$id" >/dev/null 2>&1
  run mlops runs import old.json
  expect_rc 0
  run mlops runs show "$id" --json
  expect_eq "$(json_get '["metric_history"][0]["timestamp"]' <<<"$out")" "2026-11-29T03:13:00.500Z"
}

run_tests "${1:-}"
