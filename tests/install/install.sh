# `cmake --install` into a staging prefix: the binary, a manual page per top-level command that
# man(1) renders without a warning, and the three completions where bash, zsh and fish look.
# Run by ctest as `install` (BUILD_DIR and MLOPS_SOURCE_DIR set by tests/CMakeLists.txt).
source "$(dirname "$0")/../cli/lib.sh"
: "${BUILD_DIR:?set BUILD_DIR to the build folder}"

install_into() {
  local prefix=$1
  cmake --install "$BUILD_DIR" --prefix "$prefix" >/dev/null || fail "cmake --install --prefix $prefix failed"
}

test_install_puts_binary_pages_and_completions_in_place() {
  local stage="$TEST_ROOT/stage"
  install_into "$stage"
  expect_file "$stage/bin/mlops"
  run "$stage/bin/mlops" --version
  expect_rc 0
  expect_out "mlops "
  expect_file "$stage/share/bash-completion/completions/mlops"
  expect_file "$stage/share/zsh/site-functions/_mlops"
  expect_file "$stage/share/fish/vendor_completions.d/mlops.fish"
  expect_file "$stage/share/man/man1/mlops.1"
  # One page per top-level command, as the binary lists them.
  local command count=0
  for command in $("$stage/bin/mlops" __complete '' | cut -f1); do
    expect_file "$stage/share/man/man1/mlops-$command.1"
    count=$((count + 1))
  done
  ((count >= 8)) || fail "only $count top-level commands listed"
  expect_eq "$(find "$stage/share/man/man1" -name '*.1' | wc -l)" "$((count + 1))"
}

test_every_manual_page_renders_without_warnings() {
  if ! command -v man >/dev/null; then echo "  (man is not installed: skipped; scripts/install-deps installs man-db)"; return 0; fi
  local stage="$TEST_ROOT/stage"
  install_into "$stage"
  local page
  for page in "$stage"/share/man/man1/*.1; do
    run env MANWIDTH=80 MAN_KEEP_FORMATTING= man --warnings -l "$page"
    expect_rc 0
    expect_eq "$err" ""
    [[ -n "$out" ]] || fail "$(basename "$page") renders empty"
  done
  run env MANWIDTH=100 man -l "$stage/share/man/man1/mlops-data.1"
  expect_out "mlops data add [OPTIONS] PATH..."
  expect_out "--json"
  expect_out "EXIT STATUS"
  run env MANWIDTH=100 man -l "$stage/share/man/man1/mlops.1"
  expect_out "mlops-data(1)"
  expect_out "--color"
}

test_manual_pages_follow_the_command_tree() {
  # Every subcommand of every group has its section in the group's page.
  local stage="$TEST_ROOT/stage"
  install_into "$stage"
  local group sub text
  for group in data model runs; do
    text=$(MANWIDTH=200 man -l "$stage/share/man/man1/mlops-$group.1" 2>/dev/null)
    for sub in $("$stage/bin/mlops" __complete "$group" '' | cut -f1); do
      [[ "$text" == *"mlops $group $sub"* ]] || fail "mlops-$group(1) has no section for 'mlops $group $sub'"
    done
  done
}

test_installed_bash_completion_completes() {
  local stage="$TEST_ROOT/stage"
  install_into "$stage"
  run bash -c 'PATH="$1/bin:$PATH"; source "$1/share/bash-completion/completions/mlops"
    COMP_WORDS=(mlops da); COMP_CWORD=1; _mlops; printf "%s\n" "${COMPREPLY[@]}"' _ "$stage"
  expect_rc 0
  expect_out "data"
}

test_install_into_usr_puts_zsh_completion_in_vendor_completions() {
  # A package (cpack installs into /usr) uses the folder Debian's zsh reads for packages.
  local destdir="$TEST_ROOT/destdir"
  DESTDIR="$destdir" cmake --install "$BUILD_DIR" --prefix /usr >/dev/null || fail "install into DESTDIR failed"
  expect_file "$destdir/usr/share/zsh/vendor-completions/_mlops"
  expect_file "$destdir/usr/bin/mlops"
}

# `cpack -G DEB`: the package holds the same files under /usr and declares what it needs at run
# time: libc (found by dpkg-shlibdeps), libgit2's package (loaded with dlopen, so declared by hand
# when it is loaded lazily) and git.
test_deb_package_holds_the_files_and_declares_dependencies() {
  if ! command -v dpkg-shlibdeps >/dev/null; then echo "  (dpkg-dev is not installed: skipped; scripts/install-deps installs it)"; return 0; fi
  local pkg="$TEST_ROOT/pkg"
  (cd "$BUILD_DIR" && cpack -G DEB -B "$pkg" >"$TEST_ROOT/cpack.log" 2>&1) || { fail "cpack failed: $(cat "$TEST_ROOT/cpack.log")"; return; }
  local deb
  deb=$(ls "$pkg"/mlops_*.deb 2>/dev/null | head -1)
  [[ -n "$deb" ]] || { fail "no .deb in $pkg"; return; }
  run dpkg-deb -f "$deb" Package Depends Architecture
  expect_rc 0
  expect_out "Package: mlops"
  expect_out "libc6 (>="
  expect_out "git"
  if ! ldd "$MLOPS" | grep -q libgit2; then
    expect_out "libgit2-"
  fi
  run dpkg-deb -c "$deb"
  local path
  for path in ./usr/bin/mlops ./usr/share/man/man1/mlops.1 ./usr/share/man/man1/mlops-data.1 \
    ./usr/share/bash-completion/completions/mlops ./usr/share/zsh/vendor-completions/_mlops \
    ./usr/share/fish/vendor_completions.d/mlops.fish; do
    expect_out " $path"
  done
  # Unpacked, the binary runs and reads its own pages.
  dpkg-deb -x "$deb" "$TEST_ROOT/root"
  run "$TEST_ROOT/root/usr/bin/mlops" --version
  expect_rc 0
}

run_tests "${1:-.}"
