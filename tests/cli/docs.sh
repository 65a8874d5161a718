#!/usr/bin/env bash
# CLI test: every `mlops` command shown in README.md, docs/*.md and the examples' READMEs names
# commands and options that exist, so the docs cannot fall behind the command tree. Each line of a
# sh/bash/console code block that runs mlops is checked against the binary's own completion
# (`mlops __complete`, the same source the shell completions use): the subcommand path must exist
# and every option after it must be one that command takes.
source "$(dirname "$0")/lib.sh"

# check_docs FILE...: prints "FILE:LINE: problem" for each command the binary would refuse.
check_docs() {
  python3 - "$MLOPS" "$@" <<'PY'
import re, shlex, subprocess, sys
mlops, files = sys.argv[1], sys.argv[2:]
cache, groups = {}, {}
def is_group(words):
    key = tuple(words)
    if key not in groups:
        r = subprocess.run([mlops, *words, "--help"], capture_output=True, text=True)
        usage = [line for line in r.stdout.splitlines() if line.startswith("Usage:")]
        groups[key] = bool(usage) and usage[0].endswith("SUBCOMMAND")
    return groups[key]
def complete(words):
    key = tuple(words)
    if key not in cache:
        r = subprocess.run([mlops, "__complete", *words], capture_output=True, text=True)
        cache[key] = {line.split("\t")[0] for line in r.stdout.splitlines() if line}
    return cache[key]
problems = checked = 0
for path in files:
    text = open(path).read()
    for block in re.finditer(r"```(?:sh|bash|console|shell)\n(.*?)```", text, re.S):
        first_line = text.count("\n", 0, block.start(1)) + 1
        lines = block.group(1).split("\n")
        i = 0
        while i < len(lines):
            start, line = i, lines[i]
            while line.endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line[:-1] + " " + lines[i]
            i += 1
            for command in re.split(r"&&|\|\||;|\|", line.split(" #")[0]):
                command = command.strip().removeprefix("$ ")
                if not command.startswith("mlops ") or "<" in command:
                    continue
                try:
                    words = shlex.split(command)[1:]
                except ValueError:
                    continue
                path_words = []
                for word in words:
                    if word.startswith("-") or word not in complete(path_words + [""]):
                        break
                    path_words.append(word)
                rest = words[len(path_words):]
                if rest and not rest[0].startswith("-") and is_group(path_words):
                    print(f"{path}:{first_line + start}: unknown command 'mlops {' '.join(path_words + rest[:1])}'")
                    problems += 1
                    continue
                options = complete(path_words + ["-"]) | complete(path_words + ["--"])
                for word in words[len(path_words):]:
                    if word == "--":
                        break  # the rest is the user's command (mlops run -- python train.py)
                    name = word.split("=", 1)[0]
                    if re.fullmatch(r"--?[A-Za-z][A-Za-z0-9-]*", name) and name not in options:
                        print(f"{path}:{first_line + start}: 'mlops {' '.join(path_words)}' has no option '{name}'")
                        problems += 1
                checked += 1
print(f"checked {checked} commands, {problems} problems")
sys.exit(1 if problems else 0)
PY
}

test_every_command_in_the_docs_exists() {
  local src=$MLOPS_SOURCE_DIR files=()
  files=("$src/README.md" "$src"/docs/*.md "$src"/examples/*/README.md)
  run check_docs "${files[@]}"
  expect_rc 0
  expect_out "0 problems"
  [[ "$out" =~ checked\ ([0-9]+) ]] && ((BASH_REMATCH[1] > 100)) || fail "too few commands found in the docs: $out"
}

test_a_wrong_command_or_option_in_the_docs_is_caught() {
  mkdir -p "$TEST_ROOT/docs" && local doc="$TEST_ROOT/docs/bad.md"
  printf '# Bad\n\n```sh\nmlops data add data/\nmlops data ad data/\nmlops runs list --sort-by auc\nmlops model promote churn v1 \\\n  --to production --requires x\nmlops run -- python train.py --epochs 3\n```\n' > "$doc"
  run check_docs "$doc"
  expect_rc 1
  expect_out "bad.md:5: unknown command 'mlops data ad'"
  expect_out "bad.md:6: 'mlops runs list' has no option '--sort-by'"
  expect_out "bad.md:7: 'mlops model promote' has no option '--requires'"
  expect_no_out "bad.md:4"
  expect_no_out "--epochs"
}

run_tests
