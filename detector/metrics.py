"""Evaluation metrics for a binary scorer: ranking, threshold, calibration.

Everything here works on plain arrays of labels (1 = spun, 0 = clean) and
scores in [0, 1], never on texts, so an evaluation can stream documents
through the scorer and keep only two numbers per document. A document is
labelled spun when ``score >= threshold``.

Bootstrap intervals resample positives and negatives separately (stratified),
so every resample keeps the class balance of the evaluation set and an AUC is
always defined. The AUC of a resample is computed from pre-computed score
ranks and per-resample counts, without sorting again, which keeps 1000
resamples of 100,000 rows to a few seconds.

Layout of the dictionary :func:`binary_metrics` returns (keys are stable;
a value is ``None`` where it is undefined, e.g. precision with no predicted
positives or any AUC with one class absent):

``n``, ``n_positive``, ``n_negative``
    Row counts.
``threshold``
    The decision threshold used for the threshold metrics.
``roc_auc``, ``roc_auc_ci95``
    Area under the ROC curve and its bootstrap 95% interval ``[low, high]``.
``pr_auc``, ``pr_auc_ci95``
    Average precision (area under the precision-recall curve, positives = spun)
    and its interval. It depends on the class balance, unlike ROC AUC.
``auc_reference``
    What the AUCs rank: ``"group"`` (the rows themselves), or, in a
    :func:`breakdown` group with one class only, ``"pooled_negatives"`` or
    ``"pooled_positives"``; ``None`` when no AUC is defined.
``accuracy``, ``precision``, ``recall``, ``f1``, ``false_positive_rate``
    At ``threshold``.
``confusion``
    ``{"tn": int, "fp": int, "fn": int, "tp": int}`` at ``threshold``.
``recall_at_fpr``
    ``{"0.01": {...}, "0.001": {...}}``: for each false-positive-rate budget,
    the best ``recall`` of any threshold whose false-positive rate stays within
    it, that ``threshold`` (the lowest positive score it keeps) and the
    ``false_positive_rate`` actually reached. With fewer than ``1 / budget``
    negatives the budget allows no false positive at all.
``calibration``
    ``{"brier": float, "ece": float, "reliability": [bin, ...]}``: Brier score,
    expected calibration error over 10 equal-width score bins, and per bin
    ``{"low", "high", "count", "mean_score", "observed_rate"}`` (the last two
    ``None`` for an empty bin). Always 10 bins, so tables line up.
``bootstrap``
    ``{"resamples": int, "seed": int, "stratified": True, "level": 0.95}``.

>>> m = binary_metrics([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], threshold=0.5, n_bootstrap=0)
>>> m["roc_auc"], m["confusion"], m["recall"]
(0.75, {'tn': 1, 'fp': 1, 'fn': 1, 'tp': 1}, 0.5)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

#: False-positive-rate budgets reported under ``recall_at_fpr``.
FPR_BUDGETS: tuple[float, ...] = (0.01, 0.001)

#: Number of equal-width score bins of the reliability curve and the ECE.
CALIBRATION_BINS = 10

#: Coverage of the bootstrap intervals.
CI_LEVEL = 0.95

#: Upper bounds (exclusive) of the word-count buckets of :func:`length_bucket`.
LENGTH_BUCKETS: tuple[tuple[int, str], ...] = ((50, "<50"), (150, "50-149"), (400, "150-399"))

#: Name of the grouping column :func:`breakdown` adds when given word counts.
LENGTH_COLUMN = "length"

# Rows (summed over the resamples of a batch) drawn at once: enough to
# amortise numpy call overhead on small sets, while a batch's count arrays
# still fit in the CPU cache on large ones (measured: one 100,000-row resample
# per batch is faster than 32).
_BATCH_ROWS = 100_000

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _as_arrays(y_true: npt.ArrayLike, scores: npt.ArrayLike) -> tuple[IntArray, FloatArray]:
    """Validate and convert labels and scores.

    >>> _as_arrays([True, False], [0.2, 0.7])
    (array([1, 0]), array([0.2, 0.7]))
    """
    labels = np.asarray(y_true)
    values = np.asarray(scores, dtype=np.float64)
    if labels.ndim != 1 or values.ndim != 1:
        raise ValueError("y_true and scores must be one-dimensional")
    if labels.shape != values.shape:
        raise ValueError(f"y_true has {labels.shape[0]} rows but scores has {values.shape[0]}")
    if labels.size and not np.isin(labels, (0, 1)).all():
        raise ValueError("y_true must hold only 0/1 (or False/True) labels")
    if not np.isfinite(values).all():
        raise ValueError("scores must be finite (no NaN or infinity)")
    return labels.astype(np.int64), values


def _ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or ``None`` when the denominator is zero."""
    return float(numerator) / float(denominator) if denominator else None


class _Ranking:
    """Positive and negative scores reduced to shared distinct-score groups.

    AUC and average precision depend only on how many positives and how many
    negatives sit at each distinct score, so a bootstrap resample is fully
    described by two ``bincount`` calls over these group indices.
    """

    def __init__(self, positives: FloatArray, negatives: FloatArray) -> None:
        distinct, inverse = np.unique(np.concatenate([positives, negatives]), return_inverse=True)
        self.n_groups = int(distinct.size)
        self.positive_groups = inverse[: positives.size]
        self.negative_groups = inverse[positives.size :]

    def counts(self, positive_rows: IntArray, negative_rows: IntArray) -> tuple[IntArray, IntArray]:
        """Per-group counts of a batch of resamples, each of shape (batch, groups).

        ``positive_rows`` and ``negative_rows`` are (batch, size) row indices.
        """
        batch = positive_rows.shape[0]
        offsets = (np.arange(batch) * self.n_groups)[:, None]
        size = batch * self.n_groups
        positive = np.bincount((self.positive_groups[positive_rows] + offsets).ravel(), None, size)
        negative = np.bincount((self.negative_groups[negative_rows] + offsets).ravel(), None, size)
        shape = (batch, self.n_groups)
        return positive.reshape(shape), negative.reshape(shape)

    def full_counts(self) -> tuple[IntArray, IntArray]:
        """Per-group counts of the data itself, shape (1, groups)."""
        positive = np.bincount(self.positive_groups, None, self.n_groups)
        negative = np.bincount(self.negative_groups, None, self.n_groups)
        return positive[None, :], negative[None, :]


def _auc_from_counts(positive: IntArray, negative: IntArray) -> FloatArray:
    """ROC AUC (ties count one half) from per-group counts in ascending score order."""
    n_positive = positive.sum(axis=1)
    n_negative = negative.sum(axis=1)
    negatives_below = np.cumsum(negative, axis=1) - negative
    wins = (positive * (negatives_below + 0.5 * negative)).sum(axis=1)
    return np.asarray(wins / (n_positive * n_negative), dtype=np.float64)


def _average_precision_from_counts(positive: IntArray, negative: IntArray) -> FloatArray:
    """Average precision as scikit-learn defines it (one step per distinct score)."""
    # Walk the thresholds from the highest score down.
    positive = positive[:, ::-1]
    negative = negative[:, ::-1]
    true_positives = np.cumsum(positive, axis=1)
    flagged = true_positives + np.cumsum(negative, axis=1)
    # A group absent from a resample has no rows and adds no recall; its
    # precision is never used, so 0 stands in for the undefined 0/0.
    precision = np.divide(
        true_positives, flagged, out=np.zeros(flagged.shape, dtype=np.float64), where=flagged > 0
    )
    return np.asarray((positive * precision).sum(axis=1) / positive.sum(axis=1), dtype=np.float64)


def _interval(samples: FloatArray) -> list[float] | None:
    if samples.size == 0:
        return None
    tail = (1.0 - CI_LEVEL) / 2.0 * 100.0
    low, high = np.percentile(samples, [tail, 100.0 - tail])
    return [float(low), float(high)]


def _stratified_draws(
    rng: np.random.Generator, n_positive: int, n_negative: int, n_bootstrap: int
) -> Any:
    """Yield batches of (positive rows, negative rows) for ``n_bootstrap`` resamples."""
    per_batch = max(1, _BATCH_ROWS // (n_positive + n_negative))
    done = 0
    while done < n_bootstrap:
        batch = min(per_batch, n_bootstrap - done)
        yield (
            rng.integers(0, n_positive, size=(batch, n_positive)),
            rng.integers(0, n_negative, size=(batch, n_negative)),
        )
        done += batch


def ranking_metrics(
    positives: npt.ArrayLike,
    negatives: npt.ArrayLike,
    *,
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """ROC AUC and average precision of positive against negative scores.

    Returns ``roc_auc``, ``roc_auc_ci95``, ``pr_auc`` and ``pr_auc_ci95``
    (all ``None`` when either side is empty; the intervals ``None`` when
    ``n_bootstrap`` is 0). Taking the two sides separately lets a caller rank
    one group's positives against the negatives of a whole evaluation set.

    >>> r = ranking_metrics([0.9, 0.8], [0.1, 0.8], n_bootstrap=0)
    >>> r["roc_auc"], r["pr_auc"]
    (0.875, 0.8333333333333333)
    """
    positive_scores = np.asarray(positives, dtype=np.float64)
    negative_scores = np.asarray(negatives, dtype=np.float64)
    result: dict[str, Any] = {
        "roc_auc": None,
        "roc_auc_ci95": None,
        "pr_auc": None,
        "pr_auc_ci95": None,
    }
    if positive_scores.size == 0 or negative_scores.size == 0:
        return result
    ranking = _Ranking(positive_scores, negative_scores)
    positive, negative = ranking.full_counts()
    result["roc_auc"] = float(_auc_from_counts(positive, negative)[0])
    result["pr_auc"] = float(_average_precision_from_counts(positive, negative)[0])
    if n_bootstrap > 0:
        rng = np.random.default_rng(seed)
        aucs, precisions = [], []
        draws = _stratified_draws(rng, positive_scores.size, negative_scores.size, n_bootstrap)
        for positive_rows, negative_rows in draws:
            positive, negative = ranking.counts(positive_rows, negative_rows)
            aucs.append(_auc_from_counts(positive, negative))
            precisions.append(_average_precision_from_counts(positive, negative))
        result["roc_auc_ci95"] = _interval(np.concatenate(aucs))
        result["pr_auc_ci95"] = _interval(np.concatenate(precisions))
    return result


def roc_points(positives: npt.ArrayLike, negatives: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """ROC curve of positive against negative scores: ``(false_positive_rate, recall)``.

    One point per distinct score, from the highest threshold down, starting
    at (0, 0); for plots.

    >>> fpr, tpr = roc_points([0.9, 0.4], [0.5, 0.1])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    positive, negative = _Ranking(
        np.asarray(positives, dtype=np.float64), np.asarray(negatives, dtype=np.float64)
    ).full_counts()
    true_positives = np.concatenate([[0], np.cumsum(positive[0, ::-1])])
    false_positives = np.concatenate([[0], np.cumsum(negative[0, ::-1])])
    return (
        false_positives / max(int(false_positives[-1]), 1),
        true_positives / max(int(true_positives[-1]), 1),
    )


def precision_recall_points(
    positives: npt.ArrayLike, negatives: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Precision-recall curve: ``(recall, precision)``, one point per distinct score.

    >>> recall, precision = precision_recall_points([0.9, 0.4], [0.5, 0.1])
    >>> recall.tolist(), precision.tolist()
    ([0.5, 0.5, 1.0, 1.0], [1.0, 0.5, 0.6666666666666666, 0.5])
    """
    positive, negative = _Ranking(
        np.asarray(positives, dtype=np.float64), np.asarray(negatives, dtype=np.float64)
    ).full_counts()
    true_positives = np.cumsum(positive[0, ::-1])
    flagged = true_positives + np.cumsum(negative[0, ::-1])
    recall = true_positives / max(int(true_positives[-1]), 1)
    precision = np.divide(
        true_positives,
        flagged,
        out=np.ones(flagged.shape, dtype=np.float64),
        where=flagged > 0,
    )
    return recall, precision


def recall_at_fpr(
    positives: npt.ArrayLike, negatives: npt.ArrayLike, budget: float
) -> dict[str, float | None]:
    """Best recall of any threshold whose false-positive rate is at most ``budget``.

    A threshold keeps every score ``>= threshold``. The budget allows
    ``floor(budget * n_negative)`` false positives, so the threshold must lie
    above the next-highest negative score; positives tied with that negative
    are lost, because keeping them would keep the negative too. Returns
    ``recall``, ``threshold`` (the lowest positive score kept, ``None`` when
    none is) and the ``false_positive_rate`` reached, or all ``None`` when
    either side is empty.

    >>> recall_at_fpr([0.9, 0.7, 0.5, 0.3], [0.8, 0.4, 0.1, 0.0], budget=0.25)
    {'recall': 0.75, 'threshold': 0.5, 'false_positive_rate': 0.25}
    >>> recall_at_fpr([0.9, 0.7, 0.5, 0.3], [0.8, 0.2, 0.1, 0.0], budget=0.01)
    {'recall': 0.25, 'threshold': 0.9, 'false_positive_rate': 0.0}
    """
    positive_scores = np.sort(np.asarray(positives, dtype=np.float64))
    negative_scores = np.sort(np.asarray(negatives, dtype=np.float64))[::-1]
    if positive_scores.size == 0 or negative_scores.size == 0:
        return {"recall": None, "threshold": None, "false_positive_rate": None}
    # A tiny tolerance so that e.g. 0.01 * 300 counts as 3, not 2.9999.
    allowed = int(np.floor(budget * negative_scores.size + 1e-9))
    if allowed >= negative_scores.size:
        return {
            "recall": 1.0,
            "threshold": float(positive_scores[0]),
            "false_positive_rate": float(np.mean(negative_scores >= positive_scores[0])),
        }
    barrier = negative_scores[allowed]
    first_kept = int(np.searchsorted(positive_scores, barrier, side="right"))
    kept = positive_scores.size - first_kept
    if kept == 0:
        return {"recall": 0.0, "threshold": None, "false_positive_rate": 0.0}
    threshold = float(positive_scores[first_kept])
    return {
        "recall": kept / positive_scores.size,
        "threshold": threshold,
        "false_positive_rate": float(np.mean(negative_scores >= threshold)),
    }


def calibration(y_true: npt.ArrayLike, scores: npt.ArrayLike) -> dict[str, Any]:
    """Brier score, expected calibration error and the reliability curve.

    Scores are read as probabilities of "spun". The ECE weights each of the
    10 equal-width bins by its share of rows: ``sum(count / n * |mean score -
    observed rate|)``. The last bin includes 1.0.

    >>> c = calibration([0, 1, 1, 1], [0.05, 0.05, 0.95, 0.95])
    >>> round(c["brier"], 4), round(c["ece"], 4)
    (0.2275, 0.25)
    >>> [(b["low"], b["count"], b["observed_rate"]) for b in c["reliability"] if b["count"]]
    [(0.0, 2, 0.5), (0.9, 2, 1.0)]
    """
    labels, values = _as_arrays(y_true, scores)
    if values.size and (values.min() < 0.0 or values.max() > 1.0):
        raise ValueError("calibration needs scores in [0, 1]")
    # Rounded edges so that a score of exactly 0.3 lands in [0.3, 0.4), as the
    # bin labels say, and not in [0.2, 0.3) as 0.3 * 10 = 2.9999... would put it.
    edges = np.round(np.linspace(0.0, 1.0, CALIBRATION_BINS + 1), 10)
    bins = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, CALIBRATION_BINS - 1)
    counts = np.bincount(bins, minlength=CALIBRATION_BINS)
    score_sums = np.bincount(bins, weights=values, minlength=CALIBRATION_BINS)
    label_sums = np.bincount(bins, weights=labels, minlength=CALIBRATION_BINS)
    reliability = []
    gap = 0.0
    for index in range(CALIBRATION_BINS):
        count = int(counts[index])
        mean_score = _ratio(score_sums[index], count)
        observed = _ratio(label_sums[index], count)
        if mean_score is not None and observed is not None:
            gap += count * abs(mean_score - observed)
        reliability.append(
            {
                "low": float(edges[index]),
                "high": float(edges[index + 1]),
                "count": count,
                "mean_score": mean_score,
                "observed_rate": observed,
            }
        )
    n = values.size
    return {
        "brier": float(np.mean((values - labels) ** 2)) if n else None,
        "ece": gap / n if n else None,
        "reliability": reliability,
    }


def _threshold_metrics(labels: IntArray, values: FloatArray, threshold: float) -> dict[str, Any]:
    predicted = values >= threshold
    actual = labels == 1
    tp = int(np.sum(predicted & actual))
    fp = int(np.sum(predicted & ~actual))
    fn = int(np.sum(~predicted & actual))
    tn = int(np.sum(~predicted & ~actual))
    return {
        "accuracy": _ratio(tp + tn, labels.size),
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        # 2TP / (2TP + FP + FN) is the harmonic mean of precision and recall
        # and stays defined when exactly one of them is not.
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "false_positive_rate": _ratio(fp, fp + tn),
        "confusion": {"tn": tn, "fp": fp, "fn": fn, "tp": tp},
    }


def _metrics(
    labels: IntArray,
    values: FloatArray,
    threshold: float,
    *,
    reference_positives: FloatArray,
    reference_negatives: FloatArray,
    auc_reference: str,
    n_bootstrap: int,
    seed: int,
) -> dict[str, Any]:
    """The :func:`binary_metrics` dictionary, ranking against the given reference sets."""
    ranking = ranking_metrics(
        reference_positives, reference_negatives, n_bootstrap=n_bootstrap, seed=seed
    )
    defined = ranking["roc_auc"] is not None
    result: dict[str, Any] = {
        "n": int(labels.size),
        "n_positive": int(np.sum(labels == 1)),
        "n_negative": int(np.sum(labels == 0)),
        "threshold": float(threshold),
        **ranking,
        "auc_reference": auc_reference if defined else None,
        **_threshold_metrics(labels, values, threshold),
        "recall_at_fpr": {
            str(budget): recall_at_fpr(reference_positives, reference_negatives, budget)
            for budget in FPR_BUDGETS
        },
        "calibration": calibration(labels, values),
        "bootstrap": {
            "resamples": int(n_bootstrap),
            "seed": int(seed),
            "stratified": True,
            "level": CI_LEVEL,
        },
    }
    return result


def binary_metrics(
    y_true: npt.ArrayLike,
    scores: npt.ArrayLike,
    threshold: float,
    *,
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """All metrics of one evaluation set; see the module docstring for the keys.

    Parameters
    ----------
    y_true
        1 (or True) for spun documents, 0 for clean ones.
    scores
        Scores in [0, 1]; higher means more likely spun.
    threshold
        Documents with ``score >= threshold`` are labelled spun.
    n_bootstrap
        Stratified bootstrap resamples for the AUC intervals (0 for none).
    seed
        Seed of the resampling; the same seed gives the same intervals.

    Examples
    --------
    >>> m = binary_metrics([0, 0, 0, 1, 1], [0.1, 0.2, 0.7, 0.8, 0.9], 0.5, n_bootstrap=200)
    >>> m["n"], m["n_positive"], m["roc_auc"], m["false_positive_rate"]
    (5, 2, 1.0, 0.3333333333333333)
    >>> m["roc_auc_ci95"]
    [1.0, 1.0]
    >>> binary_metrics([0, 0], [0.1, 0.7], 0.5)["roc_auc"] is None
    True
    """
    labels, values = _as_arrays(y_true, scores)
    return _metrics(
        labels,
        values,
        threshold,
        reference_positives=values[labels == 1],
        reference_negatives=values[labels == 0],
        auc_reference="group",
        n_bootstrap=n_bootstrap,
        seed=seed,
    )


def length_bucket(n_words: int) -> str:
    """Name of the length bucket of a document of ``n_words`` words.

    Very short texts carry few artifacts, so detectors behave differently on
    them; these buckets make that visible in every breakdown.

    >>> [length_bucket(n) for n in (0, 49, 50, 149, 150, 399, 400, 10_000)]
    ['<50', '<50', '50-149', '50-149', '150-399', '150-399', '400+', '400+']
    """
    for upper, name in LENGTH_BUCKETS:
        if n_words < upper:
            return name
    return f"{LENGTH_BUCKETS[-1][0]}+"


def _group_key(value: Any) -> str:
    return "(missing)" if value is None else str(value)


def breakdown(
    y_true: npt.ArrayLike,
    scores: npt.ArrayLike,
    threshold: float,
    groups: Mapping[str, Iterable[Any]],
    *,
    n_words: Iterable[int] | None = None,
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, dict[str, dict[str, Any]]]:
    """:func:`binary_metrics` per value of each grouping column.

    Returns ``{column: {value: metrics}}``, values sorted as strings; a
    missing value (``None``) is reported as ``"(missing)"``. When ``n_words``
    is given, a ``"length"`` column of :func:`length_bucket` names is added.

    A group with one class only still gets what is defined for it: the
    false-positive rate of an all-clean group, the recall of an all-spun
    group, calibration for both. Its AUCs and ``recall_at_fpr`` rank the
    group against the other class of the *whole* evaluation set: the group's
    positives against all negatives (``auc_reference = "pooled_negatives"``),
    or all positives against the group's negatives (``"pooled_positives"``).
    That is what makes a per-generator AUC meaningful, when every document
    of a generator is spun: how well does the score separate this
    generator's output from clean text? Average precision in that case
    reflects the pooled class balance, so compare it between groups with care.

    >>> y = [0, 0, 0, 1, 1, 1]
    >>> s = [0.1, 0.3, 0.6, 0.4, 0.8, 0.9]
    >>> kind = ["clean", "clean", "clean", "mt", "spinner", "spinner"]
    >>> table = breakdown(y, s, 0.5, {"kind": kind}, n_bootstrap=0)
    >>> sorted(table["kind"])
    ['clean', 'mt', 'spinner']
    >>> table["kind"]["mt"]["roc_auc"], table["kind"]["mt"]["auc_reference"]
    (0.6666666666666666, 'pooled_negatives')
    >>> table["kind"]["clean"]["false_positive_rate"], table["kind"]["clean"]["recall"]
    (0.3333333333333333, None)
    """
    labels, values = _as_arrays(y_true, scores)
    columns: dict[str, Iterable[Any]] = dict(groups)
    if n_words is not None:
        columns[LENGTH_COLUMN] = [length_bucket(int(count)) for count in n_words]
    all_positives = values[labels == 1]
    all_negatives = values[labels == 0]
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for column, column_values in columns.items():
        keys = np.asarray([_group_key(value) for value in column_values], dtype=object)
        if keys.shape != labels.shape:
            raise ValueError(f"group column {column!r} has {keys.size} rows, not {labels.size}")
        per_value: dict[str, dict[str, Any]] = {}
        for key in sorted(set(keys.tolist())):
            mask = keys == key
            group_labels, group_values = labels[mask], values[mask]
            has_positive = bool(np.any(group_labels == 1))
            has_negative = bool(np.any(group_labels == 0))
            if has_positive and not has_negative:
                positives, negatives, reference = group_values, all_negatives, "pooled_negatives"
            elif has_negative and not has_positive:
                positives, negatives, reference = all_positives, group_values, "pooled_positives"
            else:
                positives = group_values[group_labels == 1]
                negatives = group_values[group_labels == 0]
                reference = "group"
            per_value[key] = _metrics(
                group_labels,
                group_values,
                threshold,
                reference_positives=positives,
                reference_negatives=negatives,
                auc_reference=reference,
                n_bootstrap=n_bootstrap,
                seed=seed,
            )
        result[column] = per_value
    return result


def paired_auc_difference(
    y_true: npt.ArrayLike,
    scores_a: npt.ArrayLike,
    scores_b: npt.ArrayLike,
    *,
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Paired bootstrap of ROC AUC(a) - AUC(b) on the same documents.

    Both scorers are evaluated on the very same resamples (stratified, as in
    :func:`binary_metrics`), so the interval reflects the difference itself
    rather than two independent uncertainties: two scorers that agree closely
    can be told apart even when their separate intervals overlap.

    Returns ``roc_auc_a``, ``roc_auc_b``, ``difference``, ``difference_ci95``
    (``None`` without resamples), ``share_b_not_worse`` (the share of resamples
    where AUC(b) >= AUC(a)), ``resamples`` and ``seed``.

    >>> y = [0, 0, 0, 1, 1, 1]
    >>> d = paired_auc_difference(y, [.1, .2, .3, .7, .8, .9], [.1, .5, .3, .4, .8, .9],
    ...                           n_bootstrap=500)
    >>> round(d["difference"], 4), d["difference_ci95"][0] >= 0
    (0.1111, True)
    """
    labels, values_a = _as_arrays(y_true, scores_a)
    _, values_b = _as_arrays(y_true, scores_b)
    positive, negative = labels == 1, labels == 0
    if not positive.any() or not negative.any():
        raise ValueError("an AUC needs both classes in y_true")
    ranking_a = _Ranking(values_a[positive], values_a[negative])
    ranking_b = _Ranking(values_b[positive], values_b[negative])
    auc_a = float(_auc_from_counts(*ranking_a.full_counts())[0])
    auc_b = float(_auc_from_counts(*ranking_b.full_counts())[0])
    differences: list[FloatArray] = []
    rng = np.random.default_rng(seed)
    for positive_rows, negative_rows in _stratified_draws(
        rng, int(positive.sum()), int(negative.sum()), n_bootstrap
    ):
        resampled_a = _auc_from_counts(*ranking_a.counts(positive_rows, negative_rows))
        resampled_b = _auc_from_counts(*ranking_b.counts(positive_rows, negative_rows))
        differences.append(resampled_a - resampled_b)
    samples = np.concatenate(differences) if differences else np.empty(0)
    return {
        "roc_auc_a": auc_a,
        "roc_auc_b": auc_b,
        "difference": auc_a - auc_b,
        "difference_ci95": _interval(samples),
        "share_b_not_worse": float(np.mean(samples <= 0)) if samples.size else None,
        "resamples": int(n_bootstrap),
        "seed": int(seed),
    }
