#!/bin/sh
# CT, on a push of new data or on a schedule: checks the newest data batch for drift against the
# data the production model was trained on. When it drifted, retrains on the training set extended
# with the new rows, registers the new version, promotes it when it passes the gates, and pushes
# data, commit and registry tags (a production stage tag then starts the deploy pipeline).
#
# Exit 0: nothing to do, no drift, or a new version in production. Exit 1: the batch breaks the
# training data's contract (TRAIN_DATA.schema.yaml, when committed: nothing is retrained), or
# retrained, but a gate kept the current production version (the new version is registered and
# pushed). Exit 2 or 3:
# bad input (a malformed data file, a batch whose header differs from the training set's, no
# production model) or a failed environment: nothing is retrained and nothing is pushed.
#
# Settings (environment): MODEL (churn), TRAIN_DATA (data/train.csv), NEW_DATA (data/new.csv),
# CT_BRANCH (the branch the retrain commit is pushed to; default: the current branch),
# CT_RECORD (the committed record of the batches trained on; default: ct-batches.tsv),
# DRIFT_REPORT (a file the Markdown drift report is appended to, e.g. $GITHUB_STEP_SUMMARY).
set -eu

model=${MODEL:-churn}
train=${TRAIN_DATA:-data/train.csv}
new=${NEW_DATA:-data/new.csv}
record=${CT_RECORD:-ct-batches.tsv}
branch=${CT_BRANCH:-$(git symbolic-ref --short -q HEAD || true)}
if [ -z "$branch" ]; then
  echo "ct: HEAD is detached: set CT_BRANCH to the branch the retrain commit is pushed to" >&2
  exit 2
fi

if [ ! -f "$new.mlops" ]; then
  echo "ct: no $new.mlops: no new data to check"
  exit 0
fi
mlops data pull

# A batch this job has trained on is done. Without this, every later run (the next schedule, or
# the push of our own retrain commit) would find the same drift and append the same rows again.
# The job decides from its own record, committed with the retrain: one line per batch it appended
# (hash, model, training set, time), never from what some model's lineage happens to mention.
batch=$(sed -n 's/^hash: *//p' "$new.mlops")
if [ -f "$record" ] && awk -F '\t' -v b="$batch" -v m="$model" '$1 == b && $2 == m { found = 1 } END { exit !found }' "$record"; then
  echo "ct: $model was trained on this $new ($batch) already, as $record records: nothing to do"
  exit 0
fi

# The rows are appended to the training set, so the batch must have its columns, in its order.
header() { head -n 1 "$1" | tr -d '\r'; }
if [ "$(header "$new")" != "$(header "$train")" ]; then
  echo "ct: the header of $new does not match $train's: not retraining" >&2
  echo "  $new:   $(header "$new")" >&2
  echo "  $train: $(header "$train")" >&2
  exit 2
fi

# The batch must keep the training data's contract, when one is committed beside it
# (`mlops schema infer data/train.csv`): a missing column, a wrong type, nulls where there were
# none stop the job here (exit 1), before any retraining; warnings are printed and let it through.
if [ -f "$train.schema.yaml" ]; then
  status=0
  mlops schema check "$new" --schema "$train.schema.yaml" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "ct: $new breaks the contract $train.schema.yaml (exit $status): not retraining" >&2
    exit "$status"
  fi
fi

# Reference: the training data of the production version (PATH@MODEL#STAGE is the data version
# at the commit that version was registered on). When a gate kept an older champion, that is not
# the version HEAD points to, so it is fetched too. Exit 1 is drift; 2 (a malformed file, no
# production version) or 3 must fail the job, never retrain.
mlops data fetch --rev "$model#production" "$train"
report=$(mktemp)
status=0
mlops drift check "$train@$model#production" "$new" --markdown > "$report" || status=$?
cat "$report"
if [ -n "${DRIFT_REPORT:-}" ]; then
  cat "$report" >> "$DRIFT_REPORT"
fi
rm -f "$report"
case $status in
  0)
    echo "ct: no drift in $new: $model#production stays"
    exit 0
    ;;
  1) ;;
  *)
    echo "ct: the drift check failed (exit $status): not retraining" >&2
    exit "$status"
    ;;
esac

# The new rows (without their header) go after the training set's, on a line of their own even
# when the file does not end with a line break. Written to a new file and renamed, so that a
# read-only link into the cache (cache.link: hardlink or symlink) is replaced, not written through.
{
  cat "$train"
  [ -z "$(tail -c 1 "$train")" ] || echo
  tail -n +2 "$new"
} > "$train.ct-tmp"
mv "$train.ct-tmp" "$train"
mlops data add "$train"
printf '%s\t%s\t%s\t%s\n' "$batch" "$model" "$train" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$record"
git add "$train.mlops" "$record"
git commit -q -m "ct: retrain $model on $train + $new ($batch)"

# Train on that commit (the tree is clean, so the run can be registered and rebuilt), register
# the run's model.json, and promote it only when it is good enough and beats the champion.
# The run id comes from --id-file (outside the work tree), never from `runs list --limit 1`, which
# another run in the same store could race.
id_file=$(mktemp)
trap 'rm -f "$id_file"' EXIT
mlops run --id-file "$id_file" --name ct-retrain --params-file params.yaml --artifact model.json -- python3 train.py
run=$(cat "$id_file")
# (-q: without the notes that suggest a git push; the push is below.)
mlops -q model register "$model" --run "$run"
promoted=yes
mlops -q model promote "$model" latest --to production --require 'metrics.auc >= 0.8' \
  --better-than production --metric auc || {
  status=$?
  [ "$status" -eq 1 ] || exit "$status"
  promoted=no
}

# Data and the model's artifact first, then the commit with its tags in one atomic push: nobody
# receives a pointer or a registry tag that names bytes they cannot fetch, and when the branch
# moved on meanwhile (push rejected) no tag is pushed either; the next run starts over.
mlops data push
git push -q --atomic --follow-tags origin "HEAD:refs/heads/$branch"

if [ "$promoted" = no ]; then
  echo "ct: the retrained $model did not pass the gates: it is registered, $model#production is unchanged" >&2
  exit 1
fi
echo "ct: the retrained $model is in production"
