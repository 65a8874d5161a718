# The source checks of ./scripts/test: scripts/check-layering against a small tree of its own
# (an ARCHITECTURE.md table and a few modules), and scripts/check-format on a misformatted file.
# Run by ctest as `checks` (MLOPS_SOURCE_DIR set by tests/CMakeLists.txt).
MLOPS=${MLOPS:-unused}
source "$(dirname "$0")/../cli/lib.sh"
: "${MLOPS_SOURCE_DIR:?set MLOPS_SOURCE_DIR to the source tree}"

# A tree with ARCHITECTURE.md's table shape: core at the bottom, data over core, cli over all.
new_tree() {
  tree="$TEST_ROOT/$current_test"
  mkdir -p "$tree/lib/mlops/core" "$tree/lib/mlops/data" "$tree/lib/mlops/cli"
  cat > "$tree/ARCHITECTURE.md" <<'MD'
# Architecture

## Folders and their rules
| folder | what it holds | may include |
|---|---|---|
| `lib/mlops/core/` | errors, files | the standard library and third-party libraries only: core knows nothing of data |
| `lib/mlops/data/` | pointers, the cache | core |
| `lib/mlops/cli/` | the commands | everything above; nothing includes cli |

## Conventions in code
MD
  printf '#pragma once\n#include <string>\n' > "$tree/lib/mlops/core/file.hpp"
  printf '#include "mlops/core/file.hpp"\n#include "mlops/data/cache.hpp"\n' > "$tree/lib/mlops/data/cache.cpp"
  printf '#pragma once\n' > "$tree/lib/mlops/data/cache.hpp"
  printf '#include "mlops/data/cache.hpp"\n#include "mlops/core/file.hpp"\n' > "$tree/lib/mlops/cli/app.cpp"
}

test_layering_passes_on_the_source_tree() {
  run python3 "$MLOPS_SOURCE_DIR/scripts/check-layering" "$MLOPS_SOURCE_DIR"
  expect_rc 0
  expect_out "every include allowed by ARCHITECTURE.md"
}

test_layering_passes_when_every_include_goes_down() {
  new_tree
  run python3 "$MLOPS_SOURCE_DIR/scripts/check-layering" "$tree"
  expect_rc 0
  expect_out "3 modules"
}

test_layering_fails_when_a_module_includes_one_above_it() {
  new_tree
  printf '#pragma once\n\n#include "mlops/data/cache.hpp"\n' > "$tree/lib/mlops/core/file.hpp"
  printf '#include "mlops/cli/app.hpp"\n' >> "$tree/lib/mlops/data/cache.cpp"
  run python3 "$MLOPS_SOURCE_DIR/scripts/check-layering" "$tree"
  expect_rc 1
  expect_err "lib/mlops/core/file.hpp:3: core includes 'mlops/data/cache.hpp', but core may include no other module"
  expect_err "lib/mlops/data/cache.cpp:3: data includes 'mlops/cli/app.hpp', but data may include core"
  expect_err "hint: move the shared code down"
}

test_layering_follows_the_table_when_it_changes() {
  new_tree
  printf '#include "mlops/cli/app.hpp"\n' >> "$tree/lib/mlops/data/cache.cpp"
  sed -i 's/| `lib\/mlops\/data\/` | pointers, the cache | core |/| `lib\/mlops\/data\/` | pointers, the cache | core, cli |/' "$tree/ARCHITECTURE.md"
  run python3 "$MLOPS_SOURCE_DIR/scripts/check-layering" "$tree"
  expect_rc 0
}

test_layering_fails_on_a_folder_without_a_row() {
  new_tree
  mkdir -p "$tree/lib/mlops/schema"
  printf '#include "mlops/core/file.hpp"\n' > "$tree/lib/mlops/schema/infer.cpp"
  run python3 "$MLOPS_SOURCE_DIR/scripts/check-layering" "$tree"
  expect_rc 1
  expect_err "lib/mlops/schema/ has no row in ARCHITECTURE.md's"
}

test_layering_fails_clearly_without_the_table() {
  new_tree
  printf '# Architecture\n' > "$tree/ARCHITECTURE.md"
  run python3 "$MLOPS_SOURCE_DIR/scripts/check-layering" "$tree"
  expect_rc 1
  expect_err "ARCHITECTURE.md has no '## Folders and their rules' section"
}

test_format_names_a_misformatted_file() {
  if ! command -v clang-format >/dev/null; then echo "  (clang-format is not installed: skipped)"; return 0; fi
  local file="$TEST_ROOT/bad.cpp"
  printf 'int  main( ){return 0;}\n' > "$file"
  cp "$MLOPS_SOURCE_DIR/.clang-format" "$TEST_ROOT/"
  run bash "$MLOPS_SOURCE_DIR/scripts/check-format" "$file"
  expect_rc 1
  expect_err "$file"
  expect_err "hint: clang-format -i"
  clang-format -i "$file"
  run bash "$MLOPS_SOURCE_DIR/scripts/check-format" "$file"
  expect_rc 0
}

run_tests "${1:-.}"
