#!/usr/bin/env bash
# CLI tests: mlops model register/promote/rollback/deprecate/list/show/history/get/push, and
# reading registry tags that plain `git tag -a` wrote in GTO's format.
source "$(dirname "$0")/lib.sh"

# commit_file PATH CONTENT: writes and commits a file; prints nothing.
commit_file() {
  mkdir -p "$(dirname "$1")"
  printf '%s' "$2" > "$1"
  git add "$1" && git commit -qm "update $1"
}

# gto_tag TAG REV SECONDS MESSAGE: an annotated tag as GTO writes it, tagged at a fixed time.
gto_tag() {
  GIT_COMMITTER_DATE="@$3 +0000" git tag -a "$1" -m "$4" "$2"
}

# A repository with three commits and versions v0.0.1..v0.0.3 of model m registered by plain git,
# with auc metrics .91, .89, .95 and loss .3, .2, .4.
repo_with_versions() {
  new_repo
  git add .mlops && git commit -qm init
  local i aucs=(0 0.91 0.89 0.95) losses=(0 0.3 0.2 0.4)
  for i in 1 2 3; do
    commit_file train.py "v$i"
    gto_tag "m@v0.0.$i" HEAD $((1700000000 + i)) "Registering artifact m version v0.0.$i

Metric: auc=${aucs[$i]}
Metric: loss=${losses[$i]}"
  done
}

tag_count() { git tag | wc -l | tr -d ' '; }

test_fold_reads_gto_tags_in_tagger_time_order() {
  new_repo
  git add .mlops && git commit -qm init
  commit_file a "1"; local c1; c1=$(git rev-parse HEAD)
  commit_file a "2"; local c2; c2=$(git rev-parse HEAD)
  commit_file a "3"; local c3; c3=$(git rev-parse HEAD)
  gto_tag "m@v0.0.1" "$c1" 1700000001 "Registering artifact m version v0.0.1"
  gto_tag "m@v0.0.2" "$c2" 1700000002 "Registering artifact m version v0.0.2"
  # Written in this order, but tagged in the other: the later tagger time wins.
  gto_tag "m#prod#2" "$c1" 1700000020 "Assigning stage prod to artifact m version v0.0.1"
  gto_tag "m#prod#1" "$c2" 1700000010 "Assigning stage prod to artifact m version v0.0.2"
  gto_tag "m#staging#3" "$c2" 1700000030 "Assigning stage staging to artifact m version v0.0.2"
  gto_tag "m#staging!#4" "$c2" 1700000040 "Unassigning stage 'staging' to artifact 'm' version 'v0.0.2'"
  gto_tag "m@v0.0.3" "$c3" 1700000050 "Registering artifact m version v0.0.3"
  gto_tag "m@v0.0.3!" "$c3" 1700000060 "Deregistering artifact m version v0.0.3"
  gto_tag "other@v1.0.0" "$c3" 1700000070 "Registering artifact other version v1.0.0"
  gto_tag "other@deprecated" "$c3" 1700000080 "Deprecating artifact 'other'"
  git tag "m#dev#9" "$c3"        # lightweight: not part of the registry
  git tag -a "not-a-model" -m x  # not a registry tag at all
  run mlops model list --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["models"][0]["name"]')" "m"
  expect_eq "$(echo "$out" | json_get '["models"][0]["latest"]')" "v0.0.2"
  expect_eq "$(echo "$out" | json_get '["models"][0]["stages"]')" "{'prod': 'v0.0.1'}"
  expect_eq "$(echo "$out" | json_get '["models"][1]["deprecated"]')" "True"
  run mlops model list
  expect_out "v0.0.2"
  expect_out "(deprecated)"
  expect_no_out "dev"$'\n'
  run mlops -v model list
  expect_err "ignoring lightweight tag 'm#dev#9'"
  run mlops model show 'm#prod' --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.1"
  expect_eq "$(echo "$out" | json_get '["commit"]')" "$c1"
  run mlops model history m --json
  expect_eq "$(echo "$out" | json_get '["events"][2]["tag"]')" "m#prod#1"
  expect_eq "$(echo "$out" | json_get '["events"][3]["tag"]')" "m#prod#2"
  expect_eq "$(echo "$out" | json_get '["events"][3]["event"]')" "assignment"
  expect_eq "$(echo "$out" | json_get '["events"][3]["version"]')" "v0.0.1"
  # A new counter is one more than the highest of all the model's tags, lightweight ones too.
  run mlops model promote m v0.0.2 --to staging
  expect_rc 0
  git rev-parse -q --verify "refs/tags/m#staging#10" > /dev/null || fail "expected tag m#staging#10: $(git tag)"
}

test_promote_with_passing_gate_writes_gto_tag() {
  repo_with_versions
  # Options may come before the positionals.
  run mlops model promote --require 'metrics.auc >= 0.9' m v0.0.1 --to production -m "ship it"
  expect_rc 0
  expect_out "Promoted m v0.0.1 to production (tag 'm#production#1')"
  expect_out "metrics.auc >= 0.9"
  expect_err "mlops model push m"
  expect_eq "$(git rev-parse 'm#production#1^{commit}')" "$(git rev-parse 'm@v0.0.1^{commit}')"
  expect_eq "$(git cat-file -t 'm#production#1')" "tag"
  local message; message=$(git tag -l --format='%(contents)' 'm#production#1')
  [[ "$message" == "Assigning stage production to artifact m version v0.0.1"$'\n\nship it\n\n'"Gate: metrics.auc >= 0.9: pass (value 0.91, bound >= 0.9)"* ]] \
    || fail "unexpected message: $message"
  run mlops model show 'm#production' --json
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.1"
}

# A mistyped model or stage gets "did you mean", exit 2, and no tag.
test_promote_mistyped_model_or_stage_suggests_the_name() {
  new_repo
  echo weights > model.bin
  git add -A && git commit -qm model
  mlops model register classifier --path model.bin >/dev/null 2>&1 || fail "register failed"
  local before; before=$(tag_count)
  run mlops model promote clasifier v0.0.1 --to production
  expect_rc 2
  expect_err "unknown model 'clasifier'"
  expect_err "did you mean 'classifier'?"
  run mlops model promote classifier v0.0.1 --to prod
  expect_rc 2
  expect_err "unknown stage 'prod'"
  expect_err "did you mean 'production'?"
  expect_eq "$(tag_count)" "$before"
}

test_promote_failing_gate_exits_1_and_writes_nothing() {
  repo_with_versions
  local before; before=$(tag_count)
  run mlops model promote m v0.0.2 --to production --require 'metrics.auc >= 0.9' --require 'metrics.loss < 0.5'
  expect_rc 1
  expect_out "metrics.auc >= 0.9"
  expect_out "0.89"
  expect_out ">= 0.9"
  expect_out "FAIL"
  expect_out "pass"
  expect_err "did not pass the gates for 'production'; no tag written"
  expect_eq "$(tag_count)" "$before"
  expect_eq "$(tag_count)" "$before"
}

# Issue 10.16: gate values in JSON are numbers, and every documented key is there on failure too.
test_promote_json_gate_values_are_numbers() {
  repo_with_versions
  local before; before=$(tag_count)
  run mlops model promote m v0.0.2 --to production --require 'metrics.auc >= 0.9' --require 'metrics.loss in (0.2, 0.3)' --json
  expect_rc 1
  local keys='["model", "version", "stage", "promoted", "tag", "commit", "gates", "pushed", "git_remote", "data_remote", "data_remote_url"]'
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print(json.dumps(list(json.load(sys.stdin))))')" "$keys"
  expect_eq "$(echo "$out" | json_get '["gates"][0]')" \
    "{'gate': 'metrics.auc >= 0.9', 'value': 0.89, 'op': '>=', 'bound': 0.9, 'passed': False}"
  expect_eq "$(echo "$out" | json_get '["gates"][1]["bound"]')" "[0.2, 0.3]"
  expect_eq "$(echo "$out" | json_get '["promoted"]')" "False"
  expect_eq "$(echo "$out" | json_get '["tag"]')" "None"
  expect_eq "$(echo "$out" | json_get '["commit"]')" "$(git rev-parse 'm@v0.0.2^{commit}')"
  expect_eq "$(echo "$out" | json_get '["pushed"]')" "False"
  expect_eq "$(tag_count)" "$before"
  run mlops model promote m v0.0.1 --to production --better-than production --metric auc --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["gates"][0]')" \
    "{'gate': 'auc better than production (no version)', 'value': 0.91, 'op': None, 'bound': None, 'passed': True}"
  run mlops model promote m v0.0.3 --to production --better-than production --metric auc --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["gates"][0]["bound"]')" "0.91"
  expect_eq "$(echo "$out" | json_get '["gates"][0]["op"]')" ">"
  expect_eq "$(echo "$out" | json_get '["pushed"]')" "False"
  # Already there: the same keys.
  run mlops model promote m v0.0.3 --to production --json
  expect_rc 0
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print(json.dumps(list(json.load(sys.stdin))))')" "$keys"
}

# Issue 10.6: gates speak the language of `runs list --where`; a key it does not know, or a metric
# the version never recorded, is bad input (exit 2) naming the recorded metrics, never a failed
# gate (exit 1, which a CT script reads as "the champion stays").
test_gate_on_unknown_key_or_unrecorded_metric_is_bad_input() {
  repo_with_versions
  local before; before=$(tag_count)
  run mlops model promote m v0.0.2 --to production --require 'metrics.f1 > 0.5'
  expect_rc 2
  expect_err "'m' v0.0.2 recorded no metric 'f1'"
  expect_err "its metrics: auc, loss"
  expect_no_out "FAIL"
  run mlops model promote m v0.0.2 --to production --require 'metrics.auc > 0.5 or metrics.f1 > 0.5' --json
  expect_rc 2
  expect_err "recorded no metric 'f1'"
  expect_eq "$out" ""
  run mlops model promote m v0.0.2 --to production --require 'auc >= 0.9'
  expect_rc 2
  expect_err "unknown key 'auc'"
  expect_err "  auc >= 0.9"$'\n'"  ^"
  expect_err "its metrics: metrics.auc, metrics.loss"
  run mlops model promote m v0.0.2 --to production --require 'params.lr = 0.1'
  expect_rc 2
  expect_err "unknown key 'params.lr'"
  run mlops model promote m v0.0.2 --to production --better-than production --metric f1
  expect_rc 2
  expect_err "'m' v0.0.2 recorded no metric 'f1'"
  # The champion must have recorded it as well.
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  commit_file x "4"
  gto_tag "m@v0.0.4" HEAD 1700000100 "Registering artifact m version v0.0.4

Metric: f1=0.7"
  before=$(tag_count)
  run mlops model promote m v0.0.4 --to production --better-than production --metric f1
  expect_rc 2
  expect_err "'m' v0.0.1 (in 'production') recorded no metric 'f1'"
  expect_err "its metrics: auc, loss"
  expect_eq "$(tag_count)" "$before"
  # A version without any metric says so.
  commit_file x "5"
  gto_tag "m@v0.0.5" HEAD 1700000200 "Registering artifact m version v0.0.5"
  before=$(tag_count)
  run mlops model promote m v0.0.5 --to staging --require 'metrics.auc > 0.5'
  expect_rc 2
  expect_err "'m' v0.0.5 recorded no metric 'auc'"
  expect_err "it recorded no metrics"
  expect_eq "$(tag_count)" "$before"
}

# Issue 10.6: --better-than on a metric whose name says lower is better warns without a direction.
test_better_than_on_a_lower_is_better_name_warns() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  run mlops model promote m v0.0.2 --to production --better-than production --metric loss
  expect_rc 1
  expect_err "warning: 'loss' sounds like lower is better"
  expect_err "--lower-is-better"
  run mlops model promote m v0.0.2 --to production --better-than production --metric loss --higher-is-better
  expect_rc 1
  [[ "$err" != *"sounds like"* ]] || fail "warned with --higher-is-better: $err"
  run mlops model promote m v0.0.2 --to production --better-than production --metric loss --lower-is-better
  expect_rc 0
  [[ "$err" != *"sounds like"* ]] || fail "warned with --lower-is-better: $err"
  run mlops model promote m v0.0.3 --to production --better-than production --metric auc
  [[ "$err" != *"sounds like"* ]] || fail "warned for auc: $err"
  run mlops model promote m v0.0.3 --to staging --lower-is-better --higher-is-better --better-than production --metric loss
  expect_rc 2
}

test_gate_syntax_error_shows_position() {
  repo_with_versions
  local before; before=$(tag_count)
  run mlops model promote m v0.0.1 --to production --require 'metrics.auc >= and'
  expect_rc 2
  expect_err "position 15"
  expect_err "^"
  expect_eq "$(tag_count)" "$before"
}

test_stage_must_be_in_allow_list() {
  repo_with_versions
  run mlops model promote m v0.0.1 --to prod
  expect_rc 2
  expect_err "unknown stage 'prod'"
  expect_err "dev, staging, production"
  sed -i 's/stages: \[dev, staging, production\]/stages: [canary, prod]/' .mlops/config.yaml
  run mlops model promote m v0.0.1 --to prod
  expect_rc 0
  run mlops model promote m v0.0.1 --to production
  expect_rc 2
  expect_err "canary, prod"
}

test_unknown_model_and_version() {
  repo_with_versions
  local before; before=$(tag_count)
  run mlops model promote nope v0.0.1 --to production
  expect_rc 2
  expect_err "unknown model 'nope'"
  expect_err "mlops model list"
  run mlops model promote m v9.9.9 --to production
  expect_rc 2
  expect_err "unknown version 'v9.9.9' of 'm'"
  run mlops model promote m 1.0 --to production
  expect_rc 2
  expect_err "'1.0' is not a version"
  run mlops model show 'nope#production'
  expect_rc 2
  expect_err "unknown model 'nope'"
  run mlops model show 'm#staging'
  expect_rc 2
  expect_err "no version of 'm' is in stage 'staging'"
  run mlops model show 'bad name'
  expect_rc 2
  expect_err "invalid model name 'bad name'"
  expect_eq "$(tag_count)" "$before"
}

test_champion_challenger() {
  repo_with_versions
  run mlops model promote m v0.0.1 --to production --better-than production --metric auc
  expect_rc 0
  expect_out "no version"
  local before; before=$(tag_count)
  run mlops model promote m v0.0.2 --to production --better-than production --metric auc
  expect_rc 1
  expect_out "auc better than production (v0.0.1)"
  expect_out "> 0.91"
  expect_eq "$(tag_count)" "$before"
  run mlops model promote m v0.0.2 --to production --better-than production --metric loss --lower-is-better
  expect_rc 0
  expect_out "< 0.3"
  run mlops model promote m v0.0.3 --to production --better-than production --metric auc
  expect_rc 0
  run mlops model show 'm#production' --json
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.3"
  run mlops model promote m v0.0.1 --to staging --better-than production
  expect_rc 2
  expect_err "--better-than and --metric go together"
}

test_promote_same_version_twice_is_a_no_op() {
  repo_with_versions
  mlops model promote m v0.0.1 --to staging > /dev/null 2>&1
  local before; before=$(tag_count)
  run mlops model promote m v0.0.1 --to staging
  expect_rc 0
  expect_err "already in 'staging'; no tag written"
  expect_eq "$(tag_count)" "$before"
}

test_rollback_returns_stage_to_previous_holder() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  mlops model promote m v0.0.3 --to production > /dev/null 2>&1
  run mlops model rollback m --stage production -m "v0.0.3 broke checkout"
  expect_rc 0
  expect_out "Rolled back m production: v0.0.3 -> v0.0.1 (tag 'm#production#3')"
  local message; message=$(git tag -l --format='%(contents)' 'm#production#3')
  [[ "$message" == "Assigning stage production to artifact m version v0.0.1"$'\n\nv0.0.3 broke checkout\n\nReason: rollback of production from v0.0.3'* ]] \
    || fail "unexpected message: $message"
  run mlops model show 'm#production' --json
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.1"
  # Rolling back again goes back to v0.0.3, the holder before the rollback.
  run mlops model rollback m --stage production --json
  expect_eq "$(echo "$out" | json_get '["to"]')" "v0.0.3"
  run mlops model rollback m --stage production --to v0.0.2
  expect_rc 0
  run mlops model show 'm#production' --json
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.2"
  local before; before=$(tag_count)
  run mlops model rollback m --stage staging
  expect_rc 2
  expect_err "no version of 'm' is in 'staging'"
  run mlops model rollback m --stage production --to v0.0.2
  expect_rc 2
  expect_err "already in 'production'"
  run mlops model rollback m --stage prod
  expect_rc 2
  expect_err "unknown stage 'prod'"
  expect_eq "$(tag_count)" "$before"
}

test_rollback_without_earlier_holder_fails() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  local before; before=$(tag_count)
  run mlops model rollback m --stage production
  expect_rc 2
  expect_err "no earlier version of 'm' held 'production'"
  expect_eq "$(tag_count)" "$before"
}

test_deprecate_unassign_deregister() {
  repo_with_versions
  mlops model promote m v0.0.3 --to production > /dev/null 2>&1
  run mlops model deprecate m v0.0.3 production
  expect_rc 0
  expect_out "tag 'm#production!#2'"
  expect_eq "$(git tag -l --format='%(contents:subject)' 'm#production!#2')" \
    "Unassigning stage 'production' to artifact 'm' version 'v0.0.3'"
  run mlops model deprecate m v0.0.3 production
  expect_rc 2
  expect_err "'m' v0.0.3 is not in stage 'production'"
  run mlops model deprecate m v0.0.3
  expect_rc 0
  expect_out "tag 'm@v0.0.3!'"
  expect_eq "$(git rev-parse 'm@v0.0.3!^{commit}')" "$(git rev-parse 'm@v0.0.3^{commit}')"
  run mlops model list --json
  expect_eq "$(echo "$out" | json_get '["models"][0]["latest"]')" "v0.0.2"
  run mlops model deprecate m v0.0.3
  expect_rc 2
  expect_err "was deregistered"
  expect_err "hint: see the registered versions with 'mlops model show m'"
  run mlops model show m@v0.0.3 --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["active"]')" "False"
  sleep 1  # a deprecation in the same second as the last tag gets a counter; show the plain form
  run mlops model deprecate m -m "replaced by m2"
  expect_rc 0
  expect_out "tag 'm@deprecated'"
  run mlops model list --json
  expect_eq "$(echo "$out" | json_get '["models"][0]["deprecated"]')" "True"
  run mlops model deprecate m
  expect_rc 2
  expect_err "deprecated already"
}

test_malformed_trailer_is_left_out_with_warning() {
  repo_with_versions
  commit_file x "4"
  gto_tag "m@v0.0.4" HEAD 1700000100 "Registering artifact m version v0.0.4

Artifact: not-a-hash
Metric: auc=0.97"
  run mlops model show 'm@v0.0.4' --json
  expect_rc 0
  expect_err "tag 'm@v0.0.4': malformed trailer 'Artifact: not-a-hash'"
  expect_eq "$(echo "$out" | json_get '["artifact"]')" "None"
  expect_eq "$(echo "$out" | json_get '["metrics"]["auc"]')" "0.97"
}

test_push_to_bare_origin() {
  repo_with_versions
  git init -q --bare "$TEST_ROOT/origin-$RANDOM.git"
  local origin; origin=$(ls -d "$TEST_ROOT"/origin-*.git | head -1)
  git remote add origin "$origin"
  run mlops model promote m v0.0.1 --to production --push
  expect_rc 0
  expect_err "Pushed 2 tags to 'origin'"
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/m#production#1' > /dev/null || fail "tag not pushed"
  # Issue 19.4: the stage tag travels with the tag of the version it assigns.
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/m@v0.0.1' > /dev/null || fail "version tag not pushed"
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/m@v0.0.2' > /dev/null && fail "only the tags needed are pushed"
  run mlops model push m
  expect_rc 0
  expect_out "Pushed 4 registry tags to 'origin'"
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/m@v0.0.3' > /dev/null || fail "model push missed m@v0.0.3"
  expect_eq "$(git --git-dir="$origin" cat-file -t 'm@v0.0.3')" "tag"
  run mlops model push m --remote nowhere
  expect_rc 2
  expect_err "no git remote 'nowhere'"
}

test_concurrent_promotions_get_distinct_counters() {
  repo_with_versions
  local i
  for i in 1 2 3 4; do
    ( "$MLOPS" model promote m v0.0.$(( (i % 3) + 1 )) --to staging > /dev/null 2>"$TEST_ROOT/err.$i"; echo $? > "$TEST_ROOT/rc.$i" ) &
  done
  wait
  for i in 1 2 3 4; do
    expect_eq "$(cat "$TEST_ROOT/rc.$i")" "0"
  done
  # Four promotions, some no-ops (same version twice), never two tags with one counter.
  local counters; counters=$(git tag -l 'm#staging#*' | sed 's/.*#//' | sort -n | tr '\n' ' ')
  local unique; unique=$(git tag -l 'm#staging#*' | sed 's/.*#//' | sort -un | tr '\n' ' ')
  expect_eq "$counters" "$unique"
  [[ -n "$counters" ]] || fail "no promotion happened"
}

test_history_lists_every_event() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  run mlops model history
  expect_rc 0
  expect_out "TIME"
  expect_out "registration"
  expect_out "assignment"
  expect_out "Test Author"
  run mlops model history m --json
  expect_eq "$(echo "$out" | json_get '["events"][3]["stage"]')" "production"
  expect_eq "$(echo "$out" | json_get '["events"][3]["author"]')" "Test Author"
  expect_eq "$(echo "$out" | json_get '["events"][0]["time"]')" "2023-11-14T22:13:21Z"
}

# A repository with mlops initialised and committed, and model files kept out of git.
repo_for_models() {
  new_repo
  printf '*.bin\nout/\n' > .gitignore
  git add .gitignore .mlops && git commit -qm init
}

# make_model FILE: random bytes, so each version differs.
make_model() { head -c 4096 /dev/urandom > "$1"; }

# finished_run ARTIFACT [METRIC=VALUE...]: a finished run that logged ARTIFACT; prints its id.
finished_run() {
  local artifact=$1 id kv; shift
  id=$("$MLOPS" run start --name train 2>/dev/null) || return 1
  for kv in "$@"; do "$MLOPS" log metric "${kv%%=*}" "${kv#*=}" --run "$id" > /dev/null 2>&1; done
  [[ -n "$artifact" ]] && "$MLOPS" log artifact "$artifact" --run "$id" > /dev/null 2>&1
  "$MLOPS" run end "$id" > /dev/null 2>&1
  echo "$id"
}

test_end_to_end_register_promote_rollback_get_deprecate() {
  repo_for_models
  commit_file train.py "v1"
  make_model model.bin
  cp model.bin first.bin
  local run1; run1=$(finished_run model.bin auc=0.91)
  run mlops model register churn --run "${run1:0:8}" -m "baseline"
  expect_rc 0
  expect_out "Registered churn v0.0.1 (tag 'churn@v0.0.1' on $(git rev-parse --short=7 HEAD))"
  local message; message=$(git tag -l --format='%(contents)' 'churn@v0.0.1')
  [[ "$message" == "Registering artifact churn version v0.0.1"$'\n\nbaseline\n\nArtifact: xxh3:'* ]] || fail "message: $message"
  [[ "$message" == *"Run: $run1"* && "$message" == *"Metric: auc=0.91"* && "$message" == *"Size: 4096"* ]] \
    || fail "trailers missing: $message"
  # Passing and failing gates.
  run mlops model promote churn v0.0.1 --to production --require 'metrics.auc >= 0.9'
  expect_rc 0
  run mlops model promote churn v0.0.1 --to staging --require 'metrics.auc >= 0.95'
  expect_rc 1
  # A second version on a new commit: the patch is bumped.
  commit_file train.py "v2"
  make_model model.bin
  cp model.bin second.bin
  local run2; run2=$(finished_run model.bin auc=0.96)
  run mlops model register churn --run "$run2"
  expect_rc 0
  expect_out "churn v0.0.2"
  # Champion/challenger against production.
  run mlops model promote churn v0.0.2 --to production --better-than production --metric auc
  expect_rc 0
  expect_out "> 0.91"
  run mlops model get 'churn#production' --out out/prod.bin
  expect_rc 0
  cmp -s out/prod.bin second.bin || fail "production artifact differs from v0.0.2's bytes"
  # Roll back: production is v0.0.1 again, and get gives its exact bytes.
  run mlops model rollback churn --stage production
  expect_rc 0
  expect_out "v0.0.2 -> v0.0.1"
  run mlops model get 'churn#production' --json
  expect_rc 0
  local path; path=$(echo "$out" | json_get '["path"]')
  cmp -s "$path" first.bin || fail "rolled-back artifact differs from v0.0.1's bytes"
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.1"
  run mlops model get churn@latest
  expect_rc 0
  cmp -s "$out" second.bin || fail "latest artifact differs"
  # Lineage.
  run mlops model show churn@v0.0.2 --json
  expect_eq "$(echo "$out" | json_get '["run"]')" "$run2"
  expect_eq "$(echo "$out" | json_get '["metrics"]["auc"]')" "0.96"
  expect_eq "$(echo "$out" | json_get '["artifact"]["size"]')" "4096"
  expect_eq "$(echo "$out" | json_get '["commit"]')" "$(git rev-parse HEAD)"
  # Deprecate.
  sleep 1
  run mlops model deprecate churn
  expect_rc 0
  expect_eq "$(git tag -l --format='%(contents:subject)' 'churn@deprecated')" "Deprecating artifact 'churn'"
  run mlops model get 'churn#production'
  expect_rc 0
  expect_err "'churn' is deprecated"
}

test_register_path_versions_and_refusals() {
  repo_for_models
  make_model model.bin
  run mlops model register churn --path model.bin --metric auc=0.9 --metric f1=0.8 --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.1"
  expect_eq "$(echo "$out" | json_get '["commit"]')" "$(git rev-parse HEAD)"
  local before; before=$(tag_count)
  run mlops model register churn --path model.bin
  expect_rc 2
  expect_err "'churn' v0.0.1 is already registered at commit"
  commit_file a "1"
  run mlops model register churn --path model.bin --version v0.0.1
  expect_rc 2
  expect_err "version 'v0.0.1' of 'churn' exists already"
  run mlops model register churn --path model.bin --version 1.0
  expect_rc 2
  expect_err "'1.0' is not a version"
  run mlops model register 'bad name!' --path model.bin
  expect_rc 2
  expect_err "invalid model name 'bad name!'"
  run mlops model register churn --path missing.bin
  expect_rc 2
  expect_err "no file or folder 'missing.bin'"
  run mlops model register churn --path model.bin --metric auc
  expect_rc 2
  expect_err "malformed metric 'auc'"
  expect_eq "$(tag_count)" "$before"
  run mlops model register churn --path model.bin --bump minor
  expect_rc 0
  expect_out "churn v0.1.0"
  commit_file a "2"
  run mlops model register churn --path model.bin --version v2.0.0-rc.1
  expect_rc 0
  commit_file a "3"
  run mlops model register churn --path model.bin
  expect_rc 0
  expect_out "churn v2.0.1"
  run mlops model list --json
  expect_eq "$(echo "$out" | json_get '["models"][0]["latest"]')" "v2.0.1"
}

# Issue 10.4: an automatic version skips every version taken, deregistered ones and tags git holds
# included (an unattended CT job must not die on "exists already").
test_register_skips_taken_versions() {
  repo_for_models
  make_model model.bin
  mlops model register churn --path model.bin > /dev/null 2>&1
  commit_file a "1"
  mlops model register churn --path model.bin > /dev/null 2>&1
  run mlops model deprecate churn v0.0.2
  expect_rc 0
  commit_file a "2"
  run mlops model register churn --path model.bin
  expect_rc 0
  expect_out "Registered churn v0.0.3"
  # A deregistered latest and a lightweight tag of the next number: both skipped.
  mlops model deprecate churn v0.0.3 > /dev/null 2>&1
  git tag 'churn@v0.0.4' HEAD~1
  commit_file a "3"
  run mlops model register churn --path model.bin --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.5"
  # --bump starts from the highest version ever registered, too.
  mlops model deprecate churn v0.0.5 > /dev/null 2>&1
  commit_file a "4"
  run mlops model register churn --path model.bin --bump minor
  expect_rc 0
  expect_out "Registered churn v0.1.0"
  mlops model deprecate churn v0.1.0 > /dev/null 2>&1
  mlops model deprecate churn v0.0.1 > /dev/null 2>&1
  commit_file a "5"
  run mlops model register churn --path model.bin --bump minor
  expect_rc 0
  expect_out "Registered churn v0.2.0"
  # A version given by hand is never renumbered.
  commit_file a "6"
  local before; before=$(tag_count)
  run mlops model register churn --path model.bin --version v0.0.3
  expect_rc 2
  expect_err "version 'v0.0.3' of 'churn' exists already"
  expect_eq "$(tag_count)" "$before"
}

test_register_first_bump_and_folder() {
  repo_for_models
  run mlops model register m --path .gitignore --bump major
  expect_rc 2
  expect_err "has no version to bump yet"
  mkdir -p out/model && printf 'a' > out/model/weights && printf 'b' > out/model/config
  run mlops model register m --path out/model
  expect_rc 0
  run mlops model show m@v0.0.1 --json
  expect_eq "$(echo "$out" | json_get '["artifact"]["kind"]')" "dir"
  expect_eq "$(echo "$out" | json_get '["artifact"]["files"]')" "2"
  run mlops model get m@v0.0.1 --out restored
  expect_rc 0
  diff -r out/model restored > /dev/null || fail "folder artifact differs"
}

test_register_refuses_dirty_tree_unless_allowed() {
  repo_for_models
  make_model model.bin
  commit_file train.py "v1"
  echo "change" > train.py
  local before; before=$(tag_count)
  run mlops model register churn --path model.bin
  expect_rc 2
  expect_err "the work tree has uncommitted changes to tracked files: 'train.py'"
  expect_err "--allow-dirty"
  expect_eq "$(tag_count)" "$before"
  run mlops model register churn --path model.bin --allow-dirty
  expect_rc 0
  expect_err "cannot be rebuilt from git"
  [[ "$(git tag -l --format='%(contents)' 'churn@v0.0.1')" == *"Dirty: yes"* ]] || fail "no Dirty trailer"
}

# Untracked files are not part of a version's lineage (git tag and GTO ignore them too); changed
# tracked files are, and the refusal names them: the first five and how many more.
test_register_ignores_untracked_files_and_names_changed_ones() {
  repo_for_models
  make_model model.bin
  local i
  for i in 1 2 3 4 5 6 7; do commit_file "src/f$i.py" "v1"; done
  mkdir -p scratch && echo "notes" > scratch/notes.txt && echo "todo" > todo.txt
  run mlops model register churn --path model.bin
  expect_rc 0
  expect_out "Registered churn v0.0.1"
  [[ "$err" != *"uncommitted"* ]] || fail "untracked files made the version dirty: $err"
  [[ "$(git tag -l --format='%(contents)' 'churn@v0.0.1')" != *"Dirty: yes"* ]] || fail "Dirty trailer for untracked files"
  commit_file other.txt "next commit"
  echo "edit" > src/f2.py
  run mlops model register churn --path model.bin
  expect_rc 2
  expect_err "uncommitted changes to tracked files: 'src/f2.py'"
  [[ "$err" != *"scratch"* && "$err" != *"todo.txt"* ]] || fail "untracked files named: $err"
  for i in 1 3 4 5 6 7; do echo "edit" > "src/f$i.py"; done
  git add src/f7.py
  local before; before=$(tag_count)
  run mlops model register churn --path model.bin
  expect_rc 2
  expect_err "'src/f1.py', 'src/f2.py', 'src/f3.py', 'src/f4.py', 'src/f5.py' and 2 more"
  expect_eq "$(tag_count)" "$before"
}

test_register_refuses_bad_runs() {
  repo_for_models
  make_model model.bin
  local before; before=$(tag_count)
  local failed; failed=$("$MLOPS" run start --name bad 2>/dev/null)
  "$MLOPS" log artifact model.bin --run "$failed" > /dev/null 2>&1
  "$MLOPS" run end "$failed" --status failed --exit-code 3 > /dev/null 2>&1
  run mlops model register churn --run "$failed"
  expect_rc 2
  expect_err "run '$failed' failed (exit code 3)"
  local none; none=$(finished_run "" auc=0.9)
  run mlops model register churn --run "$none"
  expect_rc 2
  expect_err "logged no artifact to register"
  local ok; ok=$(finished_run model.bin)
  run mlops model register churn --run "$ok" --artifact nope.pkl
  expect_rc 2
  expect_err "run '$ok' has no artifact 'nope.pkl'"
  expect_err "model.bin"
  run mlops model register churn --run zzzzzzzz
  expect_rc 2
  echo "edit" > train.py
  local dirty; dirty=$(finished_run model.bin)
  run mlops model register churn --run "$dirty"
  expect_rc 2
  expect_err "run '$dirty' ran on uncommitted changes"
  expect_err "--allow-dirty"
  run mlops model register churn --run "$ok" --path model.bin
  expect_rc 2
  expect_eq "$(tag_count)" "$before"
}

test_get_fetches_missing_artifact_from_remote() {
  repo_for_models
  make_model model.bin
  mlops model register churn --path model.bin > /dev/null 2>&1
  local store="$TEST_ROOT/store-$RANDOM"
  mkdir -p "$store"
  run mlops remote add storage "$store" --default
  expect_rc 0
  # Put the object on the remote by hand (its layout is the cache's), then drop it locally.
  local hash; hash=$(mlops model show churn@v0.0.1 --json | json_get '["artifact"]["hash"]')
  local hex=${hash#xxh3:}
  mkdir -p "$store/${hex:0:2}" && cp ".mlops/cache/${hex:0:2}/${hex:2}" "$store/${hex:0:2}/${hex:2}"
  chmod -R u+w .mlops/cache && rm -f ".mlops/cache/${hex:0:2}/${hex:2}"
  run mlops model get churn@v0.0.1 --out got.bin --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["fetched"]')" "True"
  cmp -s got.bin model.bin || fail "fetched artifact differs"
}

# Issue 10.2: --push never publishes a tag whose artifact nobody can fetch: the artifact goes to
# the default data remote first; without one nothing is written or pushed. `model get`'s message
# for a missing artifact names the command that fixes it, and that command works.
test_push_publishes_artifact_before_tag() {
  repo_for_models
  local origin="$TEST_ROOT/origin-$current_test.git" store="$TEST_ROOT/store-$current_test"
  git init -q --bare "$origin" && git remote add origin "$origin"
  git push -q origin HEAD:main
  make_model model.bin
  local before; before=$(tag_count)
  run mlops model register churn --path model.bin --push
  expect_rc 2
  expect_err "--push needs a default data remote"
  expect_err "mlops remote add NAME URL --default"
  expect_eq "$(tag_count)" "$before"
  expect_eq "$(git --git-dir="$origin" tag | wc -l | tr -d ' ')" "0"
  mkdir -p "$store" && mlops remote add storage "$store" --default > /dev/null 2>&1
  git commit -qam "data remote"
  run mlops model register churn --path model.bin --push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["pushed"]')" "True"
  expect_err "Uploaded 1 object"
  local hex; hex=$(echo "$out" | json_get '["artifact"]'); hex=${hex#xxh3:}
  expect_file "$store/${hex:0:2}/${hex:2}"
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/churn@v0.0.1' > /dev/null || fail "tag not pushed"
  # Registered without --push, promoted with it: the version's tag and artifact travel with the stage tag.
  commit_file a "1"
  make_model model.bin
  mlops model register churn --path model.bin > /dev/null 2>"$TEST_ROOT/err"
  grep -q "mlops model push churn" "$TEST_ROOT/err" || fail "the hint is not 'mlops model push': $(cat "$TEST_ROOT/err")"
  run mlops model promote churn v0.0.2 --to production --push
  expect_rc 0
  expect_err "Pushed 2 tags to 'origin'"
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/churn@v0.0.2' > /dev/null || fail "version tag not pushed"
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/churn#production#1' > /dev/null || fail "stage tag not pushed"
  git push -q origin HEAD:main
  # A third version whose tag reached origin by plain git, without its artifact.
  commit_file a "2"
  make_model model.bin
  cp model.bin third.bin
  mlops model register churn --path model.bin > /dev/null 2>&1
  git push -q origin HEAD:main 'churn@v0.0.3' 2> /dev/null
  local clone="$TEST_ROOT/clone-$current_test"
  git clone -q "$origin" "$clone"
  local dev=$PWD
  cd "$clone" || fail "no clone"
  mlops remote remove storage > /dev/null 2>&1
  run mlops model get 'churn#production' --out got.bin
  expect_rc 2
  expect_err "is not in the cache, and no data remote is set to fetch it from"
  expect_err "mlops remote add NAME URL --default"
  mlops remote add storage "$store" --default > /dev/null 2>&1
  run mlops model get 'churn#production' --out got.bin
  expect_rc 0
  run mlops model get churn@v0.0.3 --out third.bin
  expect_rc 2
  expect_err "the artifact of 'churn' v0.0.3 (xxh3:"
  expect_err "is neither in the cache nor on data remote 'storage'"
  expect_err "run 'mlops model push churn'"
  expect_no_file third.bin
  cd "$dev" || fail "no dev"
  # What the hint says, in the clone that registered it, fixes it.
  run mlops model push churn
  expect_rc 0
  expect_out "Uploaded 1 object"
  cd "$clone" || fail "no clone"
  run mlops model get churn@v0.0.3 --out third.bin
  expect_rc 0
  cmp -s third.bin "$dev/third.bin" || fail "the fetched artifact differs"
  cd "$dev" || fail "no dev"
  # An artifact that is nowhere: nothing is pushed.
  commit_file a "3"
  make_model model.bin
  mlops model register churn --path model.bin > /dev/null 2>&1
  local h4; h4=$(mlops model show churn@v0.0.4 --json | json_get '["artifact"]["hash"]'); h4=${h4#xxh3:}
  chmod -R u+w .mlops/cache && rm -f ".mlops/cache/${h4:0:2}/${h4:2}"
  run mlops model push churn
  expect_rc 2
  expect_err "the artifact of 'churn' v0.0.4"
  expect_err "neither in this clone's cache nor on data remote 'storage'"
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/churn@v0.0.4' > /dev/null && fail "pushed a tag whose artifact is nowhere"
  # Deprecations name no artifact: no data remote needed.
  mlops remote remove storage > /dev/null 2>&1 || fail "remote remove"
  run mlops model deprecate churn v0.0.4 --push
  expect_rc 0
  git --git-dir="$origin" rev-parse -q --verify 'refs/tags/churn@v0.0.4!' > /dev/null || fail "deregistration not pushed"
}

# Issue 10.20: what a pushed tag means, for CD jobs (GTO's check-ref).
test_check_ref_says_what_a_tag_means() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  mlops model promote m v0.0.2 --to production > /dev/null 2>&1
  run mlops model check-ref 'm#production#1' --json
  expect_rc 0
  expect_eq "$(echo "$out" | python3 -c 'import json,sys; print(json.dumps(list(json.load(sys.stdin))))')" \
    '["tag", "model", "event", "version", "stage", "stage_holder", "rollback", "reason", "commit", "time", "author"]'
  expect_eq "$(echo "$out" | json_get '["event"]')" "assignment"
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.1"
  expect_eq "$(echo "$out" | json_get '["stage"]')" "production"
  expect_eq "$(echo "$out" | json_get '["stage_holder"]')" "v0.0.2"
  expect_eq "$(echo "$out" | json_get '["commit"]')" "$(git rev-parse 'm@v0.0.1^{commit}')"
  [[ "$(echo "$out" | json_get '["time"]')" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] || fail "time: $out"
  run mlops model check-ref 'refs/tags/m@v0.0.3'
  expect_rc 0
  expect_out "m@v0.0.3: m v0.0.3 registered on $(git rev-parse --short=7 'm@v0.0.3^{commit}')"
  run mlops model check-ref 'm#production#2'
  expect_out "m v0.0.2 promoted to 'production'"
  expect_out "'production' is now held by v0.0.2"
  mlops model deprecate m v0.0.2 production > /dev/null 2>&1
  run mlops model check-ref 'm#production!#3' --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["event"]')" "unassignment"
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.2"
  expect_eq "$(echo "$out" | json_get '["stage_holder"]')" "v0.0.1"
  mlops model rollback m --stage production > /dev/null 2>&1
  run mlops model check-ref 'm#production#4' --json
  expect_eq "$(echo "$out" | json_get '["rollback"]')" "True"
  expect_eq "$(echo "$out" | json_get '["reason"]')" "rollback of production from v0.0.1"
  run mlops model check-ref 'm#production#4'
  expect_out "m v0.0.2 got back 'production'"
  mlops model deprecate m > /dev/null 2>&1
  # 'm@deprecated', or 'm@deprecated#N' when it was written in the same second as the rollback.
  run mlops model check-ref "$(git tag -l 'm@deprecated*')" --json
  expect_eq "$(echo "$out" | json_get '["event"]')" "deprecation"
  expect_eq "$(echo "$out" | json_get '["version"]')" "None"
  # Not a registry tag, not there, not annotated: exit 2 saying which.
  run mlops model check-ref 'release-1.0'
  expect_rc 2
  expect_err "'release-1.0' is not a registry tag"
  run mlops model check-ref 'm@v9.9.9'
  expect_rc 2
  expect_err "no tag 'm@v9.9.9' in this repository"
  expect_err "git fetch --tags"
  git tag 'm#staging#40' 'm@v0.0.1^{commit}'
  run mlops model check-ref 'm#staging#40'
  expect_rc 2
  expect_err "tag 'm#staging#40' is not annotated"
  expect_eq "$out" ""
}

# Issue 10.10: promoting (or rolling back) a deprecated model would silently bring it back.
test_promote_of_deprecated_model_needs_force() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  mlops model deprecate m > /dev/null 2>&1
  local before; before=$(tag_count)
  run mlops model promote m v0.0.2 --to production
  expect_rc 2
  expect_err "'m' is deprecated; giving 'production' to v0.0.2 would bring it back"
  expect_err "--force"
  run mlops model rollback m --stage production --to v0.0.3
  expect_rc 2
  expect_err "'m' is deprecated"
  expect_err "pass --force to roll back anyway"
  expect_eq "$(tag_count)" "$before"
  expect_eq "$(mlops model list --json | json_get '["models"][0]["deprecated"]')" "True"
  run mlops model promote m v0.0.2 --to production --force
  expect_rc 0
  expect_err "'m' was deprecated; this promotion brings it back"
  expect_eq "$(mlops model list --json | json_get '["models"][0]["deprecated"]')" "False"
}

# Issue 10.10: history marks rollbacks and shows their reason.
test_history_marks_rollbacks_with_reason() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  mlops model promote m v0.0.3 --to production > /dev/null 2>&1
  mlops model rollback m --stage production -m "v0.0.3 broke checkout" > /dev/null 2>&1
  mlops model rollback m --stage production > /dev/null 2>&1
  run mlops model history m
  expect_rc 0
  expect_out "rollback"
  expect_out "rollback of production from v0.0.3: v0.0.3 broke checkout"
  [[ "$(echo "$out" | grep -c ' rollback ')" == 2 ]] || fail "two rollbacks expected: $out"
  [[ "$(echo "$out" | grep -c ' assignment ')" == 2 ]] || fail "two promotions expected: $out"
  run mlops model history m --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["events"][-2]["rollback"]')" "True"
  expect_eq "$(echo "$out" | json_get '["events"][-2]["reason"]')" "rollback of production from v0.0.3"
  expect_eq "$(echo "$out" | json_get '["events"][-1]["reason"]')" "rollback of production from v0.0.1"
  expect_eq "$(echo "$out" | json_get '["events"][-3]["rollback"]')" "False"
  expect_eq "$(echo "$out" | json_get '["events"][-3]["reason"]')" "None"
}

# Issue 19.4: two clones write the same registry tag name. Pushing finds out before it pushes
# anything, says what the remote has and what we have, and which wins; the hint's way out works.
test_push_detects_diverged_registry_tags() {
  repo_for_models
  local origin="$TEST_ROOT/origin-$current_test.git" store="$TEST_ROOT/store-$current_test"
  mkdir -p "$store" && mlops remote add storage "$store" --default > /dev/null 2>&1
  git commit -qam "data remote"
  git init -q --bare "$origin" && git remote add origin "$origin" && git push -q origin HEAD:main
  local a=$PWD b="$TEST_ROOT/b-$current_test"
  git clone -q "$origin" "$b"
  # A and B each register v0.0.1 on their own commit; B pushes first.
  commit_file a "1"; make_model model.bin
  mlops model register churn --path model.bin > /dev/null 2>&1
  local mine; mine=$(git rev-parse --short=7 HEAD)
  cd "$b" || fail "no clone"
  commit_file b "1"; make_model model.bin
  run mlops model register churn --path model.bin --push
  expect_rc 0
  local theirs; theirs=$(git rev-parse --short=7 HEAD)
  git push -q origin HEAD:main
  cd "$a" || fail "no a"
  run mlops model push churn
  expect_rc 3
  expect_err "'churn@v0.0.1' diverged: remote 'origin' has another tag of that name (on commit $theirs), yours is on commit $mine; the remote's wins, so nothing was pushed"
  expect_err "git tag -d 'churn@v0.0.1' && git fetch --tags origin; then register again"
  expect_eq "$(git --git-dir="$origin" rev-parse --short=7 'churn@v0.0.1^{commit}')" "$theirs"
  # The way out: take the remote's, register again (the next free version), push.
  git tag -d 'churn@v0.0.1' > /dev/null && git fetch -q --tags origin
  run mlops model register churn --path model.bin --push
  expect_rc 0
  expect_out "Registered churn v0.0.2"
  expect_eq "$(git --git-dir="$origin" rev-parse --short=7 'churn@v0.0.2^{commit}')" "$mine"
  # A tag the user made earlier is not dropped: 'model push' above, and an explicit --version.
  cd "$b" || fail "no clone"
  commit_file b "2"; make_model model.bin
  run mlops model register churn --path model.bin --version v1.0.0 --push
  expect_rc 0
  local theirs2; theirs2=$(git rev-parse --short=7 HEAD)
  git push -q origin HEAD:main
  cd "$a" || fail "no a"
  commit_file a "2"; make_model model.bin
  run mlops model register churn --path model.bin --version v1.0.0 --push
  expect_rc 3
  expect_err "'churn@v1.0.0' diverged: remote 'origin' has another tag of that name (on commit $theirs2)"
  expect_eq "$(git --git-dir="$origin" rev-parse --short=7 'churn@v1.0.0^{commit}')" "$theirs2"
  expect_eq "$(git rev-parse --short=7 'churn@v1.0.0^{commit}')" "$(git rev-parse --short=7 HEAD)"
}

# Issue 19.4: with --push, an automatic version or stage counter that another clone took on the
# remote meanwhile is given up for the next free one (fetched, re-derived, pushed again).
test_push_retakes_automatic_version_and_counter() {
  repo_for_models
  local origin="$TEST_ROOT/origin-$current_test.git" store="$TEST_ROOT/store-$current_test"
  mkdir -p "$store" && mlops remote add storage "$store" --default > /dev/null 2>&1
  git commit -qam "data remote"
  git init -q --bare "$origin" && git remote add origin "$origin" && git push -q origin HEAD:main
  local a=$PWD b="$TEST_ROOT/b-$current_test"
  git clone -q "$origin" "$b"
  # Both register the next automatic version (v0.0.1), each on a commit of its own; B is first.
  commit_file a "1"; make_model model.bin
  local mine; mine=$(git rev-parse --short=7 HEAD)
  cd "$b" || fail "no clone"
  commit_file b "1"; make_model model.bin
  run mlops model register churn --path model.bin --push
  expect_rc 0
  local theirs; theirs=$(git rev-parse --short=7 HEAD)
  git push -q origin HEAD:main
  cd "$a" || fail "no a"
  run mlops model register churn --path model.bin --push
  expect_rc 0
  expect_err "'churn@v0.0.1' was taken on 'origin' by $theirs (Test Author); dropped ours and fetched the remote's registry tags"
  expect_err "registered as churn@v0.0.2 instead of churn@v0.0.1"
  expect_out "Registered churn v0.0.2 (tag 'churn@v0.0.2' on $mine)"
  expect_eq "$(git --git-dir="$origin" rev-parse --short=7 'churn@v0.0.1^{commit}')" "$theirs"
  expect_eq "$(git --git-dir="$origin" rev-parse --short=7 'churn@v0.0.2^{commit}')" "$mine"
  expect_eq "$(git rev-parse 'churn@v0.0.1')" "$(git --git-dir="$origin" rev-parse 'churn@v0.0.1')"
  # Both write stage counter production#1; A's becomes production#2.
  cd "$b" || fail "no clone"
  git fetch -q --tags origin
  run mlops model promote churn v0.0.2 --to production --push
  expect_rc 0
  cd "$a" || fail "no a"
  run mlops model promote churn v0.0.1 --to production --push --json
  expect_rc 0
  expect_err "'churn#production#1' was taken on 'origin' by $mine (Test Author)"
  expect_err "wrote churn#production#2 instead of churn#production#1"
  expect_out '"tag": "churn#production#2"'
  expect_eq "$(git --git-dir="$origin" rev-parse --short=7 'churn#production#1^{commit}')" "$mine"
  expect_eq "$(git --git-dir="$origin" rev-parse --short=7 'churn#production#2^{commit}')" "$theirs"
  # A rollback's counter likewise.
  cd "$b" || fail "no clone"
  git fetch -q --tags origin
  run mlops model rollback churn --stage production --push
  expect_rc 0
  cd "$a" || fail "no a"
  # (Another message: two identical tags written in the same second are one and the same object.)
  run mlops model rollback churn --stage production --push -m "bad batch"
  expect_rc 0
  expect_err "'churn#production#3' was taken on 'origin'"
  expect_err "wrote churn#production#4 instead of churn#production#3"
  # Every clone sees the same registry after a fetch.
  local seen_a; seen_a=$(mlops model list --json)
  local history_a; history_a=$(mlops model history churn --json)
  cd "$b" && git fetch -q --tags origin
  expect_eq "$(mlops model list --json)" "$seen_a"
  expect_eq "$(mlops model history churn --json)" "$history_a"
}

# Issue 19.4: both clones register on one and the same commit. A commit holds one active version,
# so the second gives its tag up for the remote's and its registration is refused.
test_push_race_on_one_commit_keeps_the_remotes_version() {
  repo_for_models
  local origin="$TEST_ROOT/origin-$current_test.git" store="$TEST_ROOT/store-$current_test"
  mkdir -p "$store" && mlops remote add storage "$store" --default > /dev/null 2>&1
  git commit -qam "data remote"
  git init -q --bare "$origin" && git remote add origin "$origin" && git push -q origin HEAD:main
  local a=$PWD b="$TEST_ROOT/b-$current_test" commit; commit=$(git rev-parse --short=7 HEAD)
  git clone -q "$origin" "$b"
  make_model model.bin
  cd "$b" || fail "no clone"
  make_model model.bin
  run mlops model register churn --path model.bin --push
  expect_rc 0
  local theirs; theirs=$(git rev-parse 'churn@v0.0.1')
  cd "$a" || fail "no a"
  run mlops model register churn --path model.bin --push
  expect_rc 2
  expect_err "'churn@v0.0.1' was taken on 'origin' by $commit (Test Author); dropped ours and fetched the remote's registry tags"
  expect_err "'churn' v0.0.1 is already registered at commit $commit"
  expect_eq "$(git rev-parse 'churn@v0.0.1')" "$theirs"
  expect_eq "$(git --git-dir="$origin" rev-parse 'churn@v0.0.1')" "$theirs"
  expect_eq "$(git tag | tr '\n' ' ')" "churn@v0.0.1 "
  local seen_a; seen_a=$(mlops model list --json)
  cd "$b" || fail "no clone"
  expect_eq "$(mlops model list --json)" "$seen_a"
}

# Issue 19.4: a tag dated in the future is reported, and a promotion it outranks says that it did
# not take effect instead of reporting success.
test_future_dated_tag_is_reported() {
  repo_with_versions
  local later=$(( $(date +%s) + 7200 ))
  gto_tag "m#production#1" 'm@v0.0.1^{commit}' "$later" "Assigning stage production to artifact m version v0.0.1"
  run mlops model list
  expect_rc 0
  expect_err "tag 'm#production#1' is dated"
  expect_err "in the future"
  run mlops model promote m v0.0.2 --to production
  expect_rc 3
  expect_err "did not take effect: 'production' is still held by v0.0.1, because tag 'm#production#1' is dated later"
  expect_no_out "Promoted"
}

test_get_unknown_and_no_artifact() {
  repo_with_versions
  run mlops model get 'm@v0.0.1'
  expect_rc 2
  expect_err "records no artifact"
  run mlops model get 'm#production'
  expect_rc 2
  expect_err "no version of 'm' is in stage 'production'"
  run mlops model get 'zz@latest'
  expect_rc 2
  expect_err "unknown model 'zz'"
}

test_tag_cache_follows_moved_and_deleted_tags() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  run mlops model list --json
  expect_eq "$(echo "$out" | json_get '["models"][0]["stages"]')" "{'production': 'v0.0.1'}"
  expect_file .mlops/registry-tags.cache
  # The same tag name re-created on another commit, and a tag deleted: both seen at once.
  git tag -d 'm#production#1' > /dev/null
  gto_tag 'm#production#1' 'm@v0.0.2^{commit}' 1700000500 "Assigning stage production to artifact m version v0.0.2"
  git tag -d 'm@v0.0.3' > /dev/null
  run mlops model list --json
  expect_eq "$(echo "$out" | json_get '["models"][0]["stages"]')" "{'production': 'v0.0.2'}"
  expect_eq "$(echo "$out" | json_get '["models"][0]["latest"]')" "v0.0.2"
  # A damaged cache is rebuilt, not trusted.
  printf 'garbage' > .mlops/registry-tags.cache
  run mlops model list --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["models"][0]["latest"]')" "v0.0.2"
}

# Registry references where revisions are taken: the data a model version was trained on.
test_registry_references_as_revisions() {
  repo_for_models
  printf 'x,y\n1,a\n2,b\n3,a\n' > train.csv
  "$MLOPS" data add train.csv > /dev/null 2>&1
  git add train.csv.mlops .gitignore && git commit -qm "data v1"
  make_model model.bin
  local id; id=$(finished_run model.bin auc=0.9)
  run mlops runs list --limit 1 --ids
  expect_rc 0
  expect_eq "$out" "$id"
  "$MLOPS" model register m --run "$id" > /dev/null 2>&1
  "$MLOPS" model promote m v0.0.1 --to production > /dev/null 2>&1
  local v1; v1=$(cat train.csv)
  printf 'x,y\n9,c\n' > train.csv
  "$MLOPS" data add train.csv > /dev/null 2>&1
  git add train.csv.mlops && git commit -qm "data v2"
  run mlops data diff 'm#production' --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["changes"][0]["path"]')" "train.csv"
  run mlops data checkout --rev 'm#production' --force
  expect_rc 0
  expect_eq "$(cat train.csv)" "$v1"
  "$MLOPS" data checkout > /dev/null 2>&1
  run mlops drift check 'train.csv@m#production' 'train.csv@m@v0.0.1' --json
  expect_rc 0
  run mlops drift check 'train.csv@nope#production' train.csv
  expect_rc 2
  expect_err "unknown model 'nope'"
  run mlops data checkout --rev 'm#staging'
  expect_rc 2
  expect_eq "$(head -2 train.csv | tail -1)" "9,c"
  run mlops runs list --ids --json
  expect_rc 2
}

test_list_and_history_work_first_in_a_fresh_clone() {
  repo_with_versions
  local origin="$TEST_ROOT/origin-$current_test.git" clone="$TEST_ROOT/clone-$current_test"
  git init -q --bare "$origin"
  git push -q "$origin" HEAD:main 'refs/tags/*:refs/tags/*'
  git clone -q "$origin" "$clone"
  cd "$clone" || fail "no clone"
  # The clone has the committed .mlops/config.yaml but no .mlops/tmp yet.
  [[ ! -e .mlops/tmp ]] || fail "the clone already has .mlops/tmp"
  run mlops model list
  expect_rc 0
  expect_out "v0.0.3"
  run mlops model history m
  expect_rc 0
  expect_out "v0.0.1"
}

test_push_without_a_git_remote_writes_nothing() {
  repo_with_versions
  git remote | grep -q . && fail "the repository has a git remote"
  local before; before=$(git tag | sort)
  run mlops model deprecate m v0.0.1 --push
  expect_rc 2
  expect_err "no git remote 'origin'; nothing was written"
  expect_err "git remote add origin URL"
  run mlops model promote m v0.0.2 --to dev --push
  expect_rc 2
  expect_err "no git remote 'origin'"
  expect_eq "$(git tag | sort)" "$before"
}

# New-user trial: deregistering (or unassigning) the version a stage points at hands the stage to
# the version assigned before, as GTO reads the tags; mlops says so instead of doing it silently.
test_deregistering_the_stage_holder_names_the_new_holder() {
  repo_with_versions
  mlops model promote m v0.0.1 --to production > /dev/null 2>&1
  mlops model promote m v0.0.3 --to production > /dev/null 2>&1
  run mlops model deprecate m v0.0.3
  expect_rc 0
  expect_out "Deregistered m v0.0.3"
  expect_err "warning: 'm' v0.0.3 held 'production': 'production' is back to v0.0.1, the version assigned to it before"
  expect_err "hint: 'mlops model promote m VERSION --to production' puts another version there"
  expect_eq "$(mlops model list --json | json_get '["models"][0]["stages"]')" "{'production': 'v0.0.1'}"
  run mlops model deprecate m v0.0.1 production --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["stages_handed_over"]')" "[{'stage': 'production', 'now': None}]"
  expect_err "'m' v0.0.1 held 'production': no version is in 'production' now"
  # A version that holds no stage: no warning.
  run mlops model deprecate m v0.0.2
  expect_rc 0
  [[ "$err" != *"held"* ]] || fail "warned for a version in no stage: $err"
}

# New-user trial: outside a repository set up for mlops, an empty registry is the wrong folder.
test_model_list_outside_an_mlops_repository() {
  new_repo --no-init
  run mlops model list
  expect_rc 2
  expect_err "is not set up for mlops"
  expect_err "hint: run 'mlops init'"
  expect_no_out "No models registered yet"
  # Tags GTO wrote are still listed in a plain git repository.
  commit_file a "1"
  gto_tag "m@v0.0.1" HEAD 1700000001 "Registering artifact m version v0.0.1"
  run mlops model list
  expect_rc 0
  expect_out "v0.0.1"
}

# New-user trial: --remote is a data remote everywhere; model push takes --git-remote, and --remote
# there is a deprecated alias that says so. JSON names remotes by name, with the data remote's URL.
test_model_push_git_remote_and_deprecated_remote() {
  repo_for_models
  local origin="$TEST_ROOT/origin-$current_test.git" store="$TEST_ROOT/store-$current_test"
  git init -q --bare "$origin" && git remote add origin "$origin"
  mkdir -p "$store" && mlops remote add storage "$store" --default > /dev/null 2>&1
  git add -A && git commit -qm "data remote"
  make_model model.bin
  mlops model register churn --path model.bin > /dev/null 2>&1
  run mlops model push churn --git-remote origin --json
  expect_rc 0
  [[ "$err" != *"deprecated"* ]] || fail "--git-remote warned: $err"
  expect_eq "$(echo "$out" | json_get '["git_remote"]')" "origin"
  expect_eq "$(echo "$out" | json_get '["remote"]')" "origin"
  expect_eq "$(echo "$out" | json_get '["data_remote"]')" "storage"
  expect_eq "$(echo "$out" | json_get '["data_remote_url"]')" "$store"
  run mlops model push churn --remote origin
  expect_rc 0
  expect_out "Pushed 1 registry tag to 'origin'"
  expect_err "warning: '--remote' of 'mlops model push' names a git remote and is deprecated"
  expect_err "hint: use --git-remote origin"
  run mlops model push churn --git-remote nowhere
  expect_rc 2
  expect_err "no git remote 'nowhere'"
  run mlops model push churn --git-remote origin --remote origin
  expect_rc 2
  # The writing commands' --push reports the same fields.
  commit_file a "2"
  make_model model.bin
  run mlops model register churn --path model.bin --metric auc=0.95 --push --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["git_remote"]')" "origin"
  expect_eq "$(echo "$out" | json_get '["data_remote"]')" "storage"
  expect_eq "$(echo "$out" | json_get '["data_remote_url"]')" "$store"
  run mlops model promote churn v0.0.2 --to staging --json
  expect_eq "$(echo "$out" | json_get '["git_remote"]')" "None"
  # model get names the data remote it fetched from.
  git push -q origin HEAD:main
  local clone="$TEST_ROOT/clone-$current_test"
  git clone -q "$origin" "$clone" && cd "$clone" || fail "no clone"
  git fetch -q --tags
  run mlops model get churn@v0.0.2 --out got.bin --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["fetched"]')" "True"
  expect_eq "$(echo "$out" | json_get '["data_remote"]')" "storage"
  expect_eq "$(echo "$out" | json_get '["data_remote_url"]')" "$store"
}

# New-user trial: model get --remote takes a remote's name; a path or URL gets a hint that names
# 'mlops remote add', and nothing is written.
test_model_get_remote_path_is_refused_with_a_hint() {
  repo_for_models
  local store="$TEST_ROOT/store-$current_test"
  mkdir -p "$store" && mlops remote add storage "$store" > /dev/null 2>&1
  git add -A && git commit -qm "data remote"
  make_model model.bin
  mlops model register churn --path model.bin > /dev/null 2>&1
  run mlops model get churn@v0.0.1 --remote "$store" --out got.bin
  expect_rc 2
  expect_err "--remote takes the name of a data remote, and '$store' looks like a path or URL"
  expect_err "hint: add it first: mlops remote add NAME $store"
  expect_no_file got.bin
  run mlops model get churn@v0.0.1 --remote s3://bucket/models --out got.bin
  expect_rc 2
  expect_err "looks like a path or URL"
  run mlops model get churn@v0.0.1 --remote storag --out got.bin
  expect_rc 2
  expect_err "unknown data remote 'storag'"
  expect_err "hint: the data remotes are storage"
  expect_no_file got.bin
  run mlops model get churn@v0.0.1 --remote storage --out got.bin
  expect_rc 0
}

# New-user trial: promote --push prints its result (the gate table, "Promoted ...") before the
# notes of the push (docs/conventions.md: hints and notes after the result).
test_promote_push_prints_the_result_before_the_push_notes() {
  repo_for_models
  local origin="$TEST_ROOT/origin-$current_test.git" store="$TEST_ROOT/store-$current_test"
  git init -q --bare "$origin" && git remote add origin "$origin"
  mkdir -p "$store" && mlops remote add storage "$store" --default > /dev/null 2>&1
  git add -A && git commit -qm "data remote"
  make_model model.bin
  mlops model register churn --path model.bin --metric auc=0.95 > /dev/null 2>&1
  mlops model promote churn v0.0.1 --to production --push --require 'metrics.auc >= 0.9' > "$TEST_ROOT/both" 2>&1
  local lines; lines=$(grep -n "" "$TEST_ROOT/both")
  local gate promoted pushed
  gate=$(grep -n "^GATE" "$TEST_ROOT/both" | cut -d: -f1)
  promoted=$(grep -n "^Promoted churn v0.0.1 to production" "$TEST_ROOT/both" | cut -d: -f1)
  pushed=$(grep -n "^Pushed 2 tags to 'origin'" "$TEST_ROOT/both" | cut -d: -f1)
  [[ -n "$gate" && -n "$promoted" && -n "$pushed" ]] || fail "missing lines: $lines"
  ((gate < promoted && promoted < pushed)) || fail "the push notes come before the result: $lines"
  grep -q "^Uploaded 1 object" "$TEST_ROOT/both" || fail "no upload note: $lines"
  # Without --push, the hint that names 'model push' is the last line.
  commit_file a "2"
  make_model model.bin
  mlops model register churn --path model.bin --metric auc=0.96 > /dev/null 2>&1
  mlops model promote churn v0.0.2 --to staging --require 'metrics.auc >= 0.9' > "$TEST_ROOT/both" 2>&1
  expect_eq "$(tail -1 "$TEST_ROOT/both")" "hint: to push the changes upstream, run: mlops model push churn"
}

run_tests "${1:-.}"
