#!/usr/bin/env bash
# CLI tests: mlops drift check — formats, options, reports, exit codes and bad input.
source "$(dirname "$0")/lib.sh"
# Evaluates a Python expression over the JSON document on stdin, bound to d.
jpy() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
DATA="${MLOPS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/data/drift"

# Compares `mlops drift check --all-stats --json` on a fixture pair with SciPy's values in
# expected.json: the method chosen, the type, and every statistic (1e-9) and p-value (1e-6).
compare_with_scipy() {
  local name=$1 json=$2
  /usr/bin/python3 - "$DATA/expected.json" "$name" "$json" <<'PY' || fail "statistics differ from SciPy"
import json, math, sys
expected = json.load(open(sys.argv[1]))[sys.argv[2]]
got = {c["name"]: c for c in json.load(open(sys.argv[3]))["columns"]}
bad = []
def close(a, b, rel):
    if b in ("inf",) or a in ("inf",): return a == b
    return abs(a - b) <= rel * abs(b) or abs(a - b) <= 1e-12
for col, want in expected.items():
    g = got.get(col)
    if g is None: bad.append(f"{col}: missing"); continue
    if g["type"] != want["type"]: bad.append(f"{col}: type {g['type']} != {want['type']}")
    if g["method"] != want["method"]: bad.append(f"{col}: method {g['method']} != {want['method']}")
    for method, (stat, p) in want["stats"].items():
        s = g["stats"].get(method)
        if s is None: bad.append(f"{col}: no {method}"); continue
        if not close(s["statistic"], stat, 1e-9): bad.append(f"{col} {method}: statistic {s['statistic']} != {stat}")
        if p is not None and not close(s["p_value"], p, 1e-6): bad.append(f"{col} {method}: p {s['p_value']} != {p}")
    main = want["stats"][want["method"]]
    if not close(g["statistic"], main[0], 1e-9): bad.append(f"{col}: reported statistic {g['statistic']} != {main[0]}")
if bad:
    print("\n".join(bad), file=sys.stderr); sys.exit(1)
PY
}

test_small_csv_agrees_with_scipy() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --all-stats --json
  expect_rc 1
  echo "$out" > result.json
  compare_with_scipy small result.json
  expect_eq "$(jpy 'd["dataset_drift"]' <<<"$out")" "True"
  expect_eq "$(jpy 'd["columns"][0]["name"]' <<<"$out")" "city"
  expect_eq "$(jpy '[c["unseen_categories"] for c in d["columns"] if c["name"]=="city"][0]' <<<"$out")" "['Oslo']"
  # age: "NA" is missing, 5 of 300 in the reference and 15 in the current data.
  expect_eq "$(jpy '[(c["missing"]["reference"], c["missing"]["current"], c["missing"]["changed"]) for c in d["columns"] if c["name"]=="age"][0]' <<<"$out")" "(5, 15, True)"
}

test_gzip_csv_agrees_with_scipy() {
  new_repo
  run mlops drift check "$DATA/large.ref.csv.gz" "$DATA/large.cur.csv.gz" --all-stats --json
  expect_rc 1
  echo "$out" > result.json
  compare_with_scipy large result.json
}

test_table_output_and_exit_codes() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv"
  expect_rc 1
  expect_out "column"
  expect_out "DRIFT"
  expect_out "unseen categories in 'city': 'Oslo'"
  expect_out "Dataset drift detected: 5 of 7 columns drifted"
  expect_out "1.7% → 5.0% !"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.ref.csv"
  expect_rc 0
  expect_out "No dataset drift: 0 of 7 columns drifted"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --fail-on never
  expect_rc 0
}

test_drift_share_and_fail_on() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 0.9
  expect_rc 0
  expect_out "No dataset drift: 5 of 7 columns drifted (71.4%, threshold 90.0%)"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 0.9 --fail-on column
  expect_rc 1
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 1.5
  expect_rc 2
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --fail-on sometimes
  expect_rc 2
}

# The summary states the verdict that decided the exit code (issue 10 item 12).
test_fail_on_column_summary_agrees_with_exit_code() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 0.9 --fail-on column
  expect_rc 1
  expect_out "Column drift detected: 5 of 7 columns drifted (71.4%; --fail-on column fails on any)"
  expect_no_out "No dataset drift"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.ref.csv" --fail-on column
  expect_rc 0
  expect_out "No column drift: 0 of 7 columns drifted"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 0.9 --fail-on column --markdown
  expect_rc 1
  expect_out "### Drift check: column drift detected"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 0.9 --fail-on column --html r.html
  expect_rc 1
  grep -q "column drift detected" r.html || fail "the HTML report does not say 'column drift detected'"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 0.9 --fail-on column --json
  expect_rc 1
  expect_eq "$(jpy '(d["fail_on"], d["failed"], d["dataset_drift"])' <<<"$out")" "('column', True, False)"
  # --fail-on never reports the drift and says why the exit code is 0 anyway.
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --fail-on never
  expect_rc 0
  expect_out "Dataset drift detected: 5 of 7 columns drifted (71.4%, threshold 50.0%; not a failure with --fail-on never)"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --fail-on never --json
  expect_eq "$(jpy '(d["fail_on"], d["failed"], d["dataset_drift"])' <<<"$out")" "('never', False, True)"
  # The default is unchanged.
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --json
  expect_rc 1
  expect_eq "$(jpy '(d["fail_on"], d["failed"])' <<<"$out")" "('dataset', True)"
}

test_drift_share_from_repo_config() {
  new_repo
  sed -i 's/drift_share: 0.5/drift_share: 0.8/' .mlops/config.yaml
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv"
  expect_rc 0
  expect_out "threshold 80.0%"
  # The flag wins over the repository's setting.
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --drift-share 0.5
  expect_rc 1
}

test_columns_exclude_and_types() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns income,label --json
  expect_rc 0
  expect_eq "$(jpy '[c["name"] for c in d["columns"]]' <<<"$out")" "['income', 'label']"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --exclude city --exclude flag,grade --json
  expect_eq "$(jpy 'd["checked_columns"]' <<<"$out")" "4"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns grade --numeric grade --json
  expect_eq "$(jpy '[(c["type"], c["method"]) for c in d["columns"]][0]' <<<"$out")" "('numeric', 'chisquare')"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns score --categorical score --json
  expect_eq "$(jpy 'd["columns"][0]["type"]' <<<"$out")" "categorical"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns city --numeric city
  expect_rc 2
  expect_err "column 'city' has text values"
}

test_prediction_and_target_first() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --prediction score --target label --json
  expect_eq "$(jpy '[(c["name"], c["role"]) for c in d["columns"]][:2]' <<<"$out")" "[('score', 'prediction'), ('label', 'target')]"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --prediction score --target label
  expect_out "score (prediction)"
  expect_out "label (target)"
  [[ "$(sed -n 2p <<<"$out")" == score* ]] || fail "prediction is not the first row: $out"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --prediction nope
  expect_rc 2
  expect_err "unknown column 'nope' (--prediction)"
}

test_method_override_and_all_stats() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns age,city --method psi --json
  expect_eq "$(jpy '[c["method"] for c in d["columns"]]' <<<"$out")" "['psi', 'psi']"
  expect_eq "$(jpy '[c["threshold"] for c in d["columns"]]' <<<"$out")" "[0.1, 0.1]"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns city --method ks
  expect_rc 2
  expect_err "method 'ks' needs a numeric column; 'city' is categorical"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns city --method ztest
  expect_rc 2
  expect_err "the Z-test needs a column with two values"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --method magic
  expect_rc 2
  expect_err "unknown method 'magic'"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns age --all-stats --json
  expect_eq "$(jpy '[list(c["stats"]) for c in d["columns"]][0]' <<<"$out")" "['ks', 'wasserstein', 'psi', 'jensenshannon', 'chisquare']"
}

test_config_file() {
  new_repo
  cat > drift.yaml <<'YAML'
drift_share: 0.25
thresholds:
  ks: 0.01
columns:
  income:
    method: wasserstein
    threshold: 0.05
  city: {method: jensenshannon}
YAML
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --config drift.yaml --json
  expect_rc 1
  expect_eq "$(jpy 'd["drift_share"]' <<<"$out")" "0.25"
  expect_eq "$(jpy '[(c["method"], c["threshold"]) for c in d["columns"] if c["name"]=="income"][0]' <<<"$out")" "('wasserstein', 0.05)"
  expect_eq "$(jpy '[c["method"] for c in d["columns"] if c["name"]=="city"][0]' <<<"$out")" "jensenshannon"
  expect_eq "$(jpy '[c["threshold"] for c in d["columns"] if c["name"]=="age"][0]' <<<"$out")" "0.01"
}

test_malformed_config() {
  new_repo
  printf 'drift_share: 0.3\ncolumns:\n  age: {method: ks\n' > bad.yaml
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --config bad.yaml
  expect_rc 2
  expect_err "'bad.yaml' line"
  printf 'drift_share: 0.3\ncolumns:\n  age:\n    method: kolmo\n' > bad2.yaml
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --config bad2.yaml
  expect_rc 2
  expect_err "'bad2.yaml' line 4: unknown method 'kolmo'"
  printf 'drift_share: lots\n' > bad3.yaml
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --config bad3.yaml
  expect_rc 2
  expect_err "'bad3.yaml' line 1: drift_share must be a number from 0 to 1"
  printf 'shares: 1\n' > bad4.yaml
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --config bad4.yaml
  expect_rc 2
  expect_err "unknown key 'shares'"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --config missing.yaml
  expect_rc 2
  expect_err "missing.yaml"
}

test_formats_tsv_semicolon_jsonl() {
  new_repo
  printf 'a\tb\n1\tx\n2\ty\n3\tx\n' > ref.tsv
  printf 'a\tb\n1\tx\n2\ty\n4\ty\n' > cur.tsv
  run mlops drift check ref.tsv cur.tsv --json
  expect_rc 1
  expect_eq "$(jpy '[c["name"] for c in d["columns"]]' <<<"$out")" "['a', 'b']"
  printf 'a;b\n1,5;x\n' > ref.txt
  printf 'a;b\n"2,5";y\n' > cur.txt
  run mlops drift check ref.txt cur.txt --json
  expect_eq "$(jpy 'd["checked_columns"]' <<<"$out")" "2"
  printf 'a|b\n1|x\n2|y\n' > ref.psv
  run mlops drift check ref.psv ref.psv --delimiter '|' --json
  expect_rc 0
  expect_eq "$(jpy '[c["name"] for c in d["columns"]]' <<<"$out")" "['a', 'b']"
  run mlops drift check ref.psv ref.psv --delimiter ab
  expect_rc 2
  expect_err "bad delimiter 'ab'"
  printf '{"a": 1, "b": "x", "c": null}\n{"a": 2.5, "b": "y\\u00e9"}\n\n{"b": "x", "a": 3}\n' > ref.jsonl
  printf '{"a": 1, "b": "x", "c": true}\n{"a": 7, "b": "z", "c": false}\n' > cur.jsonl
  run mlops drift check ref.jsonl cur.jsonl --json
  expect_rc 1
  expect_eq "$(jpy '[(c["name"], c["type"], c["values"]["reference"]) for c in d["columns"] if c["name"]=="a"][0]' <<<"$out")" "('a', 'numeric', 3)"
  expect_eq "$(jpy '[c["unseen_categories"] for c in d["columns"] if c["name"]=="b"][0]' <<<"$out")" "['z']"
  expect_eq "$(jpy 'd["skipped"][0]["name"]' <<<"$out")" "c"
  gzip -c ref.jsonl > ref.jsonl.gz
  run mlops drift check ref.jsonl.gz ref.jsonl --json
  expect_rc 0
  expect_eq "$(jpy 'd["reference"]["rows"]' <<<"$out")" "3"
}

test_quoted_csv_fields() {
  new_repo
  printf 'name,note\n"Smith, J","said ""hi""\nthen left"\nplain,x\n' > ref.csv
  printf 'name,note\n"Smith, J","said ""hi""\nthen left"\nother,x\n' > cur.csv
  run mlops drift check ref.csv cur.csv --json --fail-on never
  expect_rc 0
  expect_eq "$(jpy '[c["unseen_categories"] for c in d["columns"] if c["name"]=="name"][0]' <<<"$out")" "['other']"
  expect_eq "$(jpy 'd["reference"]["rows"]' <<<"$out")" "2"
}

test_markdown_report() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --markdown
  expect_rc 1
  expect_out "### Drift check: dataset drift detected"
  expect_out "| column | type | method |"
  expect_out "| city | categorical | chisquare | inf | 0 | 0.0500 | **drift** |"
  expect_out "Unseen categories in \`city\`: \`Oslo\`"
}

test_html_report_is_self_contained() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --html report.html
  expect_rc 1
  expect_file report.html
  grep -q "<svg" report.html || fail "no inline SVG chart"
  [[ $(grep -c "<svg" report.html) -ge 7 ]] || fail "expected a chart per column"
  grep -q "dataset drift detected" report.html || fail "no summary"
  ! grep -Eq '(src|href)="(https?:)?//' report.html || fail "external asset referenced"
  ! grep -q "<script" report.html || fail "script in the report"
  expect_no_file "$(ls .report.html* 2>/dev/null | head -1)"
  # A folder that does not exist: a clear error, and nothing written.
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --html nowhere/report.html
  expect_rc 2
  expect_err "'nowhere/"
  expect_no_file nowhere
}

test_empty_and_header_only() {
  new_repo
  : > empty.csv
  printf 'a,b\n' > header.csv
  printf 'a,b\n1,2\n' > ok.csv
  : > empty.jsonl
  local before; before=$(snapshot)
  run mlops drift check empty.csv ok.csv
  expect_rc 2
  expect_err "'empty.csv' is empty"
  run mlops drift check ok.csv header.csv
  expect_rc 2
  expect_err "'header.csv' has a header but no data rows"
  run mlops drift check ok.csv empty.jsonl
  expect_rc 2
  expect_err "'empty.jsonl' is empty"
  expect_eq "$(snapshot)" "$before"
}

test_ragged_and_bad_quotes() {
  new_repo
  printf 'a,b\n1,2\n3\n' > ragged.csv
  printf 'a,b\n1,2\n"3,4\n5,6\n' > open.csv
  printf 'a,b\n1,2\n3,x"y\n' > stray.csv
  printf 'a,b\n1,2\n' > ok.csv
  run mlops drift check ragged.csv ok.csv
  expect_rc 2
  expect_err "'ragged.csv' line 3: expected 2 fields, found 1"
  run mlops drift check ok.csv open.csv
  expect_rc 2
  expect_err "'open.csv' line 3: unterminated quoted field"
  run mlops drift check ok.csv stray.csv
  expect_rc 2
  expect_err "'stray.csv' line 3: malformed quoting"
  printf '{"a": 1}\n{"a": [1, 2]}\n' > nested.jsonl
  run mlops drift check nested.jsonl nested.jsonl
  expect_rc 2
  expect_err "'nested.jsonl' line 2: nested value for key 'a'"
  printf '{"a": 1}\n{"a": 1, "a": 2}\n' > dup.jsonl
  run mlops drift check dup.jsonl dup.jsonl
  expect_rc 2
  expect_err "'dup.jsonl' line 2: duplicate key 'a'"
}

test_invalid_utf8() {
  new_repo
  printf 'a,b\n1,x\n2,caf\xe9\n' > latin1.csv
  printf 'a,b\n1,x\n' > ok.csv
  run mlops drift check ok.csv latin1.csv
  expect_rc 2
  expect_err "'latin1.csv' line 3: invalid UTF-8"
  expect_err "iconv"
}

test_column_on_one_side_and_all_missing() {
  new_repo
  printf 'a,b,gone,empty\n1,x,5,\n2,y,6,NA\n3,x,7,\n4,y,8,null\n5,x,9,\n6,y,1,\n' > ref.csv
  printf 'a,b,new,empty\n1,x,5,\n2,y,6,\n3,x,7,\n4,y,8,\n5,x,9,\n6,y,1,\n' > cur.csv
  run mlops drift check ref.csv cur.csv --json
  expect_rc 0
  expect_eq "$(jpy '[c["name"] for c in d["columns"]]' <<<"$out")" "['a', 'b']"
  expect_eq "$(jpy '[(s["name"], s["reason"]) for s in d["skipped"]]' <<<"$out")" \
    "[('gone', 'only in the reference data'), ('empty', 'no values in the reference data (all missing)'), ('new', 'only in the current data')]"
  expect_err "column 'gone' not checked: only in the reference data"
  run mlops drift check ref.csv cur.csv --columns empty
  expect_rc 2
  expect_err "no column could be checked"
}

test_constant_column() {
  new_repo
  /usr/bin/python3 -c "
import random
random.seed(3)
with open('ref.csv','w') as f:
    f.write('k,v\n')
    for i in range(1500): f.write(f'7.5,{random.random():.6f}\n')
with open('cur.csv','w') as f:
    f.write('k,v\n')
    for i in range(1500): f.write(f'{7.5 + (i % 9) * 0.1:.1f},{random.random():.6f}\n')
"
  run mlops drift check ref.csv cur.csv --columns k --json
  expect_rc 1
  expect_eq "$(jpy '[(c["method"], c["drifted"], c.get("constant_reference")) for c in d["columns"]][0]' <<<"$out")" "('wasserstein', True, True)"
  expect_err "column 'k' is constant in the reference"
}

test_non_finite_values_are_dropped() {
  new_repo
  printf 'a\n1.5\ninf\n2.5\n-inf\n3.5\n' > ref.csv
  printf 'a\n1.5\n2.5\n3.5\n' > cur.csv
  run mlops drift check ref.csv cur.csv --numeric a --method ks --json
  expect_rc 0
  expect_eq "$(jpy '[(c["values"]["reference"], c["non_finite"]["reference"], c["statistic"]) for c in d["columns"]][0]' <<<"$out")" "(3, 2, 0.0)"
}

test_unknown_column_and_missing_files() {
  new_repo
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns age,agee
  expect_rc 2
  expect_err "unknown column 'agee' (--columns)"
  expect_err "the columns are: age, income"
  run mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --exclude nope
  expect_rc 2
  expect_err "unknown column 'nope' (--exclude)"
  run mlops drift check nothere.csv "$DATA/small.cur.csv"
  expect_rc 2
  expect_err "nothere.csv"
  mkdir adir
  run mlops drift check adir "$DATA/small.cur.csv"
  expect_rc 2
  expect_err "'adir' is a folder"
  run mlops drift check "$DATA/small.ref.csv"
  expect_rc 2
}

test_bad_gzip() {
  new_repo
  gzip -c "$DATA/small.ref.csv" | head -c 300 > truncated.csv.gz
  run mlops drift check truncated.csv.gz "$DATA/small.cur.csv"
  expect_rc 2
  expect_err "'truncated.csv.gz' is a truncated gzip file"
  printf '\x1f\x8bgarbage' > garbage.csv.gz
  run mlops drift check garbage.csv.gz "$DATA/small.cur.csv"
  expect_rc 2
  expect_err "'garbage.csv.gz' is not a valid gzip file"
}

test_path_at_rev_file() {
  new_repo
  mkdir data
  cp "$DATA/small.ref.csv" data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  git add -A && git commit -qm v1 && git tag v1
  cp "$DATA/small.cur.csv" data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  git add -A && git commit -qm v2
  run mlops drift check data/train.csv@v1 data/train.csv@HEAD --json
  expect_rc 1
  expect_eq "$(jpy 'd["reference"]["source"], d["current"]["source"], d["drifted_columns"]' <<<"$out")" "('data/train.csv@v1', 'data/train.csv@HEAD', 5)"
  # The same numbers as from the files themselves.
  local direct
  direct=$(mlops drift check "$DATA/small.ref.csv" "$DATA/small.cur.csv" --json | jpy '[(c["name"], c["statistic"]) for c in d["columns"]]')
  expect_eq "$(jpy '[(c["name"], c["statistic"]) for c in d["columns"]]' <<<"$out")" "$direct"
  # From a subfolder, PATH is relative to it.
  cd data
  run mlops drift check train.csv@v1 train.csv@v1
  expect_rc 0
  cd ..
  local before; before=$(snapshot)
  run mlops drift check data/train.csv@nope data/train.csv
  expect_rc 2
  expect_err "unknown revision 'nope'"
  run mlops drift check data/other.csv@v1 data/train.csv
  expect_rc 2
  expect_err "'data/other.csv' is not tracked by mlops at 'v1'"
  expect_eq "$(snapshot)" "$before"
  # An object missing from the cache: a clear error, never a crash.
  rm -rf .mlops/cache/*
  run mlops drift check data/train.csv@v1 data/train.csv
  expect_rc 2
  expect_err "mlops: error:"
}

test_path_at_rev_folder() {
  new_repo
  mkdir -p feats
  head -151 "$DATA/small.ref.csv" > feats/a.csv
  (head -1 "$DATA/small.ref.csv"; tail -n +152 "$DATA/small.ref.csv") > feats/b.csv
  echo "notes" > feats/README.txt
  mlops data add feats >/dev/null 2>&1 || fail "data add failed"
  git add -A && git commit -qm v1
  run mlops drift check feats@HEAD "$DATA/small.ref.csv" --json
  expect_rc 0
  expect_eq "$(jpy 'd["reference"]["rows"], d["drifted_columns"]' <<<"$out")" "(300, 0)"
}

test_path_at_rev_outside_repo() {
  local dir="$TEST_ROOT/norepo"
  mkdir -p "$dir" && cd "$dir"
  run mlops drift check data.csv@v1 "$DATA/small.ref.csv"
  expect_rc 2
  expect_err "'data.csv@v1' does not exist"
}

test_help() {
  run mlops drift check --help
  expect_rc 0
  expect_out "--prediction"
  expect_out "PATH@REV"
}

# Saved reference profiles: `drift profile` writes one, `drift check PROFILE CUR` uses it.

# The statistic, p-value, method and threshold of every column, as one line per column.
stats_of() { jpy '"\n".join(" ".join(repr(c[k]) for k in ("name", "method", "statistic", "p_value", "threshold", "drifted")) for c in sorted(d["columns"], key=lambda c: c["name"]))'; }

test_profile_written() {
  new_repo
  run mlops drift profile "$DATA/small.ref.csv" -o ref.json
  expect_rc 0
  expect_err "wrote ref.json"
  expect_file ref.json
  expect_eq "$(jpy '(d["mlops_drift_profile"], d["rows"], [c["name"] for c in d["columns"]])' <ref.json)" \
    "(1, 300, ['age', 'income', 'city', 'flag', 'grade', 'score', 'label'])"
  # age: 5 "NA" in 300; numeric with bins whose counts add up to the values kept.
  expect_eq "$(jpy '[(c["type"], c["missing"], c["count"], sum(c["bins"]["counts"]) == c["count"], len(c["bins"]["edges"]) + 1 == len(c["bins"]["counts"])) for c in d["columns"] if c["name"]=="age"][0]' <ref.json)" \
    "('numeric', 5, 295, True, True)"
  expect_eq "$(jpy '[(c["type"], sum(c["categories"].values())) for c in d["columns"] if c["name"]=="city"][0]' <ref.json)" "('categorical', 300)"
  run mlops drift profile "$DATA/small.ref.csv" -o sub.json --columns age,city --json
  expect_rc 0
  expect_eq "$(jpy '(d["profile"], d["rows"], d["columns"])' <<<"$out")" "('sub.json', 300, 2)"
}

# Checks REF and PROFILE against CUR with the same options and compares every statistic.
same_as_reference() {
  local ref=$1 cur=$2; shift 2
  run mlops drift profile "$ref" -o profile.json
  expect_rc 0
  run mlops drift check "$ref" "$cur" --json --fail-on never "$@"
  expect_rc 0
  local want; want=$(stats_of <<<"$out")
  run mlops drift check profile.json "$cur" --json --fail-on never "$@"
  expect_rc 0
  local got; got=$(stats_of <<<"$out")
  [[ -n "$want" ]] || fail "no columns checked"
  expect_eq "$got" "$want"
}

test_profile_check_equals_file_psi() {
  new_repo
  same_as_reference "$DATA/small.ref.csv" "$DATA/small.cur.csv" --method psi
  same_as_reference "$DATA/large.ref.csv.gz" "$DATA/large.cur.csv.gz" --method psi
}

test_profile_check_equals_file_jensenshannon() {
  new_repo
  same_as_reference "$DATA/small.ref.csv" "$DATA/small.cur.csv" --method jensenshannon
  same_as_reference "$DATA/large.ref.csv.gz" "$DATA/large.cur.csv.gz" --method jensenshannon
}

test_profile_check_equals_file_chisquare() {
  new_repo
  same_as_reference "$DATA/small.ref.csv" "$DATA/small.cur.csv" --method chisquare --columns city,flag,grade,label
  same_as_reference "$DATA/small.ref.csv" "$DATA/small.cur.csv" --columns flag --method ztest
}

test_profile_default_methods() {
  new_repo
  run mlops drift profile "$DATA/small.ref.csv" -o profile.json
  run mlops drift check profile.json "$DATA/small.cur.csv" --json --fail-on never
  expect_rc 0
  # age would be KS: with a profile Jensen-Shannon over its bins judges it, and the report says so.
  expect_eq "$(jpy '[(c["method"], c["instead_of"], c["threshold"]) for c in d["columns"] if c["name"]=="age"][0]' <<<"$out")" \
    "('jensenshannon', 'ks', 0.1)"
  expect_eq "$(jpy '[c["method"] for c in d["columns"] if c["name"]=="city"][0]' <<<"$out")" "chisquare"
  run mlops drift check profile.json "$DATA/small.cur.csv" --fail-on never
  expect_out "jensenshannon (profile bins, not ks)"
}

test_profile_ks_is_refused() {
  new_repo
  run mlops drift profile "$DATA/small.ref.csv" -o profile.json
  run mlops drift check profile.json "$DATA/small.cur.csv" --method ks
  expect_rc 2
  expect_err "a profile keeps bins, not the sample: ks needs the reference data itself"
  printf 'columns:\n  income:\n    method: wasserstein\n' > drift.yaml
  run mlops drift check profile.json "$DATA/small.cur.csv" --config drift.yaml
  expect_rc 2
  expect_err "wasserstein needs the reference data itself"
}

test_profile_malformed() {
  new_repo
  printf '{"mlops_drift_profile": 1, "rows": 3, "columns": [{"name": "x"}]}\n' > broken.json
  run mlops drift check broken.json "$DATA/small.cur.csv"
  expect_rc 2
  expect_err "'broken.json' is not a valid drift profile"
  printf '{"mlops_drift_profile": 1, "rows": 3,\n' > cut.json
  run mlops drift check cut.json "$DATA/small.cur.csv"
  expect_rc 2
  expect_err "'cut.json' is not a valid drift profile"
  printf '{"mlops_drift_profile": 7, "rows": 3, "columns": []}\n' > future.json
  run mlops drift check future.json "$DATA/small.cur.csv"
  expect_rc 2
  expect_err "'future.json' is a drift profile of version 7"
}

test_profile_output_folder_missing() {
  new_repo
  run mlops drift profile "$DATA/small.ref.csv" -o nowhere/ref.json
  expect_rc 2
  expect_err "folder 'nowhere' does not exist"
  expect_no_file nowhere
  run mlops drift profile "$DATA/small.ref.csv" -o ref.json --columns nosuch
  expect_rc 2
  expect_err "unknown column 'nosuch'"
  expect_no_file ref.json
  [[ -z "$(ls -A . | grep -v '^\.')" ]] || fail "files left behind: $(ls -A)"
}

test_profile_bins_only_refuse_value_counts() {
  new_repo
  run mlops drift profile "$DATA/large.ref.csv.gz" -o profile.json
  run mlops drift check profile.json "$DATA/large.cur.csv.gz" --columns x --method chisquare
  expect_rc 2
  expect_err "the profile keeps bins for column 'x', not its values: chisquare needs the count of each value"
  run mlops drift check "$DATA/large.cur.csv.gz" profile.json
  expect_rc 2
  expect_err "'profile.json' is a drift profile; only the reference can be one"
}

run_tests "${1:-.}"
