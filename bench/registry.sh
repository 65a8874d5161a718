#!/usr/bin/env bash
# Benchmark: the model registry read from ~20,000 annotated tags (1,000 models x 10 versions,
# each version also assigned to a stage). `model list` is timed cold (every tag object read
# from git) and warm (parsed tag objects from .mlops/registry-tags.cache, new tags read). Times `model list`, `model show NAME#production` and
# `model promote`, with `git for-each-ref` reading the same tag objects as the reference (the
# floor for anything that reads tags through git), and GTO when it is installed.
#   MLOPS=build/mlops bash bench/registry.sh [MODELS] [VERSIONS]
set -euo pipefail
MLOPS=$(realpath "${MLOPS:-build/mlops}")
MODELS=${1:-1000}
VERSIONS=${2:-10}
RUNS=${RUNS:-7}
work=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-registry.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q repo && cd repo
git config user.name bench && git config user.email bench@example.com

# One commit per version number (a model's versions must sit on distinct commits, as in GTO);
# then every tag, written by one `git fast-import` run (one pack, no process per tag).
python3 - "$MODELS" "$VERSIONS" > stream <<'PY'
import sys
models, versions = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
t = 1_700_000_000
def data(text):
    b = text.encode()
    out.write(f"data {len(b)}\n"); out.write(text); out.write("\n")
for v in range(1, versions + 1):
    out.write(f"commit refs/heads/main\nmark :{v}\ncommitter bench <bench@example.com> {t + v} +0000\n")
    data(f"train v{v}")
    if v > 1: out.write(f"from :{v - 1}\n")
    out.write(f"M 644 inline params.yaml\n"); data(f"version: {v}")
stages = ["dev"] * (versions // 2) + ["staging"] * (versions * 3 // 10) + ["production"] * versions
for m in range(models):
    name = f"model-{m:04d}"
    clock = t + 100 + m * 100
    counter = 0
    for v in range(1, versions + 1):
        clock += 1
        out.write(f"tag {name}@v0.0.{v}\nfrom :{v}\ntagger bench <bench@example.com> {clock} +0000\n")
        h = f"{(m * 7919 + v):032x}"
        data(f"Registering artifact {name} version v0.0.{v}\n\nArtifact: xxh3:{h}\nKind: file\nSize: {1000 + v}\n"
             f"Metric: auc={0.80 + v / 100:.2f}\n")
    for v in range(1, versions + 1):
        clock += 1
        counter += 1
        stage = stages[v - 1]
        out.write(f"tag {name}#{stage}#{counter}\nfrom :{v}\ntagger bench <bench@example.com> {clock} +0000\n")
        data(f"Assigning stage {stage} to artifact {name} version v0.0.{v}\n")
PY
start=$(date +%s.%N)
git fast-import --quiet < stream
git pack-refs --all
git checkout -q main
"$MLOPS" init > /dev/null
git add .mlops && git commit -qm "mlops init"
tags=$(git tag | wc -l)
echo "repository: $MODELS models x $VERSIONS versions, $tags annotated tags (made in $(echo "$(date +%s.%N) - $start" | bc) s)"

# median_seconds CMD...: the median wall time of $RUNS runs (output discarded).
median_seconds() {
  local times=()
  for ((i = 0; i < RUNS; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.4f", a[int((NR+1)/2)] / 1e6}'
}

# Cold: without .mlops/registry-tags.cache every tag object is read and inflated.
cold() { rm -f .mlops/registry-tags.cache; "$MLOPS" model list; }
cold_list=$(median_seconds cold)
ref=$(median_seconds git for-each-ref refs/tags --format='%(refname) %(taggerdate:unix) %(*objectname) %(contents:subject)')
list=$(median_seconds "$MLOPS" model list)
show=$(median_seconds "$MLOPS" model show "model-0500#production")
show_json=$(median_seconds "$MLOPS" model list --json)

# Each promote writes a tag, so alternate two versions in and out of staging.
promote_times=()
for ((i = 0; i < RUNS; i++)); do
  v=$(( i % 2 == 0 ? VERSIONS : VERSIONS - 1 ))
  t0=$(date +%s%N)
  "$MLOPS" model promote model-0500 "v0.0.$v" --to staging --require 'metrics.auc >= 0.5' > /dev/null 2>&1 \
    || { echo "promote failed" >&2; exit 1; }
  t1=$(date +%s%N)
  promote_times+=($(( (t1 - t0) / 1000 )))
done
promote=$(printf '%s\n' "${promote_times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.4f", a[int((NR+1)/2)] / 1e6}')

ratio() { echo "scale=2; $1 / $2" | bc; }
printf '%-44s %9s %s\n' "operation" "median s" "vs git for-each-ref"
printf '%-44s %9s %s\n' "git for-each-ref (all tags, reference)" "$ref" "1.00"
printf '%-44s %9s %s\n' "mlops model list (no tag cache: cold)" "$cold_list" "$(ratio "$cold_list" "$ref")"
printf '%-44s %9s %s\n' "mlops model list" "$list" "$(ratio "$list" "$ref")"
printf '%-44s %9s %s\n' "mlops model list --json" "$show_json" "$(ratio "$show_json" "$ref")"
printf '%-44s %9s %s\n' "mlops model show model-0500#production" "$show" "$(ratio "$show" "$ref")"
printf '%-44s %9s %s\n' "mlops model promote (gate, lock, tag)" "$promote" "$(ratio "$promote" "$ref")"
if command -v gto > /dev/null; then
  gto_show=$(RUNS=3 median_seconds gto show)
  printf '%-44s %9s %s\n' "gto show (reference tool)" "$gto_show" "$(ratio "$gto_show" "$ref")"
  echo "mlops model list is $(ratio "$gto_show" "$list")x faster than gto show"
else
  echo "(gto is not installed: pip install gto, to compare with it too)"
fi
echo "targets: each mlops figure under 0.3 s (wall time; load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
