"""A small corpus of good and hostile records, written for the hostile-input tests."""

from __future__ import annotations

import json
from pathlib import Path

from tests.examples import (
    CLEAN_WIRE_STORY,
    LOWERCASED_NAMES,
    MT_TICKER_DAMAGE,
    NEGATIVE_EXAMPLES,
    SPUN_NEWS,
    TORTURED_ABSTRACT,
)

GERMAN = (
    "Der Vorstand hat am Montag beschlossen, die Dividende zu erhöhen. Die Aktionäre waren "
    "zufrieden, und der Kurs stieg um drei Prozent, wie Händler in Frankfurt sagten."
)

TEXTS = (
    CLEAN_WIRE_STORY,
    SPUN_NEWS,
    MT_TICKER_DAMAGE,
    LOWERCASED_NAMES,
    TORTURED_ABSTRACT,
    *NEGATIVE_EXAMPLES.values(),
    GERMAN,
    SPUN_NEWS.translate(str.maketrans("aeop", "аеор")),
    CLEAN_WIRE_STORY.replace(" ", " \u200b"),
    "",
)


def write_corpus(path: Path, count: int) -> Path:
    """``count`` records cycling through the texts, a damaged line every 25th."""
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            if number % 25 == 24:
                handle.write("{damaged line\n")
                continue
            text = TEXTS[number % len(TEXTS)]
            handle.write(json.dumps({"id": f"doc-{number}", "text": f"{text} ({number})"}) + "\n")
    return path
