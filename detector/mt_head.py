"""The machine-translation head: a linear model of a document's style, scored with numpy.

Fluent neural MT into English carries few slips for the artifact families
to find; the trees of the main model, fitted mostly on round trips and
spins, score it near chance. What does set it apart is a whole document's
style: the order of its function words, punctuation and word shapes (the
n-grams of :func:`~detector.features.document_style.word_classes`), which
of the commonest English words it picks (the n-grams of
:func:`~detector.features.document_style.lexical_classes`: "there is", "a
lot of", where a writer varies the word), and, optionally, named values
such as the measures of
:mod:`detector.features.document_style` or the translationese scores. The
head is a logistic regression over both, with Platt scaling on top:
``q = 1 / (1 + exp(-(a * z + b)))`` where ``z = intercept + coef . (x -
mean) / scale + ngram_coef . v``, ``x`` the named values and ``v`` the
document's class n-grams weighted as scikit-learn's ``TfidfTransformer``
with ``sublinear_tf`` does (``1 + log(count)`` times the idf, L2-normalised
over the n-grams the head knows), plus the same term of its lexical
n-grams, normalised apart. It answers a question of its own ("was
this machine-translated?") beside the main model's score.

It lives in the model file as plain arrays under keys prefixed
:data:`PREFIX` (fitted by :mod:`detector.train_mt_head`, attached to a
model by :func:`detector.train_mt_head.attach_head`); a model without those
keys has no head and scores exactly as before.

>>> head = MachineTranslationHead(
...     feature_names=("document_style.comma_rate",), mean=np.array([5.0]),
...     scale=np.array([2.0]), coef=np.array([1.5]), intercept=-0.5,
...     calibration=(1.0, 0.0), threshold=0.5)
>>> head.decision(np.array([[5.0], [9.0]])).tolist()
[-0.5, 2.5]
>>> MachineTranslationHead.from_arrays(head.to_arrays()).coef.tolist()
[1.5]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import repeat
from types import ModuleType
from typing import Any

import numpy as np

from detector.features import FAMILIES, document_style
from detector.features.base import Evidence, evidence_at
from detector.features.document_style import (
    class_sequences,
    kept_class_sequences,
    lexical_classes,
    lexicon_set,
    normalise_typography,
    word_class_spans,
    word_classes,
)
from detector.text import Document

#: Prefix of the head's arrays in a model file.
PREFIX = "mt_head."
#: Key of the head's section in the model card.
CARD_KEY = "machine_translation_head"
#: Longest class n-gram a head reads, unless it says otherwise.
NGRAM_ORDER = 3
#: Longest lexical n-gram a head reads, unless it says otherwise.
LEXICAL_ORDER = 2
#: Family and name of the head's evidence items.
EVIDENCE_FAMILY = "machine_translation"
#: Sentences given as the head's evidence, at most.
MAX_EVIDENCE = 3
#: The families whose values the head may read: document style, and every
#: main family in the batch shape (their ``transform`` runs on the
#: typography-normalised text).
HEAD_FAMILIES: dict[str, ModuleType] = {
    family.FAMILY: family
    for family in (document_style, *FAMILIES)
    if getattr(family, "transform", None) is not None
}


class HeadError(ValueError):
    """A head that cannot be used: arrays that do not fit together."""


class NgramIndex:
    """Where a head's n-grams (tokens joined by a space) occur in token sequences.

    Each token of the known n-grams gets an id, and each n-gram an integer
    key: ``c1 * V^(k-1) + ... + ck`` for tokens with ids ``c1 .. ck`` (``V``
    the number of ids plus one, so every id is a digit); a token no known
    n-gram holds has id 0, and no n-gram with it is known. When the keys
    would not fit in 63 bits, n-grams are looked up by their text instead.
    """

    def __init__(self, ngrams: Sequence[str], order: int) -> None:
        self.ngrams = tuple(ngrams)
        self.order = order
        flat = " ".join(self.ngrams).split(" ")  # the n-grams' tokens, end to end
        self.token_ids = {name: position for position, name in enumerate(sorted(set(flat)), 1)}
        base = len(self.token_ids) + 1
        self.keys: np.ndarray | None = None
        self.key_columns = np.zeros(0, dtype=np.int64)
        if not self.ngrams or base**order >= 1 << 63:
            return
        # each n-gram's key, its token ids as the digits of a number in base V
        ids = np.array(list(map(self.token_ids.__getitem__, flat)), dtype=np.int64)
        sizes = np.array(list(map(str.count, self.ngrams, repeat(" "))), dtype=np.int64) + 1
        starts = np.cumsum(sizes) - sizes
        place = np.repeat(starts + sizes - 1, sizes) - np.arange(len(ids))
        keys = np.add.reduceat(ids * np.power(np.int64(base), place), starts)
        ordered = np.argsort(keys, kind="stable")
        self.keys, self.key_columns = keys[ordered], ordered

    @cached_property
    def index(self) -> dict[str, int]:
        """Each n-gram's column, by its text."""
        return {gram: column for column, gram in enumerate(self.ngrams)}

    def columns(self, sequences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Every occurrence of a known n-gram in ``sequences``: its document and its column.

        The same occurrences as looking up each n-gram of :func:`_ngrams` by
        its text, found with array arithmetic over the whole batch: the
        documents' token ids laid end to end with an id 0 between them (no
        n-gram spans two documents), each n-gram size's keys in one pass,
        looked up in the sorted keys with one ``searchsorted``.
        """
        owners, columns, _ = self._occurrences(sequences)
        return owners, columns

    def _occurrences(
        self, sequences: Sequence[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`columns`, and each occurrence's first token within its document."""
        if self.keys is None:
            return self._by_text(sequences)
        flat: list[str] = []
        for tokens in sequences:
            flat.extend(tokens)
            flat.append("")  # id 0 between documents
        ids = np.array(list(map(self.token_ids.get, flat, repeat(0))), dtype=np.int64)
        sizes = np.array([len(tokens) + 1 for tokens in sequences], dtype=np.int64)
        owner_of = np.repeat(np.arange(len(sequences), dtype=np.int64), sizes)
        local = np.arange(len(ids)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        base = len(self.token_ids) + 1
        owners: list[np.ndarray] = []
        columns: list[np.ndarray] = []
        firsts: list[np.ndarray] = []
        for size in range(1, self.order + 1):
            count = len(ids) - size + 1
            if count <= 0:
                break
            keys = ids[:count].copy()
            known = keys > 0
            for offset in range(1, size):
                part = ids[offset : offset + count]
                keys = keys * base + part
                known &= part > 0
            where = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
            found = known & (self.keys[where] == keys)
            owners.append(owner_of[:count][found])
            columns.append(self.key_columns[where[found]])
            firsts.append(local[:count][found])
        if not owners:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return np.concatenate(owners), np.concatenate(columns), np.concatenate(firsts)

    def _by_text(
        self, sequences: Sequence[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_occurrences` with one dictionary lookup per n-gram text."""
        owners: list[int] = []
        found: list[int] = []
        firsts: list[int] = []
        for position, tokens in enumerate(sequences):
            for size in range(1, self.order + 1):
                for first in range(len(tokens) - size + 1):
                    known = self.index.get(" ".join(tokens[first : first + size]))
                    if known is not None:
                        owners.append(position)
                        found.append(known)
                        firsts.append(first)
        as_array = partial(np.array, dtype=np.int64)
        return as_array(owners), as_array(found), as_array(firsts)

    def scores(
        self, sequences: Sequence[Sequence[str]], idf: np.ndarray, coef: np.ndarray
    ) -> np.ndarray:
        """Each document's n-grams (tf-idf, L2-normalised) dotted with ``coef``.

        The weighting of scikit-learn's ``TfidfTransformer`` with
        ``sublinear_tf``: ``1 + log(count)`` times the idf, L2-normalised
        over the n-grams known, as array arithmetic over the whole batch.
        """
        width = max(len(self.ngrams), 1)
        block = max(_COUNTED_RANGE // width, 1)
        if len(sequences) > block:  # blocks of documents whose counts fit one array
            return np.concatenate(
                [
                    self.scores(sequences[start : start + block], idf, coef)
                    for start in range(0, len(sequences), block)
                ]
            )
        owners, found = self.columns(sequences)
        scores = np.zeros(len(sequences))
        if not len(found):
            return scores
        pairs, counts = _distinct_counts(owners * width + found, len(sequences) * width)
        owner, column = pairs // width, pairs % width
        values = (1.0 + np.log(counts)) * idf[column]
        norms = np.sqrt(np.bincount(owner, weights=values**2, minlength=len(sequences)))
        return np.bincount(
            owner, weights=values / norms[owner] * coef[column], minlength=len(sequences)
        )

    def shares(
        self, tokens: Sequence[str], idf: np.ndarray, coef: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each occurrence's first token and its equal part of its n-gram's term in the score.

        The parts of one document add up to :meth:`scores` of it.
        """
        _, column, first = self._occurrences([tokens])
        if not len(column):
            return first, np.zeros(0)
        unique, where, counts = np.unique(column, return_inverse=True, return_counts=True)
        values = (1.0 + np.log(counts)) * idf[unique]
        terms = values / np.sqrt((values**2).sum()) * coef[unique]
        return first, (terms / counts)[where]


@dataclass
class MachineTranslationHead:
    """Standardisation, logistic regression and Platt scaling, as plain arrays."""

    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    #: Platt scaling of the logit: slope ``a`` and offset ``b``.
    calibration: tuple[float, float]
    #: Probability at or above which a document counts as machine-translated.
    threshold: float
    #: Class n-grams the head knows (classes joined by a space), their idf and weights.
    ngrams: tuple[str, ...] = ()
    ngram_idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ngram_coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: Longest class n-gram.
    ngram_order: int = NGRAM_ORDER
    #: The common words the lexical n-grams keep as themselves (see
    #: :func:`~detector.features.document_style.lexical_classes`), and those
    #: n-grams, their idf and weights: a second tf-idf block, normalised apart.
    lexicon: tuple[str, ...] = ()
    lexical_ngrams: tuple[str, ...] = ()
    lexical_idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lexical_coef: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: Longest lexical n-gram.
    lexical_order: int = LEXICAL_ORDER
    _classes: NgramIndex = field(init=False, repr=False, compare=False)
    _lexical: NgramIndex = field(init=False, repr=False, compare=False)
    _lexicon_set: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sizes = {len(self.feature_names), len(self.mean), len(self.scale), len(self.coef)}
        if len(sizes) != 1:
            raise HeadError("the head's names, means, scales and weights differ in length")
        if len({len(self.ngrams), len(self.ngram_idf), len(self.ngram_coef)}) != 1:
            raise HeadError("the head's n-grams, idf and n-gram weights differ in length")
        lexical = {len(self.lexical_ngrams), len(self.lexical_idf), len(self.lexical_coef)}
        if len(lexical) != 1:
            raise HeadError("the head's lexical n-grams, idf and weights differ in length")
        if self.lexical_ngrams and not self.lexicon:
            raise HeadError("the head has lexical n-grams but no lexicon")
        self._classes = NgramIndex(self.ngrams, self.ngram_order)
        self._lexical = NgramIndex(self.lexical_ngrams, self.lexical_order)
        self._lexicon_set = lexicon_set(self.lexicon)
        unknown = sorted(
            name for name in self.feature_names if name.split(".")[0] not in HEAD_FAMILIES
        )
        if unknown:
            raise HeadError(f"the head reads values no family computes: {', '.join(unknown[:5])}")
        if np.any(np.asarray(self.scale) <= 0):
            raise HeadError("a scale of the head is not positive")

    def decision(
        self,
        matrix: np.ndarray,
        sequences: Sequence[Sequence[str]] | None = None,
        lexical: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """The uncalibrated logit of each row.

        ``matrix`` holds the named values (columns in :attr:`feature_names`
        order); ``sequences`` each document's classes, needed when the head
        has n-grams, and ``lexical`` its lexical classes
        (:meth:`lexical_sequences`), needed when it has lexical n-grams.
        """
        matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
        logits = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        if self.ngrams:
            if sequences is None or len(sequences) != len(logits):
                raise HeadError("this head reads class n-grams: give each document's classes")
            logits = logits + self.ngram_scores(sequences)
        if self.lexical_ngrams:
            if lexical is None or len(lexical) != len(logits):
                raise HeadError("this head reads lexical n-grams: give each document's")
            logits = logits + self.lexical_scores(lexical)
        return logits

    def sequences(self, docs: Sequence[Document | str]) -> tuple[list[list[str]], list[list[str]]]:
        """Each text's classes and lexical classes (a document's found once, then kept)."""
        pairs = [
            kept_class_sequences(doc, self._lexicon_set)
            if isinstance(doc, Document)
            else class_sequences(doc, self._lexicon_set)
            for doc in docs
        ]
        return [classes for classes, _ in pairs], [words for _, words in pairs]

    def lexical_sequences(self, texts: Sequence[str]) -> list[list[str]]:
        """Each text's lexical classes, with this head's lexicon."""
        return [lexical_classes(text, self._lexicon_set) for text in texts]

    def ngram_columns(self, sequences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Every occurrence of a known class n-gram in ``sequences``: its document and its column.

        See :meth:`NgramIndex.columns`.

        >>> head = MachineTranslationHead(
        ...     feature_names=(), mean=np.zeros(0), scale=np.zeros(0), coef=np.zeros(0),
        ...     intercept=0.0, calibration=(1.0, 0.0), threshold=0.5,
        ...     ngrams=("the", "the <w>", ", which"), ngram_idf=np.ones(3),
        ...     ngram_coef=np.ones(3))
        >>> [column.tolist() for column in head.ngram_columns([["the", "<w>", ","], ["which"]])]
        [[0, 0], [0, 1]]
        """
        return self._classes.columns(sequences)

    def ngram_scores(self, sequences: Sequence[Sequence[str]]) -> np.ndarray:
        """Each document's class n-grams (tf-idf, L2-normalised) dotted with the n-gram weights."""
        return self._classes.scores(sequences, self.ngram_idf, self.ngram_coef)

    def lexical_scores(self, sequences: Sequence[Sequence[str]]) -> np.ndarray:
        """Each document's lexical n-grams (tf-idf, L2-normalised) dotted with their weights."""
        return self._lexical.scores(sequences, self.lexical_idf, self.lexical_coef)

    def sentence_weights(self, doc: Document | str) -> list[tuple[int, int, float]]:
        """Each sentence's share of the document's n-gram logit: ``(start, end, share)``.

        The n-gram part of the logit is a sum over the document's n-grams
        (class and lexical); each occurrence takes an equal part of its
        n-gram's term and counts for the sentence it starts in, so the
        shares add up to that part exactly. Offsets are those of the
        document's text.
        """
        doc = Document.of(doc)
        if not (self.ngrams or self.lexical_ngrams) or not doc.sentences:
            return []
        classes, spans = word_class_spans(doc.text)
        blocks = [(self._classes, classes, self.ngram_idf, self.ngram_coef)]
        if self.lexical_ngrams:
            lexical = lexical_classes(doc.text, self._lexicon_set)
            blocks.append((self._lexical, lexical, self.lexical_idf, self.lexical_coef))
        positions: list[np.ndarray] = []
        shares: list[np.ndarray] = []
        for index, sequence, idf, coef in blocks:
            where, share = index.shares(sequence, idf, coef)
            positions.append(where)
            shares.append(share)
        at = np.concatenate(positions)
        if not len(at):
            return []
        starts = np.array([start for start, _ in spans], dtype=np.int64)[at]
        sentence_starts = np.array([start for start, _ in doc.sentences])
        owner = np.maximum(np.searchsorted(sentence_starts, starts, side="right") - 1, 0)
        totals = np.bincount(owner, weights=np.concatenate(shares), minlength=len(doc.sentences))
        return [
            (start, end, float(total))
            for (start, end), total in zip(doc.sentences, totals, strict=True)
        ]

    def evidence(self, doc: Document | str) -> list[Evidence]:
        """The sentences that weigh most towards machine translation (positive shares only).

        A few at most, the heaviest first; the note gives each one's share of
        the document's log-odds.
        """
        doc = Document.of(doc)
        weighted = sorted(self.sentence_weights(doc), key=lambda item: -item[2])
        return [
            evidence_at(
                doc.text, EVIDENCE_FAMILY, f"{EVIDENCE_FAMILY}.sentence_weight", start, end,
                "sentence whose order of function words, punctuation and word shapes, and "
                "choice of common words, weighs most towards machine translation "
                f"({share:+.2f} log-odds)",
            )
            for start, end, share in weighted[:MAX_EVIDENCE]
            if share > 0
        ]  # fmt: skip

    def probability(
        self,
        matrix: np.ndarray,
        sequences: Sequence[Sequence[str]] | None = None,
        lexical: Sequence[Sequence[str]] | None = None,
    ) -> np.ndarray:
        """The calibrated probability that each row's document is machine-translated."""
        slope, offset = self.calibration
        logits = np.clip(slope * self.decision(matrix, sequences, lexical) + offset, -40.0, 40.0)
        return 1.0 / (1.0 + np.exp(-logits))

    def features(self, docs: Sequence[Document | str], resources: Any) -> np.ndarray:
        """The head's named values of a batch of documents: see :func:`head_features`."""
        return head_features(docs, resources, self.feature_names)

    def score(self, docs: Sequence[Document | str], resources: Any) -> np.ndarray:
        """The calibrated probability of each document, from its text."""
        if not docs:
            return np.zeros(0)
        texts = [_text(doc) for doc in docs]
        sequences: list[list[str]] | None = None
        lexical: list[list[str]] | None = None
        if self.lexical_ngrams:  # both sequences from one pass over each text's tokens
            sequences, lexical = self.sequences(docs)
        elif self.ngrams:
            sequences = [word_classes(text) for text in texts]
        return self.probability(self.features(docs, resources), sequences, lexical)

    def to_arrays(self, prefix: str = PREFIX) -> dict[str, np.ndarray]:
        """The arrays stored in a model file, keys prefixed with ``prefix``.

        The head's prefix is :data:`PREFIX`; another linear model of the same
        inputs (the translationese family's page model) is stored under its own.
        """
        return {
            f"{prefix}feature_names": np.array(self.feature_names, dtype=str),
            f"{prefix}mean": np.asarray(self.mean, dtype=np.float64),
            f"{prefix}scale": np.asarray(self.scale, dtype=np.float64),
            f"{prefix}coef": np.asarray(self.coef, dtype=np.float64),
            f"{prefix}intercept": np.array([self.intercept], dtype=np.float64),
            f"{prefix}calibration": np.array(self.calibration, dtype=np.float64),
            f"{prefix}threshold": np.array([self.threshold], dtype=np.float64),
            f"{prefix}ngrams": np.array(self.ngrams, dtype=str),
            f"{prefix}ngram_idf": np.asarray(self.ngram_idf, dtype=np.float64),
            f"{prefix}ngram_coef": np.asarray(self.ngram_coef, dtype=np.float64),
            f"{prefix}ngram_order": np.array([self.ngram_order], dtype=np.int64),
            **(
                {
                    f"{prefix}lexicon": np.array(self.lexicon, dtype=str),
                    f"{prefix}lexical_ngrams": np.array(self.lexical_ngrams, dtype=str),
                    f"{prefix}lexical_idf": np.asarray(self.lexical_idf, dtype=np.float64),
                    f"{prefix}lexical_coef": np.asarray(self.lexical_coef, dtype=np.float64),
                    f"{prefix}lexical_order": np.array([self.lexical_order], dtype=np.int64),
                }
                if self.lexical_ngrams
                else {}
            ),
        }

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, np.ndarray], prefix: str = PREFIX
    ) -> MachineTranslationHead:
        """Rebuild a head written by :meth:`to_arrays` (with the same ``prefix``)."""
        calibration = np.asarray(arrays[f"{prefix}calibration"], dtype=np.float64)
        return cls(
            feature_names=tuple(np.asarray(arrays[f"{prefix}feature_names"], dtype=str).tolist()),
            mean=np.asarray(arrays[f"{prefix}mean"], dtype=np.float64),
            scale=np.asarray(arrays[f"{prefix}scale"], dtype=np.float64),
            coef=np.asarray(arrays[f"{prefix}coef"], dtype=np.float64),
            intercept=float(arrays[f"{prefix}intercept"][0]),
            calibration=(float(calibration[0]), float(calibration[1])),
            threshold=float(arrays[f"{prefix}threshold"][0]),
            ngrams=tuple(np.asarray(arrays[f"{prefix}ngrams"], dtype=str).tolist()),
            ngram_idf=np.asarray(arrays[f"{prefix}ngram_idf"], dtype=np.float64),
            ngram_coef=np.asarray(arrays[f"{prefix}ngram_coef"], dtype=np.float64),
            ngram_order=int(arrays[f"{prefix}ngram_order"][0]),
            **_lexical_arrays(arrays, prefix),
        )


def _lexical_arrays(arrays: Mapping[str, np.ndarray], prefix: str = PREFIX) -> dict[str, Any]:
    """The lexical block's fields of a head written by :meth:`MachineTranslationHead.to_arrays`."""
    if f"{prefix}lexical_ngrams" not in arrays:  # a head fitted before the lexical block
        return {}
    return {
        "lexicon": tuple(np.asarray(arrays[f"{prefix}lexicon"], dtype=str).tolist()),
        "lexical_ngrams": tuple(np.asarray(arrays[f"{prefix}lexical_ngrams"], dtype=str).tolist()),
        "lexical_idf": np.asarray(arrays[f"{prefix}lexical_idf"], dtype=np.float64),
        "lexical_coef": np.asarray(arrays[f"{prefix}lexical_coef"], dtype=np.float64),
        "lexical_order": int(arrays[f"{prefix}lexical_order"][0]),
    }


#: Largest range of keys :func:`_distinct_counts` counts in an array of
#: that size (8 MB of counts) rather than by sorting the keys; scoring
#: goes through a batch in blocks of documents whose keys fit it.
_COUNTED_RANGE = 1 << 20


def _distinct_counts(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_counts=True)`` of keys in ``[0, size)``, without sorting them.

    >>> keys = np.array([5, 2, 5, 0])
    >>> [part.tolist() for part in _distinct_counts(keys, 8)]
    [[0, 2, 5], [1, 1, 2]]
    >>> [part.tolist() for part in np.unique(keys, return_counts=True)]
    [[0, 2, 5], [1, 1, 2]]
    """
    if size > _COUNTED_RANGE:
        found, counts = np.unique(keys, return_counts=True)
        return found, counts
    every = np.bincount(keys, minlength=size)
    found = np.flatnonzero(every)
    return found, every[found]


def _text(doc: Document | str) -> str:
    return doc.text if isinstance(doc, Document) else doc


def _ngrams(classes: Sequence[str], order: int) -> list[str]:
    """Every n-gram of ``classes`` up to ``order``, joined by a space (as scikit-learn's).

    >>> _ngrams(["the", "<w>", "."], 2)
    ['the', '<w>', '.', 'the <w>', '<w> .']
    """
    grams = list(classes)
    for size in range(2, order + 1):
        grams.extend(" ".join(classes[i : i + size]) for i in range(len(classes) - size + 1))
    return grams


def has_head(arrays: Mapping[str, Any]) -> bool:
    """Whether a model file's arrays hold a head.

    >>> has_head({"trees_meta": None}), has_head({"mt_head.coef": None})
    (False, True)
    """
    return f"{PREFIX}coef" in arrays


def head_features(
    docs: Sequence[Document | str], resources: Any, names: Sequence[str]
) -> np.ndarray:
    """The values ``names`` of each document, computed on its typography-normalised text.

    Each family named runs once on the whole batch; the columns come out in
    the order of ``names``. Quotes, apostrophes and dashes are normalised
    first (see :func:`~detector.features.document_style.normalise_typography`),
    so that no family reads a publisher's typography as a translator's style.

    >>> head_features(["It rained, then it stopped."], None,
    ...               ["document_style.comma_rate"]).tolist()
    [[20.0]]
    """
    normalised = [Document.of(normalise_typography(_text(doc))) for doc in docs]
    matrix = np.zeros((len(normalised), len(names)))
    if not normalised:
        return matrix
    wanted: dict[str, list[int]] = {}
    for column, name in enumerate(names):
        wanted.setdefault(name.split(".")[0], []).append(column)
    for family_name, columns in wanted.items():
        family = HEAD_FAMILIES[family_name]
        block = np.asarray(family.transform(normalised, resources), dtype=np.float64)
        where = {name: index for index, name in enumerate(family.FEATURE_NAMES)}
        matrix[:, columns] = block[:, [where[names[column]] for column in columns]]
    return matrix
