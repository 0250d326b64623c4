"""What flagging a text when either head fires would cost: originals flagged, MT caught.

The combined rule measured: a text is flagged when the main model's score
reaches its threshold OR the machine-translation head's reaches its own.
On the WMT22 document set (``../shared/data/mt-documents-dev.jsonl``) the
head's probabilities are out of fold (grouped by ``doc_id``, the threshold
set on out-of-fold scores of the English originals, as
``scripts/attach_mt_head.py`` does); on the clean rows of the real-web set
(``../shared/data/real-web-dev.jsonl``) and the project's own negative set
(``data/negative/legitimate-odd.jsonl``), which the head never saw, the head
is the one fitted on all of WMT22. The main model is the shipped one, on the
text as given. The share flagged is printed per kind of text for each rule.

Usage::

    python benchmarks/mt_head_flags.py      # about 10 minutes on one core
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from detector.model import load_model
from detector.train import featurize
from detector.train_mt_head import fit_head

REPOSITORY = Path(__file__).resolve().parent.parent
SHARED = REPOSITORY.parent / "shared" / "data"
DOCUMENTS = SHARED / "mt-documents-dev.jsonl"
REAL_WEB = SHARED / "real-web-dev.jsonl"
NEGATIVE = REPOSITORY / "data" / "negative" / "legitimate-odd.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def main() -> None:
    started = time.perf_counter()
    model = load_model()
    documents = _rows(DOCUMENTS)
    texts = [row["text"] for row in documents]
    kinds = np.array([row["kind"] for row in documents])
    fitted = fit_head(
        texts, np.array([row["label"] for row in documents]),
        groups=np.array([row["doc_id"] for row in documents]), resources=model.resources,
        guarded=kinds == "english_original",
    )  # fmt: skip
    head = fitted.head
    main_scores = model.probability(featurize(texts, model.resources, names=model.feature_names))
    sets = [
        (f"WMT22 {kind}", main_scores[kinds == kind], fitted.out_of_fold[kinds == kind])
        for kind in ("english_original", "human_translation", "machine_translation")
    ]
    clean_web = [row["text"] for row in _rows(REAL_WEB) if int(row["label"]) == 0]
    negative = [row["text"] for row in _rows(NEGATIVE)]
    for name, chosen in (("real-web clean rows", clean_web), ("negative set", negative)):
        matrix = featurize(chosen, model.resources, names=model.feature_names)
        sets.append((name, model.probability(matrix), head.score(chosen, model.resources)))
    print(f"main threshold {model.threshold}, head threshold {head.threshold:.4f} "
          f"(out of fold; {time.perf_counter() - started:.0f} s)")  # fmt: skip
    print(f"{'texts':<32} {'n':>5} {'main':>7} {'head':>7} {'either':>7}")
    for name, main, machine in sets:
        flagged_main = main >= model.threshold
        flagged_head = machine >= head.threshold
        either = flagged_main | flagged_head
        print(f"{name:<32} {len(main):>5} {flagged_main.mean():>7.3f} "
              f"{flagged_head.mean():>7.3f} {either.mean():>7.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
