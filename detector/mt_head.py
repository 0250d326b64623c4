"""The machine-translation head: a linear model of a document's style, scored with numpy.

Fluent neural MT into English carries few slips for the artifact families
to find; the trees of the main model, fitted mostly on round trips and
spins, score it near chance. What does set it apart is a whole document's
style: the order of its function words, punctuation and word shapes (the
n-grams of :func:`~detector.features.document_style.word_classes`), and,
optionally, named values such as the measures of
:mod:`detector.features.document_style` or the translationese scores. The
head is a logistic regression over both, with Platt scaling on top:
``q = 1 / (1 + exp(-(a * z + b)))`` where ``z = intercept + coef . (x -
mean) / scale + ngram_coef . v``, ``x`` the named values and ``v`` the
document's class n-grams weighted as scikit-learn's ``TfidfTransformer``
with ``sublinear_tf`` does (``1 + log(count)`` times the idf, L2-normalised
over the n-grams the head knows). It answers a question of its own ("was
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
from types import ModuleType
from typing import Any

import numpy as np

from detector.features import FAMILIES, document_style
from detector.features.base import Evidence, evidence_at
from detector.features.document_style import (
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
    _ngram_index: dict[str, int] = field(init=False, repr=False, compare=False)
    # Integer keys of the n-grams (see _pack), sorted, and each one's column.
    _class_ids: dict[str, int] = field(init=False, repr=False, compare=False)
    _ngram_keys: np.ndarray | None = field(init=False, repr=False, compare=False)
    _key_columns: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sizes = {len(self.feature_names), len(self.mean), len(self.scale), len(self.coef)}
        if len(sizes) != 1:
            raise HeadError("the head's names, means, scales and weights differ in length")
        if len({len(self.ngrams), len(self.ngram_idf), len(self.ngram_coef)}) != 1:
            raise HeadError("the head's n-grams, idf and n-gram weights differ in length")
        self._ngram_index = {gram: index for index, gram in enumerate(self.ngrams)}
        self._index_ngram_keys()
        unknown = sorted(
            name for name in self.feature_names if name.split(".")[0] not in HEAD_FAMILIES
        )
        if unknown:
            raise HeadError(f"the head reads values no family computes: {', '.join(unknown[:5])}")
        if np.any(np.asarray(self.scale) <= 0):
            raise HeadError("a scale of the head is not positive")

    def decision(
        self, matrix: np.ndarray, sequences: Sequence[Sequence[str]] | None = None
    ) -> np.ndarray:
        """The uncalibrated logit of each row.

        ``matrix`` holds the named values (columns in :attr:`feature_names`
        order); ``sequences`` each document's classes, needed when the head
        has n-grams.
        """
        matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
        logits = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        if self.ngrams:
            if sequences is None or len(sequences) != len(logits):
                raise HeadError("this head reads class n-grams: give each document's classes")
            logits = logits + self.ngram_scores(sequences)
        return logits

    def _index_ngram_keys(self) -> None:
        """Give each class in the head's n-grams an id, and each n-gram an integer key.

        An n-gram of classes with ids ``c1 .. ck`` has the key ``c1 * V^(k-1)
        + ... + ck`` (``V`` the number of ids plus one, so every id is a
        digit); a class no known n-gram holds has id 0 and no n-gram with it
        is known. When the keys would not fit in 63 bits, the head looks
        n-grams up by their text instead.
        """
        classes = sorted({part for gram in self.ngrams for part in gram.split(" ")})
        self._class_ids = {name: index for index, name in enumerate(classes, 1)}
        base = len(classes) + 1
        self._ngram_keys, self._key_columns = None, np.zeros(0, dtype=np.int64)
        if not self.ngrams or base**self.ngram_order >= 1 << 63:
            return
        keys = np.zeros(len(self.ngrams), dtype=np.int64)
        for column, gram in enumerate(self.ngrams):
            key = 0
            for part in gram.split(" "):
                key = key * base + self._class_ids[part]
            keys[column] = key
        order = np.argsort(keys, kind="stable")
        self._ngram_keys, self._key_columns = keys[order], order

    def ngram_columns(self, sequences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Every occurrence of a known n-gram in ``sequences``: its document and its column.

        The same occurrences as looking up each n-gram of :func:`_ngrams` by
        its text, found with array arithmetic over the whole batch: the
        documents' class ids laid end to end with an id 0 between them (no
        n-gram spans two documents), each n-gram size's keys in one pass,
        looked up in the sorted keys with one ``searchsorted``.

        >>> head = MachineTranslationHead(
        ...     feature_names=(), mean=np.zeros(0), scale=np.zeros(0), coef=np.zeros(0),
        ...     intercept=0.0, calibration=(1.0, 0.0), threshold=0.5,
        ...     ngrams=("the", "the <w>", ", which"), ngram_idf=np.ones(3),
        ...     ngram_coef=np.ones(3))
        >>> [column.tolist() for column in head.ngram_columns([["the", "<w>", ","], ["which"]])]
        [[0, 0], [0, 1]]
        """
        if self._ngram_keys is None:
            return self._ngram_columns_by_text(sequences)
        get = self._class_ids.get
        ids = np.fromiter(
            (get(name, 0) for classes in sequences for name in (*classes, "")),
            dtype=np.int64,
        )
        sizes = np.array([len(classes) + 1 for classes in sequences], dtype=np.int64)
        owner_of = np.repeat(np.arange(len(sequences), dtype=np.int64), sizes)
        base = len(self._class_ids) + 1
        owners: list[np.ndarray] = []
        columns: list[np.ndarray] = []
        for size in range(1, self.ngram_order + 1):
            count = len(ids) - size + 1
            if count <= 0:
                break
            keys = ids[:count].copy()
            known = keys > 0
            for offset in range(1, size):
                part = ids[offset : offset + count]
                keys = keys * base + part
                known &= part > 0
            where = np.minimum(np.searchsorted(self._ngram_keys, keys), len(self._ngram_keys) - 1)
            found = known & (self._ngram_keys[where] == keys)
            owners.append(owner_of[:count][found])
            columns.append(self._key_columns[where[found]])
        if not owners:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(owners), np.concatenate(columns)

    def _ngram_columns_by_text(
        self, sequences: Sequence[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`ngram_columns` with one dictionary lookup per n-gram text."""
        owners: list[int] = []
        found: list[int] = []
        index = self._ngram_index
        for position, classes in enumerate(sequences):
            for gram in _ngrams(classes, self.ngram_order):
                known = index.get(gram)
                if known is not None:
                    owners.append(position)
                    found.append(known)
        return np.array(owners, dtype=np.int64), np.array(found, dtype=np.int64)

    def ngram_scores(self, sequences: Sequence[Sequence[str]]) -> np.ndarray:
        """Each document's class n-grams (tf-idf, L2-normalised) dotted with the n-gram weights.

        The n-grams are found by :meth:`ngram_columns`; the weighting is
        array arithmetic over the whole batch.
        """
        owners, found = self.ngram_columns(sequences)
        scores = np.zeros(len(sequences))
        if not len(found):
            return scores
        pairs, counts = np.unique(owners * len(self.ngrams) + found, return_counts=True)
        owner, column = pairs // len(self.ngrams), pairs % len(self.ngrams)
        values = (1.0 + np.log(counts)) * self.ngram_idf[column]
        norms = np.sqrt(np.bincount(owner, weights=values**2, minlength=len(sequences)))
        return np.bincount(
            owner, weights=values / norms[owner] * self.ngram_coef[column], minlength=len(sequences)
        )

    def sentence_weights(self, doc: Document | str) -> list[tuple[int, int, float]]:
        """Each sentence's share of the document's n-gram logit: ``(start, end, share)``.

        The n-gram part of the logit is a sum over the document's n-grams;
        each occurrence takes an equal part of its n-gram's term and counts
        for the sentence it starts in, so the shares add up to that part
        exactly. Offsets are those of the document's text.
        """
        doc = Document.of(doc)
        if not self.ngrams or not doc.sentences:
            return []
        classes, spans = word_class_spans(doc.text)
        columns, starts = [], []
        for size in range(1, self.ngram_order + 1):
            for first in range(len(classes) - size + 1):
                known = self._ngram_index.get(" ".join(classes[first : first + size]))
                if known is not None:
                    columns.append(known)
                    starts.append(spans[first][0])
        if not columns:
            return []
        column = np.array(columns)
        unique, where, counts = np.unique(column, return_inverse=True, return_counts=True)
        values = (1.0 + np.log(counts)) * self.ngram_idf[unique]
        terms = values / np.sqrt((values**2).sum()) * self.ngram_coef[unique]
        shares = (terms / counts)[where]
        sentence_starts = np.array([start for start, _ in doc.sentences])
        owner = np.maximum(np.searchsorted(sentence_starts, starts, side="right") - 1, 0)
        totals = np.bincount(owner, weights=shares, minlength=len(doc.sentences))
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
                "sentence whose order of function words, punctuation and word shapes "
                f"weighs most towards machine translation ({share:+.2f} log-odds)",
            )
            for start, end, share in weighted[:MAX_EVIDENCE]
            if share > 0
        ]  # fmt: skip

    def probability(
        self, matrix: np.ndarray, sequences: Sequence[Sequence[str]] | None = None
    ) -> np.ndarray:
        """The calibrated probability that each row's document is machine-translated."""
        slope, offset = self.calibration
        logits = np.clip(slope * self.decision(matrix, sequences) + offset, -40.0, 40.0)
        return 1.0 / (1.0 + np.exp(-logits))

    def features(self, docs: Sequence[Document | str], resources: Any) -> np.ndarray:
        """The head's named values of a batch of documents: see :func:`head_features`."""
        return head_features(docs, resources, self.feature_names)

    def score(self, docs: Sequence[Document | str], resources: Any) -> np.ndarray:
        """The calibrated probability of each document, from its text."""
        if not docs:
            return np.zeros(0)
        sequences = [word_classes(_text(doc)) for doc in docs] if self.ngrams else None
        return self.probability(self.features(docs, resources), sequences)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The arrays stored in a model file, keys prefixed with :data:`PREFIX`."""
        return {
            f"{PREFIX}feature_names": np.array(self.feature_names, dtype=str),
            f"{PREFIX}mean": np.asarray(self.mean, dtype=np.float64),
            f"{PREFIX}scale": np.asarray(self.scale, dtype=np.float64),
            f"{PREFIX}coef": np.asarray(self.coef, dtype=np.float64),
            f"{PREFIX}intercept": np.array([self.intercept], dtype=np.float64),
            f"{PREFIX}calibration": np.array(self.calibration, dtype=np.float64),
            f"{PREFIX}threshold": np.array([self.threshold], dtype=np.float64),
            f"{PREFIX}ngrams": np.array(self.ngrams, dtype=str),
            f"{PREFIX}ngram_idf": np.asarray(self.ngram_idf, dtype=np.float64),
            f"{PREFIX}ngram_coef": np.asarray(self.ngram_coef, dtype=np.float64),
            f"{PREFIX}ngram_order": np.array([self.ngram_order], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> MachineTranslationHead:
        """Rebuild a head written by :meth:`to_arrays`."""
        calibration = np.asarray(arrays[f"{PREFIX}calibration"], dtype=np.float64)
        return cls(
            feature_names=tuple(np.asarray(arrays[f"{PREFIX}feature_names"], dtype=str).tolist()),
            mean=np.asarray(arrays[f"{PREFIX}mean"], dtype=np.float64),
            scale=np.asarray(arrays[f"{PREFIX}scale"], dtype=np.float64),
            coef=np.asarray(arrays[f"{PREFIX}coef"], dtype=np.float64),
            intercept=float(arrays[f"{PREFIX}intercept"][0]),
            calibration=(float(calibration[0]), float(calibration[1])),
            threshold=float(arrays[f"{PREFIX}threshold"][0]),
            ngrams=tuple(np.asarray(arrays[f"{PREFIX}ngrams"], dtype=str).tolist()),
            ngram_idf=np.asarray(arrays[f"{PREFIX}ngram_idf"], dtype=np.float64),
            ngram_coef=np.asarray(arrays[f"{PREFIX}ngram_coef"], dtype=np.float64),
            ngram_order=int(arrays[f"{PREFIX}ngram_order"][0]),
        )


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
