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
  expect_err "'other' is not declared in the input.schema of 'prompts/plain.prompt': its value is ignored"
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

# A value the schema does not declare is really ignored, as the warning says: a template that
# prints it fails as missing, pointing at the declaration (P401), never at --var.
test_render_ignores_undeclared_values() {
  support_repo
  cat >prompts/undeclared.prompt <<'EOF'
---
name: undeclared
input:
  schema:
    question: string
    customer(object):
      name: string
---
Hello {{customer.name}}. Topic: {{topic}}. {{question}}
EOF
  run mlops prompt render undeclared --var question=q --var customer.name=Ada --var topic=tea
  expect_rc 2
  expect_eq "$out" ""
  expect_err "warning: 'topic' is not declared in the input.schema of 'prompts/undeclared.prompt': its value is ignored"
  expect_err "missing variable 'topic' ('prompts/undeclared.prompt' line 9, column 33)"
  expect_err "hint: input.schema does not declare 'topic', so no value reaches it: declare it there"
  [[ "$err" != *"--var topic=VALUE"* ]] || fail "the hint tells to pass the ignored variable: $err"
  # A field an object does not list is ignored too; the output shows only declared values.
  run mlops prompt render support --var question=Q --var customer.name=Ada --var customer.email=a@b.c --json
  expect_rc 0
  expect_err "'customer.email' is not declared in the input.schema of 'prompts/support.prompt'"
  [[ "$out" != *"a@b.c"* ]] || fail "an ignored value was rendered: $out"
  # Close to a declared variable: did you mean.
  run mlops prompt render plain --var topc=tea --var topic=tea
  expect_rc 0
  expect_err "'topc' is not declared in the input.schema of 'prompts/plain.prompt': its value is ignored (did you mean 'topic'?)"
}

# A misspelt variable in a template: the hint names the declared variable it probably meant, and
# lint's P401 says so too; mistyped types, an enum in the wrong form and prompt names get "did you mean".
test_did_you_mean_for_variables_types_and_names() {
  support_repo
  cat >prompts/misspelt.prompt <<'EOF'
---
name: misspelt
input:
  schema:
    question: string
    customer(object):
      name: string
---
Hello {{custmer.name}}. {{question}}
EOF
  run mlops prompt render misspelt --var question=q --var customer.name=Ada
  expect_rc 2
  expect_err "missing variable 'custmer.name' ('prompts/misspelt.prompt' line 9, column 7)"
  expect_err "hint: the template probably has a typo: input.schema declares 'customer.name', not 'custmer.name'"
  [[ "$err" != *"--var custmer.name"* ]] || fail "the hint tells to pass the typo: $err"
  run mlops prompt lint prompts/misspelt.prompt
  expect_rc 1
  expect_out "prompts/misspelt.prompt:9:7: P401 error 'custmer.name' is used but not declared (did you mean 'customer.name'?"
  printf -- '---\nname: types\ninput:\n  schema:\n    q: strng\n---\n{{q}}\n' >prompts/types.prompt
  run mlops prompt render types --var q=1
  expect_rc 2
  expect_err "'prompts/types.prompt' line 5: input.schema: unknown type 'strng' of 'q' (did you mean 'string'?)"
  printf -- '---\nname: types\ninput:\n  schema:\n    q(strng): {}\n---\n{{q}}\n' >prompts/types.prompt
  run mlops prompt lint prompts/types.prompt
  expect_out "P201 error input.schema: unknown type 'strng' of 'q' (did you mean 'string'?)"
  # Nothing close: the list of types.
  printf -- '---\nname: types\ninput:\n  schema:\n    q: text\n---\n{{q}}\n' >prompts/types.prompt
  run mlops prompt render types --var q=1
  expect_err "unknown type 'text' of 'q' (types: string, number"
  # `NAME: enum [...]` shows the form Picoschema takes, with the values and the '?'.
  printf -- '---\nname: types\ninput:\n  schema:\n    channel?: enum [email, chat, phone]\n---\n{{channel}}\n' >prompts/types.prompt
  run mlops prompt render types
  expect_rc 2
  expect_err "line 5: input.schema: an enum takes its type in the key and its values as the value: write 'channel?(enum): [email, chat, phone]'"
  printf -- '---\nname: types\ninput:\n  schema:\n    channel?(enum): [email, chat, phone]\n---\n{{channel}}\n' >prompts/types.prompt
  run mlops prompt render types --var channel=chat
  expect_rc 0
  expect_eq "$out" "chat"
  # Prompt names: the work tree's files and the registered prompts.
  run mlops prompt render suport --var question=Q
  expect_rc 2
  expect_err "no prompt 'suport' ('prompts/suport.prompt' does not exist)"
  expect_err "hint: did you mean 'support'?"
  mlops model register plain --path prompts/plain.prompt >/dev/null 2>&1 || fail "register plain"
  mlops model promote plain v0.0.1 --to production >/dev/null 2>&1 || fail "promote plain"
  run mlops prompt render plian#production --var topic=tea
  expect_rc 2
  expect_err "unknown model 'plian'"
  expect_err "did you mean 'plain#production'?"
}

# `prompts/x` (a path the shell completed, without .prompt) is that file; paths in messages are
# lexically normal.
test_render_a_path_without_extension_and_normal_paths() {
  support_repo
  run mlops prompt render prompts/plain --var topic=tea
  expect_rc 0
  expect_eq "$out" "Write one sentence about tea."
  mkdir -p sub && cd sub
  run mlops prompt render ../prompts/plain --var topic=tea --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["source"]')" "../prompts/plain.prompt"
  cd ..
  mkdir -p scratch
  run mlops prompt render scratch/../prompts/plain.prompt
  expect_rc 2
  expect_err "missing variable 'topic' (required by 'prompts/plain.prompt' line 5)"
  run mlops prompt render scratch/../prompts/nosuch.prompt
  expect_rc 2
  expect_err "cannot read 'prompts/nosuch.prompt'"
  run mlops prompt render prompts/plian
  expect_rc 2
  expect_err "no prompt 'prompts/plian' (neither 'prompts/prompts/plian.prompt' nor 'prompts/plian.prompt' exists)"
  expect_err "did you mean 'plain'?"
  printf -- '---\nname: broken\n---\n{{#if x}}\n' >scratch/broken.prompt
  git add -A && git commit -qm broken
  run mlops model register broken --path scratch/../scratch/broken.prompt
  expect_rc 2
  expect_err "'scratch/broken.prompt' is not a valid prompt: scratch/broken.prompt:4:1: P302 error"
}

# Registering a prompt runs lint: an error refuses (exit 2, every error named, nothing tagged),
# a secret refuses whatever a disable comment says, warnings are printed and do not refuse.
test_register_refuses_prompts_that_fail_lint() {
  support_repo
  printf -- '---\nname: secret\n---\nCall it with sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 now.\n' >prompts/secret.prompt
  printf -- '---\nname: emptybody\n---\n\n' >prompts/emptybody.prompt
  cat >prompts/undeclared.prompt <<'EOF'
---
name: undeclared
model: x
config:
  temperature: 3
input:
  schema:
    question: string
---
{{question}} {{topic}}
EOF
  printf -- '---\nname: warned\ninput:\n  schema:\n    q: string\n    unused: string\n---\n{{q}} {x}\n' >prompts/warned.prompt
  git add -A && git commit -qm prompts
  local before; before=$(git tag -l)
  run mlops model register secret --path prompts/secret.prompt
  expect_rc 2
  expect_err "'prompts/secret.prompt' is not a valid prompt: prompts/secret.prompt:4:14: P502 error"
  expect_err "a secret never goes into the registry"
  # A disable comment silences P502 for lint, not for the registry.
  printf -- '---\nname: secret\n---\nCall it with sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 now. {{! mlops-lint: disable=P502 }}\n' >prompts/secret.prompt
  git commit -qam "silenced"
  run mlops prompt lint prompts/secret.prompt
  expect_rc 0
  run mlops model register secret --path prompts/secret.prompt
  expect_rc 2
  expect_err "P502 error"
  run mlops model register emptybody --path prompts/emptybody.prompt
  expect_rc 2
  expect_err "prompts/emptybody.prompt:4:1: P304 error"
  run mlops model register undeclared --path prompts/undeclared.prompt
  expect_rc 2
  expect_err "'prompts/undeclared.prompt' is not a valid prompt (2 lint errors):"
  expect_err "  prompts/undeclared.prompt:5:16: P206 error config.temperature is 3"
  expect_err "  prompts/undeclared.prompt:10:14: P401 error 'topic' is used but not declared"
  expect_err "hint: see every finding with 'mlops prompt lint prompts/undeclared.prompt'"
  expect_eq "$(git tag -l)" "$before"
  # Warnings only: registered, with the warnings on stderr.
  run mlops model register warned --path prompts/warned.prompt
  expect_rc 0
  expect_out "Registered warned v0.0.1"
  expect_err "warning: prompts/warned.prompt:6:5: P402 warning 'unused' is declared but not used"
  expect_err "P303 warning"
  # A reviewed finding silenced in the file registers.
  printf -- '---\nname: undeclared\ninput:\n  schema:\n    question: string\n---\n{{question}} {{topic}} {{! mlops-lint: disable=P401 }}\n' >prompts/undeclared.prompt
  git commit -qam "reviewed"
  run mlops model register undeclared --path prompts/undeclared.prompt
  expect_rc 0
}

# A prompt registered from its file must be committed: untracked, it is refused (the tag's commit
# would not hold it); other untracked files do not matter.
test_register_an_uncommitted_prompt() {
  support_repo
  printf -- '---\nname: fresh\n---\nHello.\n' >prompts/fresh.prompt
  mkdir -p scratch && echo notes >scratch/notes.txt
  local before; before=$(git tag -l)
  run mlops model register fresh --path prompts/fresh.prompt
  expect_rc 2
  expect_err "'prompts/fresh.prompt' is not committed: a prompt is registered as its commit holds it"
  expect_err "git add prompts/fresh.prompt"
  expect_eq "$(git tag -l)" "$before"
  run mlops model register plain --path prompts/plain.prompt
  expect_rc 0
  run mlops model register fresh --path prompts/fresh.prompt --allow-dirty
  expect_rc 0
  expect_err "cannot be rebuilt from git"
  [[ "$(git tag -l --format='%(contents)' 'fresh@v0.0.1')" == *"Dirty: yes"* ]] || fail "no Dirty trailer"
}

# A run's artifact named *.prompt is registered as a prompt without --type (eval run records the
# prompt file so); other artifacts stay models.
test_register_from_a_run_detects_a_prompt_artifact() {
  support_repo
  local id; id=$(mlops run start --name eval 2>/dev/null)
  MLOPS_RUN_ID=$id mlops log artifact prompts/plain.prompt >/dev/null 2>&1 || fail "log artifact"
  echo "results" >results.json
  MLOPS_RUN_ID=$id mlops log artifact results.json >/dev/null 2>&1 || fail "log artifact"
  mlops run end "$id" >/dev/null 2>&1
  run mlops model register plain --run "$id" --artifact plain.prompt --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["type"]')" "prompt"
  run mlops model show plain --json
  expect_eq "$(echo "$out" | json_get '["versions"][0]["type"]')" "prompt"
  run mlops prompt render plain@v0.0.1 --var topic=tea
  expect_eq "$out" "Write one sentence about tea."
  run mlops model register blob --run "$id" --artifact results.json --json
  expect_rc 0
  expect_eq "$(echo "$out" | json_get '["type"]')" "model"
}

# doc_block HEADING LANG [N]: the Nth (default first) unindented ```LANG block of docs/prompts.md's
# section '## HEADING' ("" for the text before the first section).
doc_block() {
  python3 - "$MLOPS_SOURCE_DIR/docs/prompts.md" "$1" "$2" "${3:-1}" <<'PY'
import re, sys
path, heading, lang, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
text = open(path).read()
start = 0 if heading == "" else text.index("\n## " + heading + "\n")
end = text.find("\n## ", start + 1)
section = text[start:end if end != -1 else len(text)]
blocks = re.findall(r"^```" + lang + r"\n(.*?)^```", section, re.S | re.M)
print(blocks[n - 1], end="")
PY
}

# A repository holding the page's example prompt and the schema file it names, committed.
docs_example_repo() {
  new_repo
  mkdir -p prompts/schemas
  doc_block "Prompt files" yaml >prompts/support.prompt
  doc_block "Prompt files" json >prompts/schemas/answer.json
  git add -A && git commit -qm "support prompt"
}

# docs/prompts.md's example prompt lints clean, and its command blocks run as written.
test_docs_examples_run_as_written() {
  docs_example_repo
  [[ -s prompts/support.prompt && -s prompts/schemas/answer.json ]] || fail "the page's example files are missing"
  run mlops prompt lint prompts/support.prompt --fail-on warning
  expect_rc 0
  expect_eq "$out" ""
  run bash -euo pipefail -c "$(doc_block "" sh)"
  expect_rc 0
  expect_out "Registered support v0.0.1"
  run bash -euo pipefail -c "$(doc_block "mlops prompt lint" sh)"
  expect_rc 0
  docs_example_repo
  cp prompts/support.prompt first.prompt
  run bash -euo pipefail -c "$(doc_block "Prompts in the registry" sh)"
  expect_rc 0
  expect_out "Registered support v0.0.2"
  cmp -s support.prompt first.prompt || fail "after the rollback, production is not the first version"
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
