"""How often a spinner's swaps make a cluster (``spinner.swap_cluster``, ``swap_pair``), by kind.

A cluster is three or more distinct known swaps at one per
:data:`~detector.features.spinner.CLUSTER_WORDS` words or closer, or a pair
with a swap inside a name or never written by people
(:func:`~detector.features.spinner.sure_cluster`); a pair, two or more at
one per :data:`~detector.features.spinner.PAIR_WORDS`. The real
spun pages are counted with the swap table each domain fold of the recipe
learns without them (their own swaps never count for them, nor do the
thesaurus entries their pages taught: :mod:`detector.thesaurus`, learnt
from the fold's pages and the recipe's clean Reuters originals); every other
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
    python benchmarks/swap_clusters.py --names data/generated/known-names.npz

The last column counts the texts with a swap inside a name that the corpus
of everyday English knows (``Sport of Thrones``; the model's known names, or
those of ``--names``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from _recipe import recipe  # benchmarks/, beside this script

from detector.features.spinner import (
    PAIR_SIZE,
    PAIR_WORDS,
    find_swaps,
    sure_cluster,
    swap_cluster,
)
from detector.known_names import KnownNames
from detector.model import load_model
from detector.swaps import SwapTable
from detector.text import Document
from detector.train import unpaired_candidates, unpaired_entries

REPOSITORY = Path(__file__).resolve().parent.parent
SHARED = REPOSITORY.parent / "shared" / "data"
HELD_OUT = REPOSITORY / "data" / "generated" / "heldout-reuters.jsonl"
NEGATIVE = REPOSITORY / "data" / "negative" / "legitimate-odd.jsonl"


def clustered(
    text: str, table: SwapTable, pairs: object, names: KnownNames | None
) -> tuple[bool, bool, bool]:
    """Whether ``text``'s swaps make a cluster, a pair, and whether one mangles a known name."""
    doc = Document.of(text)
    swaps = find_swaps(doc, table, pairs, names)  # type: ignore[arg-type]
    pair = swap_cluster(swaps, doc.n_words, PAIR_SIZE, PAIR_WORDS) > 0
    return sure_cluster(swaps, doc.n_words) > 0, pair, any(swap.name for swap in swaps)


def rows(path: Path) -> Iterable[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="model whose word pairs and swap table to use")
    parser.add_argument(
        "--names", type=Path,
        help="known-name counts (.npz, as the recipe caches them) instead of the model's",
    )  # fmt: skip
    arguments = parser.parse_args()
    model = load_model(arguments.model)
    pairs, table = model.resources.collocations, model.resources.swap_table
    if pairs is None or table is None:
        sys.exit("the model has no word-pair counts or no swap table")
    names = model.resources.known_names
    if arguments.names is not None:
        with np.load(arguments.names) as arrays:
            names = KnownNames.from_arrays(dict(arrays), "")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def count(kind: str, hits: tuple[bool, bool, bool]) -> None:
        for index, hit in enumerate(hits):
            counts[kind][index] += int(hit)
        counts[kind][3] += 1

    build = recipe()
    samples, swaps = build.web_samples()
    reuters, _ = build.load_labelled([build.synthesize(3000, 1, 2)])
    found = unpaired_candidates(samples, model.resources)
    clean = list(unpaired_candidates(build.clean_originals(reuters), model.resources).values())
    folds = [build.web_fold(sample.group) for sample in samples]
    for fold in sorted(set(folds)):
        outside = [s.id for s, f in zip(samples, folds, strict=True) if f != fold]
        thesaurus = unpaired_entries(samples, found, outside, clean=clean)
        fold_table = build.swap_table(swaps, outside, thesaurus)
        for sample, sample_fold in zip(samples, folds, strict=True):
            if sample_fold == fold:
                count(f"real web, {sample.kind.removeprefix('web:')}",
                      clustered(sample.text, fold_table, pairs, names))  # fmt: skip
    if (SHARED / "mt-documents-dev.jsonl").exists():
        for row in rows(SHARED / "mt-documents-dev.jsonl"):
            count(f"WMT22, {row['kind']}", clustered(str(row["text"]), table, pairs, names))
    if HELD_OUT.exists():
        for row in rows(HELD_OUT):
            kind = "original" if row["label"] == 0 else "spun copies"
            count(f"held-out Reuters, {kind}", clustered(str(row["text"]), table, pairs, names))
    for row in rows(NEGATIVE):
        count("negative set", clustered(str(row["text"]), table, pairs, names))
    print(f"{'texts':<40} {'n':>6} {'with a cluster':>15} {'with a pair':>15} "
          f"{'with a name swap':>17}")  # fmt: skip
    for kind, (hits, pairs_hit, named, total) in counts.items():
        print(
            f"{kind:<40} {total:>6} {hits:>6} ({hits / total:6.1%})"
            f" {pairs_hit:>6} ({pairs_hit / total:6.1%}) {named:>8} ({named / total:6.1%})"
        )


if __name__ == "__main__":
    main()
