"""Partly changed documents: some paragraphs through a generator, the rest clean.

Content farms often paste a spun or round-tripped passage into otherwise
clean text (or quote a clean lead above a machine-made body). Per-paragraph
scoring needs examples of exactly that, with the label of every paragraph.

A paragraph's label is 1 only when the generator actually changed it: a
paragraph the generator passed through unchanged (a short name line, a
table) stays 0, so labels never claim damage that is not there.

>>> rng = random.Random(0)
>>> chosen = choose_paragraphs(4, rng)
>>> 1 <= len(chosen) <= 3, all(0 <= i < 4 for i in chosen)
(True, True)
>>> assemble(["A.", "B.", "C."], {1: "Bee.", 2: "C."})
('A.\\n\\nBee.\\n\\nC.', [0, 1, 0])
"""

from __future__ import annotations

import random

from detector.synth.documents import join_paragraphs

#: Share of a document's paragraphs that a partial document changes, at most.
MAX_SHARE = 0.6


def choose_paragraphs(
    n_paragraphs: int, rng: random.Random, max_share: float = MAX_SHARE
) -> list[int]:
    """Indices of the paragraphs to change: at least one, never all; sorted.

    A document with fewer than two paragraphs cannot be partly changed: the
    result is then empty.

    >>> choose_paragraphs(1, random.Random(0))
    []
    """
    if n_paragraphs < 2:
        return []
    most = max(1, min(n_paragraphs - 1, int(n_paragraphs * max_share)))
    count = rng.randint(1, most)
    # Half the time one contiguous run (a pasted passage), else scattered.
    if rng.random() < 0.5:
        first = rng.randrange(n_paragraphs - count + 1)
        return list(range(first, first + count))
    return sorted(rng.sample(range(n_paragraphs), count))


def assemble(paragraphs: list[str], changed: dict[int, str]) -> tuple[str, list[int]]:
    """Text with ``changed`` paragraphs swapped in, and the 0/1 label of each paragraph.

    A changed paragraph that came back with paragraph breaks inside is joined
    into one, so that labels stay aligned with the paragraphs of the text.
    """
    result = []
    labels = []
    for index, paragraph in enumerate(paragraphs):
        new = changed.get(index, paragraph)
        new = " ".join(new.split())
        result.append(new)
        labels.append(int(new != paragraph))
    return join_paragraphs(result), labels
