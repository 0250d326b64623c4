"""Fit the machine-translation head on labelled documents and attach it to a model.

The trees are not refitted: the model's file is read, the head is fitted on
the documents (MT against English originals and human translations), and a
new model is written under ``--out`` with the card's
``machine_translation_head`` section (training data and its hash, settings,
out-of-fold metrics, threshold, and, with ``--held-out``, the per-language
and per-engine ROC-AUC that ``benchmarks/mt_head.py --json`` wrote).

    python benchmarks/mt_head.py --quick --json data/generated/mt_head.json
    python scripts/attach_mt_head.py --model models/my-model \\
        --held-out data/generated/mt_head.json --out models/my-model-mt

The data is JSON lines with ``text``, ``label`` (1 = machine-translated),
``kind`` and ``doc_id`` (versions of one document share it and stay in one
fold), as ``../shared/data/mt-documents-dev.jsonl``. Rows whose ``kind`` is
``english_original`` are the negatives the threshold guards: at most 1% of
them are flagged out of fold. Fitting takes about a minute on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from detector.train_mt_head import attach_from_data

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPOSITORY.parent / "shared" / "data" / "mt-documents-dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="model to attach the head to")
    parser.add_argument("--out", type=Path, required=True, help="name of the new model")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled documents")
    parser.add_argument("--held-out", type=Path, help="benchmarks/mt_head.py --json output")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    arguments = parser.parse_args()
    if not arguments.data.exists():
        sys.exit(f"{arguments.data} is missing: pass --data with labelled documents")
    path = attach_from_data(
        arguments.model, arguments.data, arguments.out, held_out=arguments.held_out,
        overwrite=arguments.overwrite,
    )  # fmt: skip
    card = json.loads(path.with_suffix(".json").read_text())["machine_translation_head"]
    print(f"wrote {path}: threshold {card['threshold']:.4f}, out-of-fold {card['out_of_fold']}")


if __name__ == "__main__":
    main()
