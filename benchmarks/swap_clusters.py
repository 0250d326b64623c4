"""How often a spinner's swaps make a cluster (``spinner.swap_cluster``, ``swap_pair``), by kind.

A cluster is three or more distinct known swaps at one per
:data:`~detector.features.spinner.CLUSTER_WORDS` words or closer, or a pair
with a swap inside a name or never written by people
(:func:`~detector.features.spinner.sure_cluster`); a pair, two or more at
one per :data:`~detector.features.spinner.PAIR_WORDS`. The real
spun pages are counted with the swap table each domain fold of the recipe
learns without them (their own swaps never count for them); every other
text with the shipped model's table, which saw none of it:

- the real-web dev set (``../shared/data/real-web-dev.jsonl``) by kind;
- the WMT22 documents (``../shared/data/mt-documents-dev.jsonl``): English
  originals, human translations and machine translations;
- the recipe's held-out Reuters originals and their spun copies
  (``data/generated/heldout-reuters.jsonl``, written by the recipe);
- ``data/negative/``, texts that are odd but legitimate.

Usage::

    python benchmarks/swap_clusters.py
    python benchmarks/swap_clusters.py --model models/my-model
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from _recipe import recipe  # benchmarks/, beside this script

from detector.features.spinner import (
    PAIR_SIZE,
    PAIR_WORDS,
    find_swaps,
    sure_cluster,
    swap_cluster,
)
from detector.model import load_model
from detector.swaps import SwapTable
from detector.text import Document

REPOSITORY = Path(__file__).resolve().parent.parent
SHARED = REPOSITORY.parent / "shared" / "data"
HELD_OUT = REPOSITORY / "data" / "generated" / "heldout-reuters.jsonl"
NEGATIVE = REPOSITORY / "data" / "negative" / "legitimate-odd.jsonl"


def clustered(text: str, table: SwapTable, pairs: object) -> tuple[bool, bool]:
    """Whether ``text``'s swaps make a cluster, and a pair."""
    doc = Document.of(text)
    swaps = find_swaps(doc, table, pairs)  # type: ignore[arg-type]
    pair = swap_cluster(swaps, doc.n_words, PAIR_SIZE, PAIR_WORDS) > 0
    return sure_cluster(swaps, doc.n_words) > 0, pair


def rows(path: Path) -> Iterable[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="model whose word pairs and swap table to use")
    arguments = parser.parse_args()
    model = load_model(arguments.model)
    pairs, table = model.resources.collocations, model.resources.swap_table
    if pairs is None or table is None:
        sys.exit("the model has no word-pair counts or no swap table")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    def count(kind: str, hits: tuple[bool, bool]) -> None:
        counts[kind][0] += int(hits[0])
        counts[kind][1] += int(hits[1])
        counts[kind][2] += 1

    build = recipe()
    samples, swaps = build.web_samples()  # type: ignore[attr-defined]
    folds = [build.web_fold(sample.group) for sample in samples]  # type: ignore[attr-defined]
    for fold in sorted(set(folds)):
        outside = [s.id for s, f in zip(samples, folds, strict=True) if f != fold]
        fold_table = build.swap_table(swaps, outside)  # type: ignore[attr-defined]
        for sample, sample_fold in zip(samples, folds, strict=True):
            if sample_fold == fold:
                count(f"real web, {sample.kind.removeprefix('web:')}",
                      clustered(sample.text, fold_table, pairs))  # fmt: skip
    if (SHARED / "mt-documents-dev.jsonl").exists():
        for row in rows(SHARED / "mt-documents-dev.jsonl"):
            count(f"WMT22, {row['kind']}", clustered(str(row["text"]), table, pairs))
    if HELD_OUT.exists():
        for row in rows(HELD_OUT):
            kind = "original" if row["label"] == 0 else "spun copies"
            count(f"held-out Reuters, {kind}", clustered(str(row["text"]), table, pairs))
    for row in rows(NEGATIVE):
        count("negative set", clustered(str(row["text"]), table, pairs))
    print(f"{'texts':<40} {'n':>6} {'with a cluster':>15} {'with a pair':>15}")
    for kind, (hits, pairs_hit, total) in counts.items():
        print(
            f"{kind:<40} {total:>6} {hits:>6} ({hits / total:6.1%})"
            f" {pairs_hit:>6} ({pairs_hit / total:6.1%})"
        )


if __name__ == "__main__":
    main()
