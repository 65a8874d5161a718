#!/usr/bin/env bash
# CLI tests for `mlops prompt` (lint, render, list, show, diff), prompts in the registry, and the
# pre-commit hooks that lint staged prompt files.
source "$(dirname "$0")/lib.sh"

# The git hooks call `mlops` by name, as they would on a user's machine.
BIN_DIR="$TEST_ROOT/bin"
mkdir -p "$BIN_DIR" && ln -sf "$MLOPS" "$BIN_DIR/mlops"
export PATH="$BIN_DIR:$PATH"

# A repository with prompts/support.prompt (chat, declared variables) committed.
support_repo() {
  new_repo
  mkdir -p prompts
  cat >prompts/support.prompt <<'EOF'
---
name: support
model: local/echo
config:
  temperature: 0.2
  max_tokens: 256
input:
  schema:
    question: string, what the customer asked
    customer(object):
      name: string
      tier?: string
    context?: string
  untrusted: [question]
---
{{role "system"}}
You answer support questions briefly.
{{role "user"}}
{{customer.name}}{{#if customer.tier}} ({{customer.tier}}){{/if}} asks:
<question>
{{question}}
</question>
{{#if context}}Context: {{context}}{{/if}}
EOF
  cat >prompts/plain.prompt <<'EOF'
---
name: plain
input:
  schema:
    topic: string
---
Write one sentence about {{topic}}.
EOF
  git add -A && git commit -qm "prompts"
}

test_render_chat_messages_as_json() {
  support_repo
  run mlops prompt render support --var question='Where is my order?' --var customer.name=Ada
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '[0]["role"]')" "system"
  expect_eq "$(echo "$out" | json_get '[1]["content"]')" $'Ada asks:\n<question>\nWhere is my order?\n</question>'
  run mlops prompt render support --var question=Q --var customer.name=Ada --var customer.tier=gold --var context=C --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["messages"][1]["content"]')" $'Ada (gold) asks:\n<question>\nQ\n</question>\nContext: C'
  expect_eq "$(echo "$out" | json_get '["version"][:5]')" "xxh3:"
  expect_eq "$(echo "$out" | json_get '["config"]["temperature"]')" "0.2"
}

test_render_text_and_vars_file() {
  support_repo
  run mlops prompt render plain --var topic=tea
  expect_rc 0
  expect_eq "$out" "Write one sentence about tea."
  echo '{"topic": "coffee"}' >vars.json
  run mlops prompt render plain --vars vars.json
  expect_eq "$out" "Write one sentence about coffee."
  printf 'topic: milk\n' >vars.yaml
  run mlops prompt render plain --vars vars.yaml --var topic=water
  expect_eq "$out" "Write one sentence about water."
  run mlops prompt render prompts/plain.prompt --var topic=tea
  expect_rc 0
  expect_eq "$out" "Write one sentence about tea."
}

test_render_missing_variable_is_exit_2_naming_it() {
  support_repo
  run mlops prompt render support --var customer.name=Ada
  expect_rc 2
  expect_err "missing variable 'question' (required by 'prompts/support.prompt' line 9)"
  expect_err "--var question=VALUE"
  expect_eq "$out" ""
  run mlops prompt render support --var question=Q
  expect_rc 2
  expect_err "missing variable 'customer' (required by 'prompts/support.prompt' line 10)"
  run mlops prompt render support --var question=Q --var customer.tier=gold
  expect_rc 2
  expect_err "missing variable 'customer.name' (required by 'prompts/support.prompt' line 11)"
  run mlops prompt render plain --var topic=tea --var other=1
  expect_rc 0
  expect_err "'other' is not a variable of 'prompts/plain.prompt'"
}

test_render_bad_input() {
  support_repo
  run mlops prompt render nosuch
  expect_rc 2
  expect_err "no prompt 'nosuch' ('prompts/nosuch.prompt' does not exist)"
  run mlops prompt render plain --var '=x'
  expect_rc 2
  expect_err "is not NAME=VALUE"
  echo '[1]' >vars.json
  run mlops prompt render plain --vars vars.json
  expect_rc 2
  expect_err "'vars.json' is not an object of variables"
  echo '{"a": ' >bad.json
  run mlops prompt render plain --vars bad.json
  expect_rc 2
  expect_err "'bad.json' line 2: malformed JSON"
  printf -- '---\nname: broken\n---\nHello {{#if x}}\n' >prompts/broken.prompt
  run mlops prompt render broken --var x=1
  expect_rc 2
  expect_err "'prompts/broken.prompt' line 4, column 7: unclosed '{{#if x}}'"
  printf -- '---\nname: [x\n---\nHello\n' >prompts/broken.prompt
  run mlops prompt render broken
  expect_rc 2
  expect_err "'prompts/broken.prompt' line 3: malformed front matter"
}

test_render_at_git_revision() {
  support_repo
  sed -i 's/one sentence/two sentences/' prompts/plain.prompt
  git commit -qam "longer"
  run mlops prompt render plain@HEAD~1 --var topic=tea
  expect_rc 0
  expect_eq "$out" "Write one sentence about tea."
  run mlops prompt render plain --var topic=tea
  expect_eq "$out" "Write two sentences about tea."
  run mlops prompt render plain@nosuchrev --var topic=tea
  expect_rc 2
  expect_err "'nosuchrev' names no git revision"
  run mlops prompt render support@HEAD~1 --var question=Q --var customer.name=A
  expect_rc 0
}

test_lint_clean_and_findings() {
  support_repo
  run mlops prompt lint
  expect_rc 0
  expect_err "2 prompt files: no findings"
  cat >prompts/bad.prompt <<'EOF'
---
name: bad
modle: x
config:
  temperature: 5
input:
  schema:
    q: string
    unused: string
  untrusted: [q]
output:
  format: json
---
Answer {q} with key AKIAABCDEFGHIJKLMNOP: {{q}} {{undeclared}}
EOF
  run mlops prompt lint prompts/bad.prompt
  expect_rc 1
  expect_out "prompts/bad.prompt:3:1: P202 warning unknown key 'modle' (did you mean 'model'?)"
  expect_out "prompts/bad.prompt:5:16: P206 error config.temperature is 5; it must be from 0 to 2"
  expect_out "prompts/bad.prompt:9:5: P402 warning 'unused' is declared but not used"
  expect_out "prompts/bad.prompt:12:11: P207 warning"
  expect_out "prompts/bad.prompt:14:8: P303 warning '{q}'"
  expect_out "prompts/bad.prompt:14:21: P502 error this looks like an AWS access key id"
  expect_out "prompts/bad.prompt:14:43: P403 warning untrusted 'q' is not fenced"
  expect_out "prompts/bad.prompt:14:49: P401 error 'undeclared' is used but not declared"
  expect_err "3 errors and 5 warnings in 1 prompt file"
  # The whole folder: the clean files too; --json.
  run mlops prompt lint prompts --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["files"]')" "3"
  expect_eq "$(echo "$out" | json_get '["errors"]')" "3"
  expect_eq "$(echo "$out" | json_get '["findings"][0]["code"]')" "P202"
  expect_eq "$(echo "$out" | json_get '["failed"]')" "True"
}

test_lint_fail_on_and_disable_comments() {
  support_repo
  printf -- '---\nname: warn\n---\nHello {name}\n' >prompts/warn.prompt
  run mlops prompt lint prompts/warn.prompt
  expect_rc 0
  expect_out "prompts/warn.prompt:4:7: P303 warning"
  run mlops prompt lint prompts/warn.prompt --fail-on warning
  expect_rc 1
  printf -- '---\nname: warn\n---\nHello {name} {{! mlops-lint: disable=P303 }}\n' >prompts/warn.prompt
  run mlops prompt lint prompts/warn.prompt --fail-on warning
  expect_rc 0
  expect_eq "$out" ""
  run mlops prompt lint prompts/warn.prompt --fail-on info
  expect_rc 2
}

test_lint_encoding_and_bad_paths() {
  support_repo
  printf -- '---\r\nname: crlf\r\n---\r\nHi\r\n' >prompts/crlf.prompt
  printf -- '\xef\xbb\xbf---\nname: bom\n---\nHi\n' >prompts/bom.prompt
  printf -- '---\nname: latin\n---\nCaf\xe9\n' >prompts/latin.prompt
  run mlops prompt lint prompts/crlf.prompt prompts/bom.prompt prompts/latin.prompt
  expect_rc 1
  expect_out "prompts/crlf.prompt:1:1: P103 warning 4 lines end with CRLF"
  expect_out "prompts/bom.prompt:1:1: P102 warning"
  expect_out "prompts/latin.prompt:4:4: P101 error not UTF-8 (byte 0xE9)"
  run mlops prompt lint nosuch.prompt
  expect_rc 2
  expect_err "no such file or folder 'nosuch.prompt'"
  run mlops prompt lint --rules
  expect_rc 0
  expect_out "P502"
  cd "$TEST_ROOT" && mkdir -p empty && cd empty && git init -q .
  run mlops prompt lint
  expect_rc 0
  expect_err "no prompts/ folder: nothing to lint"
  run mlops prompt lint --json
  expect_eq "$(echo "$out" | json_get '["files"]')" "0"
}

test_list_and_show() {
  support_repo
  run mlops prompt list
  expect_rc 0
  expect_out "plain"
  expect_out "support"
  expect_out "customer, context?"
  run mlops prompt list --json
  expect_eq "$(echo "$out" | json_get '[1]["name"]')" "support"
  expect_eq "$(echo "$out" | json_get '[1]["chat"]')" "True"
  expect_eq "$(echo "$out" | json_get '[1]["variables"][2]')" "{'name': 'context', 'required': False}"
  sed -i 's/briefly/kindly/' prompts/support.prompt
  git commit -qam "kinder"
  run mlops prompt show support
  expect_rc 0
  expect_out "customer.tier"
  expect_out "kinder"
  run mlops prompt show support --json
  expect_eq "$(echo "$out" | json_get '["history"][0]["summary"]')" "kinder"
  expect_eq "$(echo "$out" | json_get '["history"][1]["summary"]')" "prompts"
  expect_eq "$(echo "$out" | json_get '["variables"][1]["fields"][1]["required"]')" "False"
  local head_version
  head_version=$(echo "$out" | json_get '["history"][0]["version"]')
  expect_eq "$(echo "$out" | json_get '["version"]')" "$head_version"
  printf -- '---\nname: [\n---\n' >prompts/broken.prompt
  run mlops prompt list
  expect_rc 0
  expect_out "invalid"
  expect_err "'prompts/broken.prompt' line"
}

test_diff() {
  support_repo
  sed -i 's/temperature: 0.2/temperature: 0.5/; s/briefly/kindly/' prompts/support.prompt
  run mlops prompt diff support
  expect_rc 0
  expect_out "config.temperature: 0.2 -> 0.5"
  expect_out "-You answer support questions briefly."
  expect_out "+You answer support questions kindly."
  expect_out "--- prompts/support.prompt@HEAD"
  run mlops prompt diff support --exit-code --json
  expect_rc 1
  expect_eq "$(echo "$out" | json_get '["same"]')" "False"
  expect_eq "$(echo "$out" | json_get '["changes"][0]["field"]')" "config.temperature"
  git checkout -q prompts/support.prompt
  run mlops prompt diff support --exit-code
  expect_rc 0
  expect_err "are the same version"
  # Line ends and trailing blanks are not a new version.
  sed -i 's/$/  \r/' prompts/plain.prompt
  run mlops prompt diff plain --exit-code
  expect_rc 0
}

# Register a prompt, promote it, render NAME#production, roll back, get it.
test_registry_prompts() {
  support_repo
  run mlops model register plain --path prompts/plain.prompt
  expect_rc 0
  expect_out "Registered plain v0.0.1"
  run mlops model show plain@v0.0.1 --json
  expect_eq "$(echo "$out" | json_get '["type"]')" "prompt"
  expect_eq "$(git tag -l --format='%(contents)' plain@v0.0.1 | grep '^Type:')" "Type: prompt"
  run mlops model promote plain v0.0.1 --to production
  expect_rc 0
  sed -i 's/one sentence/two sentences/' prompts/plain.prompt
  git commit -qam "two sentences"
  mlops model register plain --path prompts/plain.prompt >/dev/null 2>&1 || fail "second register"
  mlops model promote plain v0.0.2 --to production >/dev/null 2>&1 || fail "second promote"
  run mlops prompt render plain#production --var topic=tea
  expect_rc 0
  expect_eq "$out" "Write two sentences about tea."
  run mlops prompt render plain@v0.0.1 --var topic=tea
  expect_eq "$out" "Write one sentence about tea."
  run mlops prompt diff plain#production plain@v0.0.1 --json
  expect_eq "$(echo "$out" | json_get '["same"]')" "False"
  run mlops model rollback plain --stage production
  expect_rc 0
  run mlops prompt render plain#production --var topic=tea --json
  expect_eq "$(echo "$out" | json_get '["text"]')" "Write one sentence about tea."
  expect_eq "$(echo "$out" | json_get '["source"]')" "plain#production (v0.0.1)"
  run mlops model get plain#production -o got.prompt
  expect_rc 0
  run mlops prompt render got.prompt --var topic=tea
  expect_eq "$out" "Write one sentence about tea."
  run mlops prompt show plain --json
  expect_eq "$(echo "$out" | json_get '["registered"][0]["stages"]')" "['production']"
  expect_eq "$(echo "$out" | json_get '["history"][1]["registered"]')" "['v0.0.1']"
  run mlops prompt list
  expect_out "production=v0.0.1"
  run mlops prompt render plain#staging --var topic=tea
  expect_rc 2
}

test_register_refuses_a_broken_prompt() {
  support_repo
  printf -- '---\nname: broken\n---\n{{#if x}}\n' >prompts/broken.prompt
  git add -A && git commit -qm broken
  local before
  before=$(git tag -l)
  run mlops model register broken --path prompts/broken.prompt
  expect_rc 2
  expect_err "'prompts/broken.prompt' is not a valid prompt: prompts/broken.prompt:4:1: P302 error unclosed '{{#if x}}'"
  expect_eq "$(git tag -l)" "$before"
  # Registered under another name: a warning names the command that renders it.
  run mlops model register other --path prompts/plain.prompt
  expect_rc 0
  expect_err "names itself 'plain', registered as 'other'"
  run mlops prompt render other@v0.0.1 --var topic=x
  expect_rc 0
}

# Completion offers the prompt files' names and the registered prompts' stages and versions.
test_completion_offers_prompts() {
  support_repo
  run mlops __complete prompt render ''
  expect_rc 0
  expect_eq "$err" ""
  expect_eq "$(cut -f1 <<<"$out" | tr '\n' ' ')" "plain support "
  mlops model register plain --path prompts/plain.prompt >/dev/null 2>&1
  mlops model promote plain v0.0.1 --to production >/dev/null 2>&1
  run mlops __complete prompt show pl
  expect_eq "$(cut -f1 <<<"$out" | tr '\n' ' ')" "plain plain#production plain@v0.0.1 "
  run mlops __complete prompt diff plain ''
  expect_out "plain#production"
  expect_out "support"
  # A model that is not a prompt is not offered.
  echo m > model.bin
  git add -A && git commit -qm model
  mlops model register churn --path model.bin >/dev/null 2>&1
  run mlops __complete prompt render ''
  expect_no_out "churn"
}

test_pre_commit_hook_lints_staged_prompts() {
  support_repo
  mlops hooks install >/dev/null 2>&1 || fail "hooks install"
  git add .gitattributes 2>/dev/null; git commit -qm "hooks" 2>/dev/null
  printf -- '---\nname: leak\n---\nUse sk-abcdefghijklmnopqrstuvwxyz0123 to call\n' >prompts/leak.prompt
  git add prompts/leak.prompt
  run mlops hooks run pre-commit
  expect_rc 1
  expect_out "prompts/leak.prompt:4:5: P502 error"
  expect_out "commit blocked: 1 prompt lint error"
  run git commit -qm "leak"
  expect_rc 1
  # What counts is what is staged: fixing only the work tree does not pass.
  printf -- '---\nname: leak\n---\nUse the key from the environment\n' >prompts/leak.prompt
  run mlops hooks run pre-commit
  expect_rc 1
  git add prompts/leak.prompt
  run mlops hooks run pre-commit
  expect_rc 0
  run git commit -qm "no leak"
  expect_rc 0
  # Warnings are shown and do not block.
  printf -- '---\nname: leak\n---\nHello {name}\n' >prompts/leak.prompt
  git add prompts/leak.prompt
  run mlops hooks run pre-commit
  expect_rc 0
  expect_out "P303 warning"
}

test_pre_commit_framework_hook_is_declared() {
  local hooks="$MLOPS_SOURCE_DIR/.pre-commit-hooks.yaml"
  run python3 -c 'import sys, yaml; h = {x["id"]: x for x in yaml.safe_load(open(sys.argv[1]))}; p = h["mlops-prompt-lint"]; print(p["entry"], p["files"], p["pass_filenames"])' "$hooks"
  expect_rc 0
  expect_eq "$out" 'mlops prompt lint \.prompt$ True'
}

test_help_has_examples() {
  for verb in lint render list show diff; do
    run mlops prompt $verb --help
    expect_rc 0
    expect_out "Example: mlops prompt $verb"
  done
}

run_tests "${1:-.}"
