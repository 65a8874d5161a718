#!/usr/bin/env bash
# CLI tests: mlops runs report (HTML and Markdown), its golden files, hostile input, and the page in
# headless Chromium with scripts enabled and disabled.
# UPDATE_GOLDEN=1 rewrites tests/fixtures/report/report.{html,md} from the current binary.
source "$(dirname "$0")/lib.sh"
export PATH="$(dirname "$MLOPS"):$PATH"

: "${MLOPS_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
fixtures="$(cd "$MLOPS_SOURCE_DIR" && pwd)/tests/fixtures/report"
golden_ids=(01kb0000000001 01kb0000000002 01kb0000000003)

# A repository holding the golden runs (or those of make_runs.py's other modes: $1).
repo_with_runs() {
  new_repo
  python3 "$fixtures/make_runs.py" "$@" > runs.json || fail "make_runs.py failed"
  mlops runs import runs.json >/dev/null 2>&1 || fail "runs import failed"
}

# chromium ARGS... FILE: the DOM after load in $dom, the page's console messages in $console.
# A profile of its own each time: Chromium hands a second instance on one profile to the first.
browser() {
  command -v chromium >/dev/null || { fail "chromium is not installed (scripts/install-deps installs it)"; return 1; }
  dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$(mktemp -d "$TEST_ROOT/chromium.XXXXXX")" \
    --enable-logging=stderr --v=0 "$@" 2>"$TEST_ROOT/.console")
  console=$(grep -a 'CONSOLE' "$TEST_ROOT/.console")
}

count() { grep -o -- "$1" <<<"$2" | wc -l; }

# The tree without the runs database (SQLite rewrites its header on open), and the runs' content.
tree_state() {
  (find . -path ./.git -prune -o -path './.mlops/runs.db*' -prune -o -print0 | sort -z | xargs -0 stat -c '%n %a %s'
    find . -path ./.git -prune -o -path './.mlops/runs.db*' -prune -o -type f -print0 | sort -z | xargs -0 cat | md5sum
    mlops runs export 2>/dev/null | md5sum)
}

test_report_matches_golden_files() {
  repo_with_runs
  run mlops runs report "${golden_ids[@]}" -o report.html
  expect_rc 0
  expect_err "wrote report.html"
  run mlops runs report "${golden_ids[@]}" --markdown -o report.md
  expect_rc 0
  if [[ -n "${UPDATE_GOLDEN:-}" ]]; then
    cp report.html report.md "$fixtures/"
  fi
  cmp -s report.html "$fixtures/report.html" || fail "report.html differs from the golden file: $(diff <(fold -w 120 report.html) <(fold -w 120 "$fixtures/report.html") | head -20)"
  cmp -s report.md "$fixtures/report.md" || fail "report.md differs from the golden file: $(diff report.md "$fixtures/report.md")"
  # The same input gives the same bytes, to stdout as to a file.
  mlops runs report "${golden_ids[@]}" > again.html 2>/dev/null
  cmp -s report.html again.html || fail "a second report differs"
}

test_report_content() {
  repo_with_runs  # run 3 has no acc: the primary metric is loss, the score every run has
  run mlops runs report "${golden_ids[@]}" -o report.html
  expect_rc 0
  local html
  html=$(cat report.html)
  for want in 'id="compare"' 'id="run-01kb0000000001"' 'Learning curves' 'Data table: loss' 'params.lr against metrics.loss' \
    'Parallel coordinates' '<td>params.lr</td>' 'data/train.csv.mlops' 'model.pt' "default-src 'none'"; do
    [[ "$html" == *"$want"* ]] || fail "report lacks '$want'"
  done
  # The spike at step 700 (loss 3.0 above the curve) is drawn: the curve's data keeps it.
  [[ "$html" == *'3.4'* ]] || fail "the spike is not in the chart data"
  expect_eq "$(count 'https\?://' "$html")" "$(count 'http://www.w3.org/2000/svg' "$html")"
}

test_report_of_one_run_is_its_run_view() {
  repo_with_runs
  run mlops runs report 01kb0000000002
  expect_rc 0
  expect_out 'id="run-01kb0000000002"'
  expect_no_out 'id="compare"'
  expect_out '<title>Run 01kb0000000002 (fast)</title>'
}

test_report_where_selects_runs() {
  repo_with_runs
  run mlops runs report --where "params.lr >= 0.1" --markdown
  expect_rc 0
  expect_out "2 runs"
  expect_out "01kb0000000001"
  expect_no_out "01kb0000000003"
  run mlops runs report --markdown --limit 1
  expect_rc 0
  expect_out "1 run"
  expect_out "01kb0000000003"
  expect_err "3 runs match; the report has the newest 1"
}

test_report_json_describes_the_file() {
  repo_with_runs
  run mlops runs report 01kb0000000001 01kb0000000002 -o out.html --json --metric loss
  expect_rc 0
  expect_eq "$(json_get '["runs"]' <<<"$out")" "['01kb0000000001', '01kb0000000002']"
  expect_eq "$(json_get '["metrics"]' <<<"$out")" "['loss']"
  expect_eq "$(json_get '["bytes"]' <<<"$out")" "$(stat -c %s out.html)"
  expect_eq "$(json_get '["format"]' <<<"$out")" "html"
}

test_report_errors_write_nothing() {
  repo_with_runs
  local before
  before=$(tree_state)
  run mlops runs report zzzz -o r.html
  expect_rc 2
  expect_err "zzzz"
  run mlops runs report --where "params.lr >" -o r.html
  expect_rc 2
  expect_err "^"
  run mlops runs report 01kb0000000001 --where "params.lr > 0" -o r.html
  expect_rc 2
  expect_err "not both"
  run mlops runs report --where "params.lr > 5" -o r.html
  expect_rc 2
  expect_err "no runs match the filter"
  run mlops runs report --where "metrics.ac > 0.5" -o r.html
  expect_rc 2
  expect_err "no runs match the filter"
  expect_err "hint: no run has 'metrics.ac': did you mean 'metrics.acc'?"
  # runs list shares the check (the filter code is tracking's).
  run mlops runs list --where "metrics.ac > 0.5"
  expect_rc 0
  expect_err "warning: no run has 'metrics.ac': did you mean 'metrics.acc'?"
  run mlops runs list --where "metrics.acc > 0.5" --sort -params.l
  expect_err "no run has 'params.l': did you mean 'params.lr'?"
  run mlops runs list --where "metrics.acc > 0.5"
  [[ "$err" != *"no run has"* ]] || fail "a warning for keys the runs have: $err"
  run mlops runs report "${golden_ids[@]}" --metric los -o r.html
  expect_rc 2
  expect_err "none of these runs logged the metric 'los'"
  expect_err "did you mean 'loss'?"
  run mlops runs report "${golden_ids[@]}" --json
  expect_rc 2
  expect_err "-o FILE"
  run mlops runs report "${golden_ids[@]}" -o no/such/dir/r.html
  expect_rc 2
  expect_err "the folder 'no/such/dir' of -o does not exist"
  expect_err "mkdir -p 'no/such/dir'"
  [[ "$err" != *".tmp"* ]] || fail "the error names a temp file: $err"
  expect_no_file r.html
  [[ "$(tree_state)" == "$before" ]] || fail "a failed report changed the tree: $(diff <(echo "$before") <(tree_state))"
}

test_report_with_no_runs_is_bad_input() {
  new_repo
  run mlops runs report -o r.html
  expect_rc 2
  expect_err "no runs to report"
  expect_no_file r.html
}

# Hostile names, params, tags, metric names and log text: shown as text, never as markup.
test_report_escapes_hostile_strings() {
  repo_with_runs --hostile
  mlops run --name '<img src=x onerror=alert(5)>' -- sh -c 'echo "<script>alert(6)</script>"; echo "</pre><b>log</b>"' >/dev/null 2>&1
  run mlops runs report --limit 0 -o evil.html
  expect_rc 0
  local html
  html=$(cat evil.html)
  expect_eq "$(count '<script' "$html")" 2
  expect_eq "$(count '</script' "$html")" 2
  for bad in '<img' '<b>' '<i>' '</table><b>' 'alert(1)</script>'; do
    [[ "$html" != *"$bad"* ]] || fail "the report holds raw '$bad'"
  done
  [[ "$html" == *'&lt;script&gt;alert(6)&lt;/script&gt;'* ]] || fail "the output log is not shown escaped"
  browser --dump-dom "file://$PWD/evil.html"
  expect_eq "$(count '<script' "$dom")" 2
  expect_eq "$(count '<img' "$dom")" 0
  expect_eq "$(count '<b>' "$dom")" 0
  [[ "$dom" == *'class="controls"'* ]] || fail "the page's script did not run"
  [[ -z "$console" ]] || fail "console messages: $console"
  run mlops runs report --limit 0 --markdown
  expect_rc 0
  # Every < is backslash-escaped, so a comment shows it as text.
  [[ -z "$(grep -P '(?<!\\)<' <<<"$out")" ]] || fail "unescaped < in the Markdown: $(grep -P '(?<!\\)<' <<<"$out")"
  expect_out '\<img src=x onerror=alert(5)\>'
}

# The page works without scripts (charts and tables are in the HTML), and its script adds the
# controls without errors.
test_report_in_chromium_with_and_without_scripts() {
  repo_with_runs
  mlops runs report "${golden_ids[@]}" -o report.html 2>/dev/null
  # Headless Chromium's --dump-dom needs scripts itself, so the page's own policy disables them.
  sed "s/script-src 'unsafe-inline'/script-src 'none'/" report.html > noscript.html
  browser --dump-dom "file://$PWD/noscript.html"
  [[ "$dom" != *'class="controls"'* ]] || fail "scripts ran though disabled"
  [[ "$console" == *"Content Security Policy"* ]] || fail "the policy did not block the script: $console"
  [[ "$(count '<svg' "$dom")" -ge 10 ]] || fail "too few charts without scripts: $(count '<svg' "$dom")"
  [[ "$dom" == *'Data table: loss'* ]] || fail "no data table without scripts"
  browser --dump-dom "file://$PWD/report.html"
  expect_eq "$(count 'class="controls"' "$dom")" 7  # 2 compared metrics, 5 curves in the run views
  [[ "$dom" == *'aria-sort'* || "$dom" == *'<button type="button">'* ]] || fail "the runs table is not sortable"
  [[ -z "$console" ]] || fail "console messages: $console"
  browser --screenshot="$TEST_ROOT/report.png" --window-size=1100,1600 "file://$PWD/report.html" >/dev/null
  expect_file "$TEST_ROOT/report.png"
  if [[ -n "${MLOPS_TEST_ARTIFACTS:-}" ]]; then cp "$TEST_ROOT/report.png" "$MLOPS_TEST_ARTIFACTS/report.png"; fi
}

test_report_help_and_completion() {
  run mlops runs report --help
  expect_rc 0
  expect_out "Examples:"
  expect_out "--markdown"
  repo_with_runs
  run mlops __complete runs report --metric ""
  expect_out "loss"
  run mlops __complete runs report 01kb
  expect_out "01kb0000000002"
}

test_plot_draws_curves_in_the_terminal() {
  repo_with_runs
  run mlops runs plot 01kb0000000001 01kb0000000002 --metric loss --width 70 --height 12
  expect_rc 0
  expect_out "loss"
  expect_out "** 01kb0000000001 (baseline)"
  expect_out "++ 01kb0000000002 (fast)"
  expect_out "step"
  expect_eq "$(grep -c '┤' <<<"$out")" 12
  [[ "$out" != *$'\x1b'* ]] || fail "colour codes in a pipe"
  # One run: braille; with colour asked for: ANSI colours.
  run mlops runs plot 01kb0000000001 --metric loss --width 70 --height 12
  [[ "$out" == *"━━ 01kb0000000001 (baseline)"* ]] || fail "no braille legend: $out"
  LC_ALL=C grep -q $'\xe2[\xa0-\xa3]' <<<"$out" || fail "no braille: $out"
  run mlops --color=always runs plot 01kb0000000001 01kb0000000002 --metric loss --width 70
  [[ "$out" == *$'\x1b[34m'* && "$out" == *$'\x1b[33m'* ]] || fail "no colour per run"
  # The spike at step 700 reaches the top row of the plot.
  run mlops runs plot 01kb0000000001 --metric loss --width 70 --height 12 --style ascii
  [[ "$(sed -n 2p <<<"$out")" == *'*'* ]] || fail "the spike is lost: $out"
}

test_plot_json_and_errors() {
  repo_with_runs
  run mlops runs plot 01kb0000000001 --metric loss --width 40 --json
  expect_rc 0
  expect_eq "$(json_get '["runs"][0]["points"]' <<<"$out")" 1500
  [[ "$(json_get '["runs"][0]["drawn"].__len__()' <<<"$out")" -le 82 ]] || fail "not downsampled to the width"
  run mlops runs plot 01kb0000000001 --metric los
  expect_rc 2
  expect_err "did you mean 'loss'?"
  run mlops runs plot zzzz --metric loss
  expect_rc 2
  run mlops runs plot 01kb0000000001
  expect_rc 2
  expect_err "--metric"
  run mlops runs plot 01kb0000000001 --metric loss --height 1
  expect_rc 2
  expect_err "out of range"
  run mlops runs plot 01kb0000000001 --metric loss --style dots
  expect_rc 2
  run mlops runs plot 01kb0000000003 --metric acc
  expect_rc 2
  run mlops runs plot 01kb0000000001 01kb0000000003 --metric acc --width 50
  expect_rc 0
  expect_err "01kb0000000003 (no-acc) has no 'acc' points"
  run mlops runs plot --help
  expect_out "Example: mlops runs plot"
}

run_tests "${1:-}"
