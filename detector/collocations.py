"""Which adjacent word pairs everyday English uses: counts from a broad corpus.

A spinner swaps each word for a thesaurus entry without regard to its
neighbours, and a round trip renders a fixed phrase word by word. Either way
the copy is full of word pairs that are each common but never stand together
in English: ``Naughty Canine`` for Naughty Dog, ``taking part in Future``
for playing Destiny, ``foul begin`` for bad start. Wire news alone is a poor
judge of that in a gaming review or a health page, so these counts come from
a broad corpus of everyday English (encyclopedia, blogs, reviews, fiction,
consumer health) as well as news.

:class:`Collocations` keeps, for the most frequent words, their counts and
the counts of every adjacent pair of them the corpus holds, as plain
arrays: a pair key is ``left_id << 16 | right_id`` and lookups are one
``searchsorted`` for a whole batch. Words are lower-cased and curly
apostrophes straightened.

>>> table = Collocations.build(["The red dog ran.", "A red dog barked at the red dog."])
>>> ids = table.ids(["red", "dog", "cat"])
>>> table.pair_count(ids[:1], ids[1:2]).tolist(), int(ids[2])
([3], 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from detector.text import TOKEN_RE
from detector.word_tables import WordTable, index_arrays, word_count

#: Word ids are 16 bits (0 is "not in the table"), so a pair key fits 32.
WORD_BITS = 16
MAX_WORDS = (1 << WORD_BITS) - 1
#: Pairs seen fewer times than this are not stored. Every pair is: one seen
#: once is still a pair English can write ("value stocks", "best
#: touchdown" in 60 million words of everyday text), and with it a writer's
#: rarer pairs stop looking unseen. Tests that take a pair's absence as
#: evidence of a swap ask for more (``spinner.WRITTEN_COUNT``): a pair seen
#: once may be a typo, a list or a line break lost in extraction.
MIN_PAIR_COUNT = 1
#: Pair counts are stored clipped to this (uint16).
MAX_STORED_COUNT = (1 << 16) - 1
#: Word pairs whose counts :meth:`Collocations.pair_count_of` remembers, at
#: most (then it starts afresh): a text's spun phrases meet the same
#: neighbours again and again.
MAX_REMEMBERED_PAIRS = 20_000
# Texts counted between merges of the partial pair counts while building.
_MERGE_EVERY = 2000


def normalise(token: str) -> str:
    """The form a token is counted under: lower case, straight apostrophes.

    >>> normalise("Assassin’s")
    "assassin's"
    """
    return token.lower().replace("’", "'")


@dataclass
class Collocations:
    """Counts of the most frequent words and of the adjacent pairs they form."""

    #: word -> id (1-based; 0 means "not in the table")
    vocabulary: Mapping[str, int]
    #: count of each word id (index 0: 0)
    word_counts: np.ndarray
    #: sorted pair keys ``left << 16 | right`` (uint32) and their counts
    pair_keys: np.ndarray
    pair_counts: np.ndarray
    #: tokens counted in the corpus
    total: int
    # The words by id, built on first use (evidence notes).
    _words: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    # The counts :meth:`pair_count_of` gave lately (at most MAX_REMEMBERED_PAIRS).
    _pair_memo: dict[tuple[str, str], int] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        texts: Iterable[str],
        *,
        max_words: int = MAX_WORDS,
        min_pair_count: int = MIN_PAIR_COUNT,
    ) -> Collocations:
        """Count the words and adjacent word pairs of ``texts``, paragraph by paragraph.

        Pairs are counted within paragraphs (blank-line separated), where
        both tokens are words (:func:`~detector.text.is_word`); a pair
        across a punctuation mark is not a pair. Only the ``max_words``
        most frequent words get ids.
        """
        provisional: dict[str, int] = {}
        word_totals: list[int] = []
        merged_keys = np.zeros(0, dtype=np.int64)
        merged_counts = np.zeros(0, dtype=np.int64)
        pending: list[np.ndarray] = []
        total = 0

        def merge() -> None:
            nonlocal merged_keys, merged_counts, pending
            if not pending:
                return
            keys = np.concatenate([merged_keys, *pending])
            counts = np.concatenate(
                [merged_counts, np.ones(len(keys) - len(merged_keys), np.int64)]
            )
            merged_keys, merged_counts = _sum_by_key(keys, counts)
            pending = []

        for count, text in enumerate(texts, 1):
            for paragraph in text.split("\n\n"):
                tokens = TOKEN_RE.findall(paragraph)
                total += len(tokens)
                row: list[int] = []
                for token in tokens:
                    # is_word() for the tokens TOKEN_RE makes, without a regex
                    if token[0].isalpha() and "." not in token:
                        key = normalise(token)
                        word_id = provisional.get(key)
                        if word_id is None:
                            word_id = provisional[key] = len(word_totals)
                            word_totals.append(0)
                        word_totals[word_id] += 1
                        row.append(word_id)
                    else:
                        row.append(-1)
                ids = np.array(row, dtype=np.int64)
                if len(ids) > 1:
                    both = (ids[:-1] >= 0) & (ids[1:] >= 0)
                    pending.append((ids[:-1][both] << 32) | ids[1:][both])
            if count % _MERGE_EVERY == 0:
                merge()
        merge()

        totals = np.array(word_totals, dtype=np.int64)
        # most frequent first; ties in first-seen order, so a build repeats
        ranked = np.argsort(-totals, kind="stable")[:max_words]
        remap = np.zeros(len(totals) + 1, dtype=np.int64)  # provisional id + 1 -> final id
        remap[ranked + 1] = np.arange(1, len(ranked) + 1)
        words = list(provisional)
        vocabulary = {words[old]: new for new, old in enumerate(ranked.tolist(), 1)}
        word_counts = np.zeros(len(ranked) + 1, dtype=np.uint32)
        word_counts[1:] = np.minimum(totals[ranked], np.iinfo(np.uint32).max)

        left = remap[(merged_keys >> 32) + 1]
        right = remap[(merged_keys & 0xFFFFFFFF) + 1]
        keep = (left > 0) & (right > 0) & (merged_counts >= min_pair_count)
        keys = ((left[keep] << WORD_BITS) | right[keep]).astype(np.uint32)
        counts = np.minimum(merged_counts[keep], MAX_STORED_COUNT).astype(np.uint16)
        order = np.argsort(keys, kind="stable")
        return cls(vocabulary, word_counts, keys[order], counts[order], total)

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """Ids of (already normalised) words, 0 for words not in the table."""
        get = self.vocabulary.get
        return np.fromiter((get(word, 0) for word in words), dtype=np.int64, count=len(words))

    def count(self, word_ids: np.ndarray) -> np.ndarray:
        """Corpus count of each word id (0 for id 0)."""
        return self.word_counts[np.asarray(word_ids, dtype=np.int64)].astype(np.int64)

    def pair_count(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Corpus count of each pair ``(left[i], right[i])``; 0 if unseen or unknown.

        A pair seen fewer than :data:`MIN_PAIR_COUNT` times counts as 0.
        """
        left = np.asarray(left, dtype=np.int64)
        right = np.asarray(right, dtype=np.int64)
        counts = np.zeros(len(left), dtype=np.int64)
        known = (left > 0) & (right > 0)
        if not known.any() or len(self.pair_keys) == 0:
            return counts
        keys = ((left[known] << WORD_BITS) | right[known]).astype(np.uint32)
        where = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
        found = self.pair_keys[where] == keys
        counts[known] = np.where(found, self.pair_counts[where].astype(np.int64), 0)
        return counts

    def pair_count_of(self, left: str, right: str) -> int:
        """Corpus count of one pair of (normalised) words; the scalar :meth:`pair_count`.

        >>> Collocations.build(["red dog", "red dog"]).pair_count_of("red", "dog")
        2
        """
        memo = self._pair_memo
        found = memo.get((left, right))
        if found is None:
            if len(memo) >= MAX_REMEMBERED_PAIRS:
                memo.clear()
            found = memo[left, right] = self._search_pair(left, right)
        return found

    def _search_pair(self, left: str, right: str) -> int:
        """:meth:`pair_count_of`, searched in the sorted pair keys."""
        left_id, right_id = self.vocabulary.get(left, 0), self.vocabulary.get(right, 0)
        if not left_id or not right_id or len(self.pair_keys) == 0:
            return 0
        key = (left_id << WORD_BITS) | right_id
        where = int(np.searchsorted(self.pair_keys, np.uint32(key)))
        if where < len(self.pair_keys) and int(self.pair_keys[where]) == key:
            return int(self.pair_counts[where])
        return 0

    def word(self, word_id: int) -> str:
        """The word of an id ("" for 0)."""
        if isinstance(self.vocabulary, WordTable) and self.vocabulary.indexed:
            return self.vocabulary.word_with(word_id) or ""
        if self._words is None:
            words = [""] * (len(self.word_counts))
            for word, index in self.vocabulary.items():
                words[index] = word
            self._words = words
        return self._words[word_id] if 0 <= word_id < len(self._words) else ""

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Plain arrays for a model file (words as one UTF-8 byte array, by id)."""
        words = [""] * len(self.word_counts)
        for word, index in self.vocabulary.items():
            words[index] = word
        return {
            f"{prefix}words": np.frombuffer(
                "\n".join(words[1:]).encode("utf-8"), dtype=np.uint8
            ).copy(),
            f"{prefix}word_counts": self.word_counts.astype(np.uint32),
            f"{prefix}pair_keys": self.pair_keys.astype(np.uint32),
            f"{prefix}pair_counts": self.pair_counts.astype(np.uint16),
            f"{prefix}total": np.array([self.total], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> Collocations | None:
        """Rebuild a table written by :meth:`to_arrays`; None if the arrays lack one."""
        if f"{prefix}pair_keys" not in arrays:
            return None
        return cls(
            vocabulary=WordTable.of(arrays, f"{prefix}words", partial(_vocabulary, prefix=prefix)),
            word_counts=np.asarray(arrays[f"{prefix}word_counts"], dtype=np.uint32),
            pair_keys=np.asarray(arrays[f"{prefix}pair_keys"], dtype=np.uint32),
            pair_counts=np.asarray(arrays[f"{prefix}pair_counts"], dtype=np.uint16),
            total=int(arrays[f"{prefix}total"][0]),
        )

    @staticmethod
    def word_index(arrays: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
        """The sorted index of the table's words (see :mod:`detector.word_tables`).

        Empty if the arrays lack a table.
        """
        if f"{prefix}pair_keys" not in arrays:
            return {}
        words = arrays[f"{prefix}words"]
        return index_arrays(f"{prefix}words", words, np.arange(1, word_count(words) + 1))


def _vocabulary(arrays: Mapping[str, np.ndarray], prefix: str) -> dict[str, int]:
    """The word -> id dict of a table in a model's arrays."""
    data = np.asarray(arrays[f"{prefix}words"], dtype=np.uint8).tobytes().decode("utf-8")
    words = data.split("\n") if data else []
    return dict(zip(words, range(1, len(words) + 1), strict=True))


def _sum_by_key(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct keys and the summed counts of each.

    >>> [a.tolist() for a in _sum_by_key(np.array([5, 1, 5]), np.array([1, 2, 3]))]
    [[1, 5], [2, 4]]
    """
    if len(keys) == 0:
        return keys.astype(np.int64), counts.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return keys[starts], np.add.reduceat(counts, starts)
