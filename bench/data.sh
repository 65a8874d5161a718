#!/usr/bin/env bash
# Data versioning benchmark: mlops data add/status/checkout against cp, xxhsum, git, git-annex
# and git-lfs on the same data. Usage: bench/data.sh [RUNS]   (not part of the test suite)
source "$(dirname "$0")/lib.sh"
RUNS=${1:-5}
WORK=$(mktemp -d "${BENCH_DIR:-/var/tmp}/mlops-bench-data.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"

echo "generating 1 GiB file and 20,000 files of 4 KiB in $WORK ..." >&2
head -c 1073741824 /dev/urandom > big.bin
python3 - <<'PY'
import os
os.makedirs("tree", exist_ok=True)
for d in range(100):
    os.makedirs(f"tree/d{d:03}", exist_ok=True)
    for f in range(200):
        with open(f"tree/d{d:03}/f{f:03}.bin", "wb") as out:
            out.write(os.urandom(4096))
PY
sync

mkdir repo && cd repo && git init -q . && "$MLOPS" init -q
mv ../big.bin ../tree .
clear_store='chmod -R u+w .mlops/cache; rm -rf .mlops/cache/* .mlops/state.db* big.bin.mlops tree.mlops'

echo "== data add of a 1 GiB file (warm page cache) =="
add_big=$(median_ms "$RUNS" "$clear_store" "'$MLOPS' data add big.bin")
ref_big=$(median_ms "$RUNS" "rm -f ../big.copy" "cp big.bin ../big.copy && xxhsum -H2 big.bin")
rm -f ../big.copy
row "mlops data add big.bin" "$add_big" "cp + xxhsum -H2" "$ref_big" 1.3
readd=$(median_ms "$RUNS" "" "'$MLOPS' data add big.bin")
row "mlops data add big.bin (unchanged again)" "$readd"

echo "== data add of a 1 GiB file with cache.link hardlink / symlink (the file is linked into the cache) =="
# Before each run the file is made an ordinary writable file again (the object moved back, the
# link removed) and the cache emptied; the page cache stays warm, as for copy mode above.
unlink_big='if [ -L big.bin ]; then mv "$(readlink -f big.bin)" big.tmp && rm big.bin && mv big.tmp big.bin; fi; chmod u+w big.bin; '
hash_big=$(median_ms "$RUNS" "" "xxhsum -H2 big.bin")
for mode in hardlink symlink; do
  sed -i "s/^\( *link:\).*/\1 $mode/" .mlops/config.yaml
  add_link=$(median_ms "$RUNS" "$unlink_big$clear_store" "'$MLOPS' data add big.bin")
  row "mlops data add big.bin (cache.link: $mode)" "$add_link" "the same in copy mode" "$add_big"
  row "  against hashing alone" "$add_link" "xxhsum -H2 big.bin" "$hash_big"
  awk -v ms="$add_link" 'BEGIN {printf "  target < 500 ms: %s\n", (ms < 500) ? "met" : "MISSED"}'
done
eval "$unlink_big$clear_store"
sed -i "s/^\( *link:\).*/\1 copy/" .mlops/config.yaml

echo "== data add of 20,000 files of 4 KiB =="
add_tree=$(median_ms "$RUNS" "$clear_store" "'$MLOPS' data add tree")
ref_tree=$(median_ms "$RUNS" "rm -rf ../tree.copy" "cp -a tree ../tree.copy")
row "mlops data add tree" "$add_tree" "cp -a tree" "$ref_tree" 1.5
git_add=$(median_ms 3 "rm -f .git/index; rm -rf .git/objects/??" "git add -f tree")
row "git add -f tree (for comparison)" "$git_add"
rm -rf ../tree.copy; rm -f .git/index
"$MLOPS" data add tree big.bin >/dev/null 2>&1

echo "== data status of the unchanged tree =="
st=$(median_ms "$RUNS" "" "'$MLOPS' data status tree")
mkdir ../gitrepo && cp -a tree ../gitrepo/ && (cd ../gitrepo && git init -q . && git add tree && git commit -qm tree && git status >/dev/null)
gst=$(cd ../gitrepo && median_ms "$RUNS" "" "git status")
row "mlops data status tree (20,000 files)" "$st" "git status (same tree)" "$gst" 1.0
chmod -R u+w ../gitrepo; rm -rf ../gitrepo || true

echo "== data checkout of the tree from the cache =="
co=$(median_ms "$RUNS" "rm -rf tree" "'$MLOPS' data checkout tree")
cpr=$(median_ms "$RUNS" "rm -rf ../tree.copy" "cp -r tree ../tree.copy")
row "mlops data checkout tree" "$co" "cp -r tree" "$cpr"
rm -rf ../tree.copy

echo "== start-up =="
ver=$(median_ms 21 "" "'$MLOPS' --version")
row "mlops --version" "$ver"
seq 1 1000 > one.csv && "$MLOPS" data add one.csv >/dev/null 2>&1 && sleep 0.1
one=$(median_ms 21 "" "'$MLOPS' data status one.csv")
row "mlops data status one.csv (unchanged)" "$one"

if command -v git-annex >/dev/null; then
  echo "== git annex (same data) =="
  mkdir ../annex && cp -a tree big.bin ../annex/
  (cd ../annex && git init -q . && git annex init -q bench >/dev/null 2>&1
   a1=$(median_ms 1 "" "git annex add --quiet big.bin")
   row "git annex add big.bin" "$a1" "mlops data add big.bin" "$add_big"
   a2=$(median_ms 1 "" "git annex add --quiet tree")
   row "git annex add tree" "$a2" "mlops data add tree" "$add_tree")
  chmod -R u+w ../annex; rm -rf ../annex
fi
if command -v git-lfs >/dev/null; then
  echo "== git lfs (same data) =="
  mkdir ../lfs && cp -a tree big.bin ../lfs/
  (cd ../lfs && git init -q . && git lfs install --local >/dev/null && git lfs track '*.bin' >/dev/null
   l1=$(median_ms 1 "" "git add big.bin")
   row "git lfs: git add big.bin" "$l1" "mlops data add big.bin" "$add_big"
   l2=$(median_ms 1 "" "git add tree")
   row "git lfs: git add tree" "$l2" "mlops data add tree" "$add_tree")
  rm -rf ../lfs
fi
