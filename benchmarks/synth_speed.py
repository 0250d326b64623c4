"""Words per second of each ``detector synth`` generator on real documents.

Usage::

    python benchmarks/synth_speed.py ../shared/corpus/reuters-2006-2012.jsonl.gz 100

Round trips go through Apertium as ``synthesize`` sends them (all documents
in one engine call per pivot); spins and damage run in this process. Each
line gives the generator, the words it read, the seconds it took and the
rate. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from collections.abc import Callable

from detector.readers import iter_records
from detector.synth.apertium import PIVOTS, Apertium
from detector.synth.damage import PROFILES, damage
from detector.synth.documents import join_paragraphs, split_paragraphs
from detector.synth.language import rejection_reason
from detector.synth.spinner import Spinner
from detector.synth.wordnet import load_wordnet


def load_documents(path: str, count: int) -> list[str]:
    """The first ``count`` usable documents of ``path``, paragraphs as ``synthesize`` cuts them."""
    records = (
        record
        for record in iter_records([path], title_field="title")
        if record.ok and rejection_reason(record.text) is None
    )
    return [
        join_paragraphs(split_paragraphs(record.text or ""))
        for record in itertools.islice(records, count)
    ]


def measure(name: str, words: int, run: Callable[[], object]) -> None:
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    print(f"{name:<20} {words:>9} words {seconds:>8.2f} s {words / seconds:>10,.0f} words/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", help="JSONL(.gz) of clean documents")
    parser.add_argument("n", type=int, nargs="?", default=100, help="documents to use")
    parser.add_argument(
        "--pivot", action="append", choices=sorted(PIVOTS), help="pivots to time (default: all)"
    )
    parser.add_argument("--no-apertium", action="store_true", help="skip the round trips")
    arguments = parser.parse_args()

    texts = load_documents(arguments.corpus, arguments.n)
    words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} documents, {words} words")

    if not arguments.no_apertium:
        engine = Apertium()
        pivots = arguments.pivot or list(PIVOTS)
        engine.check(pivots)
        for pivot in pivots:
            measure(f"roundtrip:{pivot}", words, lambda p=pivot: engine.round_trip(texts, p))

    started = time.perf_counter()
    spinner = Spinner(load_wordnet())
    print(f"{'(wordnet load)':<20} {'':>9}       {time.perf_counter() - started:>8.2f} s")
    for rate in (0.1, 0.3, 0.5):

        def spin_all(rate: float = rate) -> None:
            rng = random.Random(0)
            for text in texts:
                spinner.spin(text, rate, rng)

        measure(f"spin:{rate:g}", words, spin_all)

    for profile in PROFILES:

        def damage_all(profile: str = profile) -> None:
            rng = random.Random(0)
            for text in texts:
                damage(text, profile, rng)

        measure(f"damage:{profile}", words, damage_all)


if __name__ == "__main__":
    main()
