#!/usr/bin/env python3
"""Trains a logistic-regression churn model by gradient descent (Python standard library only).

Reads params.yaml and data/train.csv, writes model.json, and logs metrics with `mlops log` when it
runs under `mlops run` (which sets MLOPS_RUN_ID). Deterministic: the same data and parameters
give a byte-identical model.json, which is what lets `mlops repro` check a rebuild.
"""
import csv
import json
import math
import os
import random
import subprocess
import sys

NUMERIC = ["tenure", "monthly_charges", "support_calls", "usage_gb"]
PLANS = ["basic", "standard", "premium"]


def read_params(path="params.yaml"):
    """Reads flat `key: value` YAML (all train.py needs; no third-party parser)."""
    params = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            key, value = (part.strip() for part in line.split(":", 1))
            params[key] = float(value) if any(c in value for c in ".e") else int(value)
    return params


def log(kind, *args):
    """Attaches a metric or param to the current run; a no-op outside `mlops run`."""
    if os.environ.get("MLOPS_RUN_ID"):
        subprocess.run(["mlops", "log", kind, *map(str, args)], check=True)


def load(path="data/train.csv"):
    rows = []
    with open(path, newline="") as f:
        for record in csv.DictReader(f):
            x = [float(record[name]) for name in NUMERIC] + [1.0 if record["plan"] == p else 0.0 for p in PLANS]
            rows.append((x, int(record["churned"])))
    return rows


def standardise(train, valid):
    n = len(train[0][0])
    means = [sum(x[i] for x, _ in train) / len(train) for i in range(n)]
    stds = [math.sqrt(sum((x[i] - means[i]) ** 2 for x, _ in train) / len(train)) or 1.0 for i in range(n)]
    scale = lambda rows: [([(x[i] - means[i]) / stds[i] for i in range(n)], y) for x, y in rows]
    return scale(train), scale(valid), means, stds


def predict(w, b, x):
    z = b + sum(wi * xi for wi, xi in zip(w, x))
    return 1 / (1 + math.exp(-z)) if z > -500 else 0.0


def auc(scores, labels):
    """Area under the ROC curve by the rank-sum formula (ties share ranks)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return 0.5
    rank_sum = sum(r for r, y in zip(ranks, labels) if y == 1)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def main():
    params = read_params()
    rows = load()
    random.Random(params["seed"]).shuffle(rows)
    cut = int(len(rows) * (1 - params["validation_share"]))
    train, valid, means, stds = standardise(rows[:cut], rows[cut:])

    w = [0.0] * len(train[0][0])
    b = 0.0
    lr, l2 = params["learning_rate"], params["l2"]
    for epoch in range(1, params["epochs"] + 1):
        grad_w = [0.0] * len(w)
        grad_b = 0.0
        loss = 0.0
        for x, y in train:
            p = predict(w, b, x)
            err = p - y
            for i, xi in enumerate(x):
                grad_w[i] += err * xi
            grad_b += err
            loss -= math.log(max(p, 1e-12)) if y else math.log(max(1 - p, 1e-12))
        w = [wi - lr * (g / len(train) + l2 * wi) for wi, g in zip(w, grad_w)]
        b -= lr * grad_b / len(train)
        if epoch % 50 == 0 or epoch == params["epochs"]:
            log("metric", "loss", f"{loss / len(train):.6f}", "--step", epoch)

    scores = [predict(w, b, x) for x, _ in valid]
    labels = [y for _, y in valid]
    accuracy = sum((s >= 0.5) == (y == 1) for s, y in zip(scores, labels)) / len(labels)
    model = {"features": NUMERIC + [f"plan={p}" for p in PLANS], "weights": w, "bias": b, "means": means, "stds": stds}
    with open("model.json", "w") as f:
        json.dump(model, f, indent=2, sort_keys=True)
        f.write("\n")
    log("metric", "accuracy", f"{accuracy:.6f}")
    log("metric", "auc", f"{auc(scores, labels):.6f}")
    print(f"trained on {len(train)} rows: validation accuracy {accuracy:.4f}, auc {auc(scores, labels):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
