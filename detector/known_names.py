"""Which capitalised names everyday English writes: counts of Title Case word runs.

A spinner swaps words inside names as readily as anywhere else, and a name
one synonym away from a famous one is near-certain evidence: ``Sport of
Thrones`` for Game of Thrones, ``Road Fighter`` for Street Fighter,
``Vatican Metropolis`` for Vatican City. To see that, the detector needs to
know which names exist. :class:`KnownNames` counts every span of two to
:data:`MAX_NAME_TOKENS` tokens inside a run of capitalised words (numbers
and a few joining words such as ``of``, ``the`` and ``:`` may stand inside
a run) in a broad corpus, and keeps the spans seen at least
:data:`MIN_STORED_COUNT` times as sorted 64-bit keys with their counts:
lookups are one ``searchsorted`` for many spans at once.

Spans are compared in normalised form (lower case, straight apostrophes,
tokens joined by one space), so ``Assassin’s Creed`` and ``assassin's
creed`` are one name.

>>> names = KnownNames.build(["We watched Game of Thrones.", "Game of Thrones is long."])
>>> names.count(["game of thrones", "sport of thrones"]).tolist()
[2, 0]
>>> [" ".join(tokens[i:j]) for tokens in [["Xbox", "Game", "Pass", "is"]]
...  for a, b in name_runs(tokens) for i, j in name_spans(tokens, a, b)]
['Xbox Game', 'Xbox Game Pass', 'Game Pass']
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from detector.collocations import normalise
from detector.text import TOKEN_RE

#: Longest span counted, in tokens (``Call of Duty : Modern`` is five).
MAX_NAME_TOKENS = 5
#: Spans seen fewer times than this are not stored: a span seen once is
#: mostly a headline or a list of names run together.
MIN_STORED_COUNT = 2
#: Lower-case words and marks that may stand inside a name (never at its
#: ends): ``Game of Thrones``, ``Dune: Part Two``, ``Marks & Spencer``.
JOINERS = frozenset({"of", "the", "and", "&", "de", "in", "on", "for", "a", "to", "at", ":"})
#: Capitalised words a run never starts with: ``The Home Office`` is the name ``Home Office``.
ARTICLES = frozenset({"the", "a", "an"})
# Texts counted between merges of the span counts while building.
_MERGE_EVERY = 5000


def name_key(span: str) -> int:
    """The 64-bit key of a normalised span (stable across runs and machines).

    >>> name_key("game of thrones") == name_key("game of thrones") != name_key("game of throne")
    True
    """
    digest = hashlib.blake2b(span.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def capitalised(token: str) -> bool:
    """A word that starts with a capital letter (``Thrones``, ``PS``, ``McLaren``)."""
    return token[:1].isupper()


def name_runs(tokens: Sequence[str], first: int = 0) -> list[tuple[int, int]]:
    """Runs ``[a, b)`` of name tokens: capitalised words, and numbers and joiners inside.

    Tokens before ``first`` never start or join a run (a sentence's first
    word is capitalised whatever it is). Joiners and articles are trimmed
    from a run's ends.

    >>> tokens = "Then Sony Interactive Entertainment of the US said".split()
    >>> [tokens[a:b] for a, b in name_runs(tokens, first=1)]
    [['Sony', 'Interactive', 'Entertainment', 'of', 'the', 'US']]
    """
    runs: list[tuple[int, int]] = []
    start = -1
    for index in range(first, len(tokens) + 1):
        token = tokens[index] if index < len(tokens) else ""
        inside = start >= 0 and (token[:1].isdigit() or token in JOINERS)
        if token and (capitalised(token) or inside):
            if start < 0:
                start = index
            continue
        if start >= 0:
            runs.append(_trimmed(tokens, start, index))
            start = -1
    return [(a, b) for a, b in runs if b - a >= 2]


def _trimmed(tokens: Sequence[str], start: int, end: int) -> tuple[int, int]:
    while start < end and tokens[start].lower() in ARTICLES:
        start += 1
    while end > start and tokens[end - 1] in JOINERS:
        end -= 1
    return start, end


def name_spans(tokens: Sequence[str], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The spans ``[i, j)`` of a run that may be a name.

    Two to :data:`MAX_NAME_TOKENS` tokens, starting and ending with a
    capitalised word or a number, holding at least two capitalised words
    (``Volume 4`` is a heading, ``Final Fantasy IV`` a name).
    """
    for i in range(start, end):
        if not (capitalised(tokens[i]) or tokens[i][:1].isdigit()):
            continue
        words = 0
        for j in range(i + 1, min(end, i + MAX_NAME_TOKENS) + 1):
            last = tokens[j - 1]
            words += capitalised(last)
            if j - i >= 2 and words >= 2 and (capitalised(last) or last[:1].isdigit()):
                yield i, j


def span_text(forms: Sequence[str], start: int, end: int) -> str:
    """The normalised text of a span, from the normalised tokens."""
    return " ".join(forms[start:end])


@dataclass
class KnownNames:
    """Counts of the name spans of a corpus (see module doc)."""

    #: sorted 64-bit keys of the spans (:func:`name_key`) and their counts
    keys: np.ndarray
    counts: np.ndarray

    @classmethod
    def build(cls, texts: Iterable[str], *, min_count: int = MIN_STORED_COUNT) -> KnownNames:
        """Count the name spans of ``texts``, paragraph by paragraph."""
        counted: Counter[str] = Counter()
        merged: dict[int, int] = {}
        for number, text in enumerate(texts, 1):
            for paragraph in text.split("\n\n"):
                tokens = TOKEN_RE.findall(paragraph)
                if len(tokens) < 2:
                    continue
                forms: list[str] | None = None
                for a, b in name_runs(tokens):
                    forms = forms or [normalise(token) for token in tokens]
                    counted.update(span_text(forms, i, j) for i, j in name_spans(tokens, a, b))
            if number % _MERGE_EVERY == 0:
                _merge(merged, counted)
        _merge(merged, counted)
        kept = sorted((key, count) for key, count in merged.items() if count >= min_count)
        keys = np.array([key for key, _ in kept], dtype=np.uint64)
        counts = np.array([min(count, 2**32 - 1) for _, count in kept], dtype=np.uint32)
        return cls(keys, counts)

    def __len__(self) -> int:
        return len(self.keys)

    def count(self, spans: Sequence[str]) -> np.ndarray:
        """How often each normalised span was seen (0 below the stored minimum)."""
        if not spans or not len(self.keys):
            return np.zeros(len(spans), dtype=np.int64)
        wanted = np.array([name_key(span) for span in spans], dtype=np.uint64)
        where = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        return np.where(self.keys[where] == wanted, self.counts[where], 0).astype(np.int64)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Plain arrays for a model file."""
        return {f"{prefix}keys": self.keys.astype(np.uint64),
                f"{prefix}counts": self.counts.astype(np.uint32)}  # fmt: skip

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> KnownNames | None:
        """Rebuild a table written by :meth:`to_arrays`; None if the arrays lack one."""
        if f"{prefix}keys" not in arrays:
            return None
        return cls(
            keys=np.asarray(arrays[f"{prefix}keys"], dtype=np.uint64),
            counts=np.asarray(arrays[f"{prefix}counts"], dtype=np.uint32),
        )


def _merge(merged: dict[int, int], counted: Counter[str]) -> None:
    """Move the span counts into the keyed counts (keeps memory to distinct spans)."""
    for span, count in counted.items():
        key = name_key(span)
        merged[key] = merged.get(key, 0) + count
    counted.clear()
