"""What a model's evidence floors change: the same trees scored with and without them.

For each labelled file (by default the held-out sets the recipe writes to
``data/generated/``), every text is featurised once and scored twice, by the
model as it is and by the same model with its floors removed, at the model's
threshold. Prints ROC-AUC, the share of clean texts flagged and the share of
spun texts caught, per file and per kind of spun text, and how many texts a
floor lifted over the threshold; then the scores of the paragraphs in
``tests/test_shipped_model.py`` with and without the floors.

Usage::

    python scripts/build_default_model.py   # writes the held-out files
    python benchmarks/evidence_floors.py
    python benchmarks/evidence_floors.py my-test.jsonl --model models/my-model
    python benchmarks/evidence_floors.py --training-counts   # what each floor rests on
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import numpy as np

from detector.metrics import binary_metrics
from detector.model import Model, load_model
from detector.scoring import Scorer
from detector.train import featurize, load_labelled

REPOSITORY = Path(__file__).resolve().parent.parent
GENERATED = REPOSITORY / "data" / "generated"
DEFAULT_FILES = [
    GENERATED / f"heldout-{name}.jsonl" for name in ("reuters", "excerpt", "mt", "mt-document")
]


def _row(name: str, labels: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, object]:
    metrics = binary_metrics(labels, scores, threshold, n_bootstrap=0)
    return {
        "set": name,
        "n": len(labels),
        "roc_auc": metrics["roc_auc"],
        "clean_flagged": metrics["false_positive_rate"],
        "spun_caught": metrics["recall"],
    }


def _cells(before: dict[str, object], after: dict[str, object]) -> list[str]:
    def number(value: object) -> float:
        return float(value) if isinstance(value, int | float) else float("nan")

    return [
        f"{number(before['roc_auc']):12.4f}",
        f"{number(after['roc_auc']):9.4f}",
        f"{number(before['spun_caught']):15.3f}",
        f"{number(after['spun_caught']):12.3f}",
        f"{number(before['clean_flagged']):14.4f} / {number(after['clean_flagged']):.4f}",
    ]


def _test_paragraphs(model: Model, plain: Model) -> None:
    sys.path.insert(0, str(REPOSITORY))
    from tests.test_shipped_model import CERTAINLY_SPUN, LEGITIMATE

    print("\nparagraphs of tests/test_shipped_model.py    without   with")
    with_floors, without = Scorer.load(model), Scorer.load(plain)
    for group, texts in (("spun", CERTAINLY_SPUN), ("clean", LEGITIMATE)):
        for name, text in texts.items():
            before = without.score_text(text)["score"]
            after = with_floors.score_text(text)["score"]
            print(f"  {group:5} {name:36} {before:7.3f} {after:6.3f}")


def _training_counts(model: Model) -> None:
    """How often each floored feature fires in the recipe's rows, by split and label.

    A floor is counted on the training rows (:func:`detector.train.evidence_floors`);
    these counts show what it rests on, and whether the held-out rows agree.
    """
    sys.path.insert(0, str(REPOSITORY / "scripts"))
    import build_default_model as recipe

    data = recipe.training_set(recipe.parse_arguments([]))
    print("\nrows of the recipe in which each floored feature fires")
    print(f"  {'feature':36} {'train spun':>11} {'train clean':>12} {'test spun':>10} "
          f"{'test clean':>11}")  # fmt: skip
    splits = {"train": ~data.test, "test": data.test}
    for name in model.floors():
        fired = data.matrix[:, data.names.index(name)] > 0
        counts = [
            f"{int((fired & rows & (data.labels == label)).sum()):{width}d}"
            for rows in splits.values()
            for label, width in ((1, 11), (0, 12))
        ]
        print(f"  {name:36} " + " ".join(counts))
    totals = [
        f"{int((rows & (data.labels == label)).sum()):{width}d}"
        for rows in splits.values()
        for label, width in ((1, 11), (0, 12))
    ]
    print(f"  {'(rows in all)':36} " + " ".join(totals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--model", default=None, help="model path (default: the shipped model)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument(
        "--training-counts", action="store_true",
        help="also count the recipe's rows in which each floored feature fires "
        "(needs ../shared; reuses the recipe's caches)",
    )  # fmt: skip
    args = parser.parse_args()

    model = load_model(args.model)
    plain = dataclasses.replace(
        model, floor_features=np.zeros(0, dtype=np.int64), floor_probabilities=np.zeros(0)
    )
    print(f"model {model.card.get('name')}, threshold {model.threshold}")
    for name, floor in model.floors().items():
        print(f"  floor {floor:.4f}  {name}")
    rows = []
    for path in args.files:
        samples, problems = load_labelled([path])
        for problem in problems:
            print(f"skipped {problem}")
        labels = np.array([s.label for s in samples])
        kinds = np.array([s.kind for s in samples])
        matrix = featurize(
            [s.text for s in samples], model.resources, names=model.feature_names, jobs=args.jobs
        )
        with_floors, without = model.probability(matrix), plain.probability(matrix)
        lifted_rows = (with_floors >= model.threshold) & (without < model.threshold)
        lifted, lifted_clean = int(lifted_rows.sum()), int((lifted_rows & (labels == 0)).sum())
        print(f"\n{path.name}: {len(samples)} texts; floors lift {lifted} over the threshold "
              f"({lifted_clean} of them clean)")  # fmt: skip
        subsets = [("all", np.ones(len(labels), dtype=bool))]
        subsets += [
            (kind, (kinds == kind) | (labels == 0)) for kind in sorted(set(kinds[labels == 1]))
        ]
        print(f"  {'set':32} {'AUC without':>12} {'AUC with':>9} {'caught without':>15} "
              f"{'caught with':>12} {'clean flagged without / with':>29}")  # fmt: skip
        for subset, rows_in in subsets:
            before = _row(subset, labels[rows_in], without[rows_in], model.threshold)
            after = _row(subset, labels[rows_in], with_floors[rows_in], model.threshold)
            rows.append({"file": path.name, "without": before, "with": after})
            print(f"  {subset:32} " + " ".join(_cells(before, after)))
    _test_paragraphs(model, plain)
    if args.training_counts:
        _training_counts(model)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
