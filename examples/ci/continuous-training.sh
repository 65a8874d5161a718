#!/bin/sh
# CT, on a push of new data or on a schedule: checks the newest data batch for drift against the
# data the production model was trained on. When it drifted, retrains on the training set extended
# with the new rows, registers the new version, promotes it when it passes the gates, and pushes
# data, commit and registry tags (a production stage tag then starts the deploy pipeline).
#
# Exit 0: nothing to do, no drift, or a new version in production. Exit 1: retrained, but a gate
# kept the current production version (the new version is registered and pushed). Exit 2 or 3:
# bad input (a malformed data file, no production model) or a failed environment: nothing is
# retrained and nothing is pushed.
#
# Settings (environment): MODEL (churn), TRAIN_DATA (data/train.csv), NEW_DATA (data/new.csv),
# CT_BRANCH (the branch the retrain commit is pushed to; default: the current branch),
# DRIFT_REPORT (a file the Markdown drift report is appended to, e.g. $GITHUB_STEP_SUMMARY).
set -eu

model=${MODEL:-churn}
train=${TRAIN_DATA:-data/train.csv}
new=${NEW_DATA:-data/new.csv}
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

# A batch the latest version was trained on is done. Without this, every later run (the next
# schedule, or the push of our own retrain commit) would find the same drift and append the same
# rows again. A run records the version of every tracked dataset, the new batch included.
batch=$(sed -n 's/^hash: *//p' "$new.mlops")
if mlops model show "$model@latest" --json 2>/dev/null | grep -q "\"$batch\""; then
  echo "ct: $model@latest was trained on this $new ($batch): nothing to do"
  exit 0
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
git add "$train.mlops"
git commit -q -m "ct: retrain $model on $train + $new ($batch)"

# Train on that commit (the tree is clean, so the run can be registered and rebuilt), register
# the run's model.json, and promote it only when it is good enough and beats the champion.
mlops run --name ct-retrain --params-file params.yaml --artifact model.json -- python3 train.py
run=$(mlops runs list --limit 1 --ids)
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
