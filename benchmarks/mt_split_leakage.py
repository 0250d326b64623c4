"""How much splitting the neural MT sentences one by one flatters the wording model.

WMT21 keeps each story's sentences in order, so a split by source sentence
puts a test sentence's neighbours (the same names, the same topic, the same
systems' habits) in training. The recipe splits by runs of
``MT_DOCUMENT_SENTENCES`` consecutive source sentences instead. This script
fits the translationese family's wording model (with training's own
function) twice, on the training half of each split, and
scores the sentences that both splits hold out, so that only the training
sentences differ: ROC-AUC of machine output against each kind of human
sentence.

Needs ``../shared`` and the recipe's cached language models
(``data/generated/resources-lm16000.npz``, written by
``python scripts/build_default_model.py``; built here otherwise).

Usage::

    python benchmarks/mt_split_leakage.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / "scripts"))

import build_default_model as recipe  # noqa: E402

from detector.train import (  # noqa: E402
    _fit_wording,
    in_test_split,
    kind_weights,
    load_labelled,
    pattern_matrix,
)

#: Reuters documents behind the language models: the recipe's default.
LANGUAGE_MODEL_DOCUMENTS = 16000
NEGATIVES = ("human-original", "human-translation", "human-roundtrip")


def main() -> None:
    from sklearn.metrics import roc_auc_score

    by_sentence, _ = load_labelled([recipe.MT_SENTENCES], group_from_id=recipe.MT_GROUP)
    by_run = recipe.mt_runs(by_sentence)
    resources = recipe.cached_resources(LANGUAGE_MODEL_DOCUMENTS)
    patterns = pattern_matrix([s.text for s in by_sentence], resources)
    labels = np.array([s.label for s in by_sentence])
    weights = kind_weights(by_sentence)
    kinds = np.array([s.kind.split(":")[0] for s in by_sentence])
    held = {
        "sentence": np.array([in_test_split(s.group, 0.5, "test") for s in by_sentence]),
        "run": np.array([in_test_split(s.group, 0.5, "test") for s in by_run]),
    }
    test = held["sentence"] & held["run"]
    tested = patterns[np.flatnonzero(test)]
    print(f"{test.sum()} sentences held out by both splits")
    print(f"{'split':<10} {'train':>6}  " + "  ".join(f"{n:>17}" for n in NEGATIVES))
    for split, held_out in held.items():
        fitted = _fit_wording(patterns, labels, weights, np.flatnonzero(~held_out))
        assert fitted is not None  # both labels are in every half
        scores = tested.wording_scores(*fitted)
        y, k = labels[test], kinds[test]
        aucs = [roc_auc_score(y[(y == 1) | (k == n)], scores[(y == 1) | (k == n)])
                for n in NEGATIVES]  # fmt: skip
        print(f"{split:<10} {(~held_out).sum():>6}  " + "  ".join(f"{a:>17.3f}" for a in aucs))


if __name__ == "__main__":
    main()
