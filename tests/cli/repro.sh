#!/usr/bin/env bash
# CLI tests: mlops repro — rebuilding runs and model versions from their commit and data
# versions, in a worktree of their own, and the verdict (bit-identical, differs, cannot rebuild).
source "$(dirname "$0")/lib.sh"
# Training scripts call `mlops log`; they must find the binary under test.
PATH="$(cd "$(dirname "$MLOPS")" && pwd):$PATH"
QUICKSTART="$MLOPS_SOURCE_DIR/examples/quickstart"

# The user's side of things: work tree files (the store aside), index, HEAD and branch.
user_state() {
  (find . -path ./.git -prune -o -path ./.mlops -prune -o -type f -print0 | sort -z | xargs -0 md5sum
   git ls-files -s; git rev-parse HEAD; git symbolic-ref -q HEAD; git status --porcelain) | md5sum
}
run_count() { "$MLOPS" runs list --ids | wc -l | tr -d ' '; }
worktree_count() { git worktree list | wc -l | tr -d ' '; }

# The quickstart project with small data, initialised and committed.
quickstart_repo() {
  new_repo
  cp "$QUICKSTART"/{generate_data.py,train.py,params.yaml} .
  sed -i 's/^epochs: .*/epochs: 60/' params.yaml
  mkdir data && python3 generate_data.py --seed 1 --rows 600 --out data/train.csv
  "$MLOPS" data add data/train.csv > /dev/null 2>&1
  printf 'model.json\n' > .gitignore
  git add -A && git commit -qm "churn model, data v1"
}

train() { "$MLOPS" run --params-file params.yaml --artifact model.json -- python3 train.py > /dev/null 2>&1; }
newest_run() { "$MLOPS" runs list --limit 1 --ids; }

# A project whose command is a small shell script writing out.txt from data.txt.
script_repo() {
  new_repo
  printf '#!/bin/sh\nset -e\ncat data.txt > out.txt\nmlops log metric lines "$(wc -l < data.txt)"\n' > make.sh
  chmod +x make.sh
  printf 'a\nb\n' > data.txt
  "$MLOPS" data add data.txt > /dev/null 2>&1
  printf 'out.txt\n' > .gitignore
  git add -A && git commit -qm "script"
}

test_full_quickstart_cycle_rebuilds_v1_bit_identical() {
  quickstart_repo
  train
  local v1_run; v1_run=$(newest_run)
  run mlops model register churn --run "$v1_run"
  expect_rc 0
  "$MLOPS" model promote churn v0.0.1 --to production --require 'metrics.auc >= 0.5' > /dev/null 2>&1
  local v1_model; v1_model=$(md5sum < model.json)

  # New data arrives, drifts, and the model is retrained on the new data version.
  python3 generate_data.py --seed 2 --shift 1.5 --rows 300 --out data/new.csv
  run mlops drift check data/train.csv@churn#production data/new.csv
  expect_rc 1
  tail -n +2 data/new.csv >> data/train.csv
  rm data/new.csv
  "$MLOPS" data add data/train.csv > /dev/null 2>&1
  git add -A && git commit -qm "data v2"
  train
  "$MLOPS" model register churn --run "$(newest_run)" > /dev/null 2>&1
  "$MLOPS" model promote churn v0.0.2 --to production > /dev/null 2>&1
  # The workspace moves on: another branch, and uncommitted edits.
  git checkout -qb experiment
  printf 'lr_decay: 0.5\n' >> params.yaml
  expect_eq "$(md5sum < model.json)" "$(md5sum < model.json)"
  local before runs_before; before=$(user_state); runs_before=$(run_count)

  run mlops repro churn@v0.0.1
  expect_rc 0
  expect_out "bit-identical"
  expect_out "churn v0.0.1"
  expect_eq "$(user_state)" "$before"
  expect_eq "$(worktree_count)" "1"
  expect_eq "$(run_count)" "$((runs_before + 1))"
  # The rebuild is a run of its own, on v0.0.1's commit, tagged with the run it rebuilt.
  run mlops runs show "$(newest_run)" --json
  expect_eq "$(echo "$out" | json_get '["tags"]["repro_of"]')" "$v1_run"
  expect_eq "$(echo "$out" | json_get '["git"]["commit"]')" "$(git rev-parse 'churn@v0.0.1^{commit}')"
  [[ "$v1_model" != "$(md5sum < model.json)" ]] || fail "v0.0.2 should differ from v0.0.1"

  run mlops repro churn
  expect_rc 2
  expect_err "'churn' is a model, not a run"
  expect_err "churn@latest"

  run mlops repro 'churn#production' --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "bit-identical"
  expect_eq "$(echo "$out" | json_get '["version"]')" "v0.0.2"
  expect_eq "$(echo "$out" | json_get '["registered_artifact"]["rebuilt"]')" "True"
  expect_eq "$(echo "$out" | json_get '["artifacts"][0]["identical"]')" "True"
  expect_eq "$(user_state)" "$before"
}

test_non_deterministic_training_differs() {
  quickstart_repo
  # Seeds the shuffle from the clock: a different model every time.
  sed -i 's/random.Random(params\["seed"\])/random.Random()/' train.py
  grep -q 'random.Random()' train.py || fail "train.py no longer seeds its shuffle the way this test expects"
  git commit -qam "unseeded shuffle"
  train
  local id; id=$(newest_run)
  run mlops repro "$id"
  expect_rc 1
  expect_out "differs"
  expect_out "model.json"
  expect_out "DELTA"
  # Same commit, data and environment: the command itself is the likely cause.
  expect_out "likely cause: same commit, data and environment: the command itself is likely not deterministic"
  run mlops repro "$id" --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "differs"
  expect_eq "$(echo "$out" | json_get '["artifacts"][0]["identical"]')" "False"
  expect_eq "$(echo "$out" | json_get '["likely_causes"][0]["cause"]')" "non-deterministic"
  expect_eq "$(worktree_count)" "1"
}

# A script whose output differs every time and whose metric wobbles a little (as on a GPU).
wobbly_repo() {
  new_repo
  printf '#!/bin/sh\nset -e\ndate +%%s%%N > out.txt\n' > make.sh
  printf 'mlops log metric acc "$(awk -v n="$(date +%%N)" '"'"'BEGIN { printf "%%.12f", 0.9 + (n %% 1000) * 1e-9 }'"'"')"\n' >> make.sh
  chmod +x make.sh
  printf 'out.txt\n' > .gitignore
  git add -A && git commit -qm "wobbly"
}

test_tolerance_equal_within_never_bit_identical() {
  wobbly_repo
  run mlops run --artifact out.txt -- ./make.sh
  expect_rc 0
  local id; id=$(newest_run)
  run mlops repro "$id"
  expect_rc 1
  expect_out "differs"
  run mlops repro "$id" --atol 1e-5
  expect_rc 0
  expect_out "equal within tolerance"
  expect_no_out "bit-identical"
  expect_out "WITHIN"
  run mlops repro "$id" --rtol 1e-4 --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "equal-within-tolerance"
  expect_eq "$(echo "$out" | json_get '["tolerance"]["rtol"]')" "0.0001"
  expect_eq "$(echo "$out" | json_get '["metrics"][0]["within_tolerance"]')" "True"
  expect_eq "$(echo "$out" | json_get '["artifacts"][0]["identical"]')" "False"
  # Too tight a tolerance still differs.
  run mlops repro "$id" --atol 1e-15 --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "differs"
  local runs; runs=$(run_count)
  run mlops repro "$id" --rtol -1
  expect_rc 2
  run mlops repro "$id" --atol abc
  expect_rc 2
  expect_eq "$(run_count)" "$runs"
  expect_eq "$(worktree_count)" "1"
}

test_differs_shows_python_package_changes() {
  new_repo
  local old="$TEST_ROOT/site-old" new="$TEST_ROOT/site-new"
  mkdir -p "$old/fakepkg-1.2.3.dist-info" "$new/fakepkg-1.3.0.dist-info"
  printf 'Metadata-Version: 2.1\nName: fakepkg\nVersion: 1.2.3\n' > "$old/fakepkg-1.2.3.dist-info/METADATA"
  printf 'Metadata-Version: 2.1\nName: fakepkg\nVersion: 1.3.0\n' > "$new/fakepkg-1.3.0.dist-info/METADATA"
  printf 'from importlib import metadata\nopen("out.txt", "w").write(metadata.version("fakepkg"))\n' > make.py
  printf 'out.txt\n' > .gitignore
  git add -A && git commit -qm "python"
  PYTHONPATH=$old "$MLOPS" run --artifact out.txt -- python3 make.py > /dev/null 2>&1
  local id; id=$(newest_run)
  PYTHONPATH=$new run mlops repro "$id"
  expect_rc 1
  expect_out "likely cause: the environment differs"
  expect_out "python.package.fakepkg: 1.2.3 -> 1.3.0"
  PYTHONPATH=$old run mlops repro "$id"
  expect_rc 0
  expect_out "bit-identical"
}

test_differs_names_a_dirty_run_as_likely_cause() {
  script_repo
  # The script reads a file that git ignores: a dirty run's diff cannot carry it.
  printf '#!/bin/sh\nset -e\ncat data.txt local.cfg > out.txt\n' > make.sh
  printf 'out.txt\nlocal.cfg\n' > .gitignore
  echo "one" > local.cfg
  run mlops run --artifact out.txt -- ./make.sh
  expect_rc 0
  local id; id=$(newest_run)
  echo "two" > local.cfg
  run mlops repro "$id"
  expect_rc 1
  expect_out "likely cause: the original run was made on uncommitted changes"
  run mlops repro "$id" --json
  expect_eq "$(echo "$out" | json_get '["likely_causes"][0]["cause"]')" "dirty-tree"
}

test_data_dirty_run_is_rebuilt_with_the_data_it_ran_on() {
  script_repo
  # script_repo's .gitignore lets git track data.txt itself; leave it to mlops.
  printf 'data.txt\n' >> .gitignore && git rm -q --cached data.txt && git add .gitignore && git commit -qm "untrack"
  printf 'a\nb\nc\n' > data.txt
  "$MLOPS" data add data.txt > /dev/null 2>&1
  git add -A && git commit -qm "data v2"
  # The workspace holds v1 while the pointer says v2.
  "$MLOPS" data checkout data.txt --rev HEAD~1 > /dev/null 2>&1
  run mlops run --artifact out.txt -- ./make.sh
  expect_err "marked data-dirty"
  local id; id=$(newest_run)
  "$MLOPS" data checkout data.txt > /dev/null 2>&1
  run mlops repro "$id" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "bit-identical"
  expect_eq "$(echo "$out" | json_get '["metrics"][0]["rebuilt"]')" "2.0"
  # Edited data that was never added (nor copied into an artifact) cannot be rebuilt: the error
  # says why.
  echo "edited" >> data.txt
  "$MLOPS" run -- sh -c 'wc -l < data.txt' > /dev/null 2>&1
  id=$(newest_run)
  "$MLOPS" data checkout data.txt > /dev/null 2>&1
  run mlops repro "$id"
  expect_rc 2
  expect_err "was modified in the workspace and never added"
}

test_dirty_run_is_rebuilt_with_its_diff() {
  script_repo
  # Uncommitted: an edited script and a new untracked file it reads.
  printf 'extra\n' > extra.txt
  printf '#!/bin/sh\nset -e\ncat data.txt extra.txt > out.txt\nmlops log metric lines "$(wc -l < out.txt)"\n' > make.sh
  run mlops run --artifact out.txt -- ./make.sh
  expect_rc 0
  local id; id=$(newest_run)
  # Then the tree is cleaned up: the edits exist only in the run's diff.
  git checkout -q make.sh && rm extra.txt
  local before; before=$(user_state)
  run mlops repro "$id" --dry-run
  expect_rc 0
  expect_out "recorded diff"
  run mlops repro "$id" --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["verdict"]')" "bit-identical"
  expect_eq "$(echo "$out" | json_get '["dirty"]')" "True"
  expect_eq "$(echo "$out" | json_get '["metrics"][0]["rebuilt"]')" "3.0"
  expect_eq "$(user_state)" "$before"
}

test_incomplete_diff_is_named_before_the_rebuild() {
  script_repo
  # The script reads an untracked binary file: the run's diff leaves it out, and says so.
  printf 'a\0b' > blob.bin
  printf '#!/bin/sh\nset -e\ncat data.txt blob.bin > out.txt\n' > make.sh
  run mlops run --artifact out.txt -- ./make.sh
  expect_rc 0
  expect_err "'blob.bin' (untracked binary file)"
  local id; id=$(newest_run)
  git checkout -q make.sh && rm blob.bin
  run mlops repro "$id" --dry-run
  expect_rc 0
  expect_err "warning: run $id's git.diff is incomplete, it left out blob.bin (untracked binary): the rebuild may not match it exactly"
  expect_err "hint: version such files with 'mlops data add' or commit them"
  run mlops repro "$id" --dry-run --json
  expect_eq "$(echo "$out" | json_get '["diff_left_out"]["binary"]')" "['blob.bin']"
  # The rebuild runs the recorded script, which cannot find blob.bin: the likely cause names it.
  run mlops repro "$id" --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["diff_left_out"]["binary"]')" "['blob.bin']"
  [[ "$(echo "$out" | json_get '["likely_causes"][0]["text"]')" == *"blob.bin (untracked binary)"* ]] ||
    fail "the dirty-tree cause does not name blob.bin: $out"
}

test_an_evaluation_is_compared_with_the_run_it_records() {
  # `mlops eval run` records a run of its own: the rebuild's evaluation run, inside the run repro
  # opens, is what the original compares with — the prompt comes back, the measured latencies not.
  new_repo
  mkdir -p data prompts
  printf '{"id": "a", "input": {"q": "x"}}\n' > data/golden.jsonl
  "$MLOPS" data add data/golden.jsonl > /dev/null 2>&1
  printf -- '---\nname: p\ninput:\n  schema:\n    q: string\n---\n{{q}}\n' > prompts/p.prompt
  printf 'prompt: prompts/p.prompt\ngolden: data/golden.jsonl\nproviders:\n  - id: echo\n    command: cat\nassert:\n  - type: contains\n    value: x\n' > eval.yaml
  printf 'results.json\n' > .gitignore
  git add -A && git commit -qm "prompt"
  "$MLOPS" eval run > /dev/null 2>&1 || fail "eval run failed"
  local original; original=$(newest_run)
  "$MLOPS" model register p --run "$original" --artifact p.prompt > /dev/null 2>&1 || fail "register failed"
  local before; before=$(run_count)
  run "$MLOPS" repro p@v0.0.1 --json
  expect_rc 1
  expect_eq "$(run_count)" "$((before + 2))"
  local outer inner
  outer=$(json_get '["outer_run"]' <<<"$out")
  inner=$(json_get '["rebuilt_run"]' <<<"$out")
  expect_eq "$("$MLOPS" runs show "$inner" --json | json_get '["command"][:3]')" "['mlops', 'eval', 'run']"
  expect_eq "$(json_get '["registered_artifact"]["rebuilt"]' <<<"$out")" "True"
  local of='import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))'
  expect_eq "$(python3 -c "$of" '[(a["name"], a["identical"]) for a in d["artifacts"]]' <<<"$out")" \
    "[('eval-results.json', False), ('p.prompt', True)]"
  # Without a latency assertion no metric holds the latencies: only the results file differs.
  expect_eq "$(python3 -c "$of" '[m["name"] for m in d["metrics"] if not m["equal"]]' <<<"$out")" "[]"
  # The verdict is on the run repro opened, with the link to the run it compared.
  run "$MLOPS" runs show "$outer" --json
  expect_eq "$(json_get '["tags"]["repro_of"], d["tags"]["repro_verdict"], d["tags"]["repro_compared"]' <<<"$out")" \
    "('$original', 'differs', '$inner')"
  run "$MLOPS" repro p@v0.0.1
  expect_err "run $(newest_run) is the one its command recorded, inside run"
}

test_dry_run_runs_nothing() {
  script_repo
  run mlops run --artifact out.txt -- ./make.sh
  local id runs; id=$(newest_run); runs=$(run_count)
  run mlops repro "$id" --dry-run
  expect_rc 0
  expect_out "Would rebuild run $id"
  expect_out "data.txt"
  expect_out "./make.sh"
  expect_out "out.txt"
  run mlops repro "$id" --dry-run --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["command"]')" "['./make.sh']"
  expect_eq "$(echo "$out" | json_get '["data"][0]["source"]')" "cache"
  expect_eq "$(run_count)" "$runs"
  expect_eq "$(worktree_count)" "1"
  expect_no_file .mlops/tmp/repro-*
}

test_keep_and_workdir() {
  script_repo
  "$MLOPS" run --artifact out.txt -- ./make.sh > /dev/null 2>&1
  local id; id=$(newest_run)
  run mlops repro "$id" --workdir ../rebuild --keep
  expect_rc 0
  expect_file ../rebuild/out.txt
  expect_file ../rebuild/data.txt
  expect_eq "$(worktree_count)" "2"
  git worktree remove --force ../rebuild
  mkdir ../full && touch ../full/x
  run mlops repro "$id" --workdir ../full
  expect_rc 2
  expect_err "is not an empty folder"
  run mlops repro "$id" --workdir ../fresh
  expect_rc 0
  expect_no_file ../fresh
  expect_eq "$(worktree_count)" "1"
}

test_missing_data_is_fetched_from_the_default_remote() {
  script_repo
  mkdir ../remote ../empty
  "$MLOPS" remote add store ../remote > /dev/null 2>&1
  "$MLOPS" data push --remote store > /dev/null 2>&1
  "$MLOPS" remote remove store > /dev/null 2>&1
  "$MLOPS" run --artifact out.txt -- ./make.sh > /dev/null 2>&1
  local id; id=$(newest_run)
  local hash; hash=$(grep -o 'xxh3:[0-9a-f]*' data.txt.mlops)
  local object=".mlops/cache/${hash:5:2}/${hash:7}"
  expect_file "$object"
  chmod u+w "$object" && rm "$object"
  local runs; runs=$(run_count)
  # No default remote to fetch from.
  run mlops repro "$id"
  expect_rc 2
  expect_err "data 'data.txt'"
  expect_err "mlops remote add"
  # A default remote without it.
  "$MLOPS" remote add empty ../empty --default > /dev/null 2>&1
  run mlops repro "$id"
  expect_rc 2
  expect_err "in neither the cache nor the remote 'empty'"
  expect_eq "$(run_count)" "$runs"
  expect_eq "$(worktree_count)" "1"
  # A default remote that has it: repro fetches it.
  "$MLOPS" remote remove empty > /dev/null 2>&1
  "$MLOPS" remote add store ../remote --default > /dev/null 2>&1
  run mlops repro "$id"
  expect_rc 0
  expect_err "fetching data.txt"
  expect_out "bit-identical"
  expect_file "$object"
}

test_cannot_rebuild_without_command_commit_or_run() {
  script_repo
  # A run opened by hand has no command.
  local manual; manual=$("$MLOPS" run start 2>/dev/null)
  "$MLOPS" run end "$manual" > /dev/null 2>&1
  # A run whose commit exists nowhere here any more.
  git checkout -qb doomed
  echo change >> make.sh && git commit -qam "doomed commit"
  "$MLOPS" run --artifact out.txt -- ./make.sh > /dev/null 2>&1
  local lost; lost=$(newest_run)
  git checkout -q main && git branch -qD doomed
  git reflog expire --expire=now --all && git gc -q --prune=now
  # A model version registered from a file, not a run.
  cp make.sh model.bin && printf 'model.bin\n' >> .gitignore && git commit -qam "ignore model"
  "$MLOPS" model register m --path model.bin > /dev/null 2>&1
  local runs before; runs=$(run_count); before=$(user_state)

  run mlops repro "$manual"
  expect_rc 2
  expect_err "recorded no command"
  expect_err "mlops run -- CMD"
  run mlops repro "$lost"
  expect_rc 2
  expect_err "is not in this repository"
  expect_err "git fetch"
  run mlops repro m@v0.0.1
  expect_rc 2
  expect_err "registered without a run"
  run mlops repro zzzzzz
  expect_rc 2
  expect_err "zzzzzz"
  run mlops repro 'churn@v9.9.9'
  expect_rc 2
  expect_eq "$(run_count)" "$runs"
  expect_eq "$(worktree_count)" "1"
  expect_eq "$(user_state)" "$before"
}

test_run_without_any_commit_cannot_be_rebuilt() {
  new_repo
  run mlops run -- true
  local id; id=$(newest_run)
  run mlops repro "$id"
  expect_rc 2
  expect_err "before the repository had a commit"
}

run_tests "${1:-.}"
