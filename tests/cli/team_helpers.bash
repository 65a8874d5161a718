# Helpers for the team suites (tests/cli/team.sh, merge.sh): a bare origin, three clones with the
# hooks installed, a shared path remote, and the check that no committed version was lost.
# Sourced after lib.sh; not a suite of its own (CTest runs tests/cli/*.sh only).

# The hooks call `mlops` by name, as they would on a user's machine.
BIN_DIR="$TEST_ROOT/bin"
mkdir -p "$BIN_DIR" && ln -sf "$MLOPS" "$BIN_DIR/mlops"
export PATH="$BIN_DIR:$PATH"

# team: $ORIGIN (bare), $STORE (the shared data remote, the default in the committed config), and
# the clones $alice, $bob and $carol, each with `mlops hooks install` done. Leaves the cwd alone.
team() {
  local base="$TEST_ROOT/$current_test"
  ORIGIN=$base/origin.git STORE=$base/store alice=$base/alice bob=$base/bob carol=$base/carol
  mkdir -p "$base"
  git init -q --bare "$ORIGIN"
  git clone -q "$ORIGIN" "$alice" 2>/dev/null
  (
    cd "$alice" || exit 1
    mlops init >/dev/null 2>&1 && mlops remote add store "$STORE" --create --default >/dev/null 2>&1
    git add -A && git commit -qm "mlops init" && git push -q origin main
  ) || fail "team setup failed"
  git clone -q "$ORIGIN" "$bob" && git clone -q "$ORIGIN" "$carol"
  local d
  for d in "$alice" "$bob" "$carol"; do (cd "$d" && mlops hooks install >/dev/null) || fail "hooks install in $d"; done
}

# become NAME: cd into NAME's clone and commit as NAME.
become() {
  cd "${!1}" || return 1
  export GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$1@example.com GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$1@example.com
}

hash_in() { sed -n 's/^hash: //p' "$1"; }
object_of() { local h=${1#xxh3:}; echo ".mlops/cache/${h:0:2}/${h:2}"; }
on_remote() { local h=${1#xxh3:}; [[ -e "$STORE/${h:0:2}/${h:2}" ]]; }

# No committed version is lost: for every commit that any clone or origin holds (every ref, the
# reflogs and the stash), `data fetch --rev` into an empty store succeeds from the shared remote
# and the clones' caches together.
assert_no_version_lost() {
  local audit="$TEST_ROOT/$current_test/audit.$RANDOM" where commit src ok
  mkdir -p "$audit/cache" "$audit/tmp"
  {
    echo "remotes:"
    echo "  store: {url: $STORE}"
    for where in alice bob carol; do echo "  $where: {url: ${!where}/.mlops/cache}"; done
    echo "  nothing: {url: $audit/nothing}"
  } > "$audit/config.yaml"
  mkdir -p "$audit/nothing"
  # mlops works in work trees: origin (bare) is audited through a fresh clone of all its refs.
  local origin_clone="$audit/origin"
  git clone -q "$ORIGIN" "$origin_clone" 2>/dev/null
  for where in origin_clone alice bob carol; do
    for commit in $(git -C "${!where}" rev-list --all --reflog 2>/dev/null); do
      git -C "${!where}" ls-tree -r --name-only "$commit" | grep -q '\.mlops$' || continue
      for src in store alice bob carol; do
        (cd "${!where}" && MLOPS_STORE_DIR="$audit" "$MLOPS" data fetch --rev "$commit" --remote "$src" >/dev/null 2>&1)
      done
      # Everything is in the audit cache now, or the version is lost: an empty remote proves it.
      ok=0
      (cd "${!where}" && MLOPS_STORE_DIR="$audit" "$MLOPS" data fetch --rev "$commit" --remote nothing >/dev/null 2>&1) && ok=1
      ((ok)) || fail "the data of commit $(git -C "${!where}" log -1 --format='%h %an: %s' "$commit") (in $where) is lost"
    done
  done
}

