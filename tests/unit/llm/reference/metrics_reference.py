#!/usr/bin/python3
"""Reference values for tests/unit/llm/metrics_test.cpp, computed without mlops's code.

Run with Debian's python3 and its packages python3-nltk (3.8), python3-sklearn (1.2.1) and
python3-levenshtein (0.12.2):  /usr/bin/python3 tests/unit/llm/reference/metrics_reference.py
It prints one line per (metric, output, expected) with the value to 12 significant digits; the
unit test holds the same pairs and values.

Where each value comes from:
- bleu: nltk.translate.bleu_score.sentence_bleu(weights 0.25 x 4, SmoothingFunction().method2),
  on the ROUGE tokens below (NLTK is given tokens, so only the tokenizer is ours).
- levenshtein: Levenshtein.distance (python-Levenshtein) on Python str (code points).
- ndcg: sklearn.metrics.ndcg_score(k=...) over binary relevance; the retrieved ids get
  decreasing scores, k padding documents score below them, relevant ids never retrieved lowest.
- rouge_1 / rouge_l: this file's transcription of the algorithm of Google's rouge_score package
  (tokenize: lower-case, [^a-z0-9]+ -> space, split; unigram overlap or LCS; F1), which Debian
  does not package.
- exact_match / token_f1: this file's transcription of the official SQuAD v1.1 evaluation
  (normalize_answer: lower, drop punctuation, drop articles a/an/the, fix whitespace).
- hit_rate / mrr / precision / recall: their textbook definitions, written out below.
"""
import collections
import math
import re
import string

import Levenshtein
import numpy as np
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
from sklearn.metrics import ndcg_score


def rouge_tokens(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def f1(common, predicted, reference):
    if common == 0 or predicted == 0 or reference == 0:
        return 0.0
    p, r = common / predicted, common / reference
    return 2 * p * r / (p + r)


def rouge_1(output, expected):
    a, b = rouge_tokens(output), rouge_tokens(expected)
    common = sum((collections.Counter(a) & collections.Counter(b)).values())
    return f1(common, len(a), len(b))


def lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = table[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(table[i - 1][j], table[i][j - 1])
    return table[-1][-1]


def rouge_l(output, expected):
    a, b = rouge_tokens(output), rouge_tokens(expected)
    return f1(lcs(a, b), len(a), len(b))


def squad_normalize(text):
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(output, expected):
    return float(squad_normalize(output) == squad_normalize(expected))


def token_f1(output, expected):
    a, b = squad_normalize(output).split(), squad_normalize(expected).split()
    if not a and not b:
        return 1.0
    common = sum((collections.Counter(a) & collections.Counter(b)).values())
    return f1(common, len(a), len(b))


def bleu(output, expected):
    hypothesis, reference = rouge_tokens(output), rouge_tokens(expected)
    if not hypothesis:
        return 0.0
    return sentence_bleu([reference], hypothesis, weights=(0.25, 0.25, 0.25, 0.25),
                         smoothing_function=SmoothingFunction().method2)


def retrieval(retrieved, relevant, k):
    ranked = list(dict.fromkeys(retrieved))
    cutoff = len(ranked) if k == 0 else k
    top = ranked[:cutoff]
    wanted = set(relevant)
    hits = [i for i, doc in enumerate(top) if doc in wanted]
    hit_rate = 1.0 if hits else 0.0
    mrr = 1.0 / (hits[0] + 1) if hits else 0.0
    precision = len(hits) / cutoff if cutoff else 0.0
    recall = len(hits) / len(wanted)
    # sklearn: every document scored; retrieved ones by rank, padding below, the rest lowest.
    docs = ranked + [f"pad{i}" for i in range(cutoff)] + sorted(wanted - set(ranked))
    scores = [len(docs) - i for i in range(len(ranked))] + [0.5] * cutoff + [-1.0] * len(wanted - set(ranked))
    truth = [1.0 if d in wanted else 0.0 for d in docs]
    ndcg = ndcg_score(np.asarray([truth]), np.asarray([scores]), k=cutoff)
    return hit_rate, mrr, precision, recall, ndcg


TEXT_PAIRS = [
    ("the cat sat on the mat", "the cat is on the mat"),
    ("Refunds take 5 business days.", "A refund takes five business days to arrive."),
    ("You can reset your password from the login page.", "Reset your password on the login page."),
    ("The Eiffel Tower is in Paris, France", "Paris"),
    ("", "something"),
    ("identical text here", "identical text here"),
    ("a b c d e f g", "g f e d c b a"),
    ("Order #1234 shipped; tracking: AB-99.", "order 1234 has shipped, tracking AB 99"),
    ("short", "a much longer reference sentence than the output"),
]

LEVENSHTEIN_PAIRS = [("kitten", "sitting"), ("flaw", "lawn"), ("", "abc"), ("café", "cafe"), ("naïve ünïcode", "naive unicode"),
                     ("same", "same"), ("Saturday", "Sunday")]

RETRIEVAL = [
    (["d1", "d2", "d3"], ["d2"], 3),
    (["d1", "d2", "d3", "d4"], ["d4", "d1"], 3),
    (["d5", "d6"], ["d1", "d2"], 5),
    (["d1", "d1", "d2"], ["d2", "d3"], 0),
    (["a", "b", "c", "d", "e"], ["b", "d", "e"], 5),
    (["x"], ["x"], 1),
    (["a", "b", "c", "d"], ["c", "d", "z"], 2),
]

if __name__ == "__main__":
    for output, expected in TEXT_PAIRS:
        for name, fn in [("exact_match", exact_match), ("token_f1", token_f1), ("rouge_1", rouge_1),
                         ("rouge_l", rouge_l), ("bleu", bleu)]:
            print(f"{name}\t{output!r}\t{expected!r}\t{fn(output, expected):.12g}")
    for a, b in LEVENSHTEIN_PAIRS:
        print(f"levenshtein\t{a!r}\t{b!r}\t{Levenshtein.distance(a, b)}")
    for retrieved, relevant, k in RETRIEVAL:
        values = retrieval(retrieved, relevant, k)
        print(f"retrieval\t{retrieved}\t{relevant}\tk={k}\t" + "\t".join(f"{v:.12g}" for v in values))
