#!/usr/bin/env python3
"""Writes a synthetic churn dataset as CSV: deterministic for a given --seed.

Columns: tenure, monthly_charges, support_calls, usage_gb (numeric), plan (categorical), churned (0/1).
--shift moves the customer population (longer calls, higher charges, more premium plans), the way
new production data drifts away from what a model was trained on.
"""
import argparse
import csv
import math
import random
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--shift", type=float, default=0.0, help="how far the population drifts (0 = none)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    plans = ["basic", "standard", "premium"]
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["tenure", "monthly_charges", "support_calls", "usage_gb", "plan", "churned"])
        for _ in range(args.rows):
            tenure = max(0.0, rng.gauss(24 - 6 * args.shift, 12))
            charges = max(5.0, rng.gauss(60 + 15 * args.shift, 20))
            calls = max(0, int(rng.gauss(2 + 1.5 * args.shift, 1.5)))
            usage = max(0.0, rng.expovariate(1 / (30 + 10 * args.shift)))
            weights = [0.5 - 0.15 * args.shift, 0.3, 0.2 + 0.15 * args.shift]
            plan = rng.choices(plans, weights=[max(w, 0.01) for w in weights])[0]
            score = -1.0 - 0.08 * tenure + 0.03 * charges + 0.6 * calls - 0.01 * usage + (0.5 if plan == "basic" else 0.0)
            churned = 1 if rng.random() < 1 / (1 + math.exp(-score)) else 0
            writer.writerow([f"{tenure:.2f}", f"{charges:.2f}", calls, f"{usage:.2f}", plan, churned])
    return 0


if __name__ == "__main__":
    sys.exit(main())
