#!/usr/bin/env bash
# CLI tests: mlops schema infer / check / diff — files, PATH@REV, folders, reports, exit codes,
# malformed schemas and data, and that a failed command changes nothing.
source "$(dirname "$0")/lib.sh"
jpy() { /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# A small training set and a batch that breaks its contract in known places.
write_train() {
  cat > "${1:-train.csv}" <<'CSV'
id,age,plan,email,signup
1,34,basic,a@x.io,2024-01-01
2,41,pro,b@x.io,2024-01-05
3,29,basic,c@x.io,2024-01-02
4,55,basic,d@x.io,2024-01-09
5,38,pro,e@x.io,2024-01-03
6,47,basic,f@x.io,2024-01-04
CSV
}
write_bad_batch() {
  cat > "${1:-batch.csv}" <<'CSV'
id,age,plan,email,signup
7,-3,basic,g@x.io,2024-01-06
8,forty,gold,h@x.io,2024-01-07
8,36,,i@x.io,2024-01-08
CSV
}

test_infer_writes_schema_beside_data_and_round_trips() {
  new_repo
  write_train
  run mlops schema infer train.csv
  expect_rc 0
  expect_file train.csv.schema.yaml
  expect_err "wrote train.csv.schema.yaml: 5 columns of train.csv (6 rows)"
  grep -q '^  - name: age$' train.csv.schema.yaml || fail "no age column"
  grep -q 'range: {min: 29, max: 55, severity: warn}' train.csv.schema.yaml || fail "no observed age range"
  grep -q 'values: {in: \[basic, pro\], severity: warn}' train.csv.schema.yaml || fail "no plan value set"
  # -o - prints the same bytes.
  run mlops schema infer train.csv -o -
  expect_rc 0
  expect_eq "$out" "$(cat train.csv.schema.yaml)"
  # The data passes its own schema.
  run mlops schema check train.csv
  expect_rc 0
  expect_out "schema check passed: 6 rows"
}

test_infer_refuses_to_overwrite_a_schema() {
  new_repo
  write_train
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  echo "# curated" >> train.csv.schema.yaml
  local before; before=$(snapshot)
  run mlops schema infer train.csv
  expect_rc 2
  expect_err "'train.csv.schema.yaml' exists"
  expect_err "--force"
  expect_eq "$(snapshot)" "$before"
  run mlops schema infer train.csv --force --ranges padded --json
  expect_rc 0
  expect_eq "$(jpy 'd["schema"], d["rows"], d["columns"]' <<<"$out")" "('train.csv.schema.yaml', 6, 5)"
  grep -q 'range: {min: 26, max: 58, severity: warn}' train.csv.schema.yaml || fail "no padded age range"
  run mlops schema infer train.csv -o nofolder/s.yaml
  expect_rc 2
  expect_err "folder 'nofolder' does not exist"
  run mlops schema infer train.csv -o s.yaml --ranges wide
  expect_rc 2
}

test_check_reports_failures_with_rows_and_exit_1() {
  new_repo
  write_train
  write_bad_batch
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  local before; before=$(snapshot)
  run mlops schema check batch.csv --schema train.csv.schema.yaml
  expect_rc 1
  expect_out "FAIL  age type: expected int; unexpected 1 (33.33%)"
  expect_out "'forty' (row 2)"
  expect_out "FAIL  plan nullable: expected no missing values"
  expect_out "null (row 3)"
  expect_out "WARN  age range: expected from 29 to 55"
  expect_out "'-3' (row 1)"
  expect_out "WARN  plan values: expected one of basic, pro"
  expect_out "'gold' (row 2)"
  expect_out "WARN  id unique: expected no duplicates; unexpected 2"
  expect_out "'8' (row 3, first in row 2)"
  expect_no_out "id range"  # an increasing id is a key: no upper bound to outgrow
  expect_out "schema check FAILED: 3 rows"
  expect_eq "$(snapshot)" "$before"
  run mlops schema check batch.csv --schema train.csv.schema.yaml --json
  expect_rc 1
  expect_eq "$(jpy 'd["passed"], d["failed_errors"], d["failed_warnings"], d["rows"]' <<<"$out")" "(False, 2, 3, 3)"
  expect_eq "$(jpy '[(c["element_count"], c["missing_count"], c["unexpected_count"], c["examples"]) for c in d["checks"] if c["column"]=="age" and c["check"]=="type"][0]' <<<"$out")" \
    "(3, 0, 1, [{'value': 'forty', 'row': 2}])"
  expect_eq "$(jpy '[c["examples"] for c in d["checks"] if c["column"]=="plan" and c["check"]=="nullable"][0]' <<<"$out")" \
    "[{'value': None, 'row': 3}]"
}

test_warnings_pass_unless_strict() {
  new_repo
  write_train
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  printf 'id,age,plan,email,signup\n9,70,pro,z@x.io,2024-02-01\n10,30,basic,y@x.io,2024-01-02\n' > ok.csv
  run mlops schema check ok.csv --schema train.csv.schema.yaml
  expect_rc 0
  expect_out "WARN  age range"
  expect_out "schema check passed"
  run mlops schema check ok.csv --schema train.csv.schema.yaml --strict
  expect_rc 1
  expect_out "FAIL  age range"
}

test_markdown_and_html_reports() {
  new_repo
  write_train
  write_bad_batch
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  run mlops schema check batch.csv --schema train.csv.schema.yaml --markdown --html report.html
  expect_rc 1
  expect_out "### Schema check: failed"
  expect_out "| **failed** | error | age | type | int | 1 (33.33%) | 'forty' (row 2) |"
  expect_file report.html
  grep -q "<tr class=\"failed\"><td>failed</td><td>error</td><td>age</td><td>type</td>" report.html || fail "html row"
  expect_err "wrote report.html"
}

test_malformed_schema_is_exit_2_with_file_and_line() {
  new_repo
  write_train
  printf 'version: 1\ncolumns:\n  - name: age\n    type: int\n    rnage: {min: 0}\n' > s.yaml
  local before; before=$(snapshot)
  run mlops schema check train.csv --schema s.yaml
  expect_rc 2
  expect_err "mlops: error: 's.yaml' line 5: unknown key 'rnage' in column 'age'"
  expect_err "hint: the keys of column 'age': name, type, nullable, present, unique, values, range, length, regex"
  expect_eq "$(snapshot)" "$before"
  printf 'columns:\n  - name: age\n    regex: "(open"\n' > s.yaml
  before=$(snapshot)
  run mlops schema check train.csv --schema s.yaml
  expect_rc 2
  expect_err "'s.yaml' line 3: bad regex"
  run mlops schema check train.csv --schema missing.yaml
  expect_rc 2
  expect_err "schema 'missing.yaml' does not exist"
  run mlops schema check train.csv
  expect_rc 2
  expect_err "schema 'train.csv.schema.yaml' does not exist"
  expect_err "mlops schema infer DATA"
  expect_eq "$(snapshot)" "$before"
}

test_malformed_data_is_exit_2_with_line() {
  new_repo
  write_train
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  printf 'id,age,plan,email,signup\n1,2,basic,a@x.io,2024-01-01\n3,4\n' > ragged.csv
  run mlops schema check ragged.csv --schema train.csv.schema.yaml
  expect_rc 2
  expect_err "'ragged.csv' line 3:"
  printf 'id,age,plan,email,signup\n1,2,b\xffsic,a@x.io,2024-01-01\n' > utf8.csv
  run mlops schema check utf8.csv --schema train.csv.schema.yaml
  expect_rc 2
  expect_err "'utf8.csv' line 2:"
  run mlops schema check nothing.csv --schema train.csv.schema.yaml
  expect_rc 2
  run mlops schema infer ragged.csv -o r.yaml
  expect_rc 2
  expect_no_file r.yaml
}

test_columns_rule_and_missing_columns() {
  new_repo
  write_train
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  printf 'id,age,plan,email,signup,extra\n1,34,basic,a@x.io,2024-01-01,x\n' > extra.csv
  run mlops schema check extra.csv --schema train.csv.schema.yaml
  expect_rc 1
  expect_out "FAIL  (table) columns: expected exactly the schema's columns; found extra: extra"
  cut -d, -f1-3 train.csv > fewer.csv
  run mlops schema check fewer.csv --schema train.csv.schema.yaml --json
  expect_rc 1
  expect_eq "$(jpy '[c["check"] for c in d["checks"] if c["column"]=="email" and c["status"]=="skipped"]' <<<"$out")" "['type', 'nullable', 'unique', 'length']"
}

test_jsonl_gzip_and_folders() {
  new_repo
  printf '{"id": 1, "tag": "a"}\n{"id": 2, "tag": "b"}\n{"id": 3, "tag": "a"}\n{"id": 4, "tag": "b"}\n' > e.jsonl
  gzip -k e.jsonl
  run mlops schema infer e.jsonl.gz -o e.yaml
  expect_rc 0
  run mlops schema check e.jsonl --schema e.yaml
  expect_rc 0
  printf '{"id": "5", "tag": "c"}\n' > e2.jsonl
  run mlops schema check e2.jsonl --schema e.yaml --json
  expect_rc 1
  expect_eq "$(jpy '[c["examples"][0]["value"] for c in d["checks"] if c["status"]=="failed" and c["check"]=="type"]' <<<"$out")" "['5']"
  mkdir parts
  write_train parts/a.csv
  write_train parts/b.csv
  run mlops schema infer parts
  expect_rc 0
  expect_file parts.schema.yaml
  expect_err "(12 rows)"
  write_bad_batch parts/c.csv
  run mlops schema check parts --json
  expect_rc 1
  expect_eq "$(jpy '[c["examples"] for c in d["checks"] if c["column"]=="age" and c["check"]=="type"][0]' <<<"$out")" "[{'value': 'forty', 'row': 14}]"
}

test_path_at_rev_and_default_schema() {
  new_repo
  mkdir data
  write_train data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  mlops schema infer data/train.csv@HEAD 2>/dev/null && fail "HEAD has no commit yet"
  git add -A && git commit -qm v1 && git tag v1
  run mlops schema infer data/train.csv@v1
  expect_rc 0
  expect_file data/train.csv.schema.yaml
  git add -A && git commit -qm schema
  write_bad_batch data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  git add -A && git commit -qm v2
  run mlops schema check data/train.csv@v1
  expect_rc 0
  run mlops schema check data/train.csv@HEAD --json
  expect_rc 1
  expect_eq "$(jpy 'd["data"], d["schema"]' <<<"$out")" "('data/train.csv@HEAD', 'data/train.csv.schema.yaml')"
  run mlops schema check data/train.csv@nope
  expect_rc 2
  expect_err "unknown revision 'nope'"
}

test_diff_in_words() {
  new_repo
  write_train
  mlops schema infer train.csv -o s.yaml 2>/dev/null || fail "infer failed"
  git add -A && git commit -qm schema
  sed -i 's/range: {min: 29, max: 55, severity: warn}/range: {min: 0, max: 120}/; s/\[basic, pro\]/[basic, pro, enterprise]/' s.yaml
  printf '  - name: country\n    type: string\n    nullable: false\n' >> s.yaml
  run mlops schema diff s.yaml@HEAD s.yaml
  expect_rc 0
  expect_out "~ age: range widened from [29, 55] to [0, 120] (loosened)"
  expect_out "~ age: range severity warn → error (tightened)"
  expect_out "~ plan: values: added 'enterprise' (loosened)"
  expect_out "+ country: column added (string, not nullable) (added)"
  run mlops schema diff s.yaml@HEAD s.yaml --json --exit-code
  expect_rc 1
  expect_eq "$(jpy '[(c["column"], c["check"], c["kind"]) for c in d["changes"]][:2]' <<<"$out")" "[('age', 'range', 'loosened'), ('age', 'range', 'tightened')]"
  run mlops schema diff s.yaml s.yaml --exit-code
  expect_rc 0
  expect_err "no changes"
  run mlops schema diff s.yaml@HEAD~5 s.yaml
  expect_rc 2
  run mlops schema diff gone.yaml@HEAD s.yaml
  expect_rc 2
  expect_err "'gone.yaml@HEAD' does not exist"
}

test_pre_commit_checks_only_staged_datasets_with_a_schema() {
  new_repo
  PATH="$(dirname "$MLOPS"):$PATH"  # the installed hooks call mlops
  mkdir data
  write_train data/train.csv
  write_train data/other.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  mlops data add data/other.csv >/dev/null 2>&1 || fail "data add failed"
  mlops schema infer data/train.csv 2>/dev/null || fail "infer failed"
  mlops schema infer data/other.csv 2>/dev/null || fail "infer failed"
  git add -A && git commit -qm v1
  mlops hooks install >/dev/null 2>&1 || fail "hooks install failed"
  # other.csv breaks its contract but its pointer is not staged: not checked.
  write_bad_batch data/other.csv
  mlops data add data/other.csv >/dev/null 2>&1 || fail "data add failed"
  run mlops hooks run schema-check
  expect_rc 0
  write_bad_batch data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  git add data/train.csv.mlops
  run mlops hooks run schema-check
  expect_rc 1
  expect_err "mlops: error: schema: the staged version of 'data/train.csv' breaks its contract data/train.csv.schema.yaml:"
  [[ "$err" != *"mlops: warning: schema"* ]] || fail "a failure that blocks the commit is worded as a warning: $err"
  expect_err "FAIL  age type"
  expect_no_out "data/other.csv"
  local head; head=$(git rev-parse HEAD)
  run git commit -qm "bad batch"
  [[ "$rc" != 0 ]] || fail "the pre-commit hook let a batch that breaks its schema through"
  expect_err "schema: the staged version of 'data/train.csv' breaks its contract"
  expect_eq "$(git rev-parse HEAD)" "$head"
  # The pre-commit framework's stages other than commit skip it.
  PRE_COMMIT=1 PRE_COMMIT_REMOTE_NAME=origin run mlops hooks run schema-check
  expect_rc 0
  grep -q '^- id: mlops-schema$' "$MLOPS_SOURCE_DIR/.pre-commit-hooks.yaml" || fail "no mlops-schema hook id"
  # Good data commits (a warning does not stop it).
  write_train data/train.csv
  echo "7,40,pro,g@x.io,2024-01-06" >> data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  git add data/train.csv.mlops
  run git commit -qm "good batch"
  expect_rc 0
}

# The pre-commit framework runs only the hook id mlops-schema: what `mlops hooks run schema-check` does.
install_schema_only_hook() {
  printf '#!/bin/sh\nexec "%s" hooks run schema-check\n' "$MLOPS" > .git/hooks/pre-commit
  chmod +x .git/hooks/pre-commit
}

# A repository whose first commit has data/train.csv tracked, and its schema.
repo_with_tracked_data_and_schema() {
  new_repo
  mkdir data
  write_train data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  mlops schema infer data/train.csv 2>/dev/null || fail "infer failed"
  git add -A && git commit -qm v1
}

# stage_version WRITER: writes data/train.csv with WRITER, records it and stages its pointer.
stage_version() {
  "$1" data/train.csv
  mlops data add data/train.csv >/dev/null 2>&1 || fail "data add failed"
  git add data/train.csv.mlops
}

test_pre_commit_checks_the_staged_version_not_the_work_tree() {
  repo_with_tracked_data_and_schema
  install_schema_only_hook
  # A pointer to bad data is staged; then the good data is copied back into the work tree.
  stage_version write_bad_batch
  write_train data/train.csv
  run mlops hooks run schema-check
  expect_rc 1
  expect_err "mlops: error: schema: the staged version of 'data/train.csv' breaks its contract"
  expect_err "FAIL  age type"
  local head; head=$(git rev-parse HEAD)
  run git commit -qm "bad batch behind good work-tree data"
  [[ "$rc" != 0 ]] || fail "the commit of a pointer to bad data went through"
  expect_eq "$(git rev-parse HEAD)" "$head"
  # A schema loosened in the work tree but not staged does not count: the commit's schema does.
  printf 'columns:\n  - name: id\n' > data/train.csv.schema.yaml
  run mlops hooks run schema-check
  expect_rc 1
  # Staged, it does.
  git add data/train.csv.schema.yaml
  run mlops hooks run schema-check
  expect_rc 0
  # The reverse: good data staged, bad data in the work tree: the commit passes.
  git checkout -q HEAD -- data/train.csv.schema.yaml
  stage_version write_train
  write_bad_batch data/train.csv
  run mlops hooks run schema-check
  expect_rc 0
}

test_pre_commit_refuses_a_staged_version_it_cannot_read() {
  repo_with_tracked_data_and_schema
  # A pointer naming a version no cache has (as after a merge of someone else's unpushed data).
  sed -i -E 's/^(hash: xxh3:).*/\1'"$(printf '0%.0s' {1..32})"'/' data/train.csv.mlops
  grep -q "^hash: xxh3:0000" data/train.csv.mlops || fail "the pointer has no hash line: $(cat data/train.csv.mlops)"
  git add data/train.csv.mlops
  run mlops hooks run schema-check
  expect_rc 1
  expect_err "cannot check the staged version of 'data/train.csv': it is not in the cache"
  expect_err "mlops data fetch data/train.csv"
}

test_drift_check_schema_json_failed_matches_exit() {
  new_repo
  write_train
  write_bad_batch
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  # No drift verdict fails (--fail-on never) but the schema does: exit 1 and "failed": true.
  run mlops drift check train.csv batch.csv --schema train.csv.schema.yaml --fail-on never --json
  expect_rc 1
  expect_eq "$(jpy 'd["failed"], d["schema"]["passed"]' <<<"$out")" "(True, False)"
  run mlops drift check train.csv train.csv --schema train.csv.schema.yaml --json
  expect_rc 0
  expect_eq "$(jpy 'd["failed"]' <<<"$out")" "False"
}

test_output_flags_that_exclude_each_other() {
  new_repo
  write_train
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  run mlops schema check train.csv --json --markdown
  expect_rc 2
  expect_err "--markdown"
  expect_err "--json"
  expect_eq "$out" ""
  run mlops schema infer train.csv -o - --json
  expect_rc 2
  expect_err "--json and -o - both print to stdout"
  expect_eq "$out" ""
}

test_infer_hint_names_the_commands() {
  new_repo
  write_train
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  run mlops schema infer train.csv
  expect_rc 2
  expect_err "hint: it may hold checks you curated; to compare, write the new schema to another file and diff them: \`mlops schema infer train.csv -o train.csv.schema.new.yaml\` then \`mlops schema diff train.csv.schema.yaml train.csv.schema.new.yaml\`; to replace it, add --force"
  # The hint's commands work as written.
  mlops schema infer train.csv -o train.csv.schema.new.yaml 2>/dev/null || fail "infer -o failed"
  run mlops schema diff train.csv.schema.yaml train.csv.schema.new.yaml
  expect_rc 0
}

test_tiny_shares_and_duplicates_and_dropped_columns_read_well() {
  new_repo
  { echo "id,n"; seq 1 50000 | awk '{print $1","($1==777?"x":$1%7)}'; } > big.csv
  printf 'columns:\n  - name: id\n    unique: true\n  - name: n\n    type: int\n' > s.yaml
  run mlops schema check big.csv --schema s.yaml
  expect_rc 1
  expect_out "FAIL  n type: expected int; unexpected 1 (<0.01%)"
  printf 'id,n\n1,1\n2,2\n1,3\n3,3\n2,4\n' > dup.csv
  run mlops schema check dup.csv --schema s.yaml --json
  expect_rc 1
  expect_eq "$(jpy '[c["examples"] for c in d["checks"] if c["check"]=="unique"][0]' <<<"$out")" \
    "[{'value': '1', 'row': 3, 'first_row': 1}, {'value': '2', 'row': 5, 'first_row': 2}]"
  run mlops schema check dup.csv --schema s.yaml
  expect_out "'1' (row 3, first in row 1), '2' (row 5, first in row 2)"
  printf 'n\n1\n' > dropped.csv
  run mlops schema check dropped.csv --schema s.yaml
  expect_rc 1
  expect_eq "$(grep -c 'missing: id' <<<"$out")" "1"
}

test_diff_open_ranges_and_columns_rule() {
  new_repo
  printf 'table:\n  columns: exact\ncolumns:\n  - name: d\n    type: date\n    range: {min: "2024-01-01", max: "2024-03-01"}\n' > a.yaml
  printf 'table:\n  columns: extra_allowed\ncolumns:\n  - name: d\n    type: date\n    range: {min: "2024-01-01"}\n' > b.yaml
  run mlops schema diff a.yaml b.yaml
  expect_rc 0
  expect_out "~ (table): columns rule changed from exact to extra_allowed (loosened)"
  expect_out "~ d: range widened from [2024-01-01, 2024-03-01] to at least 2024-01-01 (no upper bound) (loosened)"
  expect_no_out "inf"
  run mlops schema diff b.yaml a.yaml
  expect_out "columns rule changed from extra_allowed to exact (tightened)"
}

test_id_ranges_stay_open_and_header_only_data_fails() {
  new_repo
  { echo "id,score"; for i in $(seq 1 100); do echo "$i,$((i % 10))"; done; } > day1.csv
  mlops schema infer day1.csv --ranges padded 2>/dev/null || fail "infer failed"
  grep -q 'range: {min: 0, severity: warn}' day1.csv.schema.yaml || fail "id range not open: $(cat day1.csv.schema.yaml)"
  { echo "id,score"; for i in $(seq 101 200); do echo "$i,$((i % 10))"; done; } > day2.csv
  run mlops schema check day2.csv --schema day1.csv.schema.yaml
  expect_rc 0
  expect_no_out "WARN"
  echo "id,score" > header_only.csv
  run mlops schema check header_only.csv --schema day1.csv.schema.yaml
  expect_rc 1
  expect_out "FAIL  (table) rows: expected at least 50 rows; found 0 rows"
}

test_messages_name_values_and_suggest() {
  new_repo
  write_train
  printf 'columns:\n  - name: age\n    type: integer\n' > s.yaml
  run mlops schema check train.csv --schema s.yaml
  expect_rc 2
  expect_err "'s.yaml' line 3: unknown type 'integer' in 'type' of column 'age'"
  : > empty.yaml
  run mlops schema check train.csv --schema empty.yaml
  expect_rc 2
  expect_err "mlops: error: 'empty.yaml' is empty"
  expect_no_out "line 0"
  [[ "$err" != *"line 0"* ]] || fail "an empty file reported at line 0: $err"
  printf 'columns:\n  - name: age\n    nulable: false\n' > s.yaml
  run mlops schema check train.csv --schema s.yaml
  expect_rc 2
  expect_err "unknown key 'nulable' in column 'age' (did you mean 'nullable'?)"
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  run mlops schema check trian.csv --schema train.csv.schema.yaml
  expect_rc 2
  expect_err "'trian.csv' does not exist"
  expect_err "did you mean 'train.csv'?"
  run mlops schema check nothing_like_it.csv --schema train.csv.schema.yaml
  expect_rc 2
  expect_err "DATA is a CSV, TSV or JSONL file"
}

test_path_at_rev_before_mlops_init() {
  new_repo --no-init
  write_train
  git add -A && git commit -qm v1
  run mlops schema infer train.csv@HEAD -o s.yaml
  expect_rc 2
  expect_err "'train.csv@HEAD' does not exist"
  expect_err "this repository has none: run \`mlops init\` and \`mlops data add train.csv\`, then commit; check the file itself as train.csv"
  expect_no_file s.yaml
}

test_drift_check_with_schema() {
  new_repo
  write_train
  write_bad_batch
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  gzip -k batch.csv
  run mlops drift check train.csv batch.csv.gz --schema train.csv.schema.yaml --fail-on never --json
  expect_rc 1
  expect_eq "$(jpy 'd["schema"]["passed"], d["schema"]["failed_errors"], d["current"]["rows"]' <<<"$out")" "(False, 2, 3)"
  run mlops drift check train.csv batch.csv --schema train.csv.schema.yaml --fail-on never
  expect_rc 1
  expect_out "FAIL  age type"
  run mlops drift check train.csv train.csv --schema train.csv.schema.yaml
  expect_rc 0
  expect_out "schema check passed"
  run mlops drift check train.csv batch.csv --schema nope.yaml
  expect_rc 2
  expect_err "schema 'nope.yaml' does not exist"
}

test_tsv_and_delimiter() {
  new_repo
  write_train
  tr , '\t' < train.csv > train.tsv
  run mlops schema infer train.tsv -o t.yaml
  expect_rc 0
  run mlops schema check train.tsv --schema t.yaml
  expect_rc 0
  tr , ';' < train.csv > train.txt
  run mlops schema check train.txt --schema t.yaml --delimiter ';'
  expect_rc 0
  run mlops schema check train.txt --schema t.yaml --delimiter ';;'
  expect_rc 2
  expect_err "bad delimiter"
}

test_io_error_is_exit_3() {
  new_repo
  write_train
  mlops schema infer train.csv 2>/dev/null || fail "infer failed"
  mkdir ro && chattr +i ro 2>/dev/null || { echo "  (skipped: chattr +i not available)"; return 0; }
  run mlops schema check train.csv --html ro/report.html
  chattr -i ro
  expect_rc 3
  expect_err "cannot create 'ro/"
}

test_help_has_examples() {
  for cmd in infer check diff; do
    run mlops schema "$cmd" --help
    expect_rc 0
    expect_out "Example: mlops schema $cmd"
  done
  run mlops schema --help
  expect_out "infer"
}

run_tests "${1:-.}"
