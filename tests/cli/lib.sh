# Shared helpers for the CLI tests: each test runs the real binary ($MLOPS) in a fresh temporary
# git repository with real files. Source this file, define test_* functions, call run_tests.
set -uo pipefail

: "${MLOPS:?set MLOPS to the built mlops binary}"
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Test Author" GIT_COMMITTER_EMAIL="author@example.com"
export GIT_CONFIG_NOSYSTEM=1 HOME="${TMPDIR:-/tmp}/mlops-test-home.$$"
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global user.name "Test Author"
git config --global user.email "author@example.com"
export NO_COLOR=1
unset MLOPS_RUN_ID

TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/mlops-cli.XXXXXX")
trap 'rm -rf "$TEST_ROOT" "$HOME"' EXIT
failures=0
passes=0
current_test=""

mlops() { "$MLOPS" "$@"; }

# A new git repository with mlops initialised; cd's into it.
new_repo() {
  local dir="$TEST_ROOT/$current_test.$RANDOM"
  mkdir -p "$dir" && cd "$dir" || return 1
  git init -q .
  if [[ "${1:-}" != "--no-init" ]]; then
    mlops init >/dev/null 2>&1 || fail "mlops init failed"
  fi
}

fail() {
  echo "  FAIL [$current_test] $*" >&2
  failures=$((failures + 1))
  return 1
}

# run CMD...: runs it, keeping stdout in $out, stderr in $err and the exit code in $rc.
run() {
  out=$("$@" 2>"$TEST_ROOT/.stderr")
  rc=$?
  err=$(cat "$TEST_ROOT/.stderr")
}

expect_rc() {
  local want=$1
  [[ "$rc" == "$want" ]] || fail "expected exit $want, got $rc; stdout: $out; stderr: $err"
}
expect_out() { [[ "$out" == *"$1"* ]] || fail "stdout lacks '$1': $out"; }
expect_err() { [[ "$err" == *"$1"* ]] || fail "stderr lacks '$1': $err"; }
expect_no_out() { [[ "$out" != *"$1"* ]] || fail "stdout should not contain '$1': $out"; }
expect_file() { [[ -e "$1" ]] || fail "expected file '$1'"; }
expect_no_file() { [[ ! -e "$1" && ! -L "$1" ]] || fail "expected no file '$1'"; }
expect_eq() { [[ "$1" == "$2" ]] || fail "expected '$2', got '$1'"; }
# A fingerprint of a tree (paths, modes, contents), to show a failed command changed nothing.
snapshot() { (cd "${1:-.}" && find . -path ./.git -prune -o -print0 | sort -z | xargs -0 stat -c '%n %a %s' 2>/dev/null; find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 cat 2>/dev/null | md5sum); }
# map_spans IN OUT CODE: OUT is the OTLP JSON lines file IN with the Python statements CODE run on
# each span (bound to sp): times in another unit, attributes taken away.
map_spans() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in src:
        d = json.loads(line)
        for rs in d.get("resourceSpans", []):
            for ss in rs["scopeSpans"]:
                for sp in ss["spans"]:
                    exec(sys.argv[3])
        out.write(json.dumps(d) + "\n")
PY
}
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d"+sys.argv[1]))' "$1"; }

# Runs every test_* function (or those named in $1, a regex) in its own subshell and prints
# "N passed, N failed"; exits 1 when any failed.
run_tests() {
  local filter=${1:-.} t total_failed=0 total_passed=0
  for t in $(declare -F | awk '{print $3}' | grep '^test_' | grep -E -- "$filter"); do
    current_test=$t
    if ( failures=0; "$t"; exit $((failures > 0)) ); then
      total_passed=$((total_passed + 1)); echo "ok $t"
    else
      total_failed=$((total_failed + 1)); echo "not ok $t"
    fi
  done
  echo "$total_passed passed, $total_failed failed"
  ((total_failed == 0))
}
