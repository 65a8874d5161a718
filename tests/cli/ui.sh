#!/usr/bin/env bash
# CLI tests: mlops ui, started by each test on a free loopback port (--port 0) and stopped by it;
# pages checked with curl and in headless Chromium (DOM, console), screenshots kept when
# MLOPS_TEST_ARTIFACTS names a folder.
source "$(dirname "$0")/lib.sh"
export PATH="$(dirname "$MLOPS"):$PATH"
: "${MLOPS_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
fixtures="$(cd "$MLOPS_SOURCE_DIR" && pwd)/tests/fixtures/report"
drift_data="$(cd "$MLOPS_SOURCE_DIR" && pwd)/tests/data/drift"

repo_with_runs() {
  new_repo
  python3 "$fixtures/make_runs.py" "$@" > runs.json || fail "make_runs.py failed"
  mlops runs import runs.json >/dev/null 2>&1 || fail "runs import failed"
}

# Starts `mlops ui --port 0 ARGS...` in the background; sets $url and $server_pid.
start_ui() {
  # The last server's address must not be read before this one's redirection empties the file
  # (under load the loop below won that race and fetched from a stopped server: an empty page).
  rm -f "$TEST_ROOT/ui.out" "$TEST_ROOT/ui.err"
  # The binary itself, not the mlops function: $! must be the server, not a subshell.
  "$MLOPS" ui --port 0 "$@" > "$TEST_ROOT/ui.out" 2> "$TEST_ROOT/ui.err" &
  server_pid=$!
  url=""
  for _ in $(seq 100); do
    url=$(head -1 "$TEST_ROOT/ui.out" 2>/dev/null)
    [[ -n "$url" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ "$url" == http://*:*/ ]] || { fail "ui did not start: $(cat "$TEST_ROOT/ui.err")"; return 1; }
}

# Stops the server with SIGTERM; it must exit 0.
stop_ui() {
  kill -TERM "$server_pid" 2>/dev/null
  wait "$server_pid"
  local code=$?
  [[ $code == 0 ]] || fail "ui exited $code after SIGTERM: $(cat "$TEST_ROOT/ui.err")"
}

# fetch [CURL ARGS...] URL: status in $status, headers in $headers, body in $body.
fetch() {
  body=$(curl -s --noproxy '*' --max-time 20 -D "$TEST_ROOT/headers" -o - -w '\n%{http_code}' "$@")
  status=${body##*$'\n'}
  body=${body%$'\n'*}
  headers=$(tr -d '\r' < "$TEST_ROOT/headers")
}

# chromium URL: the DOM after load in $dom, console messages in $console.
# A profile of its own each time: Chromium hands a second instance on one profile to the first.
browser() {
  command -v chromium >/dev/null || { fail "chromium is not installed (scripts/install-deps installs it)"; return 1; }
  dom=$(timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --no-proxy-server \
    --user-data-dir="$(mktemp -d "$TEST_ROOT/chromium.XXXXXX")" --virtual-time-budget=2000 --enable-logging=stderr --v=0 "$@" \
    2>"$TEST_ROOT/.console")
  console=$(grep -a 'CONSOLE' "$TEST_ROOT/.console")
}

count() { grep -o -- "$1" <<<"$2" | wc -l; }

test_ui_pages_in_chromium() {
  repo_with_runs
  start_ui || return
  browser --dump-dom "$url"
  for id in 01kb0000000001 01kb0000000002 01kb0000000003; do
    [[ "$dom" == *"href=\"/run/$id\""* ]] || fail "the runs page lacks $id"
  done
  [[ "$dom" == *'name="where"'* ]] || fail "no filter box"
  [[ -z "$console" ]] || fail "console messages on the runs page: $console"
  browser --dump-dom "${url}compare?id=01kb0000000001&id=01kb0000000002"
  # The primary-metric form, and one per curve chart from the script (/static/page.js), which ran under the CSP.
  expect_eq "$(count 'class="controls"' "$dom")" 3
  [[ "$dom" == *'params.lr against metrics.acc'* ]] || fail "no scatter on the compare page"
  [[ "$dom" == *'<td class="num" data-value="0.948377">0.948377</td>'* ]] || fail "no final value of fast"
  [[ -z "$console" ]] || fail "console messages on the compare page: $console"
  browser --dump-dom "${url}run/01kb0000000002"
  [[ "$dom" == *'python train.py --lr 0.3'* ]] || fail "the run page lacks the command"
  [[ "$dom" == *'model.pt'* ]] || fail "the run page lacks the artifact"
  [[ -z "$console" ]] || fail "console messages on the run page: $console"
  if [[ -n "${MLOPS_TEST_ARTIFACTS:-}" ]]; then
    browser --screenshot="$MLOPS_TEST_ARTIFACTS/ui-runs.png" --window-size=1200,800 "$url" >/dev/null
    browser --screenshot="$MLOPS_TEST_ARTIFACTS/ui-compare.png" --window-size=1100,1600 \
      "${url}compare?id=01kb0000000001&id=01kb0000000002&id=01kb0000000003" >/dev/null
  fi
  stop_ui
}

test_ui_runs_page_filters_sorts_and_chooses_columns() {
  repo_with_runs
  start_ui || return
  fetch "${url}?where=params.lr%20%3E%3D%200.1&sort=-metrics.loss&columns=params.lr,metrics.loss"
  expect_eq "$status" 200
  [[ "$body" == *"2 runs match the filter"* ]] || fail "not filtered: $body"
  [[ "$body" != *"01kb0000000003"* ]] || fail "a run the filter excludes is shown"
  local first second
  first=$(grep -o 'href="/run/[0-9a-z]*"' <<<"$body" | head -1)
  expect_eq "$first" 'href="/run/01kb0000000001"'  # loss 0.155685 before 0.056358
  [[ "$body" == *'>metrics.loss</a> <a class="hide"'* ]] || fail "the chosen column is missing"
  [[ "$body" == *'aria-sort="descending"'* ]] || fail "the sorted column is not marked"
  fetch "${url}?where=params.lr%20%3E"
  expect_eq "$status" 400
  [[ "$body" == *"malformed filter at position 11"* && "$body" == *"^</pre>"* ]] || fail "no caret: $body"
  fetch "${url}?columns=bogus"
  expect_eq "$status" 400
  [[ "$body" == *"unknown column"* ]] || fail "bad column accepted"
  stop_ui
}

test_ui_runs_page_chooses_columns_by_clicking() {
  repo_with_runs
  start_ui || return
  fetch "$url"
  # The chooser: a box per key, ticked for the columns shown by default (the ones that vary).
  [[ "$body" == *'<details class="columns"><summary>Choose columns'* ]] || fail "no column chooser"
  [[ "$body" == *'value="params.lr" checked>'* ]] || fail "params.lr (varies) is not ticked"
  [[ "$body" == *'value="tags.team">'* ]] || fail "tags.team (the same in every run) is not offered unticked"
  [[ "$body" == *'value="user">'* ]] || fail "the attributes are not offered"
  # What the form sends when tags.team and metrics.acc are ticked.
  fetch "${url}?where=&sort=&column=%2C&column=tags.team&column=metrics.acc"
  expect_eq "$status" 200
  [[ "$body" == *'>tags.team</a> <a class="hide"'* ]] || fail "the ticked column is not shown"
  [[ "$body" == *'>metrics.acc</a> <a class="hide"'* ]] || fail "the second ticked column is not shown"
  [[ "$body" != *'>params.lr</a>'* ]] || fail "an unticked column is shown"
  [[ "$body" == *'value="tags.team" checked>'* ]] || fail "the chooser does not show what is ticked"
  [[ "$body" == *'value="tags.team,metrics.acc"'* ]] || fail "the Columns box does not say the columns"
  # Clicking x on a heading hides that column and keeps the others.
  local hide
  hide=$(grep -o 'href="[^"]*" aria-label="hide column tags.team"' <<<"$body" | sed 's/^href="//; s/".*//; s/&amp;/\&/g')
  expect_eq "$hide" "/?columns=metrics.acc"
  fetch "${url%/}$hide"
  [[ "$body" != *'>tags.team</a>'* && "$body" == *'>metrics.acc</a>'* ]] || fail "hiding did not hide only that column"
  # Nothing ticked: no columns after the run's own, not the default ones.
  fetch "${url}?column=%2C"
  [[ "$body" != *'class="hide"'* ]] || fail "columns shown with none ticked"
  # A filter's key stays as a column, without a hide link.
  fetch "${url}?where=params.lr%20%3E%200&column=%2C"
  [[ "$body" == *'>params.lr</a></th>'* ]] || fail "the filter's column is hidden or hideable"
  fetch "${url}?column=bogus"
  expect_eq "$status" 400
  browser --dump-dom "${url}?column=%2C&column=tags.team"
  [[ "$dom" == *'>tags.team</a>'* ]] || fail "the chosen column is missing in chromium"
  [[ -z "$console" ]] || fail "console messages: $console"
  stop_ui
}

test_ui_refuses_other_hosts_and_writes() {
  repo_with_runs
  local before port
  before=$(find . -path ./.git -prune -o -path './.mlops/runs.db*' -prune -o -print | sort; mlops runs export | md5sum)
  start_ui || return
  port=${url##*:}
  port=${port%/}
  fetch -H "Host: evil.example" "$url"
  expect_eq "$status" 403
  fetch -H "Host: evil.example:$port" "$url"
  expect_eq "$status" 403
  fetch -X POST "${url}run/01kb0000000001"
  expect_eq "$status" 405
  fetch -X DELETE "${url}run/01kb0000000001"
  expect_eq "$status" 405
  fetch "${url}no/such/page"
  expect_eq "$status" 404
  fetch "${url}run/zzzz"
  expect_eq "$status" 404
  fetch "$url"
  expect_eq "$status" 200
  [[ "$headers" == *"Content-Security-Policy: default-src 'none'; style-src 'self'; script-src 'self'"* ]] ||
    fail "no strict CSP: $headers"
  [[ "$headers" == *"X-Content-Type-Options: nosniff"* ]] || fail "no nosniff"
  fetch -H "Host: localhost:$port" "$url"
  expect_eq "$status" 200
  stop_ui
  local after
  after=$(find . -path ./.git -prune -o -path './.mlops/runs.db*' -prune -o -print | sort; mlops runs export | md5sum)
  expect_eq "$after" "$before"
}

test_ui_on_all_addresses_answers_the_machines_names() {
  repo_with_runs
  start_ui --host 0.0.0.0 --allow-host ml.example.com || return
  local port=${url##*:}
  port=${port%/}
  [[ "$url" != *0.0.0.0* ]] || fail "the address printed is the wildcard: $url"
  expect_eq "$(grep -c 'anyone who can reach this address' "$TEST_ROOT/ui.err")" 1
  grep -q "answering to Host 127.0.0.1:$port, localhost:$port" "$TEST_ROOT/ui.err" || fail "no note of the hosts: $(cat "$TEST_ROOT/ui.err")"
  local address
  for address in 127.0.0.1 $(hostname -I 2>/dev/null); do
    [[ "$address" == *:* ]] && continue  # 0.0.0.0 is IPv4 only
    fetch "http://$address:$port/"
    expect_eq "$status" 200
  done
  for host in "localhost:$port" "$(hostname):$port" "ml.example.com" "ml.example.com:$port"; do
    fetch -H "Host: $host" "http://127.0.0.1:$port/"
    expect_eq "$status" 200
  done
  fetch -H "Host: evil.example:$port" "http://127.0.0.1:$port/"
  expect_eq "$status" 403
  [[ "$body" == *"--allow-host NAME"* ]] || fail "the 403 page does not say how to add a name"
  stop_ui
  # An address that is not this machine's: the hint names the address, not the port; no warning before.
  run mlops ui --host 203.0.113.77 --port 0
  expect_rc 3
  expect_err "is not an address of this machine"
  [[ "$err" != *"anyone who can reach"* ]] || fail "warned before a bind that failed"
  [[ "$err" != *"another port"* ]] || fail "the hint is about the port"
}

test_ui_default_columns_show_the_metrics_and_name_the_rest() {
  new_repo
  local i p params
  for i in 1 2; do
    params=()
    for p in 01 02 03 04 05 06 07 08 09 10 11 12; do params+=(--param "p$p=$i"); done
    mlops run --name "r$i" "${params[@]}" -- \
      sh -c "mlops log metric m_a $i && mlops log metric m_b $i && mlops log metric m_c $i" >/dev/null 2>&1 ||
      fail "run $i failed"
  done
  start_ui || return
  fetch "$url"
  for key in metrics.m_a metrics.m_b metrics.m_c params.p01 params.p09; do
    [[ "$body" == *">$key</a>"* ]] || fail "no column $key"
  done
  [[ "$body" != *'>params.p10</a>'* ]] || fail "more than 12 columns by default"
  [[ "$body" == *'3 more columns vary between these runs and are not shown: params.p10, params.p11, params.p12'* ]] ||
    fail "the columns left out are not named"
  stop_ui
}

# A store of more runs than a page holds: each page shows its slice of the newest-first order
# (read from the store a page at a time), a page past the end shows the last, and a filter pages
# through its own matches.
test_ui_runs_page_pages_through_many_runs() {
  new_repo
  python3 - > many.json <<'PY'
import json, time
iso = lambda ms: time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".000Z"
runs = []
for i in range(250):
    start = 1764547200000 + i * 60_000
    runs.append({"id": "01kc%010d" % i, "name": f"sweep-{i}", "status": "finished", "exit_code": 0, "user": "ci",
                 "host": "h", "start_time": iso(start), "end_time": iso(start + 1000), "duration": 1.0,
                 "command": ["python", "train.py"], "cwd": "", "git": {"commit": "", "branch": "", "dirty": False},
                 "data_dirty": False, "params": {"seed": str(i)}, "tags": {},
                 "metrics": {"acc": {"value": i / 1000, "step": 1, "timestamp": start}},
                 "metric_history": [{"key": "acc", "value": i / 1000, "step": 1, "timestamp": start}],
                 "data": [], "artifacts": [], "environment": {}, "variables": {}})
print(json.dumps({"format": "mlops-runs", "version": 1, "runs": runs}))
PY
  mlops runs import many.json >/dev/null 2>&1 || fail "runs import failed"
  start_ui || return
  fetch "$url"
  expect_eq "$status" 200
  [[ "$body" == *"250 runs · showing 1–100"* ]] || fail "page 1 does not say what it shows"
  [[ "$body" == *'>sweep-249<'* && "$body" == *'>sweep-150<'* && "$body" != *'>sweep-149<'* ]] ||
    fail "page 1 is not the 100 newest runs"
  fetch "${url}?page=3"
  [[ "$body" == *"showing 201–250"* && "$body" == *'>sweep-49<'* && "$body" == *'>sweep-0<'* ]] ||
    fail "page 3 is not the oldest 50"
  [[ "$body" != *'>sweep-50<'* && "$body" != *"older →"* ]] || fail "page 3 shows more than its runs"
  # Past the end, and a number no page has: the last page, not an empty table or an error.
  for page in 4 99999999999999999999999; do
    fetch "${url}?page=$page"
    expect_eq "$status" 200
    [[ "$body" == *"showing 201–250"* && "$body" == *'>sweep-0<'* ]] || fail "page=$page is not the last page"
  done
  fetch "${url}?page=abc"
  [[ "$body" == *"showing 1–100"* ]] || fail "page=abc is not the first page"
  # A filter and a sort page through their matches: acc >= 0.05 is sweep-50 .. sweep-249.
  fetch "${url}?where=metrics.acc%20%3E%3D%200.05&sort=metrics.acc&page=2"
  [[ "$body" == *"200 runs match the filter · showing 101–200"* ]] || fail "the filtered count or slice is wrong"
  [[ "$body" == *'>sweep-150<'* && "$body" == *'>sweep-249<'* && "$body" != *'>sweep-149<'* ]] ||
    fail "page 2 of the filtered, sorted runs is wrong"
  stop_ui
}

# Pages go gzip-compressed to a client that takes gzip (cheap, unlike cpp-httplib's own brotli at
# its slowest setting), the same bytes once decoded; as they are to one that does not.
test_ui_compresses_with_gzip_when_asked() {
  repo_with_runs
  start_ui || return
  fetch "$url"
  local plain=$body
  [[ "$headers" != *"Content-Encoding"* ]] || fail "compressed for a client that asked for none: $headers"
  fetch --compressed -H "Accept-Encoding: gzip, deflate, br" "$url"
  [[ "$headers" == *"Content-Encoding: gzip"* ]] || fail "not gzip: $headers"
  [[ "$headers" == *"Vary: Accept-Encoding"* ]] || fail "no Vary header: $headers"
  expect_eq "$body" "$plain"
  for offer in "br" "gzip;q=0, br" "identity"; do
    fetch -H "Accept-Encoding: $offer" "$url"
    [[ "$headers" != *"Content-Encoding"* ]] || fail "Accept-Encoding: $offer got $headers"
    expect_eq "$body" "$plain"
  done
  fetch --compressed -H "Accept-Encoding: GZIP;q=0.5" "${url}static/page.css"
  [[ "$headers" == *"Content-Encoding: gzip"* ]] || fail "the stylesheet is not gzip: $headers"
  stop_ui
}

test_ui_empty_pages_say_what_to_run() {
  new_repo
  mlops runs list >/dev/null 2>&1  # may create an empty runs.db: both cases must read the same
  start_ui || return
  fetch "$url"
  [[ "$body" == *"No runs yet: record one with <code>mlops run -- CMD</code>"* ]] ||
    [[ "$body" == *"No runs yet: record one with &#39;mlops run -- CMD&#39;"* ]] || fail "no empty-state hint: $body"
  [[ "$body" != *'Compare the selected runs'* ]] || fail "an empty table with a Compare button"
  fetch "${url}models"
  [[ "$body" == *'<code>mlops model register NAME --run ID</code>'* ]] || fail "a wrong register command: $body"
  stop_ui
}

test_ui_runs_page_says_did_you_mean_for_a_key_no_run_has() {
  repo_with_runs
  start_ui || return
  fetch "${url}?where=metrics.ac+%3E+0.5"
  expect_eq "$status" 200
  [[ "$body" == *"No run has &#39;metrics.ac&#39;: did you mean &#39;metrics.acc&#39;?"* ]] ||
    [[ "$body" == *"No run has 'metrics.ac': did you mean 'metrics.acc'?"* ]] || fail "no did-you-mean for the filter"
  fetch "${url}?sort=-metrics.los&columns=params.lr,params.l"
  [[ "$body" == *"metrics.los"*"did you mean"*"metrics.loss"* ]] || fail "no did-you-mean for the sort"
  [[ "$body" == *"params.l"*"did you mean"*"params.lr"* ]] || fail "no did-you-mean for a column"
  fetch "${url}?where=metrics.acc+%3E+0.5"
  [[ "$body" != *"No run has"* ]] || fail "a warning for a key the runs have"
  stop_ui
}

test_ui_compare_chooses_the_primary_metric() {
  repo_with_runs
  start_ui || return
  local ids="id=01kb0000000001&id=01kb0000000002"
  fetch "${url}compare?$ids&primary=loss"
  [[ "$body" == *'params.lr against metrics.loss'* ]] || fail "?primary=loss is ignored"
  [[ "$body" == *'<select name="primary"><option>acc</option><option selected>loss</option>'* ]] ||
    fail "no primary metric control"
  fetch "${url}compare?$ids&sort=-metrics.loss"
  [[ "$body" == *'params.lr against metrics.loss'* ]] || fail "the sort's metric is not the primary one"
  fetch "${url}compare?$ids&primary=los"
  expect_eq "$status" 200
  [[ "$body" == *"did you mean 'loss'?"* ]] || fail "no did-you-mean for a misspelt primary"
  [[ "$body" == *'params.lr against metrics.acc'* ]] || fail "the default is not used after a typo"
  fetch "${url}?sort=-metrics.loss"
  [[ "$body" == *'action="/compare"><input type="hidden" name="sort" value="-metrics.loss">'* ]] ||
    fail "the Compare button does not carry the sort"
  stop_ui
}

test_ui_escapes_hostile_strings() {
  repo_with_runs --hostile
  mlops run --name '<img src=x onerror=alert(5)>' -- sh -c 'echo "<script>alert(6)</script>"' >/dev/null 2>&1
  local newest
  newest=$(mlops runs list --ids --limit 1)
  start_ui || return
  for page in "" "run/01kb0000000011" "run/$newest" "compare?id=01kb0000000011&id=01kb0000000012"; do
    browser --dump-dom "$url$page"
    expect_eq "$(count '<script' "$dom")" 2  # the data block and /static/page.js
    expect_eq "$(count '<img' "$dom")" 0
    expect_eq "$(count '<b>' "$dom")" 0
    [[ -z "$console" ]] || fail "console messages on /$page: $console"
  done
  stop_ui
}

test_ui_refreshes_a_running_run() {
  repo_with_runs
  local id
  id=$(mlops run start --name live 2>/dev/null)
  start_ui || return
  fetch "${url}run/$id"
  [[ "$body" == *'<meta http-equiv="refresh" content="5">'* ]] || fail "a running run does not refresh"
  mlops run end "$id" >/dev/null 2>&1
  fetch "${url}run/$id"
  [[ "$body" != *'http-equiv="refresh"'* ]] || fail "a finished run still refreshes"
  stop_ui
}

test_ui_models_page() {
  new_repo
  echo weights > model.bin
  echo model.bin > .gitignore
  git add -A && git commit -qm init
  mlops run --name train --artifact model.bin -- mlops log metric auc 0.93 >/dev/null 2>&1
  local id
  id=$(mlops runs list --ids --limit 1)
  mlops model register churn --run "$id" --artifact model.bin --message '<b>retrained</b>' >/dev/null 2>&1 ||
    fail "model register failed"
  mlops model promote churn v0.0.1 --to production >/dev/null 2>&1 || fail "model promote failed"
  local tags_before
  tags_before=$(git tag -l; ls .mlops)
  start_ui || return
  fetch "${url}models"
  expect_eq "$status" 200
  [[ "$body" == *'<td>production</td><td>v0.0.1</td>'* ]] || fail "no stage table: $body"
  [[ "$body" == *"href=\"/run/$id\""* ]] || fail "the version is not linked to its run"
  [[ "$body" == *'auc = 0.93'* ]] || fail "no metrics in the lineage"
  [[ "$body" == *'assignment of v0.0.1 to production'* ]] || fail "no history"
  [[ "$body" != *'<b>'* ]] || fail "unescaped message"
  stop_ui
  # Gates live on the assignment tags; a rollback's -m is the user's reason.
  git commit -q --allow-empty -m "next version"  # a version per commit
  mlops run --name train2 --artifact model.bin -- mlops log metric auc 0.95 >/dev/null 2>&1
  id=$(mlops runs list --ids --limit 1)
  mlops model register churn --run "$id" --artifact model.bin >/dev/null 2>&1 || fail "register v0.0.2 failed"
  mlops model promote churn v0.0.2 --to production --require 'metrics.auc >= 0.9' >/dev/null 2>&1 ||
    fail "promote v0.0.2 failed"
  mlops model rollback churn --stage production -m 'latency regression' >/dev/null 2>&1 || fail "rollback failed"
  tags_before=$(git tag -l; ls .mlops)
  start_ui || return
  fetch "${url}models"
  [[ "$body" == *'to production: <span class="status-finished">gate metrics.auc &gt;= 0.9: pass'* ]] ||
    fail "the version's lineage lacks its gate: $body"
  [[ "$body" == *'(rollback of production from v0.0.2): <q>latency regression</q>'* ]] ||
    fail "the history lacks the rollback's reason"
  [[ "$body" == *'<li><time>'*'assignment of v0.0.2 to production'*'<br><span class="status-finished">gate metrics.auc'* ]] ||
    fail "the history lacks the gate"
  # v0.0.1 holds production again: before it v0.0.2, and before that v0.0.1 itself, newest first.
  [[ "$body" == *'<th>held before (newest first)</th>'*'<td>production</td><td>v0.0.1</td><td>v0.0.2, v0.0.1</td>'* ]] ||
    fail "held before is not newest first"
  browser --dump-dom "${url}models"
  [[ "$dom" == *'registration of v0.0.1'* ]] || fail "the models page does not load in chromium"
  [[ -z "$console" ]] || fail "console messages on the models page: $console"
  stop_ui
  expect_eq "$(git tag -l; ls .mlops)" "$tags_before"
}

test_ui_errors() {
  repo_with_runs
  run mlops ui --port 70000
  expect_rc 2
  expect_err "not a port"
  start_ui || return
  local port=${url##*:}
  port=${port%/}
  run mlops ui --port "$port"
  expect_rc 3
  expect_err "cannot listen on 127.0.0.1:$port"
  stop_ui
  run mlops ui --help
  expect_out "Example: mlops ui"
  expect_out "Models (stages, versions, lineage, gates, history) and Drift"
  expect_out "this repository's runs"
  cd "$TEST_ROOT" && mkdir -p bare && cd bare && git init -q .
  run mlops ui --port 0
  expect_rc 2
}

test_ui_models_page_shows_what_repro_said() {
  new_repo
  echo model.bin > .gitignore
  git add -A && git commit -qm init
  mlops run --name same --artifact model.bin -- sh -c 'echo weights > model.bin' >/dev/null 2>&1
  local same changing
  same=$(mlops runs list --ids --limit 1)
  git commit -q --allow-empty -m "next version"  # a version per commit: the run's
  mlops run --name changing --artifact model.bin -- sh -c 'date +%s%N > model.bin' >/dev/null 2>&1
  changing=$(mlops runs list --ids --limit 1)
  mlops model register churn --run "$same" --artifact model.bin >/dev/null 2>&1 || fail "register v0.0.1 failed"
  mlops model register churn --run "$changing" --artifact model.bin >/dev/null 2>&1 || fail "register v0.0.2 failed"
  start_ui || return
  fetch "${url}models"
  expect_eq "$(count 'never rebuilt' "$body")" 2
  stop_ui

  run mlops repro churn@v0.0.1
  expect_rc 0
  local rebuilt
  rebuilt=$(mlops runs list --ids --limit 1)
  run mlops runs show "$rebuilt" --json
  expect_eq "$(json_get '["tags"]["repro_verdict"]' <<<"$out")" "bit-identical"
  expect_eq "$(json_get '["tags"]["repro_target"]' <<<"$out")" "churn@v0.0.1"
  run mlops repro churn@v0.0.2
  expect_rc 1
  local rebuilt2
  rebuilt2=$(mlops runs list --ids --limit 1)
  expect_eq "$(mlops runs list --where "tags.repro_verdict = 'differs'" --ids)" "$rebuilt2"

  start_ui || return
  fetch "${url}models"
  [[ "$body" == *"<span class=\"status-finished\">bit-identical</span><br>rebuilt as <a href=\"/run/$rebuilt\">"* ]] ||
    fail "v0.0.1's repro verdict is missing: $body"
  [[ "$body" == *"<span class=\"status-failed\">differs</span><br>rebuilt as <a href=\"/run/$rebuilt2\">"* ]] ||
    fail "v0.0.2's repro verdict is missing"
  expect_eq "$(count 'never rebuilt' "$body")" 0
  stop_ui
}

test_drift_keep_and_the_drift_page() {
  new_repo
  local data="$drift_data"
  run mlops drift check "$data/small.ref.csv" "$data/small.cur.csv" --keep --json
  expect_rc 1  # the fixture drifts; the report is kept all the same
  local id
  id=$(json_get '["kept"]["id"]' <<<"$out")
  [[ "$id" =~ ^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$ ]] || fail "no kept id: $out"
  expect_eq "$(json_get '["kept"]["path"]' <<<"$out")" ".mlops/drift/reports/$id.json"
  expect_file ".mlops/drift/reports/$id.json"
  expect_eq "$(json_get '["format"]' < ".mlops/drift/reports/$id.json")" "mlops-drift-report"
  [[ "$out" != *'"histogram"'* ]] || fail "--json grew the histograms"
  run mlops drift check "$data/small.ref.csv" "$data/small.ref.csv" --keep
  expect_rc 0
  expect_err "kept drift report "
  expect_eq "$(ls .mlops/drift/reports | wc -l)" 2
  start_ui || return
  fetch "${url}drift"
  expect_eq "$status" 200
  [[ "$body" == *"2 kept reports"* ]] || fail "not listed: $body"
  [[ "$body" == *"href=\"/drift/$id\""* ]] || fail "no link to $id"
  [[ "$body" == *"Dataset drift detected"* && "$body" == *"No dataset drift"* ]] || fail "no verdicts"
  browser --dump-dom "${url}drift/$id"
  [[ "$dom" == *'reference and current</title>'* ]] || fail "no chart on the report page"
  [[ "$dom" == *'small.cur.csv'* ]] || fail "the report page lacks the current data"
  [[ -z "$console" ]] || fail "console messages on the drift page: $console"
  if [[ -n "${MLOPS_TEST_ARTIFACTS:-}" ]]; then
    browser --screenshot="$MLOPS_TEST_ARTIFACTS/ui-drift.png" --window-size=1100,1600 "${url}drift/$id" >/dev/null
  fi
  fetch "${url}drift/nothing-here"
  expect_eq "$status" 404
  fetch "${url}drift/..%2F..%2Fconfig.yaml"
  expect_eq "$status" 404
  stop_ui
}

test_drift_keep_errors_change_nothing() {
  local data="$drift_data"
  cd "$TEST_ROOT" && mkdir -p keep-bare && cd keep-bare && git init -q .
  run mlops drift check "$data/small.ref.csv" "$data/small.cur.csv" --keep
  expect_rc 2
  expect_err "mlops init"
  expect_no_file .mlops
  new_repo
  local before
  before=$(snapshot)
  run mlops drift check "$data/small.ref.csv" missing.csv --keep
  expect_rc 2
  expect_eq "$(snapshot)" "$before"
  run mlops drift check --help
  expect_out "--keep"
}

run_tests "${1:-}"
