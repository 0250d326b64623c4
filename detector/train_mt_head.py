"""Fit the machine-translation head and attach it to a model file.

The head (:mod:`detector.mt_head`) is fitted apart from the trees, on
documents labelled machine-translated or not, and added to an existing model
afterwards (:func:`attach_head`): the trees are not refitted, and the new
model is written under a new name with its card and checksum updated.

Fitting, in :func:`fit_head`: count every class n-gram of the texts
(:func:`~detector.features.document_style.word_classes`) and every lexical
n-gram (:func:`~detector.features.document_style.lexical_classes`, with the
:data:`LEXICON_SIZE` commonest English words), keep those found in at
least :data:`MIN_DOCUMENTS` training documents, weigh each block by tf-idf,
standardise the named values (if any), fit an L2-regularised logistic
regression on both, fit Platt scaling on grouped out-of-fold logits (so that
the calibration is measured on documents the regression did not see), and
set the threshold at which at most :data:`THRESHOLD_FPR` of the guarded
negatives (English originals, as a rule) are flagged out of fold. Only this
module imports scikit-learn; the scorer needs numpy alone.

>>> machine = [f"The {w} of the city, which was adopted, was noted." for w in "ab" * 20]
>>> written = [f"We loved the {w} and we said so!" for w in "ab" * 20]
>>> fitted = fit_head(machine + written, np.repeat([1, 0], 40), groups=np.arange(80),
...                   settings=HeadSettings(min_documents=2))
>>> fitted.report["roc_auc"], fitted.head.score(["It was noted, which was adopted."], None) > 0.5
(1.0, array([ True]))
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from detector.features import document_style
from detector.features.document_style import lexical_classes, word_classes
from detector.model import Model, ModelError, load_model, model_path
from detector.mt_head import (
    CARD_KEY,
    LEXICAL_ORDER,
    NGRAM_ORDER,
    MachineTranslationHead,
    head_features,
)

#: Inverse regularisation strength of the logistic regression (scikit-learn's ``C``).
DEFAULT_C = 1.0
#: Share of guarded negatives the threshold may flag, out of fold.
THRESHOLD_FPR = 0.01
#: Folds of the out-of-fold logits behind calibration and threshold.
FOLDS = 5
#: Fewest training documents a class n-gram must occur in to be read.
MIN_DOCUMENTS = 20
#: The main model's values a head may read beside the document style: the
#: translationese scores of the sentences.
TRANSLATIONESE_NAMES: tuple[str, ...] = (
    "translationese.pattern_score",
    "translationese.wording_score",
    "translationese.worst_block_wording",
)
#: Every named value a head may read, for benchmarks and variants.
CANDIDATE_NAMES: tuple[str, ...] = (*document_style.FEATURE_NAMES, *TRANSLATIONESE_NAMES)
#: The named values the default head reads: none. Class n-grams alone do
#: best on held-out languages and engines (``benchmarks/mt_head.py``); the
#: document-style measures, added to them, lower the held-out ROC-AUC.
DEFAULT_NAMES: tuple[str, ...] = ()
#: The lexical n-grams keep the content words among this many commonest
#: English words (``wordfreq``'s list): beside the class n-grams they raise
#: the held-out ROC-AUC against English originals on every held-out
#: language and engine (``benchmarks/mt_head.py``).
LEXICON_SIZE = 5000


def lexicon_words(size: int = LEXICON_SIZE) -> tuple[str, ...]:
    """The ``size`` commonest English words (``wordfreq``), the lexicon of the lexical n-grams.

    >>> words = lexicon_words(50)
    >>> len(words), "the" in words
    (50, True)
    """
    from wordfreq import top_n_list

    return tuple(top_n_list("en", size))


@dataclass(frozen=True)
class HeadSettings:
    """How a head is fitted."""

    c: float = DEFAULT_C
    #: Weigh the classes to equal totals (machine output far outnumbers the rest).
    balanced: bool = True
    ngram_order: int = NGRAM_ORDER
    #: Fewest training documents an n-gram must occur in; 0 for no n-grams at all.
    min_documents: int = MIN_DOCUMENTS
    #: Multiplies the standardised named values: below 1 regularises them more.
    named_weight: float = 1.0
    #: Commonest English words the lexical n-grams keep; 0 for no lexical n-grams.
    lexicon_size: int = LEXICON_SIZE
    lexical_order: int = LEXICAL_ORDER


@dataclass
class FittedHead:
    """A fitted head, the out-of-fold probabilities of its training rows, and their metrics."""

    head: MachineTranslationHead
    out_of_fold: np.ndarray
    report: dict[str, Any]


@dataclass
class ClassCounts:
    """Every class n-gram of many documents, counted once: a sparse matrix and its n-grams."""

    matrix: Any
    ngrams: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], order: int = NGRAM_ORDER) -> ClassCounts:
        """The class n-grams of ``texts`` (see :func:`word_classes`)."""
        return cls.of_sequences([word_classes(text) for text in texts], order)

    @classmethod
    def lexical(
        cls, texts: Sequence[str], lexicon: Sequence[str], order: int = LEXICAL_ORDER
    ) -> ClassCounts:
        """The lexical n-grams of ``texts`` (see :func:`lexical_classes`)."""
        kept = frozenset(lexicon)
        return cls.of_sequences([lexical_classes(text, kept) for text in texts], order)

    @classmethod
    def of_sequences(cls, sequences: Sequence[Sequence[str]], order: int) -> ClassCounts:
        from sklearn.feature_extraction.text import CountVectorizer

        vectorizer = CountVectorizer(
            token_pattern=r"\S+", lowercase=False, ngram_range=(1, order), dtype=np.float64
        )
        matrix = vectorizer.fit_transform([" ".join(tokens) for tokens in sequences]).tocsr()
        return cls(matrix, vectorizer.get_feature_names_out())

    def rows(self, chosen: np.ndarray) -> ClassCounts:
        return ClassCounts(self.matrix[chosen], self.ngrams)


@dataclass
class FittedParts:
    """A head fitted without calibration, and the columns of the counts its n-grams are."""

    head: MachineTranslationHead
    columns: np.ndarray
    lexical_columns: np.ndarray = dataclasses.field(
        default_factory=lambda: np.zeros(0, dtype=np.int64)
    )

    def decision(
        self, named: np.ndarray, counts: ClassCounts, lexical: ClassCounts | None = None
    ) -> np.ndarray:
        """The head's logits, the n-grams read from counts (the same as from the texts)."""
        empty: list[list[str]] = [[] for _ in range(counts.matrix.shape[0])]
        logits = self.head.decision(named, empty, empty)
        if len(self.columns):
            logits = logits + _tfidf(counts.matrix[:, self.columns], self.head.ngram_idf) @ (
                self.head.ngram_coef
            )
        if len(self.lexical_columns):
            assert lexical is not None, "this head reads lexical n-grams: give their counts"
            matrix = lexical.matrix[:, self.lexical_columns]
            logits = logits + _tfidf(matrix, self.head.lexical_idf) @ self.head.lexical_coef
        return np.asarray(logits)


def _tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Counts weighted ``(1 + log(count)) * idf`` and L2-normalised by row (a sparse matrix)."""
    from sklearn.preprocessing import normalize

    weighted = counts.copy().astype(np.float64)
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = weighted.multiply(idf[None, :]).tocsr()
    return normalize(weighted, norm="l2")


def _kept_columns(counts: ClassCounts, rows: int, least: int, order: int) -> tuple[Any, Any]:
    """The n-grams of ``counts`` in ``least`` rows or more, up to ``order``, and their idf."""
    documents = np.asarray((counts.matrix > 0).sum(axis=0)).ravel()
    orders = np.char.count(counts.ngrams.astype(str), " ") + 1
    columns = np.flatnonzero((documents >= least) & (orders <= order))
    # scikit-learn's smoothed idf
    return columns, np.log((1.0 + rows) / (1.0 + documents[columns])) + 1.0


def fit_parts(
    named: np.ndarray,
    counts: ClassCounts,
    labels: np.ndarray,
    names: Sequence[str],
    settings: HeadSettings,
    lexical: ClassCounts | None = None,
    lexicon: Sequence[str] = (),
) -> FittedParts:
    """Fit the regression on the named values, the class n-grams and (given) the lexical n-grams.

    Each n-gram block is weighed by tf-idf and L2-normalised apart;
    ``lexicon`` is the word list ``lexical`` was counted with.
    """
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    named = np.asarray(named, dtype=np.float64).reshape(len(labels), len(names))
    mean = named.mean(axis=0)
    scale = named.std(axis=0)
    scale[scale == 0] = 1.0
    blocks = [sparse.csr_matrix((named - mean) / scale * settings.named_weight)]
    columns = np.zeros(0, dtype=np.int64)
    idf = np.zeros(0)
    if settings.min_documents > 0:
        columns, idf = _kept_columns(
            counts, len(labels), settings.min_documents, settings.ngram_order
        )
        blocks.append(_tfidf(counts.matrix[:, columns], idf))
    lexical_columns = np.zeros(0, dtype=np.int64)
    lexical_idf = np.zeros(0)
    if lexical is not None and settings.lexicon_size > 0 and settings.min_documents > 0:
        lexical_columns, lexical_idf = _kept_columns(
            lexical, len(labels), settings.min_documents, settings.lexical_order
        )
        blocks.append(_tfidf(lexical.matrix[:, lexical_columns], lexical_idf))
    design = sparse.hstack(blocks).tocsr()
    regression = LogisticRegression(
        C=settings.c, max_iter=5000, class_weight="balanced" if settings.balanced else None
    ).fit(design, labels)
    weights = regression.coef_[0].astype(np.float64)
    split = len(names) + len(columns)
    head = MachineTranslationHead(
        feature_names=tuple(names),
        mean=mean,
        scale=scale,
        coef=weights[: len(names)] * settings.named_weight,
        intercept=float(regression.intercept_[0]),
        calibration=(1.0, 0.0),
        threshold=0.5,
        ngrams=tuple(str(gram) for gram in counts.ngrams[columns]),
        ngram_idf=idf,
        ngram_coef=weights[len(names) : split],
        ngram_order=settings.ngram_order,
        lexicon=tuple(lexicon) if len(lexical_columns) else (),
        lexical_ngrams=(
            tuple(str(gram) for gram in lexical.ngrams[lexical_columns])
            if lexical is not None
            else ()
        ),
        lexical_idf=lexical_idf,
        lexical_coef=weights[split:],
        lexical_order=settings.lexical_order,
    )
    return FittedParts(head, columns, lexical_columns)


def out_of_fold_logits(
    named: np.ndarray,
    counts: ClassCounts,
    labels: np.ndarray,
    groups: np.ndarray,
    names: Sequence[str],
    settings: HeadSettings = HeadSettings(),
    *,
    folds: int = FOLDS,
    seed: int = 0,
    lexical: ClassCounts | None = None,
    lexicon: Sequence[str] = (),
) -> np.ndarray:
    """Each row's logit from a head fitted without its group's fold."""
    from sklearn.model_selection import GroupKFold

    logits = np.zeros(len(labels))
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(labels)), labels, groups):
        parts = fit_parts(
            named[train], counts.rows(train), labels[train], names, settings,
            lexical.rows(train) if lexical is not None else None, lexicon,
        )  # fmt: skip
        logits[test] = parts.decision(
            named[test], counts.rows(test), lexical.rows(test) if lexical is not None else None
        )
    return logits


def platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Slope and offset of Platt scaling fitted on (out-of-fold) logits.

    >>> slope, offset = platt(np.array([-2.0, -1.0, 1.0, 2.0, 0.5, -0.5]),
    ...                       np.array([0, 0, 1, 1, 0, 1]))
    >>> slope > 0
    True
    """
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1e6, max_iter=1000).fit(logits[:, None], labels)
    return float(fitted.coef_[0, 0]), float(fitted.intercept_[0])


def guarded_threshold(probabilities: np.ndarray, share: float = THRESHOLD_FPR) -> float:
    """The lowest threshold at which at most ``share`` of these negatives score at or above it.

    >>> scores = np.linspace(0.0, 0.99, 100)
    >>> threshold = guarded_threshold(scores, share=0.02)
    >>> round(threshold, 6), int((scores >= threshold).sum())
    (0.97, 2)
    """
    ordered = np.sort(np.asarray(probabilities, dtype=np.float64))[::-1]
    if len(ordered) == 0:
        return 0.5
    allowed = int(np.floor(share * len(ordered)))
    if allowed >= len(ordered):
        return float(ordered[-1])
    return float(np.nextafter(ordered[allowed], np.inf))


def fit_head(
    texts: Sequence[str],
    labels: np.ndarray,
    *,
    groups: np.ndarray,
    names: Sequence[str] = DEFAULT_NAMES,
    resources: Any = None,
    guarded: np.ndarray | None = None,
    settings: HeadSettings = HeadSettings(),
    folds: int = FOLDS,
    seed: int = 0,
) -> FittedHead:
    """Fit a head on labelled texts (1 = machine-translated): its values computed here.

    ``groups`` keeps versions of one document in one fold; ``guarded`` marks
    the negatives the threshold protects (all negatives when None);
    ``resources`` are the main model's, needed for its families' values.
    """
    from sklearn.metrics import roc_auc_score

    labels = np.asarray(labels, dtype=np.int64)
    named = head_features(texts, resources, names)
    counts = ClassCounts.of(texts, settings.ngram_order)
    lexicon = lexicon_words(settings.lexicon_size) if settings.lexicon_size > 0 else ()
    lexical = ClassCounts.lexical(texts, lexicon, settings.lexical_order) if lexicon else None
    logits = out_of_fold_logits(
        named, counts, labels, groups, names, settings, folds=folds, seed=seed,
        lexical=lexical, lexicon=lexicon,
    )  # fmt: skip
    slope, offset = platt(logits, labels)
    out_of_fold = 1.0 / (1.0 + np.exp(-np.clip(slope * logits + offset, -40.0, 40.0)))
    guarded = (labels == 0) if guarded is None else np.asarray(guarded, dtype=bool)
    threshold = guarded_threshold(out_of_fold[guarded])
    head = fit_parts(named, counts, labels, names, settings, lexical, lexicon).head
    head = dataclasses.replace(head, calibration=(slope, offset), threshold=threshold)
    flagged = out_of_fold >= threshold
    report = {
        "roc_auc": float(roc_auc_score(labels, out_of_fold)),
        "recall": float(flagged[labels == 1].mean()) if (labels == 1).any() else None,
        "guarded_false_positive_rate": float(flagged[guarded].mean()) if guarded.any() else None,
        "folds": folds,
        "settings": dataclasses.asdict(settings),
    }
    return FittedHead(head, out_of_fold, report)


def attach_head(
    model: str | os.PathLike[str] | Model,
    head: MachineTranslationHead,
    out: str | os.PathLike[str],
    section: dict[str, Any],
    *,
    overwrite: bool = False,
) -> Path:
    """Write ``model`` with ``head`` attached as a new model ``out``; returns the ``.npz`` path.

    ``out`` may name ``model`` itself only with ``overwrite`` (a recipe's last step).

    The trees, resources and card of ``model`` are kept; the card gains the
    ``machine_translation_head`` section (``section`` plus the head's
    feature names and threshold), its ``name`` becomes ``out``'s, and its
    checksum is that of the new file. A model that has a head already gets
    the new one in its place.
    """
    loaded = model if isinstance(model, Model) else load_model(model)
    target = model_path(out)
    same = isinstance(model, (str, os.PathLike)) and model_path(model).resolve() == target.resolve()
    if same and not overwrite:
        raise ModelError(
            f"{target} is the model the head is attached to: choose a new name or overwrite"
        )
    card = {key: value for key, value in loaded.card.items() if key not in ("sha256", "model_file")}
    card["name"] = target.stem
    card[CARD_KEY] = {
        **section,
        "threshold": head.threshold,
        "feature_names": list(head.feature_names),
    }
    attached = dataclasses.replace(loaded, mt_head=head, card={})
    return attached.save(target, card, overwrite=overwrite)


#: The kind of the negatives the threshold guards.
GUARDED_KIND = "english_original"
#: The benchmark variant whose held-out numbers describe the default head.
HEAD_VARIANT = "head: class 1-3-grams + lexical 1-2-grams, C=1, vs orig+human"


def attach_from_data(
    model: Path, data: Path, out: Path, *, held_out: Path | None = None, overwrite: bool = False
) -> Path:
    """Fit the default head on ``data`` and write ``model`` with it as ``out``; the ``.npz`` path.

    The function a build script calls after the trees are built.
    """
    rows = [json.loads(line) for line in data.open(encoding="utf-8")]
    texts = [row["text"] for row in rows]
    labels = np.array([int(row["label"]) for row in rows])
    kinds = np.array([row["kind"] for row in rows])
    groups = np.array([str(row["doc_id"]) for row in rows])
    loaded = load_model(model)
    settings = HeadSettings()
    fitted = fit_head(
        texts, labels, groups=groups, names=DEFAULT_NAMES, resources=loaded.resources,
        guarded=kinds == GUARDED_KIND, settings=settings,
    )  # fmt: skip
    import sklearn  # training code: the scorer needs numpy alone

    section: dict[str, Any] = {
        "sklearn_version": sklearn.__version__,
        "model": "logistic regression over class 1-3-gram tf-idf of function words, "
        "punctuation and word shapes, and lexical 1-2-gram tf-idf of the same with the "
        f"{settings.lexicon_size:,} commonest English words (wordfreq) kept "
        "(typography normalised), Platt-calibrated on grouped out-of-fold logits; "
        "threshold: at most 1% of English originals flagged out of fold",
        "training_data": {
            "file": data.name,
            "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
            "rows": len(rows),
            "by_kind": {kind: int((kinds == kind).sum()) for kind in sorted(set(kinds))},
        },
        "out_of_fold": fitted.report,
        "ngrams": len(fitted.head.ngrams),
        "lexical_ngrams": len(fitted.head.lexical_ngrams),
        "lexicon_words": len(fitted.head.lexicon),
    }
    if held_out is not None:
        table = json.loads(held_out.read_text())
        section["held_out_roc_auc"] = {
            "command": "python benchmarks/mt_head.py --json PATH",
            "variant": HEAD_VARIANT,
            "units": table[HEAD_VARIANT],
        }
    return attach_head(loaded, fitted.head, out, section, overwrite=overwrite)
