"""Train a model on labelled samples: features, cross-validation, calibration.

The steps, each a function so that they can be run and tested alone:

1. :func:`load_labelled` reads JSONL/CSV rows with text and label (and
   optional ``group`` and ``kind``), or a folder with ``spun/`` and ``clean/``
   subfolders.
2. :func:`reusable_resources` takes an existing model's language models and
   lexicons, or :func:`build_resources <detector.build.build_resources>`
   learns them from clean text kept apart from the classifier's data.
3. :func:`featurize` computes every family's features (in parallel).
4. :func:`fit` runs grouped cross-validation (no source document on both
   sides), fits Platt scaling on the out-of-fold scores, picks the threshold
   that flags at most 1% of clean out-of-fold texts, and fits the final
   gradient-boosted trees on everything (exported as plain arrays).

scikit-learn and joblib are imported here, never on the scoring path.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detector import __version__
from detector.features import extract_all, feature_names, spinner
from detector.model import Model, TreeEnsemble, apply_floors, hinged_terms
from detector.readers import iter_records
from detector.resources import Resources
from detector.scoring import collector_paused
from detector.swaps import SwapTable
from detector.text import Document

#: Largest share of clean out-of-fold texts the default threshold may flag.
TARGET_FALSE_POSITIVE_RATE = 0.01
#: Gradient boosting settings: shallow trees, early stopping on a validation
#: share, classes balanced (they are far from balanced in synthetic data).
TREE_DEPTH = 6
TREE_ITERATIONS = 300
LEARNING_RATE = 0.1


@dataclass
class Sample:
    """One labelled text."""

    id: str
    text: str
    label: int
    group: str
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)


class TrainingDataError(Exception):
    """Labelled data that cannot be used, with the reason."""


_LABEL_WORDS = {"1": 1, "spun": 1, "mt": 1, "true": 1, "0": 0, "clean": 0, "human": 0, "false": 0}


def parse_label(value: Any) -> int | None:
    """Read a label: 0/1, true/false, or spun/clean (case-insensitive).

    >>> parse_label(1), parse_label("spun"), parse_label("Clean"), parse_label("x")
    (1, 1, 0, None)
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float) and value in (0, 1):
        return int(value)
    return _LABEL_WORDS.get(str(value).strip().lower())


def load_labelled(
    sources: Iterable[str | os.PathLike[str]],
    *,
    text_field: str = "text",
    id_field: str = "id",
    label_field: str = "label",
    group_from_id: str | None = None,
) -> tuple[list[Sample], list[str]]:
    """Labelled samples from files or ``spun/``+``clean/`` folders; and the skipped rows' reasons.

    ``group_from_id`` is a regular expression whose first match (or first
    group) in the id gives the group when the data has no ``group`` column.
    """
    problems: list[str] = []
    samples = list(
        iter_labelled(
            sources, text_field=text_field, id_field=id_field, label_field=label_field,
            group_from_id=group_from_id, problems=problems,
        )
    )  # fmt: skip
    return samples, problems


def iter_labelled(
    sources: Iterable[str | os.PathLike[str]],
    *,
    text_field: str = "text",
    id_field: str = "id",
    label_field: str = "label",
    group_from_id: str | None = None,
    problems: list[str] | None = None,
) -> Iterator[Sample]:
    """:func:`load_labelled` one sample at a time, for data too large to hold.

    The reasons for skipped rows are appended to ``problems`` when given.
    Reading the same sources again yields the same samples in the same
    order, so a sample's position identifies it.
    """
    group_pattern = re.compile(group_from_id) if group_from_id else None
    if problems is None:
        problems = []
    for source in sources:
        path = Path(source)
        folders = [(path / "spun", 1), (path / "clean", 0)] if path.is_dir() else []
        if folders and all(folder.is_dir() for folder, _ in folders):
            for folder, label in folders:
                for record in iter_records([folder]):
                    if record.text is None:
                        problems.append(f"{record.source}: {record.error}")
                        continue
                    yield Sample(record.id, record.text, label, record.id, folder.name)
            continue
        for record in iter_records([path], text_field=text_field, id_field=id_field):
            where = f"{record.source}:{record.line}" if record.line else record.source
            if record.text is None:
                problems.append(f"{where}: {record.error}")
                continue
            parsed = parse_label(record.fields.get(label_field))
            if parsed is None:
                problems.append(f"{where}: no usable {label_field!r} (0/1 or spun/clean)")
                continue
            group: Any = record.fields.get("group")
            if group in (None, "") and group_pattern is not None:
                match = group_pattern.search(record.id)
                if match:
                    group = match.group(1) if match.groups() else match.group(0)
            yield Sample(
                id=record.id,
                text=record.text,
                label=parsed,
                group=str(group) if group not in (None, "") else record.id,
                kind=str(record.fields.get("kind") or ("spun" if parsed else "clean")),
                fields=record.fields,
            )


def _featurize_chunk(texts: list[str], resources: Resources, names: tuple[str, ...]) -> np.ndarray:
    rows = np.zeros((len(texts), len(names)))
    with collector_paused():
        for index, text in enumerate(texts):
            values = extract_all(text, resources).values
            rows[index] = [values[name] for name in names]
    return rows


def featurize(
    texts: Sequence[str],
    resources: Resources,
    *,
    names: tuple[str, ...] | None = None,
    jobs: int = 1,
    chunk_size: int = 500,
) -> np.ndarray:
    """Feature matrix of ``texts`` (rows in order), computed in ``jobs`` processes."""
    names = names or feature_names()
    chunks = [list(texts[i : i + chunk_size]) for i in range(0, len(texts), chunk_size)]
    if not chunks:
        return np.zeros((0, len(names)))
    if jobs == 1 or len(chunks) == 1:
        parts = [_featurize_chunk(chunk, resources, names) for chunk in chunks]
    else:
        from joblib import Parallel, delayed

        parts = Parallel(n_jobs=jobs)(
            delayed(_featurize_chunk)(chunk, resources, names) for chunk in chunks
        )
    return np.vstack(parts)


@dataclass
class PatternMatrices:
    """The translationese family's inputs for many texts, computed once per training run.

    ``documents`` holds each text's L2-normalised hashed class n-grams (the
    pattern model's input), ``sentences`` each sentence's hashed word
    n-grams (the wording model's input) and ``owner`` the text of each
    sentence. Indexing with a mask or an index array selects texts, with
    their sentences.
    """

    documents: Any
    sentences: Any
    owner: np.ndarray
    #: The page model's inputs (:func:`page_counts`), or None to fit no page model.
    pages: PageCounts | None = None

    def __len__(self) -> int:
        return int(self.documents.shape[0])

    def __getitem__(self, rows: Any) -> PatternMatrices:
        chosen = np.arange(len(self))[rows]
        position = np.full(len(self), -1, dtype=np.int64)
        position[chosen] = np.arange(len(chosen))
        new_owner = position[self.owner]
        kept = new_owner >= 0
        pages = self.pages.select(chosen) if self.pages is not None else None
        return PatternMatrices(self.documents[chosen], self.sentences[kept], new_owner[kept], pages)

    def wording_scores(self, weights: np.ndarray, bias: float) -> np.ndarray:
        """Each text's mean sentence score under a wording model (0.0 without sentences).

        The same value the translationese family gives text by text (times
        its ``SCORE_SCALE``).
        """
        return self.wording_columns(weights, bias)[0]

    def worst_block_wording(self, weights: np.ndarray, bias: float) -> np.ndarray:
        """Each text's highest mean sentence score over a run of consecutive sentences.

        The value :func:`~detector.features.base.worst_window` gives text by
        text (runs of ``WINDOW_SENTENCES``), for all texts at once; 0.0
        without sentences.
        """
        return self.wording_columns(weights, bias)[1]

    def wording_columns(self, weights: np.ndarray, bias: float) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`wording_scores` and :meth:`worst_block_wording`, scoring the sentences once."""
        from detector.features.base import WINDOW_SENTENCES

        scores = self.sentences @ weights + bias
        counts = np.bincount(self.owner, minlength=len(self))
        totals = np.bincount(self.owner, weights=scores, minlength=len(self))
        mean = np.divide(totals, counts, out=np.zeros(len(self)), where=counts > 0)
        first = np.cumsum(counts) - counts
        width = np.minimum(WINDOW_SENTENCES, counts)[self.owner]
        index = np.arange(len(scores))
        fits = index - first[self.owner] + width <= counts[self.owner]
        running = np.concatenate([[0.0], np.cumsum(scores)])
        means = (running[index[fits] + width[fits]] - running[index[fits]]) / width[fits]
        worst = np.full(len(self), -np.inf)
        np.maximum.at(worst, self.owner[fits], means)
        worst[counts == 0] = 0.0
        return mean, worst


def _csr(rows: list[tuple[np.ndarray, np.ndarray]], width: int) -> Any:
    import scipy.sparse as sparse

    pointers = np.zeros(len(rows) + 1, dtype=np.int64)
    pointers[1:] = np.cumsum([len(indices) for indices, _ in rows])
    return sparse.csr_matrix(
        (
            np.concatenate([values for _, values in rows]) if rows else np.zeros(0),
            np.concatenate([indices for indices, _ in rows])
            if rows
            else np.zeros(0, dtype=np.int64),
            pointers,
        ),
        shape=(len(rows), width),
    )


def pattern_matrix(texts: Sequence[str], resources: Resources) -> PatternMatrices:
    """The translationese family's inputs of ``texts`` (see :class:`PatternMatrices`)."""
    from detector.features.translationese import (
        HASH_BITS,
        WORDING_BITS,
        pattern_vector,
        sentence_wording_vectors,
    )
    from detector.resources import encode
    from detector.text import Document

    documents: list[tuple[np.ndarray, np.ndarray]] = []
    sentences: list[tuple[np.ndarray, np.ndarray]] = []
    owner: list[int] = []
    for index, text in enumerate(texts):
        words, classes, _ = encode(Document.of(text), resources)
        documents.append(pattern_vector(classes))
        sentence, indices, values, count = sentence_wording_vectors(words, classes)
        bounds = np.searchsorted(sentence, np.arange(count + 1))
        for k in range(count):
            sentences.append(
                (indices[bounds[k] : bounds[k + 1]], values[bounds[k] : bounds[k + 1]])
            )
        owner.extend([index] * count)
    return PatternMatrices(
        _csr(documents, 2**HASH_BITS),
        _csr(sentences, 2**WORDING_BITS),
        np.array(owner, dtype=np.int64),
    )


@dataclass
class PageCounts:
    """The page model's inputs: class and common-word n-gram counts of many texts.

    Rows ``0 .. texts - 1`` are the training texts (selected with their
    patterns); the rows after them are extra pages the page model learns
    from and the classifier never sees (the WMT22 documents, in the
    recipe), labelled ``extra_labels``.
    """

    classes: Any  # detector.train_mt_head.ClassCounts
    lexical: Any
    lexicon: tuple[str, ...]
    texts: int
    extra_labels: np.ndarray

    def select(self, chosen: np.ndarray) -> PageCounts:
        """The counts of the training texts ``chosen`` (in that order), and every extra page."""
        rows = np.concatenate([chosen, self.texts + np.arange(len(self.extra_labels))])
        return PageCounts(
            self.classes.rows(rows), self.lexical.rows(rows), self.lexicon, len(chosen),
            self.extra_labels,
        )  # fmt: skip


def page_counts(
    texts: Sequence[str], extra: Sequence[str] = (), extra_labels: Sequence[int] = ()
) -> PageCounts:
    """Count the page model's n-grams of ``texts`` and of the ``extra`` pages."""
    from detector.train_mt_head import LEXICON_SIZE, ClassCounts, lexicon_words

    lexicon = lexicon_words(LEXICON_SIZE)
    every = [*texts, *extra]
    return PageCounts(
        ClassCounts.of(every), ClassCounts.lexical(every, lexicon), lexicon, len(texts),
        np.asarray(extra_labels, dtype=np.int64).reshape(len(extra)),
    )  # fmt: skip


#: How many times a real web page counts in the page model's training: the
#: pages are few beside the extra documents and the clean news.
PAGE_WEB_WEIGHT = 10


def learns_page(kind: str) -> int:
    """How many times a training row of ``kind`` counts in the page model (0: not at all).

    Real web pages (spun, round-tripped, machine-translated and human, kinds
    ``web:*``) count :data:`PAGE_WEB_WEIGHT` times, clean news originals
    (and their excerpts) once; generated rows never, as the page model is
    to learn how real pages are worded.

    >>> learns_page("web:round_trip"), learns_page("original"), learns_page("spin:0.3")
    (10, 1, 0)
    """
    if kind.startswith("web:"):
        return PAGE_WEB_WEIGHT
    return 1 if kind == "original" else 0


def _fit_page(pages: PageCounts, labels: np.ndarray, counts: np.ndarray) -> Any:
    """Fit the page model on the training rows, ``counts[i]`` times row ``i``, and the extras.

    Returns the fitted parts (:class:`~detector.train_mt_head.FittedParts`),
    or None without both labels.
    """
    from detector.train_mt_head import HeadSettings, fit_parts

    repeated = np.repeat(np.arange(pages.texts), counts)
    rows = np.concatenate([repeated, pages.texts + np.arange(len(pages.extra_labels))])
    targets = np.concatenate([labels[repeated], pages.extra_labels]).astype(np.int64)
    if len(set(targets.tolist())) < 2:
        return None
    return fit_parts(
        np.zeros((len(rows), 0)), pages.classes.rows(rows), targets, (), HeadSettings(),
        pages.lexical.rows(rows), pages.lexicon,
    )  # fmt: skip


def _page_logits(parts: Any, pages: PageCounts, rows: np.ndarray) -> np.ndarray:
    """The page model's logits of the training rows ``rows``, from their counts."""
    return np.asarray(
        parts.decision(np.zeros((len(rows), 0)), pages.classes.rows(rows), pages.lexical.rows(rows))
    )


#: Regularisation of the pattern model (inverse strength), chosen by grouped
#: cross-validation on the neural MT sentences.
PATTERN_REGULARISATION = 3.0


def _fit_patterns(
    patterns: Any, labels: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=PATTERN_REGULARISATION, class_weight="balanced", max_iter=3000)
    model.fit(patterns, labels, sample_weight=weights)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def _group_folds(groups: Sequence[str], labels: np.ndarray, folds: int, seed: int) -> list[Any]:
    from sklearn.model_selection import GroupKFold

    group_array = np.asarray(groups)
    n_folds = min(folds, len(set(group_array.tolist())))
    if n_folds < 2:
        raise TrainingDataError("cross-validation needs at least two groups")
    splitter = GroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels, group_array))


#: Regularisation of the wording model, chosen by grouped cross-validation
#: on the neural MT sentences.
WORDING_REGULARISATION = 3.0

#: Kinds the wording model learns from: real neural MT and its human counterparts.
WORDING_KIND_PREFIXES = ("neural-mt", "human-")


def learns_wording(kind: str) -> bool:
    """True for a kind the wording model learns from.

    >>> learns_wording("neural-mt:de-en"), learns_wording("human-translation:de-en")
    (True, True)
    >>> learns_wording("roundtrip:spa")
    False

    Documents made of those sentences (``document:neural-mt``) are left out:
    their sentences are learnt from already.

    >>> learns_wording("document:neural-mt")
    False
    """
    return kind.startswith(WORDING_KIND_PREFIXES)


def _fit_wording(
    patterns: PatternMatrices, labels: np.ndarray, weights: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, float] | None:
    """Fit the wording model on the sentences of ``rows``; None without both labels."""
    from sklearn.linear_model import LogisticRegression

    chosen = patterns[rows]
    sentence_labels = labels[rows][chosen.owner]
    if len(set(sentence_labels.tolist())) < 2:
        return None
    # each text weighs as much in total, however many sentences it has
    per_text = np.bincount(chosen.owner, minlength=len(chosen))
    sentence_weights = (weights[rows] / np.maximum(per_text, 1))[chosen.owner]
    model = LogisticRegression(C=WORDING_REGULARISATION, class_weight="balanced", max_iter=3000)
    model.fit(chosen.sentences, sentence_labels, sample_weight=sentence_weights)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def stack_patterns(
    matrix: np.ndarray,
    patterns: PatternMatrices,
    labels: np.ndarray,
    groups: Sequence[str],
    resources: Resources,
    *,
    names: tuple[str, ...],
    weights: np.ndarray,
    kinds: Sequence[str] | None = None,
    folds: int = 5,
    seed: int = 0,
) -> np.ndarray:
    """Fill the translationese columns with out-of-fold scores; fit the final models.

    The classifier must learn how far to trust the pattern and wording
    scores from scores the models produced on texts they did not see, or it
    would trust them too much. The pattern model learns from every row, the
    wording model from the rows of neural MT and its human counterparts
    (:func:`learns_wording`; none among ``kinds`` leaves it unfitted and its
    column zero). The final models, fitted on every row, go into
    ``resources`` (and so into the model file).
    """
    from detector.features.translationese import SCORE_SCALE

    column = names.index("translationese.pattern_score")
    wording_column = names.index("translationese.wording_score")
    block_column = _optional_column(names, "translationese.worst_block_wording")
    page_column = _optional_column(names, "translationese.page_score")
    pages = patterns.pages if page_column else None
    wording_rows = np.array([learns_wording(kind) for kind in kinds or ()], dtype=bool)
    if len(wording_rows) != len(labels):
        wording_rows = np.zeros(len(labels), dtype=bool)
    page_rows = np.array([learns_page(kind) for kind in kinds or ()], dtype=np.int64)
    if len(page_rows) != len(labels):
        page_rows = np.zeros(len(labels), dtype=np.int64)
    stacked = matrix.copy()
    stacked[:, [wording_column, *block_column, *page_column]] = 0.0
    for train_index, test_index in _group_folds(groups, labels, folds, seed):
        coef, bias = _fit_patterns(
            patterns.documents[train_index], labels[train_index], weights[train_index]
        )
        stacked[test_index, column] = (patterns.documents[test_index] @ coef + bias) / SCORE_SCALE
        wording = _fit_wording(patterns, labels, weights, train_index[wording_rows[train_index]])
        if wording is not None:
            mean, worst = patterns[test_index].wording_columns(*wording)
            stacked[test_index, wording_column] = mean / SCORE_SCALE
            stacked[test_index[:, None], block_column] = worst[:, None] / SCORE_SCALE
        if pages is not None:
            counts = np.zeros(len(labels), dtype=np.int64)
            counts[train_index] = page_rows[train_index]
            page = _fit_page(pages, labels, counts)
            if page is not None:
                logits = _page_logits(page, pages, test_index)
                stacked[test_index[:, None], page_column] = logits[:, None] / SCORE_SCALE
    coef, bias = _fit_patterns(patterns.documents, labels, weights)
    resources.pattern_weights = coef
    resources.pattern_bias = bias
    wording = _fit_wording(patterns, labels, weights, np.flatnonzero(wording_rows))
    resources.wording_weights, resources.wording_bias = wording or (None, 0.0)
    page = _fit_page(pages, labels, page_rows) if pages is not None else None
    resources.page_model = page.head if page is not None else None
    return stacked


def _optional_column(names: tuple[str, ...], name: str) -> list[int]:
    """``[index of name]``, or ``[]`` for a model fitted without that feature."""
    return [names.index(name)] if name in names else []


def apply_patterns(
    matrix: np.ndarray, patterns: PatternMatrices, resources: Resources, names: tuple[str, ...]
) -> np.ndarray:
    """Fill the translationese columns with the fitted models (for held-out rows)."""
    from detector.features.translationese import SCORE_SCALE

    if resources.pattern_weights is None:
        raise TrainingDataError("the pattern model is not fitted yet")
    column = names.index("translationese.pattern_score")
    result = matrix.copy()
    result[:, column] = (
        patterns.documents @ resources.pattern_weights + resources.pattern_bias
    ) / SCORE_SCALE
    wording_column = names.index("translationese.wording_score")
    block_column = _optional_column(names, "translationese.worst_block_wording")
    result[:, [wording_column, *block_column]] = 0.0
    if resources.wording_weights is not None:
        mean, worst = patterns.wording_columns(resources.wording_weights, resources.wording_bias)
        result[:, wording_column] = mean / SCORE_SCALE
        result[:, block_column] = worst[:, None] / SCORE_SCALE
    page_column = _optional_column(names, "translationese.page_score")
    if page_column:
        result[:, page_column] = 0.0
        if resources.page_model is not None:
            if patterns.pages is None:
                raise TrainingDataError("the page model is fitted but the rows have no page counts")
            page = _page_parts(resources.page_model, patterns.pages)
            rows = np.arange(patterns.pages.texts)
            result[:, page_column] = _page_logits(page, patterns.pages, rows)[:, None] / SCORE_SCALE
    return result


def _page_parts(head: Any, pages: PageCounts) -> Any:
    """A fitted page model with the columns of ``pages`` its n-grams are, to score from counts."""
    from detector.train_mt_head import FittedParts

    def columns(known: np.ndarray, ngrams: tuple[str, ...]) -> np.ndarray:
        wanted = np.array(ngrams, dtype=object)
        found = np.searchsorted(known, wanted) if len(wanted) else np.zeros(0, dtype=np.int64)
        if len(wanted) and not (known[np.minimum(found, len(known) - 1)] == wanted).all():
            raise TrainingDataError("the page model reads n-grams these counts do not hold")
        return np.asarray(found, dtype=np.int64)

    return FittedParts(
        head, columns(pages.classes.ngrams, head.ngrams),
        columns(pages.lexical.ngrams, head.lexical_ngrams),
    )  # fmt: skip


@dataclass
class FitResult:
    """A fitted model with its out-of-fold scores (for the card's metrics)."""

    model: Model
    oof_scores: np.ndarray
    cv_metrics: dict[str, Any]


#: Features whose higher values only ever mean more artifacts: the trees are
#: constrained to be monotone in them, so more evidence never lowers a score
#: (and a generator's quirks cannot teach the opposite). Fluency measures
#: (surprisal, sentence length, word frequency) stay unconstrained: fluent
#: neural MT is *more* predictable than human text, round trips less.
INCREASING_FEATURES = frozenset(
    {
        "tickers.bad_suffix_share", "tickers.glued_suffix_rate", "tickers.lowercase_code_rate",
        "tickers.unbalanced_rate", "tickers.split_code_rate", "tickers.orphan_code_rate",
        "tickers.anomaly_share",
        "casing.lowercase_proper_noun_rate", "casing.capitalised_common_word_rate",
        "casing.name_case_flip_rate", "casing.anomaly_per_sentence",
        "casing.lowercase_sentence_start_share",
        "phrases.slip_rate", "phrases.tortured_rate", "phrases.year_as_12_months_rate",
        "phrases.month_as_modal_rate", "phrases.spin_syntax_rate", "phrases.total_rate",
        "phrases.sentence_share",
        "phrasing.unseen_bigram_share", "phrasing.unseen_trigram_share",
        "phrasing.class_unseen_4gram_share", "phrasing.rough_window_share",
        "phrasing.odd_word_share", "phrasing.doubled_word_rate",
        "phrasing.dangling_function_rate", "phrasing.spacing_damage_rate",
        "lexicon.foreign_word_rate", "lexicon.spelling_mix", "lexicon.glued_word_rate",
        "translationese.pattern_score",
        "translationese.page_score",
        "homoglyphs.mixed_script_word_rate", "homoglyphs.invisible_char_rate",
        "substitution.swap_share", "substitution.strong_swap_share",
        "substitution.mean_log_ratio", "substitution.swap_rate",
        "pronouns.organisation_as_person_rate", "pronouns.organisation_as_person_share",
        "spinner.known_swap_rate", "spinner.name_swap_rate", "spinner.sentence_share",
        "spinner.swap_cluster", "spinner.swap_pair",
    }
)  # fmt: skip


#: Evidence that people do not produce, by mistake or by style, and that a
#: round trip or a spinner does: candidates for an evidence floor (see
#: :mod:`detector.model`). A candidate gets its floor only where the training
#: data bear it out (:func:`evidence_floors`). Lower-cased names and odd
#: wording are not here: learners and informal writers produce them too.
FLOOR_CANDIDATES = frozenset(
    {
        # a suffix glued to the next word: (3402.The others
        "tickers.glued_suffix_rate",
        # (3402.TK): codes are copied from a quote system, and none prints an
        # exchange that does not exist
        "tickers.bad_suffix_share",
        # (3402.t): codes are copied, not typed, so people keep their case
        "tickers.lowercase_code_rate",
        # (XOM. N): split on the dot by a translator's tokenizer
        "tickers.split_code_rate",
        # spinner slips inside names and fixed phrases: Nationwide Guard
        "phrases.slip_rate",
        # tortured phrases: counterfeit consciousness
        "phrases.tortured_rate",
        # final 12 months (for last year), anchored on context only the slip has
        "phrases.year_as_12_months_rate",
        # on Could 5 (for May 5)
        "phrases.month_as_modal_rate",
        # unresolved spin syntax: {quick|fast}
        "phrases.spin_syntax_rate",
        # a cluster of a spinner's known swaps, each where the original phrase
        # fits its neighbours and the swapped one does not: sport of Xbox
        # Sport Move, advised Forbes, the sport's producer
        "spinner.swap_cluster",
        # a pivot-language phrase run together: materialdetecnologia
        "lexicon.glued_word_rate",
        # Cyrillic or Greek look-alikes inside a Latin word: a scraper's disguise
        "homoglyphs.mixed_script_word_rate",
    }
)

#: A candidate's floor must reach this, or the feature gets none: a lower
#: floor would say little that the trees do not.
MINIMUM_FLOOR = 0.9


def evidence_floors(
    matrix: np.ndarray, labels: np.ndarray, names: Sequence[str]
) -> dict[str, float]:
    """The floor of each candidate feature: how likely a text in which it fires is spun.

    Counted in the training data and stated for even prior odds, like the
    calibrated score: the share of spun texts among those in which the
    feature fired, each label weighed by its total, with one clean text
    added to the count so that a feature never seen in clean text still
    gets a floor below 1 (the fewer spun texts it fired in, the lower).

    >>> matrix = np.array([[1.0], [2.0], [0.0], [0.0]] * 50)
    >>> labels = np.array([1, 1, 0, 0] * 50)
    >>> evidence_floors(matrix, labels, ["phrases.spin_syntax_rate"])
    {'phrases.spin_syntax_rate': 0.990099}
    """
    labels = np.asarray(labels)
    spun_total, clean_total = int((labels == 1).sum()), int((labels == 0).sum())
    floors: dict[str, float] = {}
    if not spun_total or not clean_total:
        return floors
    for column, name in enumerate(names):
        if name not in FLOOR_CANDIDATES:
            continue
        fired = matrix[:, column] > 0
        spun = int((fired & (labels == 1)).sum())
        clean = int((fired & (labels == 0)).sum())
        ratio = (spun / spun_total) / ((clean + 1) / clean_total)
        floor = ratio / (1.0 + ratio)
        if floor >= MINIMUM_FLOOR:
            floors[name] = round(floor, 6)
    return floors


def _trees(seed: int, n_samples: int, names: Sequence[str]) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        monotonic_cst=[1 if name in INCREASING_FEATURES else 0 for name in names],
        max_depth=TREE_DEPTH,
        # scikit-learn's default of 20 leaves a small labelled set unsplittable
        min_samples_leaf=max(2, min(20, n_samples // 10)),
        max_iter=TREE_ITERATIONS,
        learning_rate=LEARNING_RATE,
        class_weight="balanced",
        random_state=seed,
    )


def clean_threshold(
    probabilities: np.ndarray,
    labels: np.ndarray,
    kinds: Sequence[str] | None = None,
    targets: Mapping[str, float] | None = None,
) -> float:
    """The lowest threshold that keeps new texts of every clean kind under the target rate.

    Taken per kind (originals, human translations, ...) rather than pooled,
    so that a large easy kind cannot hide a small hard one. Never below 0.5.
    A kind's out-of-fold texts are a sample: a threshold that flags exactly
    1% of them flags about as many new texts above 1% as below. So each
    kind's threshold flags one standard error fewer (:func:`flag_share`).

    ``targets`` sets another false-positive target for some kinds (by name;
    the rest keep :data:`TARGET_FALSE_POSITIVE_RATE`).

    >>> clean_threshold(np.array([0.1, 0.2, 0.9, 0.3]), np.array([0, 0, 1, 0]))
    0.5
    """
    kinds = kinds if kinds is not None else ["clean"] * len(labels)
    kind_array = np.asarray(kinds)
    threshold = 0.5
    for kind in sorted(set(kind_array[labels == 0].tolist())):
        scores = probabilities[(labels == 0) & (kind_array == kind)]
        if len(scores) >= 50:  # a quantile of fewer texts is noise
            target = (targets or {}).get(kind, TARGET_FALSE_POSITIVE_RATE)
            quantile = float(np.quantile(scores, 1.0 - flag_share(len(scores), target))) + 1e-6
            threshold = max(threshold, quantile)
    return threshold


def flag_share(n: int, target: float = TARGET_FALSE_POSITIVE_RATE) -> float:
    """Share of ``n`` out-of-fold clean texts a threshold may flag, to meet ``target`` on new ones.

    The target less one standard error of a share measured on ``n`` texts,
    and never under half the target.

    >>> round(flag_share(2400), 4), round(flag_share(100), 4)
    (0.008, 0.005)
    """
    return max(target - float(np.sqrt(target * (1.0 - target) / n)), target / 2)


def fit(
    matrix: np.ndarray,
    labels: np.ndarray,
    groups: Sequence[str],
    resources: Resources,
    *,
    names: tuple[str, ...] | None = None,
    weights: np.ndarray | None = None,
    kinds: Sequence[str] | None = None,
    folds: int = 5,
    seed: int = 0,
    targets: Mapping[str, float] | None = None,
    linear: bool = False,
) -> FitResult:
    """Grouped cross-validation, Platt calibration, threshold, final fit.

    ``kinds`` (one per row) lets the threshold keep every kind of clean text
    under the target false-positive rate. ``linear`` adds the
    :func:`linear_terms` (off by default: measured in the README, they lift
    human translations with the round trips).
    """
    names = names or feature_names()
    labels = np.asarray(labels, dtype=int)
    if len(set(labels.tolist())) < 2:
        raise TrainingDataError("training data needs both labels (spun and clean)")
    weights = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=float)
    splits = _group_folds(groups, labels, folds, seed)
    oof = np.zeros(len(labels))
    for train_index, test_index in splits:
        classifier = _trees(seed, len(train_index), names)
        classifier.fit(matrix[train_index], labels[train_index], sample_weight=weights[train_index])
        oof[test_index] = classifier.decision_function(matrix[test_index])

    from sklearn.linear_model import LogisticRegression

    # Calibrated for even prior odds: the share of spun texts in synthetic
    # training data says nothing about the share in a user's corpus.
    platt = LogisticRegression(max_iter=1000, class_weight="balanced")
    platt.fit(oof[:, None], labels)
    slope, offset = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    linear_features, linear_weights, linear_knots = linear_terms(
        slope * oof + offset, matrix, labels, names, kinds if linear else None, weights
    )
    if len(linear_features):
        # calibrated again over every row, the linear terms' weight kept relative
        added = (
            slope * oof
            + offset
            + hinged_terms(matrix, linear_features, linear_weights, linear_knots)
        )
        again = LogisticRegression(max_iter=1000, class_weight="balanced")
        again.fit(added[:, None], labels)
        scale, shift = float(again.coef_[0, 0]), float(again.intercept_[0])
        slope, offset = scale * slope, scale * offset + shift
        linear_weights = scale * linear_weights
    logits = (
        slope * oof + offset + hinged_terms(matrix, linear_features, linear_weights, linear_knots)
    )
    floors = evidence_floors(matrix, labels, names)
    floor_features = np.array([names.index(name) for name in floors], dtype=np.int64)
    floor_probabilities = np.array(list(floors.values()), dtype=np.float64)
    probabilities = apply_floors(
        1.0 / (1.0 + np.exp(-logits)), matrix, floor_features, floor_probabilities
    )
    threshold = clean_threshold(probabilities, labels, kinds, targets)

    final = _trees(seed, len(labels), names)
    final.fit(matrix, labels, sample_weight=weights)
    model = Model(
        feature_names=names,
        reference=np.where(
            [name in INCREASING_FEATURES for name in names], 0.0, matrix.mean(axis=0)
        ),
        trees=TreeEnsemble.from_sklearn(final),
        calibration=(slope, offset),
        threshold=round(min(threshold, 0.99), 4),
        resources=resources,
        floor_features=floor_features,
        floor_probabilities=floor_probabilities,
        linear_features=linear_features,
        linear_weights=linear_weights,
        linear_knots=linear_knots,
    )
    from detector.metrics import binary_metrics

    cv = binary_metrics(labels, probabilities, model.threshold, n_bootstrap=200, seed=seed)
    cv["folds"] = len(splits)
    return FitResult(model=model, oof_scores=probabilities, cv_metrics=cv)


#: Columns that join the calibrated logit with a weight of their own
#: (:func:`linear_terms`), each above its knot: the page model's score
#: where the page model leans towards spun (a logit above 0).
LINEAR_FEATURES = {"translationese.page_score": 0.0}


def linear_terms(
    logits: np.ndarray,
    matrix: np.ndarray,
    labels: np.ndarray,
    names: Sequence[str],
    kinds: Sequence[str] | None,
    weights: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The columns, weights and knots of :data:`LINEAR_FEATURES` in the calibrated logit.

    The page model is learnt from real pages; the trees, fitted on every
    row, most of them generated, leave its score mostly unused where it
    matters (the fluent round trips of real pages, which carry no slip).
    So it also joins the calibrated logit directly where it leans towards
    spun: ``logit + w * max(score - knot, 0)``. Below its knot it adds
    nothing, so clean news, which the page model knows as clean, keeps its
    score. ``w >= 0`` is the weight that fits best (with a shift of the
    logit, not kept) the rows the page model learns from
    (:func:`learns_page`: real pages and clean news), by weighted log-loss,
    with the trees' out-of-fold ``logits`` and the column's out-of-fold
    values (:func:`stack_patterns`); :func:`fit` then calibrates the sum
    again over every row. Empty terms when no such row, one label among
    them, or no value above its knot (no page model).

    >>> rows = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> found, weight, knot = linear_terms(np.zeros(4), rows, np.array([0, 0, 1, 1]),
    ...                                    ("translationese.page_score",),
    ...                                    ["web:human_other", "original", "web:mixed",
    ...                                     "web:round_trip"], np.ones(4))
    >>> found.tolist(), bool(weight[0] > 1.0), knot.tolist()
    ([0], True, [0.0])
    """
    none = np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    chosen = [(names.index(name), knot) for name, knot in LINEAR_FEATURES.items() if name in names]
    if kinds is None or not chosen:
        return none
    columns = np.array([column for column, _ in chosen], dtype=np.int64)
    knots = np.array([knot for _, knot in chosen], dtype=np.float64)
    rows = np.array([learns_page(kind) > 0 for kind in kinds], dtype=bool)
    values = np.maximum(matrix[np.ix_(rows, columns)] - knots, 0.0)
    if len(set(labels[rows].tolist())) < 2 or not values.any():
        return none
    from scipy.optimize import minimize

    target, offset, weight = labels[rows].astype(float), logits[rows], weights[rows]

    def loss(parameters: np.ndarray) -> tuple[float, np.ndarray]:
        z = offset + values @ parameters[:-1] + parameters[-1]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        # the log-loss and its gradient, each row weighted
        log_loss = np.logaddexp(0.0, z) - target * z
        residual = weight * (p - target)
        gradient = np.append(values.T @ residual, residual.sum())
        return float(weight @ log_loss), gradient

    start = np.zeros(len(columns) + 1)
    bounds = [(0.0, None)] * len(columns) + [(None, None)]
    found = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    coefficients = np.asarray(found.x, dtype=np.float64)[:-1]
    kept = coefficients > 0
    if not kept.any():
        return none
    return columns[kept], coefficients[kept], knots[kept]


def data_hash(samples: Sequence[Sample]) -> str:
    """SHA-256 over ids, labels and texts, in order: identifies a training set."""
    digest = hashlib.sha256()
    for sample in samples:
        digest.update(f"{sample.id}\t{sample.label}\t".encode())
        digest.update(sample.text.encode("utf-8", "replace"))
        digest.update(b"\n")
    return digest.hexdigest()


def base_card(samples: Sequence[Sample], description: str) -> dict[str, Any]:
    """The card fields that describe the package and the training data."""
    import sklearn

    kinds: dict[str, int] = {}
    for sample in samples:
        kinds[sample.kind] = kinds.get(sample.kind, 0) + 1
    return {
        "name": None,
        "package_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "classifier": f"gradient-boosted trees (depth {TREE_DEPTH}, up to {TREE_ITERATIONS} "
        "iterations), Platt-calibrated on grouped out-of-fold scores, with evidence floors; "
        "the translationese page model's score joins the calibrated logit with a weight "
        "learnt out of fold on the real pages and clean news (when the data has them)",
        "training_data": {
            "description": description,
            "samples": len(samples),
            "positives": sum(s.label for s in samples),
            "negatives": sum(1 - s.label for s in samples),
            "groups": len({s.group for s in samples}),
            "kinds": dict(sorted(kinds.items())),
            "sha256": data_hash(samples),
        },
    }


def kind_weights(samples: Sequence[Sample]) -> np.ndarray:
    """Sample weights that give every kind (generator) the same total weight within its label.

    Without them the most prolific generator would dominate what the model
    learns; with them a real neural-MT kind counts as much as each Apertium
    pivot.

    >>> s = [Sample(i, "", 1, "g", kind) for i, kind in (("a", "x"), ("b", "x"), ("c", "y"))]
    >>> kind_weights(s).round(2).tolist()
    [0.75, 0.75, 1.5]
    """
    cells: dict[tuple[int, str], int] = {}
    for sample in samples:
        cells[(sample.label, sample.kind)] = cells.get((sample.label, sample.kind), 0) + 1
    kinds_per_label = {label: sum(1 for lab, _ in cells if lab == label) for label in (0, 1)}
    per_label = {label: sum(n for (lab, _), n in cells.items() if lab == label) for label in (0, 1)}
    return np.array(
        [
            per_label[s.label] / (kinds_per_label[s.label] * cells[(s.label, s.kind)])
            for s in samples
        ]
    )


def _held_for_language_model(group: str, share: float, seed: int) -> bool:
    digest = hashlib.sha256(f"{seed}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def split_language_model_texts(
    samples: Sequence[Sample], share: float, seed: int = 0
) -> tuple[list[str], list[Sample]]:
    """Set aside the clean texts of a share of groups for the language models.

    Those groups leave the classifier's data entirely, so that no clean text
    the classifier sees was also learnt by the language models.
    """
    language_model: list[str] = []
    kept: list[Sample] = []
    for sample in samples:
        if _held_for_language_model(sample.group, share, seed):
            if sample.label == 0:
                language_model.append(sample.text)
        else:
            kept.append(sample)
    return language_model, kept


#: Clean words below which language models built from them know too little
#: English (most word sequences of a new text would be unseen): the shipped
#: model's were built from millions.
MIN_LANGUAGE_MODEL_WORDS = 200_000
#: Rows of a label below which the trees, the threshold and the evidence
#: floors rest on too few cases to carry over to new text.
MIN_ROWS_PER_LABEL = 200


def reusable_resources(model: Model) -> Resources:
    """The corpus-derived resources of ``model``, without what its labels fitted.

    Language models, vocabulary, word frequencies, foreign words, name lists,
    collocations, known names and the synonym table come from clean text and carry over to
    any training data, and so does the spinner swap table (swaps learnt from
    new labels are added to it); the translationese pattern and wording
    models were fitted on the model's own labels, so they are left to be
    fitted again. The model's own resources are not changed (loaded models
    are shared).

    >>> from detector.model import load_model
    >>> shipped = load_model()
    >>> reused = reusable_resources(shipped)
    >>> reused.vocabulary is shipped.resources.vocabulary, reused.pattern_weights is None
    (True, True)
    >>> shipped.resources.pattern_weights is not None
    True
    """
    return dataclasses.replace(
        model.resources,
        pattern_weights=None,
        pattern_bias=0.0,
        wording_weights=None,
        wording_bias=0.0,
        token_memo={},
    )


def resources_card(resources: Resources, origin: dict[str, Any]) -> dict[str, Any]:
    """What the card says about a model's resources: what they hold and where from.

    ``origin`` says where the corpus-derived parts came from; the pattern and
    wording models are always fitted on the training labels.
    """
    fitted = ["translationese pattern model"]
    if resources.wording_weights is not None:
        fitted.append("translationese wording model")
    if resources.page_model is not None:
        fitted.append("translationese page model")
    return {
        **origin,
        "corpus_derived": {
            "vocabulary": len(resources.vocabulary),
            "english_word_frequencies": len(resources.english_zipf),
            "foreign_words": len(resources.foreign_words),
            "proper_words": len(resources.proper_words),
            "it_names": len(resources.it_names),
            "name_pairs": len(resources.name_pairs),
            "synonym_table": resources.synonym_offsets is not None,
            "collocations": resources.collocations is not None,
            "known_names": 0 if resources.known_names is None else len(resources.known_names),
            "spinner_swaps": 0 if resources.swap_table is None else len(resources.swap_table),
        },
        "fitted_on_these_labels": fitted,
        **(
            {
                "page_model": {
                    "class_ngrams": len(resources.page_model.ngrams),
                    "lexical_ngrams": len(resources.page_model.lexical_ngrams),
                    "lexicon_words": len(resources.page_model.lexicon),
                    "learns_from": "real web pages (kinds web:*, each counted "
                    f"{PAGE_WEB_WEIGHT} times) and clean news originals among the rows, "
                    "and the extra documents the recipe gives it",
                }
            }
            if resources.page_model is not None
            else {}
        ),
    }


def _warn_if_small(
    samples: Sequence[Sample], language_model_texts: Sequence[str] | None, say: Any
) -> None:
    """Say how many rows of each label there are, and warn when that, or the corpus, is small."""
    spun = sum(sample.label for sample in samples)
    clean = len(samples) - spun
    say(f"training rows: {spun:,} spun, {clean:,} clean")
    if min(spun, clean) < MIN_ROWS_PER_LABEL:
        say(
            f"warning: {min(spun, clean):,} {'spun' if spun < clean else 'clean'} rows: the "
            f"threshold and the trees rest on few cases (at least {MIN_ROWS_PER_LABEL:,} of "
            "each label are advisable)"
        )
    if language_model_texts is not None:
        words = sum(len(text.split()) for text in language_model_texts)
        if words < MIN_LANGUAGE_MODEL_WORDS:
            say(
                f"warning: language models from {len(language_model_texts):,} texts "
                f"({words:,} words) know little English (at least "
                f"{MIN_LANGUAGE_MODEL_WORDS:,} words are advisable); reuse an existing "
                "model's resources instead (`detector train` without --lm-corpus)"
            )


def train(
    samples: Sequence[Sample],
    *,
    language_model_texts: Sequence[str] | None = None,
    resources_from: Model | None = None,
    language_model_share: float = 0.3,
    jobs: int = 1,
    seed: int = 0,
    description: str = "",
    log: Any = None,
    swaps: Sequence[tuple[str, str]] = (),
) -> tuple[FitResult, dict[str, Any]]:
    """Get resources, featurise, cross-validate and fit; returns the result and its card.

    The corpus-derived resources are ``resources_from``'s when given (see
    :func:`reusable_resources`), else built from ``language_model_texts``,
    else from the clean rows of ``language_model_share`` of the groups (then
    kept out of the classifier's data).

    Spun rows whose ``pair`` field names a clean row of the data are aligned
    with it, and the substitutions found (with ``swaps``, pairs of original
    and spun phrases given outright) become the spinner family's swap table
    (added to the reused model's, if it has one). The rows that taught it
    are featurised without their own swaps (:func:`cross_fit_swaps`), as the
    pages the model will score are.
    """
    say = log or (lambda message: None)
    if resources_from is not None and language_model_texts is not None:
        raise ValueError("give language_model_texts or resources_from, not both")
    origin: dict[str, Any]
    if resources_from is not None:
        resources = reusable_resources(resources_from)
        origin = {
            "source": "reused",
            "model": resources_from.card.get("name"),
            "model_sha256": resources_from.card.get("sha256"),
            "language_model_texts": resources_from.card.get("language_model_texts"),
        }
        _warn_if_small(samples, None, say)
        say(
            f"resources reused from model {origin['model']}: {len(resources.vocabulary):,} "
            "words, its language models, name lists and synonym table"
        )
    else:
        origin = {"source": "built", "language_model_texts": None}
        if language_model_texts is None:
            language_model_texts, samples = split_language_model_texts(
                samples, language_model_share, seed
            )
            origin["from"] = f"clean rows of {language_model_share:.0%} of the groups"
            say(
                f"language models: {len(language_model_texts)} clean texts of "
                f"{language_model_share:.0%} of the groups, kept out of the classifier's data"
            )
        else:
            origin["from"] = "clean texts given for the language models"
        if not language_model_texts:
            raise TrainingDataError("no clean text left to train the language models on")
        origin["language_model_texts"] = len(language_model_texts)
        _warn_if_small(samples, language_model_texts, say)
        from detector.build import build_resources

        resources = build_resources(language_model_texts)
        say(f"language models built: {len(resources.vocabulary)} words")
        from detector.collocations import Collocations

        resources.collocations = Collocations.build(language_model_texts)
        from detector.known_names import KnownNames

        resources.known_names = KnownNames.build(language_model_texts)
    reused = resources.swap_table
    learnt = paired_substitutions(samples)
    found = unpaired_candidates(samples, resources)
    entries = unpaired_entries(samples, found)
    table = learn_swap_table(samples, extra=swaps, learnt=learnt, unpaired=entries)
    words = {entry for entry in entries if entry[0]}  # the rest are names (empty original)
    if table is not None:
        resources.swap_table = table if reused is None else reused.merged(table)
        say(
            f"spinner swaps learnt: {len(table)}, {len(words)} of them from spun rows "
            f"without their originals; {len(table.spun_names)} names only spun rows write"
        )
    origin["swaps_learnt"] = 0 if table is None else len(table)
    origin["swaps_learnt_without_originals"] = len(words)
    origin["spun_names_learnt"] = 0 if table is None else len(table.spun_names)
    names = feature_names()
    matrix = featurize([s.text for s in samples], resources, names=names, jobs=jobs)
    if learnt or entries:

        def table_of(
            pairs: list[tuple[str, str]], unpaired: Sequence[tuple[str, str]] = ()
        ) -> SwapTable:
            own = SwapTable.from_pairs([*pairs, *swaps], unpaired=unpaired)
            return own if reused is None else reused.merged(own)

        def entries_of(ids: list[str]) -> list[tuple[str, str]]:
            return unpaired_entries(samples, found, ids)

        cross_fit_swaps(
            matrix, samples, names, resources, learnt, table_of,
            lambda index: Document.of(samples[index].text), folds=CROSS_FIT_FOLDS,
            unpaired=entries_of if entries else None,
        )  # fmt: skip
    say(f"features: {matrix.shape[0]} samples x {matrix.shape[1]} features")
    labels = np.array([s.label for s in samples])
    groups = [s.group for s in samples]
    weights = kind_weights(samples)
    patterns = pattern_matrix([s.text for s in samples], resources)
    # the page model learns from the real pages and clean originals among the rows
    if len({s.label for s in samples if learns_page(s.kind)}) == 2:
        patterns.pages = page_counts([s.text for s in samples])
    matrix = stack_patterns(
        matrix, patterns, labels, groups, resources, names=names, weights=weights,
        kinds=[s.kind for s in samples], seed=seed,
    )  # fmt: skip
    say("pattern model fitted")
    result = fit(
        matrix, labels, groups, resources, names=names, weights=weights,
        kinds=[s.kind for s in samples], seed=seed,
    )  # fmt: skip
    card = base_card(samples, description)
    card["language_model_texts"] = origin["language_model_texts"]
    card["resources"] = resources_card(resources, origin)
    card["cross_validation"] = result.cv_metrics
    return result, card


def paired_substitutions(samples: Sequence[Sample]) -> dict[str, list[tuple[str, str]]]:
    """The substitutions of each spun row paired with its original, by the spun row's id.

    A spun row (label 1) pairs with the clean row whose id its ``pair``
    field holds; :func:`detector.swaps.substitutions` aligns the two.

    >>> rows = [Sample("o", "She told Forbes about the game.", 0, "g", "original"),
    ...         Sample("s", "She advised Forbes about the sport.", 1, "g", "spin", {"pair": "o"})]
    >>> paired_substitutions(rows)
    {'s': [('told', 'advised'), ('game', 'sport')]}
    """
    from detector.swaps import substitutions

    by_id = {sample.id: sample for sample in samples}
    found = {}
    for sample in samples:
        partner = by_id.get(str(sample.fields.get("pair") or ""))
        if sample.label == 1 and partner is not None and partner.label == 0:
            found[sample.id] = substitutions(partner.text, sample.text)
    return {key: pairs for key, pairs in found.items() if pairs}


def learn_swap_table(
    samples: Sequence[Sample],
    *,
    extra: Iterable[tuple[str, str]] = (),
    learnt: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    unpaired: Iterable[tuple[str, str]] = (),
) -> SwapTable | None:
    """A swap table from the spun rows paired with their originals, plus ``extra`` pairs.

    The rows' substitutions are :func:`paired_substitutions` (``learnt``,
    where the caller has them already); ``unpaired`` adds the entries learnt
    without originals (:func:`unpaired_entries`). None when none of them
    gives a usable substitution.

    >>> rows = [Sample("o", "She told Forbes about the game.", 0, "g", "original"),
    ...         Sample("s", "She advised Forbes about the sport.", 1, "g", "spin", {"pair": "o"})]
    >>> learn_swap_table(rows).spun
    ('sport', 'advised')
    """
    learnt = paired_substitutions(samples) if learnt is None else learnt
    table = SwapTable.from_pairs(
        [*extra, *(pair for pairs in learnt.values() for pair in pairs)], unpaired=unpaired
    )
    return table if len(table) else None


def unpaired_candidates(
    samples: Sequence[Sample], resources: Resources
) -> dict[str, list[tuple[str, str]]]:
    """The thesaurus candidates (:func:`detector.thesaurus.candidates`) of every row, by id."""
    from detector.thesaurus import candidates

    if resources.synonym_offsets is None or resources.collocations is None:
        return {}
    return {sample.id: candidates(Document.of(sample.text), resources) for sample in samples}


def unpaired_entries(
    samples: Sequence[Sample],
    found: Mapping[str, Sequence[tuple[str, str]]],
    ids: Iterable[str] | None = None,
    *,
    clean: Iterable[Sequence[tuple[str, str]]] = (),
) -> list[tuple[str, str]]:
    """The thesaurus entries the rows (those of ``ids``, or all) teach without originals.

    The spun rows' candidates (``found``, by id) count by group, the clean
    rows' are the clean texts an entry must stay out of, with the
    candidates of the further clean texts ``clean``
    (:func:`detector.thesaurus.learn`).

    >>> rows = [Sample(f"s{g}", "", 1, g, "spin") for g in "ab"] + [Sample("c", "", 0, "c", "x")]
    >>> found = {"sa": [("right", "proper")], "sb": [("right", "proper")], "c": []}
    >>> unpaired_entries(rows, found), unpaired_entries(rows, found, ["sa", "c"])
    ([('right', 'proper'), ('right', 'proper')], [])
    """
    from detector.thesaurus import learn

    chosen = None if ids is None else set(ids)
    spun: dict[str, list[Sequence[tuple[str, str]]]] = {}
    clean_texts = list(clean)
    for sample in samples:
        if sample.id not in found or (chosen is not None and sample.id not in chosen):
            continue
        if sample.label == 1:
            spun.setdefault(sample.group, []).append(found[sample.id])
        else:
            clean_texts.append(found[sample.id])
    return learn(spun, clean_texts)


#: Folds of the groups whose rows taught the swap table (:func:`cross_fit_swaps`)
#: in ``detector train``: each fold's rows are counted with a table learnt from the others.
CROSS_FIT_FOLDS = 20


def cross_fit_swaps(
    matrix: np.ndarray,
    samples: Sequence[Sample],
    names: Sequence[str],
    resources: Resources,
    learnt: Mapping[str, Sequence[tuple[str, str]]],
    table_of: Callable[..., SwapTable],
    document_of: Callable[[int], Document],
    *,
    pooled: np.ndarray | None = None,
    folds: int | None = None,
    unpaired: Callable[[list[str]], list[tuple[str, str]]] | None = None,
) -> None:
    """The spinner columns of the rows that taught the swap table, counted without their own swaps.

    A spun row whose substitutions (``learnt``, by row id) are in the table
    finds every one of them again in its own text: more swaps than any page
    the model will score shows, so trees fitted on such rows learn to wait
    for that many. So the rows of each group that taught the table get
    their columns of ``matrix`` (rewritten in place) from ``table_of`` the
    substitutions of the other groups only, as a new page meets a table that
    never saw it. ``pooled`` marks the rows whose substitutions the table
    holds (all when None); ``folds`` joins the groups into that many folds
    by a hash of their name (None: each group on its own). ``unpaired``,
    given the ids of the other groups' pooled rows, returns the entries the
    table learnt from them without originals (:mod:`detector.thesaurus`),
    passed on as ``table_of(pairs, unpaired=entries)``: then every pooled
    group is counted again, as its texts count towards those entries
    whether or not it was paired.

    >>> rows = [Sample("o", "She told Forbes about the game.", 0, "g", "original"),
    ...         Sample("s", "She advised Forbes about the sport.", 1, "g", "spin", {"pair": "o"})]
    >>> from detector.collocations import Collocations
    >>> resources = Resources.empty()
    >>> resources.collocations = Collocations.build(["she told forbes about the game"] * 20)
    >>> names = list(spinner.FEATURE_NAMES)
    >>> learnt = paired_substitutions(rows)
    >>> resources.swap_table = SwapTable.from_pairs(learnt["s"])
    >>> matrix = np.full((2, len(names)), 9.0)
    >>> cross_fit_swaps(matrix, rows, names, resources, learnt, SwapTable.from_pairs,
    ...                 lambda i: Document.of(rows[i].text))
    >>> matrix.tolist()  # the only group that taught the table counts with an empty one
    [[0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]]
    """
    columns = [names.index(name) for name in spinner.FEATURE_NAMES if name in names]
    if not columns:
        return
    keep = [spinner.FEATURE_NAMES.index(names[column]) for column in columns]
    pooled = np.ones(len(samples), dtype=bool) if pooled is None else pooled

    def fold_of(group: str) -> str:
        if folds is None:
            return group
        digest = hashlib.sha256(f"swap-fold:{group}".encode()).digest()
        return str(int.from_bytes(digest[:8], "big") % folds)

    keys = [
        fold_of(sample.group) if inside else None
        for sample, inside in zip(samples, pooled, strict=True)
    ]
    pairs_of: dict[str, list[tuple[str, str]]] = {}
    ids_of: dict[str, list[str]] = {}
    for sample, key in zip(samples, keys, strict=True):
        if key is not None:
            pairs_of.setdefault(key, []).extend(learnt.get(sample.id, ()))
            ids_of.setdefault(key, []).append(sample.id)
    for key in sorted(key for key, pairs in pairs_of.items() if pairs or unpaired):
        rows = [index for index, row_key in enumerate(keys) if row_key == key]
        others = [pair for other, pairs in pairs_of.items() if other != key for pair in pairs]
        if unpaired is None:
            table = table_of(others)
        else:
            ids = [i for other, ids in ids_of.items() if other != key for i in ids]
            table = table_of(others, unpaired=unpaired(ids))
        own = dataclasses.replace(resources, swap_table=table)
        values = spinner.transform([document_of(index) for index in rows], own)
        matrix[np.ix_(rows, columns)] = values[:, keep]


def family_of(kind: str) -> str:
    """The generator family of a document kind, the unit of leave-one-generator-out.

    A family is the kind's prefix before ``:``, except that round trips stay
    apart per pivot language (each pivot leaves its own traces), while every
    partial document and every neural MT system form one family each. A
    document made of sentences of a kind (``document:neural-mt``) belongs to
    that kind's family, so that leaving a generator out leaves out both.

    >>> [family_of(k) for k in ("roundtrip:spa", "roundtrip:cat:2", "spin:0.3",
    ...                         "partial:roundtrip:spa", "neural-mt:online-b", "original")]
    ['roundtrip:spa', 'roundtrip:cat', 'spin', 'partial', 'neural-mt', 'original']
    >>> family_of("document:neural-mt"), family_of("document:human-translation")
    ('neural-mt', 'human-translation')
    """
    if kind.startswith("document:"):
        return family_of(kind.removeprefix("document:"))
    if kind.startswith("partial:"):
        return "partial"
    if kind.startswith("neural-mt"):
        return "neural-mt"
    parts = kind.split(":")
    if parts[0] == "roundtrip" and len(parts) > 1:
        return f"roundtrip:{parts[1]}"
    return parts[0]


def in_test_split(group: str, share: float, salt: str = "test") -> bool:
    """Whether a group falls in the test split: a stable hash, the same on every machine.

    Splitting by group keeps a source document and everything generated from
    it on one side; the salt makes independent splits of the same groups.

    >>> in_test_split("doc-1", 0.0), in_test_split("doc-1", 1.0)
    (False, True)
    >>> sum(in_test_split(f"doc-{i}", 0.2) for i in range(1000))
    217
    """
    digest = hashlib.sha256(f"{salt}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def fit_stacked(
    samples: Sequence[Sample],
    matrix: np.ndarray,
    patterns: Any,
    resources: Resources,
    keep: np.ndarray,
    *,
    names: tuple[str, ...] | None = None,
    seed: int = 0,
    folds: int = 5,
    targets: Mapping[str, float] | None = None,
    boosts: Mapping[str, float] | None = None,
    linear: bool = False,
) -> tuple[FitResult, np.ndarray]:
    """Fit the pattern model and the classifier on the rows in ``keep``; score every row.

    ``matrix`` and ``patterns`` are the features (:func:`featurize`) and the
    pattern matrix (:func:`pattern_matrix`) of all ``samples``, computed once
    and reused by every fit. The pattern model is refitted on the kept rows
    only, into a copy of ``resources``, so that rows left out (a test split,
    a held-out generator) are unseen by both models. Returns the fit and the
    calibrated probability of every row, kept or not. ``boosts`` multiplies
    the weight of the rows of some kinds (by name); ``targets`` sets their
    false-positive target (:func:`clean_threshold`); ``linear`` adds the
    linear terms (:func:`fit`).
    """
    names = names or feature_names()
    keep = np.asarray(keep, dtype=bool)
    labels = np.array([sample.label for sample in samples])
    kept = [sample for sample, kept_row in zip(samples, keep, strict=True) if kept_row]
    groups = [sample.group for sample in kept]
    weights = kind_weights(kept)
    if boosts:
        # a kind that stands for what users score (real pages) may weigh more
        # than one generator's share
        weights = weights * np.array([boosts.get(sample.kind, 1.0) for sample in kept])
    own = dataclasses.replace(resources)  # the pattern weights differ per fit
    stacked = stack_patterns(
        matrix[keep], patterns[keep], labels[keep], groups, own, names=names,
        weights=weights, kinds=[sample.kind for sample in kept], folds=folds, seed=seed,
    )  # fmt: skip
    result = fit(
        stacked, labels[keep], groups, own, names=names, weights=weights,
        kinds=[sample.kind for sample in kept], seed=seed, folds=folds, targets=targets,
        linear=linear,
    )  # fmt: skip
    return result, result.model.probability(apply_patterns(matrix, patterns, own, names))


@dataclass
class GeneratorHoldOut:
    """One round of leave-one-generator-out: a fit without ``family`` and every row's score."""

    family: str
    kept: np.ndarray
    fit: FitResult
    scores: np.ndarray


def leave_one_generator_out(
    samples: Sequence[Sample],
    matrix: np.ndarray,
    patterns: Any,
    resources: Resources,
    train: np.ndarray,
    *,
    names: tuple[str, ...] | None = None,
    seed: int = 0,
    folds: int = 3,
    only: Sequence[str] | None = None,
) -> Iterator[GeneratorHoldOut]:
    """Refit without each generator family in turn (see :func:`family_of`).

    For each family of the spun samples, the pattern model and the
    classifier are fitted on the ``train`` rows of every other family (and
    the clean rows), through :func:`fit_stacked`; the features are computed
    once by the caller. The caller measures each fit on rows it did not
    train on, typically the test rows of the held-out family and the clean
    test rows. Rounds are yielded one at a time, so only one fit is held.
    """
    families = np.array([family_of(sample.kind) for sample in samples], dtype=object)
    labels = np.array([sample.label for sample in samples])
    spun_families = sorted(set(families[labels == 1].tolist()))
    if len(spun_families) < 2:
        raise TrainingDataError(
            "leave-one-generator-out needs spun samples of at least two generator families, "
            f"found {spun_families or 'none'}"
        )
    train = np.asarray(train, dtype=bool)
    for family in spun_families if only is None else only:
        kept = train & (families != family)
        result, scores = fit_stacked(
            samples, matrix, patterns, resources, kept, names=names, seed=seed, folds=folds
        )
        yield GeneratorHoldOut(family=family, kept=kept, fit=result, scores=scores)
