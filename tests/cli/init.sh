#!/usr/bin/env bash
# CLI tests: mlops init, --version, --help, usage errors, completions.
source "$(dirname "$0")/lib.sh"

test_init_creates_store() {
  new_repo --no-init
  run mlops init
  expect_rc 0
  expect_out "Initialised mlops"
  expect_file .mlops/config.yaml
  expect_file .mlops/.gitignore
  expect_file .mlops/cache
  # Only the config and the .gitignore are visible to git.
  touch .mlops/state.db
  local seen
  seen=$(git status --porcelain --untracked-files=all .mlops | sort | tr '\n' ' ')
  expect_eq "$seen" "?? .mlops/.gitignore ?? .mlops/config.yaml "
}

test_init_twice_is_ok() {
  new_repo
  echo "# mine" >> .mlops/config.yaml
  run mlops init
  expect_rc 0
  expect_out "already initialised"
  grep -q "# mine" .mlops/config.yaml || fail "second init rewrote the config"
}

test_init_from_subdirectory() {
  new_repo --no-init
  mkdir -p a/b && cd a/b
  run mlops init --json
  expect_rc 0
  expect_out '"created": true'
  expect_file ../../.mlops/config.yaml
}

test_init_outside_git_fails() {
  local dir="$TEST_ROOT/nogit"
  mkdir -p "$dir" && cd "$dir"
  run mlops init
  expect_rc 2
  expect_err "not a git repository"
  expect_err "git init"
  expect_no_file .mlops
}

test_quiet_hides_advice_but_not_errors() {
  new_repo --no-init
  run mlops -q init
  expect_rc 0
  expect_eq "$err" ""
  run mlops -q runs show nosuchrun
  expect_rc 2
  expect_err "mlops: error:"
  expect_err "hint:"
}

test_version_names_commit() {
  run mlops --version
  expect_rc 0
  [[ "$out" =~ ^mlops\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ [0-9a-f]{7,}|^mlops\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ unknown ]] || fail "bad version line: $out"
}

# Start-up (README, Benchmarks): libgit2 and its ~20 dependencies are loaded by the first libgit2
# call, not by every command. Skipped for a build that links libgit2 (-DMLOPS_LAZY_LIBGIT2=OFF).
test_libgit2_loads_only_when_a_command_uses_git() {
  # Not `ldd | grep -q`: grep stops at the first match, ldd then dies of SIGPIPE, and pipefail
  # makes the test think libgit2 is not linked (it happened with the sanitizer build's longer list).
  if [[ "$(ldd "$MLOPS")" == *libgit2* ]]; then echo "  (libgit2 is linked: nothing to check)"; return 0; fi
  new_repo
  seq 10 > a.csv
  mlops data add a.csv >/dev/null 2>&1 || fail "data add failed"
  local id
  id=$(mlops run start)
  # A build with shared dependencies (-DMLOPS_STATIC_DEPS=OFF, the sanitizer build) links libstdc++.
  local stdcxx_linked=0
  if [[ "$(ldd "$MLOPS")" == *libstdc++* ]]; then stdcxx_linked=1; fi
  for command in "--version" "data status a.csv" "log metric loss 0.5 --run $id"; do
    run env LD_DEBUG=libs "$MLOPS" $command
    expect_rc 0
    [[ "$err" != *libgit2* ]] || fail "'mlops $command' loaded libgit2"
    ((stdcxx_linked)) || [[ "$err" != *libstdc++* ]] || fail "'mlops $command' loaded libstdc++.so"
  done
  run env LD_DEBUG=libs "$MLOPS" model list --json
  expect_rc 0
  expect_err "libgit2"
  expect_out '"models": []'
}

# A libgit2 that cannot be loaded is an ordinary error (exit 3, with the package to install) for
# the commands that use git, and no concern of those that do not. Skipped for a build that links
# libgit2 (-DMLOPS_LAZY_LIBGIT2=OFF): there the dynamic loader refuses to start the program.
test_libgit2_that_cannot_load_is_an_environment_error() {
  # (Not `ldd | grep -q`: see above.)
  if [[ "$(ldd "$MLOPS")" == *libgit2* ]]; then echo "  (libgit2 is linked: nothing to check)"; return 0; fi
  local soname
  soname=$(grep -a -o -m1 'libgit2\.so\.[0-9.]*' "$MLOPS" | head -1)
  [[ -n "$soname" ]] || { fail "no libgit2 soname in the binary"; return; }
  new_repo
  seq 10 > a.csv
  mlops data add a.csv >/dev/null 2>&1 || fail "data add failed"
  seq 20 > b.csv
  mkdir "$TEST_ROOT/broken"
  : > "$TEST_ROOT/broken/$soname"  # an empty file: dlopen() says "file too short"
  local before
  before=$(snapshot)
  run env LD_LIBRARY_PATH="$TEST_ROOT/broken" "$MLOPS" data add b.csv
  expect_rc 3
  expect_err "mlops: error: cannot load '$soname': "
  expect_err "hint: install the package that provides '$soname'"
  expect_eq "$(snapshot)" "$before"
  run env LD_LIBRARY_PATH="$TEST_ROOT/broken" "$MLOPS" model list
  expect_rc 3
  expect_err "cannot load '$soname'"
  run env LD_LIBRARY_PATH="$TEST_ROOT/broken" "$MLOPS" data status a.csv
  expect_rc 0
}

test_unknown_command_suggests() {
  run mlops innit
  expect_rc 2
  expect_err "did you mean 'init'"
}

test_unknown_flag_is_usage_error() {
  new_repo
  run mlops init --frobnicate
  expect_rc 2
  expect_err "mlops: error:"
  expect_err "--help"
}

test_help_lists_commands() {
  run mlops --help
  expect_rc 0
  expect_out "init"
  expect_no_out "__complete"
}

test_complete_lists_commands_and_flags() {
  run mlops __complete ""
  expect_rc 0
  expect_out "init"
  run mlops __complete init --j
  expect_out "--json"
}

test_stdout_write_failure_is_exit_3() {
  new_repo
  run bash -c "'$MLOPS' init --json > /dev/full"
  expect_rc 3
  expect_err "standard output"
}

test_color_never_and_no_color() {
  run mlops --color=never --help
  expect_rc 0
  [[ "$out" != *$'\033['* ]] || fail "colour codes with --color=never"
}

# The bash script, driven the way bash drives it: COMP_WORDS/COMP_CWORD in, COMPREPLY out.
test_bash_completion_script() {
  local bindir="$TEST_ROOT/bin.$RANDOM"
  mkdir -p "$bindir" && ln -s "$MLOPS" "$bindir/mlops"
  run env PATH="$bindir:$PATH" bash -c '
    source "$MLOPS_SOURCE_DIR/completions/mlops.bash"
    COMP_WORDS=(mlops da); COMP_CWORD=1; _mlops; echo "${COMPREPLY[*]}"
    COMP_WORDS=(mlops data st); COMP_CWORD=2; _mlops; echo "${COMPREPLY[*]}"
    COMP_WORDS=(mlops data status --ex); COMP_CWORD=3; _mlops; echo "${COMPREPLY[*]}"'
  expect_rc 0
  expect_eq "$out" $'data\nstatus\n--exit-code'
}

test_zsh_and_fish_scripts_parse() {
  if command -v zsh >/dev/null; then
    run zsh -n "$MLOPS_SOURCE_DIR/completions/_mlops"; expect_rc 0
  fi
  if command -v fish >/dev/null; then
    run fish -n "$MLOPS_SOURCE_DIR/completions/mlops.fish"; expect_rc 0
  fi
  true
}

run_tests "${1:-.}"
