"""What reusing a model's resources gives a user who retrains on a few thousand rows.

A user with a couple of thousand labelled documents runs ``detector train``.
This script trains on such a sample twice, with the same rows, seed and
cross-validation:

- ``reused``: the corpus-derived resources (language models, name lists,
  synonym table) of an existing model, the shipped one by default, which is
  what ``detector train data.jsonl --out m`` now does;
- ``built``: resources built from the clean rows of 30% of the groups of the
  sample itself (kept out of the classifier's data), which is what it did
  before.

Both models are then scored on a held-out file whose groups are not in the
sample. Prints, for each: the language models' vocabulary and the texts they
came from, the rows the classifier learnt from, the training time, and the
held-out ROC-AUC (with a bootstrap interval), the share of clean texts
flagged and of spun texts caught at the model's own threshold.

Usage::

    python scripts/build_default_model.py   # writes data/generated/
    python benchmarks/retrain_resources.py
    python benchmarks/retrain_resources.py --rows 2000 --seed 1 --jobs 2
    python benchmarks/retrain_resources.py --held-out-rows 1000   # quicker

The sample is drawn from ``--data`` (default: the recipe's Reuters set) by
whole groups (a source document with all its versions), never from a group of
the held-out file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from detector.metrics import binary_metrics
from detector.model import Model, load_model
from detector.train import featurize, load_labelled, train

REPOSITORY = Path(__file__).resolve().parent.parent
GENERATED = REPOSITORY / "data" / "generated"


def _sample(data: Path, held_out: Path, rows: int, seed: int) -> list:
    """About ``rows`` labelled samples of ``data``, whole groups, none of ``held_out``'s."""
    held_groups = {
        json.loads(line).get("group") for line in held_out.open(encoding="utf-8") if line.strip()
    }
    samples, problems = load_labelled([data])
    if problems:
        print(f"{len(problems)} rows of {data} skipped", file=sys.stderr)
    by_group: dict[str, list] = {}
    for sample in samples:
        if sample.group not in held_groups:
            by_group.setdefault(sample.group, []).append(sample)
    groups = sorted(by_group)
    random.Random(seed).shuffle(groups)
    chosen: list = []
    for group in groups:
        if len(chosen) >= rows:
            break
        chosen.extend(by_group[group])
    return chosen


def _held_out_metrics(model: Model, held_out: Path, rows: int | None, jobs: int, seed: int) -> dict:
    samples, _ = load_labelled([held_out])
    if rows is not None and rows < len(samples):
        samples = random.Random(seed).sample(samples, rows)
    matrix = featurize([s.text for s in samples], model.resources, names=model.feature_names,
                       jobs=jobs)  # fmt: skip
    scores = model.probability(matrix)
    labels = np.array([s.label for s in samples])
    return binary_metrics(labels, scores, model.threshold, n_bootstrap=200, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=GENERATED / "reuters-3000-seed1.jsonl")
    parser.add_argument("--held-out", type=Path, default=GENERATED / "heldout-reuters.jsonl")
    parser.add_argument("--rows", type=int, default=2000, help="labelled rows to train on")
    parser.add_argument("--model", type=Path, default=None, help="model whose resources to reuse")
    parser.add_argument(
        "--held-out-rows", type=int, default=None, help="score a seeded sample of this many"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    samples = _sample(args.data, args.held_out, args.rows, args.seed)
    scored = f" ({args.held_out_rows} rows)" if args.held_out_rows else ""
    print(f"sample: {len(samples)} rows of {len({s.group for s in samples})} groups from "
          f"{args.data.name}; held out: {args.held_out.name}{scored}", flush=True)  # fmt: skip
    source = load_model(args.model)
    for mode in ("reused", "built"):
        started = time.monotonic()
        result, card = train(
            samples, resources_from=source if mode == "reused" else None, jobs=args.jobs,
            seed=args.seed, description=f"{mode} resources",
        )  # fmt: skip
        elapsed = time.monotonic() - started
        model = result.model
        model.card = card
        metrics = _held_out_metrics(model, args.held_out, args.held_out_rows, args.jobs, args.seed)
        low, high = metrics.get("roc_auc_ci95") or (float("nan"), float("nan"))
        resources = card["resources"]
        print(
            f"{mode}: vocabulary {resources['corpus_derived']['vocabulary']:,} words "
            f"({resources.get('from') or 'model ' + str(resources.get('model'))}), "
            f"classifier rows {card['training_data']['samples']:,}, {elapsed:.0f} s; "
            f"held out ROC-AUC {metrics['roc_auc']:.4f} ({low:.4f}-{high:.4f}), "
            f"threshold {model.threshold:.3f}: clean flagged "
            f"{metrics['false_positive_rate']:.3f}, spun caught {metrics['recall']:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
