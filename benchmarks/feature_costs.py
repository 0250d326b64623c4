"""Where the scoring time of one document goes, stage by stage, on one core.

Scores N news documents (Reuters from ``../shared/corpus`` when it is there,
otherwise the synthetic news of ``batch_throughput.py``) in this process and
reports the mean CPU milliseconds (process time, so that other work on
the machine does not count) per document of each stage:

``tokenise``
    paragraphs, sentences and tokens (:class:`detector.text.Document`): the
    least any scorer that reads words pays;
``encode + n-gram counts``
    word ids and the language-model lookups, done for 32 documents at a time
    as the batch engine does (:func:`detector.resources.prefetch_gram_counts`);
one row per family
    its ``extract`` on the prepared documents, or for a family in the batch
    shape (``(batch)``) its ``transform`` on them, 32 at a time, without
    evidence, as the scorer runs it;
``evidence``
    every family's ``evidence`` of each document, after its ``transform``
    ran on the batch (:func:`detector.features.evidence_batch`), as the
    scorer builds it for the texts it shows;
``document score``
    :meth:`detector.scoring.Scorer.score_text` without paragraph scores
    (language check, all families, the model, evidence), from raw text;
``with paragraphs``
    the same with each paragraph scored too (the default).

Each stage runs on fresh documents, so no stage profits from another's
caches, except that the families run on documents already tokenised and
encoded, as they do inside the scorer. The budget column is what a stage
may cost for two cores to score 1,000 documents per second (2 ms per
document and core, all stages together).

Usage::

    python benchmarks/feature_costs.py --documents 2000 --json costs.json
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
CORPUS = REPOSITORY.parent / "shared" / "corpus" / "reuters-2006-2012.jsonl.gz"
#: Milliseconds per document and core for 1,000 documents/s on two cores.
BUDGET_MS = 2.0
#: Documents whose n-grams are looked up together, as in batch scoring.
PREFETCH = 32


def documents(count: int) -> tuple[str, list[str]]:
    """``count`` news texts and where they come from."""
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
            return "reuters", [json.loads(line)["text"] for line in itertools.islice(handle, count)]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from batch_throughput import _synthetic

    rng = random.Random(0)
    return "synthetic", [_synthetic(n, rng)["text"] for n in range(count)]


def _timed(function: Any) -> float:
    """CPU seconds (this process's) of ``function()``: on a shared machine the
    wall clock counts other processes' work too. The garbage collector is
    paused, as the scorer pauses it (:func:`detector.scoring.collector_paused`)."""
    from detector.scoring import collector_paused

    with collector_paused():
        started = time.process_time()
        function()
        return time.process_time() - started


def measure(texts: list[str]) -> dict[str, float]:
    """Seconds per stage over all ``texts``."""
    from detector.features import _NEEDS_RESOURCES, FAMILIES, evidence_batch
    from detector.resources import prefetch_gram_counts
    from detector.scoring import Scorer
    from detector.text import Document

    scorer = Scorer.load(paragraphs=False)
    resources = scorer.model.resources
    scorer.score_text(texts[0])  # warm: first-use tables, the memo of word ids

    def tokenised() -> list[Document]:
        docs = [Document.of(text) for text in texts]
        for doc in docs:
            doc.sentence_tokens  # noqa: B018 - computing the cached property is the point
            doc.words  # noqa: B018
        return docs

    seconds: dict[str, float] = {}
    seconds["tokenise"] = _timed(tokenised)
    docs = tokenised()

    def encoded() -> None:
        for start in range(0, len(docs), PREFETCH):
            prefetch_gram_counts(docs[start : start + PREFETCH], resources)

    seconds["encode + n-gram counts"] = _timed(encoded)
    for family in FAMILIES:
        needs = family.FAMILY in _NEEDS_RESOURCES
        transform = getattr(family, "transform", None)

        def run(family: Any = family, needs: bool = needs) -> None:
            for doc in docs:
                family.extract(doc, resources) if needs else family.extract(doc)

        def run_batch(transform: Any = transform) -> None:
            for start in range(0, len(docs), PREFETCH):
                transform(docs[start : start + PREFETCH], resources)

        if transform is None:
            seconds[f"family {family.FAMILY}"] = _timed(run)
        else:  # the batch shape: values for a batch, no evidence
            seconds[f"family {family.FAMILY} (batch)"] = _timed(run_batch)

    def evidence() -> None:
        fresh = tokenised()
        for start in range(0, len(fresh), PREFETCH):
            batch = fresh[start : start + PREFETCH]
            prefetch_gram_counts(batch, resources)
            for family in FAMILIES:
                family.transform(batch, resources)

        def build() -> None:
            for start in range(0, len(fresh), PREFETCH):
                batch = fresh[start : start + PREFETCH]
                evidence_batch(batch, resources, [True] * len(batch))

        spent.append(_timed(build))

    spent: list[float] = []
    evidence()
    seconds["evidence"] = spent[0]

    def score(chosen: Scorer) -> None:
        for start in range(0, len(texts), PREFETCH):
            batch = texts[start : start + PREFETCH]
            chosen.prepare(batch)
            for text in batch:
                chosen.score_text(text)

    seconds["document score"] = _timed(lambda: score(scorer))
    with_paragraphs = Scorer.load(paragraphs=True)
    seconds["with paragraphs"] = _timed(lambda: score(with_paragraphs))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    arguments = parser.parse_args()
    origin, texts = documents(arguments.documents)
    seconds = measure(texts)
    per_document = {stage: 1000 * value / len(texts) for stage, value in seconds.items()}
    size = sum(len(text.encode("utf-8")) for text in texts) / len(texts)
    print(f"{len(texts)} {origin} documents, {size / 1000:.1f} KB on average, one core")
    print(f"{'stage':<28} {'ms/doc':>8} {'x budget':>9}")
    for stage, value in per_document.items():
        print(f"{stage:<28} {value:8.2f} {value / BUDGET_MS:9.1f}")
    if arguments.json:
        result = {
            "documents": len(texts), "origin": origin, "mean_bytes": size,
            "budget_ms": BUDGET_MS, "ms_per_document": per_document,
        }  # fmt: skip
        arguments.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
