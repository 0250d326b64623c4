"""How often a model flags clean Reuters articles that no part of its recipe used.

The recipe synthesises its training and held-out rows from Reuters documents
``[0, 3000)``, counts its language models on ``[20000, 36000)`` and sets its
threshold on ``[4000, 6000)``; documents ``[10000, 20000)`` it never reads.
This scores a sample of them,
whole and as one excerpt of 1 to 4 paragraphs each (as the recipe cuts its
excerpts), and reports the share flagged at the model's threshold and the
threshold that would flag 1% of them: a check of the held-out false-positive
rate on texts drawn afresh.

Usage::

    python benchmarks/fresh_originals.py
    python benchmarks/fresh_originals.py --model models/my-model --documents 2000 --json
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from _recipe import recipe  # benchmarks/, beside this script

from detector.model import load_model
from detector.scoring import Scorer
from detector.synth.documents import join_paragraphs

#: Lines of the corpus the recipe never reads (it sets its threshold on
#: lines 4000-6000, see ``CALIBRATION_LINES`` there).
UNUSED = (10000, 20000)


def summary(scores: np.ndarray, threshold: float) -> dict[str, float | int]:
    """Texts, the share flagged at ``threshold`` and the threshold flagging 1%."""
    return {
        "texts": len(scores),
        "flagged": round(float((scores >= threshold).mean()), 4),
        "flagged_count": int((scores >= threshold).sum()),
        "threshold_for_1_percent": round(float(np.quantile(scores, 0.99)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="model to score with (default: the shipped one)")
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--offset", type=int, default=10000, help="first document to read")
    parser.add_argument("--threshold", type=float, help="flag at this score (default: the model's)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    arguments = parser.parse_args()
    if not UNUSED[0] <= arguments.offset < UNUSED[1] - arguments.documents:
        parser.error(f"documents must lie within [{UNUSED[0]}, {UNUSED[1]})")
    build = recipe()
    chosen = build.fresh_documents(arguments.offset, UNUSED[1], arguments.documents)
    model = load_model(arguments.model)
    scorer = Scorer.load(model)
    threshold = model.threshold if arguments.threshold is None else arguments.threshold
    result: dict[str, object] = {"model": model.card.get("name"), "threshold": threshold}
    for kind, texts in (
        ("articles", [join_paragraphs(paragraphs) for _, paragraphs in chosen]),
        ("excerpts", [build.fresh_excerpt(p, document_id) for document_id, p in chosen]),
    ):
        rows = scorer.score_texts(texts)
        scores = np.array([row["score"] for row in rows if row.get("score") is not None])
        result[kind] = summary(scores, threshold)
    if arguments.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{result['model']} at threshold {threshold}")
    for kind in ("articles", "excerpts"):
        numbers = result[kind]
        assert isinstance(numbers, dict)
        print(
            f"  {kind:<9} {numbers['texts']:>5} texts, {numbers['flagged']:.1%} flagged "
            f"({numbers['flagged_count']}), 1% flagged at {numbers['threshold_for_1_percent']}"
        )


if __name__ == "__main__":
    main()
