"""How far the held-out numbers move when only the training seed changes.

The recipe's training is not deterministic in what it is given: the seed
picks the cross-validation folds (and with them the stacked out-of-fold
columns and the calibration) and the trees' early-stopping split. A change
to the features moves every tree, so part of any difference between two
builds is this noise. This script fits the recipe's classifier on the same
training rows and features once per seed and prints the card's held-out
ROC-AUCs for each, with their spread: a difference between two models
smaller than that spread says little either way.

Needs ``../shared``; reuses (or writes) the recipe's cached data, language
models and features in ``data/generated/``.

Usage::

    python benchmarks/training_noise.py                  # seeds 1, 2, 3
    python benchmarks/training_noise.py --seeds 1 2 3 4 5
    python benchmarks/training_noise.py --without 'lexicon.glued_word_rate'
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / "scripts"))

import build_default_model as recipe  # noqa: E402

from detector.train import fit_stacked  # noqa: E402

#: The card's held-out ROC-AUCs that the table shows.
COLUMNS = {
    "reuters_all_generators": "Reuters",
    "reuters_excerpts": "excerpts",
    "mt_documents_vs_human_translation": "MT docs",
    "mt_vs_original": "MT/orig",
    "mt_vs_human_translation": "MT/HT",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    recipe.add_data_arguments(parser)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    data = recipe.training_set(args)
    train = ~data.test

    results: dict[int, dict[str, float]] = {}
    for seed in args.seeds:
        started = time.time()
        fit, scores = fit_stacked(
            data.samples, data.matrix, data.patterns, data.resources, train,
            names=data.names, seed=seed,
        )  # fmt: skip
        held_out = recipe.held_out_metrics(data, fit.model, scores)
        results[seed] = {name: held_out[name]["roc_auc"] for name in COLUMNS}
        results[seed]["threshold"] = fit.model.threshold
        recipe.log(f"seed {seed} in {time.time() - started:.0f} s")

    header = ["seed", *COLUMNS.values(), "threshold"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for seed, row in results.items():
        print(f"| {seed} | " + " | ".join(f"{value:.4f}" for value in row.values()) + " |")
    for label, reduce in (("mean", np.mean), ("spread (max - min)", np.ptp)):
        values = [reduce([row[key] for row in results.values()]) for key in results[args.seeds[0]]]
        print(f"| {label} | " + " | ".join(f"{value:.4f}" for value in values) + " |")
    if args.json:
        args.json.write_text(json.dumps({"seeds": results, "without": args.without}, indent=1))


if __name__ == "__main__":
    main()
