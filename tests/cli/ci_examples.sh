#!/usr/bin/env bash
# CLI tests: the CI/CD/CT scripts of examples/ci/, run for real on the quickstart project as the
# workflows run them: a fresh clone of a bare `origin`, the data remote from MLOPS_REMOTE_STORAGE_URL, and
# then `sh ci/<script>.sh`. Also checks that both workflow files call every script.
source "$(dirname "$0")/lib.sh"

SOURCE_DIR=${MLOPS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EXAMPLES="$SOURCE_DIR/examples/ci"
SCRIPTS=(setup-remote check continuous-training deploy)

# The scripts and train.py call `mlops` by name, as they do on a CI runner.
BIN_DIR="$TEST_ROOT/bin"
mkdir -p "$BIN_DIR" && ln -sf "$MLOPS" "$BIN_DIR/mlops"
export PATH="$BIN_DIR:$PATH"
unset MLOPS_REMOTE_URL MLOPS_REMOTE_STORAGE_URL MLOPS_DEFAULT_REMOTE CT_BRANCH DRIFT_REPORT MODEL TRAIN_DATA NEW_DATA

# Small data keeps training to about a second. With these seeds (training is deterministic) the
# first model has auc 0.877; new data with seed 11 and --shift 1.5 drifts and gives a better
# model (0.886), with seed 12 it drifts and gives a worse one (0.821); seed 5 without shift does
# not drift.
ROWS=400

# Built once: a developer's repository `dev` (quickstart files, CI scripts in ci/, data v1 pushed
# to the data remote `store`, churn v0.0.1 trained, registered and in production), pushed with its
# tags to the bare repository `origin.git`. Each test works on its own copy.
FIXTURE="$TEST_ROOT/fixture"
make_fixture() {
  mkdir -p "$FIXTURE/store" && git init -q --bare "$FIXTURE/origin.git" && mkdir "$FIXTURE/dev" &&
    cd "$FIXTURE/dev" && git init -q . || return 1
  cp "$SOURCE_DIR"/examples/quickstart/{generate_data.py,train.py,params.yaml} . && mkdir ci data &&
    cp "$EXAMPLES"/*.sh ci/ || return 1
  {
    python3 generate_data.py --rows $ROWS --seed 4 --out data/train.csv &&
      mlops init && mlops remote add storage ../store --create --default && mlops data add data/train.csv &&
      printf 'model.json\n' > .gitignore && git add -A && git commit -qm "churn model, data v1" &&
      mlops run --params-file params.yaml --artifact model.json -- python3 train.py &&
      mlops model register churn --run "$(mlops runs list --limit 1 --ids)" &&
      mlops model promote churn latest --to production --require 'metrics.auc >= 0.8' &&
      mlops data push && git remote add origin ../origin.git && git push -q --follow-tags origin main
  } > "$TEST_ROOT/fixture.log" 2>&1
}
if ! (make_fixture); then
  cat "$TEST_ROOT/fixture.log" >&2
  echo "fixture failed" >&2
  exit 1
fi

# A copy of the fixture for this test; cd's into its `dev`.
use_fixture() {
  local dir="$TEST_ROOT/$current_test"
  cp -a "$FIXTURE" "$dir" && cd "$dir/dev"
}

# A fresh clone of origin named $1 next to dev, set up as the workflows do; cd's into it.
ci_clone() {
  cd .. && git clone -q origin.git "$1" && cd "$1" &&
    export MLOPS_REMOTE_STORAGE_URL="$(cd ../store && pwd)" && sh ci/setup-remote.sh > /dev/null ||
    fail "could not set up the CI clone $1"
}

# In dev: a new data batch data/new.csv (generate_data.py SEED SHIFT), versioned and pushed.
new_batch() {
  (cd "$TEST_ROOT/$current_test/dev" &&
    python3 generate_data.py --rows $ROWS --seed "$1" --shift "$2" --out data/new.csv &&
    push_new_data) || fail "could not push a new batch"
}
push_new_data() {
  mlops data add data/new.csv && git add data/new.csv.mlops data/.gitignore && git commit -qm "new data" &&
    mlops data push && git push -q origin main
} > /dev/null 2>&1

origin_tags() { git -C "$TEST_ROOT/$current_test/origin.git" tag -l 'churn*' | sort | tr '\n' ' '; }
origin_head() { git -C "$TEST_ROOT/$current_test/origin.git" rev-parse main; }
production() { mlops model show 'churn#production' --json | json_get '["version"]'; }

test_workflows_call_every_script() {
  local yml script
  for yml in github-actions.yml gitlab-ci.yml; do
    expect_file "$EXAMPLES/$yml"
    for script in "${SCRIPTS[@]}"; do
      expect_file "$EXAMPLES/$script.sh"
      grep -Eq "^[^#]*sh ci/$script\.sh" "$EXAMPLES/$yml" || fail "$yml does not call ci/$script.sh"
    done
  done
  # What the scripts rely on: the whole history and every tag (the registry), and on GitHub the
  # annotated tags back after actions/checkout made the pushed one lightweight.
  grep -q "fetch-depth: 0" "$EXAMPLES/github-actions.yml" || fail "github-actions.yml fetches a shallow clone"
  grep -q "git fetch -q --force --tags origin" "$EXAMPLES/github-actions.yml" || fail "github-actions.yml lacks the tag fetch"
  grep -q "GIT_DEPTH: 0" "$EXAMPLES/gitlab-ci.yml" || fail "gitlab-ci.yml fetches a shallow clone"
}

test_setup_remote_from_variable_keeps_tree_clean() {
  use_fixture
  cd .. && git clone -q origin.git ci && cd ci
  # The store moves where only the variable says: the committed url no longer reaches it.
  local store="$TEST_ROOT/$current_test/elsewhere"
  mv ../store "$store"
  MLOPS_REMOTE_STORAGE_URL="$store" run sh ci/setup-remote.sh
  expect_rc 0
  expect_out "data remote 'storage' from MLOPS_REMOTE_STORAGE_URL"
  [[ "$out$err" != *"$store"* ]] || fail "the remote location was printed: $out $err"
  expect_eq "$(git status --porcelain)" ""
  # Every later command reads the same variable; nothing was written.
  MLOPS_REMOTE_STORAGE_URL="$store" run mlops data pull
  expect_rc 0
  expect_eq "$(git status --porcelain)" ""
  # Without the variable the committed url is used (and here reaches nothing).
  run sh ci/setup-remote.sh
  expect_rc 0
  expect_out "MLOPS_REMOTE_STORAGE_URL is not set"
}

test_check_passes_on_a_clean_clone() {
  use_fixture
  ci_clone ci
  run sh ci/check.sh python3 train.py
  expect_rc 0
  expect_out "trained on"
  expect_file data/train.csv
  cmp -s data/train.csv ../dev/data/train.csv || fail "pulled data differs"
}

test_check_fails_on_data_changed_without_add() {
  use_fixture
  echo "1.00,50.00,1,10.00,basic,0" >> data/train.csv
  local before; before=$(snapshot)
  run sh ci/check.sh true
  [[ "$rc" != 0 ]] || fail "check passed with a changed data file"
  expect_err "data/train.csv"
  expect_err "mlops data add"
  expect_eq "$(snapshot)" "$before"
}

test_check_fails_when_data_was_not_pushed() {
  use_fixture
  echo "1.00,50.00,1,10.00,basic,0" >> data/train.csv
  { mlops data add data/train.csv && git commit -qam "data v2, not pushed" && git push -q origin main; } > /dev/null 2>&1
  ci_clone ci
  run sh ci/check.sh true
  [[ "$rc" != 0 ]] || fail "check passed though the data is on no remote"
  expect_err "is not on remote"
  expect_err "mlops data push"
}

test_check_fails_when_tests_fail_or_none_given() {
  use_fixture
  ci_clone ci
  run sh ci/check.sh sh -c 'exit 1'
  expect_rc 1
  run sh ci/check.sh
  expect_rc 2
  expect_err "usage: check.sh TEST_COMMAND"
}

test_ct_without_new_data_does_nothing() {
  use_fixture
  ci_clone ci
  run sh ci/continuous-training.sh
  expect_rc 0
  expect_out "no new data"
  expect_eq "$(origin_tags)" "churn#production#1 churn@v0.0.1 "
}

test_ct_without_drift_does_not_retrain() {
  use_fixture
  new_batch 5 0
  local head; head=$(origin_head)
  ci_clone ci
  local report="$TEST_ROOT/$current_test/report.md"
  DRIFT_REPORT="$report" run sh ci/continuous-training.sh
  expect_rc 0
  expect_out "no dataset drift"
  expect_out "no drift in data/new.csv"
  grep -q "no dataset drift" "$report" || fail "the report was not appended to DRIFT_REPORT"
  expect_eq "$(origin_tags)" "churn#production#1 churn@v0.0.1 "
  expect_eq "$(origin_head)" "$head"
  expect_eq "$(git status --porcelain)" ""
}

test_ct_drift_retrains_registers_promotes_and_deploys() {
  use_fixture
  new_batch 11 1.5
  ci_clone ci
  run sh ci/continuous-training.sh
  expect_rc 0
  expect_out "dataset drift detected"
  expect_out "the retrained churn is in production"
  # Pushed: the retrain commit (training set = old rows + new rows) with v0.0.2 and its promotion.
  expect_eq "$(origin_tags)" "churn#production#1 churn#production#2 churn@v0.0.1 churn@v0.0.2 "
  expect_eq "$(origin_head)" "$(git rev-parse HEAD)"
  expect_eq "$(git log -1 --format=%s)" "ct: retrain churn on data/train.csv + data/new.csv ($(sed -n 's/^hash: //p' data/new.csv.mlops))"
  expect_eq "$(wc -l < data/train.csv)" "$((2 * ROWS + 1))"
  # The batch is recorded in the retrain commit, as the job's own memory of what it trained on.
  local batch; batch=$(sed -n 's/^hash: //p' data/new.csv.mlops)
  expect_eq "$(git show HEAD:ct-batches.tsv | cut -f 1-3)" "$batch	churn	data/train.csv"

  # Anyone else sees it: a fresh clone gets v0.0.2 in production, trained on the new data version.
  ci_clone ci2
  expect_eq "$(production)" "v0.0.2"
  local doc; doc=$(mlops model show 'churn#production' --json)
  expect_eq "$(echo "$doc" | json_get '["tag"]')" "churn@v0.0.2"
  expect_eq "$(echo "$doc" | json_get '["commit"]')" "$(origin_head)"
  [[ "$doc" == *"$(sed -n 's/^hash: //p' data/train.csv.mlops)"* ]] || fail "v0.0.2 does not record the new training data"
  [[ "$(echo "$doc" | json_get '["metrics"]["auc"]')" > "0.88" ]] || fail "unexpected auc: $doc"

  # Run again (the push of the retrain commit, the next schedule): the batch is done.
  run sh ci/continuous-training.sh
  expect_rc 0
  expect_out "was trained on this data/new.csv"
  expect_eq "$(origin_tags)" "churn#production#1 churn#production#2 churn@v0.0.1 churn@v0.0.2 "

  # The stage tag's pipeline deploys v0.0.2 from the data remote into an empty cache.
  ci_clone deploy
  run sh ci/deploy.sh 'churn#production#2' served/model.json
  expect_rc 0
  cmp -s served/model.json ../ci/model.json || fail "the deployed model is not the one CT trained"
  expect_out "churn#production (v0.0.2) is at served/model.json"
}

test_ct_gate_keeps_the_champion() {
  use_fixture
  # A training set whose last line has no line break: the new rows must still start a new line.
  truncate -s -1 data/train.csv
  { mlops data add data/train.csv && git commit -qam "no final newline" && mlops data push &&
    git push -q origin main; } > /dev/null 2>&1 || fail "could not push the training set"
  new_batch 12 1.5
  ci_clone ci
  run sh ci/continuous-training.sh
  expect_rc 1
  expect_eq "$(awk -F, 'NF != 6' data/train.csv)" ""
  expect_eq "$(wc -l < data/train.csv)" "$((2 * ROWS + 1))"
  expect_out "auc better than production"
  expect_err "did not pass the gates"
  # The challenger is registered and pushed; production is unchanged.
  expect_eq "$(origin_tags)" "churn#production#1 churn@v0.0.1 churn@v0.0.2 "
  ci_clone ci2
  expect_eq "$(production)" "v0.0.1"
  # Rerunning does not register the same batch again.
  run sh ci/continuous-training.sh
  expect_rc 0
  expect_eq "$(origin_tags)" "churn#production#1 churn@v0.0.1 churn@v0.0.2 "
}

# Issue 10.11: "already trained on this batch" comes from the job's record of the batch, not from
# a model whose lineage mentions the batch (a run records every tracked dataset, used or not).
test_ct_decides_from_its_record_not_from_a_lineage() {
  use_fixture
  new_batch 11 1.5
  # A developer trains and registers by hand on the commit that added the batch (not appended to
  # the training set): the new version's lineage names data/new.csv's version.
  (cd "$TEST_ROOT/$current_test/dev" &&
    mlops run --params-file params.yaml --artifact model.json -- python3 train.py &&
    mlops model register churn --run "$(mlops runs list --limit 1 --ids)" &&
    mlops data push && git push -q --tags origin) > /dev/null 2>&1 || fail "could not register by hand"
  local batch; batch=$(cd "$TEST_ROOT/$current_test/dev" && sed -n 's/^hash: //p' data/new.csv.mlops)
  (cd "$TEST_ROOT/$current_test/dev" && mlops model show churn@v0.0.2 --json | grep -q "$batch") ||
    fail "the hand-made version does not mention the batch; the test does not reproduce the case"
  ci_clone ci
  run sh ci/continuous-training.sh
  expect_rc 0
  expect_no_out "nothing to do"
  expect_out "the retrained churn is in production"
  expect_eq "$(production)" "v0.0.3"
  expect_eq "$(expr "$(wc -l < data/train.csv)" + 0)" "$((2 * ROWS + 1))"
  run sh ci/continuous-training.sh
  expect_rc 0
  expect_out "was trained on this data/new.csv ($batch) already, as ct-batches.tsv records"
}

# Issue 10.11: rows are appended only when the batch's header matches the training set's.
test_ct_batch_with_another_header_is_refused() {
  use_fixture
  (cd "$TEST_ROOT/$current_test/dev" &&
    python3 generate_data.py --rows $ROWS --seed 11 --shift 1.5 --out data/new.csv &&
    awk -F, -v OFS=, 'NR == 1 { t = $1; $1 = $2; $2 = t } { print }' data/new.csv > data/swapped.csv &&
    mv data/swapped.csv data/new.csv && push_new_data) || fail "could not push the batch"
  local head; head=$(origin_head)
  ci_clone ci
  local before; before=$(git rev-parse HEAD)
  run sh ci/continuous-training.sh
  expect_rc 2
  expect_err "the header of data/new.csv does not match data/train.csv's: not retraining"
  expect_eq "$(git rev-parse HEAD)" "$before"
  expect_eq "$(git status --porcelain)" ""
  expect_eq "$(git tag -l 'churn*' | sort | tr '\n' ' ')" "churn#production#1 churn@v0.0.1 "
  expect_eq "$(origin_head)" "$head"
  cmp -s data/train.csv ../dev/data/train.csv || fail "the training set changed"
}

test_ct_batch_breaking_the_schema_is_refused() {
  use_fixture
  # The training data's contract is committed; the batch drifts (it would retrain) and has a row
  # without tenure, which the contract does not allow (an error-level check).
  (cd "$TEST_ROOT/$current_test/dev" && mlops schema infer data/train.csv && git add data/train.csv.schema.yaml &&
    git commit -qm "the training data's contract" &&
    python3 generate_data.py --rows $ROWS --seed 11 --shift 1.5 --out data/new.csv &&
    awk -F, -v OFS=, 'NR == 3 { $1 = "" } { print }' data/new.csv > data/holed.csv &&
    mv data/holed.csv data/new.csv && push_new_data) > /dev/null 2>&1 || fail "could not push the batch"
  local head; head=$(origin_head)
  ci_clone ci
  local before; before=$(git rev-parse HEAD)
  run sh ci/continuous-training.sh
  expect_rc 1
  expect_out "FAIL  tenure nullable: expected no missing values"
  expect_err "ct: data/new.csv breaks the contract data/train.csv.schema.yaml (exit 1): not retraining"
  expect_no_out "drift"
  expect_eq "$(git rev-parse HEAD)" "$before"
  expect_eq "$(git status --porcelain)" ""
  expect_eq "$(origin_tags)" "churn#production#1 churn@v0.0.1 "
  expect_eq "$(origin_head)" "$head"
}

test_ct_malformed_new_data_fails_without_retraining() {
  use_fixture
  (cd "$TEST_ROOT/$current_test/dev" && head -n 50 data/train.csv > data/new.csv &&
    printf '"unterminated,1,2\n' >> data/new.csv && push_new_data) || fail "could not push the batch"
  local head; head=$(origin_head)
  ci_clone ci
  local local_head; local_head=$(git rev-parse HEAD)
  run sh ci/continuous-training.sh
  expect_rc 2
  expect_err "data/new.csv"
  expect_err "not retraining"
  expect_eq "$(git rev-parse HEAD)" "$local_head"
  expect_eq "$(git status --porcelain)" ""
  expect_eq "$(git tag -l 'churn*' | sort | tr '\n' ' ')" "churn#production#1 churn@v0.0.1 "
  expect_eq "$(origin_tags)" "churn#production#1 churn@v0.0.1 "
  expect_eq "$(origin_head)" "$head"
}

test_ct_without_a_production_version_fails() {
  use_fixture
  { mlops model deprecate churn v0.0.1 production && git push -q --tags origin; } > /dev/null 2>&1
  new_batch 11 1.5
  ci_clone ci
  local head; head=$(origin_head)
  run sh ci/continuous-training.sh
  expect_rc 2
  expect_err "production"
  expect_eq "$(git rev-parse HEAD)" "$head"
  expect_eq "$(git tag -l 'churn@*' | sort | tr '\n' ' ')" "churn@v0.0.1 "
}

test_ct_detached_head_needs_a_branch() {
  use_fixture
  new_batch 11 1.5
  ci_clone ci
  git checkout -q --detach
  run sh ci/continuous-training.sh
  expect_rc 2
  expect_err "set CT_BRANCH"
}

test_deploy_puts_the_verified_model_in_place() {
  use_fixture
  ci_clone deploy
  run sh ci/deploy.sh 'churn#production#1' served/model.json
  expect_rc 0
  expect_out "churn#production (v0.0.1) is at served/model.json"
  cmp -s served/model.json ../dev/model.json || fail "the deployed file is not the production model"
  # Not a stage tag: refused before anything is fetched.
  run sh ci/deploy.sh 'churn@v0.0.1' other.json
  expect_rc 2
  expect_err "is not a stage tag (registration of churn"
  expect_no_file other.json
  # It asks the registry (mlops model check-ref) instead of parsing the name in shell.
  run sh ci/deploy.sh 'churn#staging#7' other.json
  expect_rc 2
  expect_err "no tag 'churn#staging#7' in this repository"
  run sh ci/deploy.sh 'release-1.0' other.json
  expect_rc 2
  expect_err "'release-1.0' is not a registry tag"
  expect_no_file other.json
  # A corrupt object on the data remote is never deployed.
  local hash; hash=$(mlops model show 'churn#production' --json | json_get '["artifact"]["hash"]')
  hash=${hash#xxh3:}
  local object="../store/${hash:0:2}/${hash:2}"
  chmod u+w "$object" && echo corrupt >> "$object"
  ci_clone deploy2
  run sh ci/deploy.sh 'churn#production#1' served/model.json
  expect_rc 3
  expect_no_file served/model.json
}

run_tests "$@"
