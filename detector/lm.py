"""A compact n-gram language model held in plain numpy arrays.

The model stores, for every order ``k`` from 1 to ``n``, the sorted integer
keys of the k-grams it saw and their counts. A k-gram key packs the token ids
into one 64-bit integer (``bits`` bits per id), so a whole document is scored
with a handful of vectorised ``searchsorted`` calls and no Python loop over
n-grams. Scores use stupid backoff (Brants et al., 2007): not normalised
probabilities, but a well-behaved fluency measure that needs only counts, which
is all a plain-file model can carry without pickling code.

>>> model = NgramModel.fit([[1, 2, 3, 1, 2, 3], [1, 2, 4]], order=3, bits=4)
>>> model.surprisal(np.array([1, 2, 3])).round(2).tolist()
[1.58, 0.0, 0.58]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

#: Weight of each step down to a shorter context (Brants et al. use 0.4).
BACKOFF = 0.4
#: Tables of up to this many keys are searched in the order of the queries;
#: bigger ones with the queries sorted first (see :meth:`NgramModel.lookup`).
SMALL_TABLE = 100_000


def pack(ids: np.ndarray, order: int, bits: int) -> np.ndarray:
    """Keys of every ``order``-gram of ``ids`` (one per start position).

    >>> pack(np.array([1, 2, 3]), 2, 4).tolist()
    [18, 35]
    """
    ids = np.asarray(ids, dtype=np.int64)
    count = len(ids) - order + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    keys = np.zeros(count, dtype=np.int64)
    for offset in range(order):
        keys = (keys << bits) | ids[offset : offset + count]
    return keys


@dataclass
class NgramModel:
    """Counts of k-grams for k = 1..order, as sorted keys and counts."""

    order: int
    bits: int
    keys: list[np.ndarray]
    counts: list[np.ndarray]
    total: int

    @classmethod
    def fit(
        cls,
        sequences: Iterable[Sequence[int]],
        *,
        order: int = 3,
        bits: int = 16,
        min_count: int = 1,
    ) -> NgramModel:
        """Count the k-grams of id sequences; keep those seen ``min_count`` times.

        Unigrams and the contexts of kept n-grams are never pruned, so that
        the backoff denominators stay exact.
        """
        if order * bits > 63:
            raise ValueError(f"order {order} with {bits} bits per id does not fit 63 bits")
        counters: list[Counter[int]] = [Counter() for _ in range(order)]
        for sequence in sequences:
            ids = np.asarray(sequence, dtype=np.int64)
            for k in range(1, order + 1):
                counters[k - 1].update(pack(ids, k, bits).tolist())
        keys: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for k, counter in enumerate(counters, start=1):
            threshold = 1 if k <= 1 else min_count
            items = sorted((key, c) for key, c in counter.items() if c >= threshold)
            keys.append(np.array([key for key, _ in items], dtype=np.int64))
            counts.append(np.array([c for _, c in items], dtype=np.uint32))
        total = int(counts[0].sum()) if len(counts[0]) else 0
        return cls(order=order, bits=bits, keys=keys, counts=counts, total=total)

    def lookup(self, keys: np.ndarray, k: int) -> np.ndarray:
        """Counts of the given k-gram keys (0 for unseen ones)."""
        table = self.keys[k - 1]
        if len(table) == 0 or len(keys) == 0:
            return np.zeros(len(keys), dtype=np.float64)
        if len(table) <= SMALL_TABLE:  # it stays in the CPU cache whatever the order
            position = np.searchsorted(table, keys)
        else:
            # Searching sorted queries walks the table in order, which keeps it in
            # the CPU cache: three times faster than random order on big tables.
            order = np.argsort(keys)
            position = np.empty(len(keys), dtype=np.intp)
            position[order] = np.searchsorted(table, keys[order])
        position = np.minimum(position, len(table) - 1)
        found = table[position] == keys
        return np.where(found, self.counts[k - 1][position], 0).astype(np.float64)

    def gram_counts(self, ids: np.ndarray) -> list[np.ndarray]:
        """Counts of every k-gram of ``ids``, for k = 1..order (index k - 1).

        Element ``j`` of the k-th array counts the k-gram starting at ``j``.
        Computing them once serves :meth:`surprisal` and :meth:`seen` alike:
        a k-gram's context is the (k-1)-gram at the same start, so each order
        is looked up once.

        >>> model = NgramModel.fit([[1, 2, 3]], order=2, bits=4)
        >>> [c.tolist() for c in model.gram_counts(np.array([1, 2, 2]))]
        [[1.0, 1.0, 1.0], [1.0, 0.0]]
        """
        ids = np.asarray(ids, dtype=np.int64)
        counts = []
        for k in range(1, self.order + 1):
            if len(ids) < k:
                break
            counts.append(self.lookup(pack(ids, k, self.bits), k))
        return counts

    def surprisal(self, ids: np.ndarray, counts: list[np.ndarray] | None = None) -> np.ndarray:
        """Stupid-backoff surprisal in bits of each token given its context.

        The first tokens use as much context as they have. Unseen unigrams get
        the probability of a single count, so the value stays finite.
        ``counts``, from :meth:`gram_counts` of the same ids, saves the lookups.
        """
        ids = np.asarray(ids, dtype=np.int64)
        n = len(ids)
        if n == 0:
            return np.zeros(0)
        if counts is None:
            counts = self.gram_counts(ids)
        score = np.maximum(counts[0], 0.5) / max(self.total, 1)
        for k in range(2, len(counts) + 1):
            grams = counts[k - 1]
            contexts = counts[k - 2][:-1]
            higher = np.divide(grams, contexts, out=np.zeros_like(grams), where=contexts > 0)
            tail = score[k - 1 :]
            score[k - 1 :] = np.where(grams > 0, higher, BACKOFF * tail)
        return 0.0 - np.log2(score)  # not -log2: keeps 0.0 positive

    def surprisal_batch(self, counts: Sequence[np.ndarray], local: np.ndarray) -> np.ndarray:
        """:meth:`surprisal` of many sequences laid end to end, in one pass.

        ``counts[k - 1][j]`` counts the k-gram *starting* at position ``j``
        (any value where it would run past its sequence's end) and
        ``local[j]`` is ``j``'s index inside its own sequence. Element by
        element the same arithmetic as :meth:`surprisal` on each sequence, so
        the same numbers.

        >>> model = NgramModel.fit([[1, 2, 3, 1, 2, 3], [1, 2, 4]], order=3, bits=4)
        >>> a, b = np.array([1, 2, 3]), np.array([2, 4])
        >>> padded = [np.concatenate([np.pad(c, (0, len(a) - len(c))),
        ...                           np.pad(d, (0, len(b) - len(d)))])
        ...           for c, d in zip(model.gram_counts(a), model.gram_counts(b))]
        >>> batch = model.surprisal_batch(padded, np.array([0, 1, 2, 0, 1]))
        >>> batch.tolist() == [*model.surprisal(a).tolist(), *model.surprisal(b).tolist()]
        True
        """
        size = len(local)
        if size == 0:
            return np.zeros(0)
        score = np.maximum(counts[0], 0.5) / max(self.total, 1)
        for k in range(2, min(len(counts), self.order, size) + 1):
            # the k-gram ending at j starts at j - k + 1; its context, the
            # (k-1)-gram at the same start, is counts[k - 2] there too
            grams = np.zeros(size)
            contexts = np.zeros(size)
            grams[k - 1 :] = counts[k - 1][: size - k + 1]
            contexts[k - 1 :] = counts[k - 2][: size - k + 1]
            higher = np.divide(grams, contexts, out=np.zeros_like(grams), where=contexts > 0)
            backed = np.where(grams > 0, higher, BACKOFF * score)
            score = np.where(local >= k - 1, backed, score)
        return 0.0 - np.log2(score)

    def surprisal_unigram(
        self, ids: np.ndarray, counts: list[np.ndarray] | None = None
    ) -> np.ndarray:
        """Surprisal in bits of each token without context (its frequency alone).

        ``counts``, from :meth:`gram_counts` of the same ids, saves the lookup.
        """
        unigrams = counts[0] if counts else self.lookup(np.asarray(ids, dtype=np.int64), 1)
        return 0.0 - np.log2(np.maximum(unigrams, 0.5) / max(self.total, 1))

    def seen(self, ids: np.ndarray, k: int) -> np.ndarray:
        """Whether each k-gram of ``ids`` was seen in training (bool array)."""
        return self.lookup(pack(np.asarray(ids, dtype=np.int64), k, self.bits), k) > 0

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Plain arrays for ``numpy.savez`` (see :meth:`from_arrays`)."""
        arrays = {f"{prefix}meta": np.array([self.order, self.bits, self.total], dtype=np.int64)}
        for k in range(self.order):
            arrays[f"{prefix}keys{k + 1}"] = self.keys[k]
            arrays[f"{prefix}counts{k + 1}"] = self.counts[k]
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], prefix: str) -> NgramModel:
        """Rebuild a model written by :meth:`to_arrays`."""
        order, bits, total = (int(v) for v in arrays[f"{prefix}meta"])
        keys = [np.asarray(arrays[f"{prefix}keys{k + 1}"]) for k in range(order)]
        counts = [np.asarray(arrays[f"{prefix}counts{k + 1}"]) for k in range(order)]
        return cls(order=order, bits=bits, keys=keys, counts=counts, total=total)
