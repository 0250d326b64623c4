"""Fit the machine-translation head and attach it to a model file.

The head (:mod:`detector.mt_head`) is fitted apart from the trees, on
documents labelled machine-translated or not, and added to an existing model
afterwards (:func:`attach_head`): the trees are not refitted, and the new
model is written under a new name with its card and checksum updated.

Fitting, in :func:`fit_head`: standardise every value, fit an L2-regularised
logistic regression, fit Platt scaling on grouped out-of-fold logits (so
that the calibration is measured on documents the regression did not see),
and set the threshold at which at most :data:`THRESHOLD_FPR` of the guarded
negatives (English originals, as a rule) are flagged out of fold. Only this
module imports scikit-learn; the scorer needs numpy alone.

>>> rng = np.random.default_rng(0)
>>> matrix = np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(1.5, 1, (60, 2))])
>>> labels = np.repeat([0, 1], 60)
>>> fitted = fit_head(matrix, labels, ("document_style.comma_rate", "document_style.colon_rate"),
...                   groups=np.arange(120))
>>> fitted.head.feature_names, fitted.out_of_fold.shape, fitted.report["roc_auc"] > 0.8
(('document_style.comma_rate', 'document_style.colon_rate'), (120,), True)
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from detector.features import document_style
from detector.model import Model, ModelError, load_model, model_path
from detector.mt_head import CARD_KEY, MachineTranslationHead

#: Inverse regularisation strength of the logistic regression (scikit-learn's ``C``).
DEFAULT_C = 0.01
#: Share of guarded negatives the threshold may flag, out of fold.
THRESHOLD_FPR = 0.01
#: Folds of the out-of-fold logits behind calibration and threshold.
FOLDS = 5
#: The main model's values the default head reads beside the document style:
#: the translationese scores of the sentences.
TRANSLATIONESE_NAMES: tuple[str, ...] = (
    "translationese.pattern_score",
    "translationese.wording_score",
    "translationese.worst_block_wording",
)
#: The values the default head reads.
DEFAULT_NAMES: tuple[str, ...] = (*document_style.FEATURE_NAMES, *TRANSLATIONESE_NAMES)


@dataclass
class FittedHead:
    """A fitted head, the out-of-fold probabilities of its training rows, and their metrics."""

    head: MachineTranslationHead
    out_of_fold: np.ndarray
    report: dict[str, Any]


def _regression(c: float, balanced: bool) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        StandardScaler(),
        LogisticRegression(C=c, max_iter=5000, class_weight="balanced" if balanced else None),
    )


def out_of_fold_logits(
    matrix: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    *,
    c: float = DEFAULT_C,
    balanced: bool = True,
    folds: int = FOLDS,
    seed: int = 0,
) -> np.ndarray:
    """Each row's logit from a regression fitted without its group's fold."""
    from sklearn.model_selection import GroupKFold

    logits = np.zeros(len(labels))
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(matrix, labels, groups):
        pipeline = _regression(c, balanced).fit(matrix[train], labels[train])
        logits[test] = pipeline.decision_function(matrix[test])
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
    matrix: np.ndarray,
    labels: np.ndarray,
    names: Sequence[str],
    *,
    groups: np.ndarray,
    guarded: np.ndarray | None = None,
    c: float = DEFAULT_C,
    balanced: bool = True,
    folds: int = FOLDS,
    seed: int = 0,
) -> FittedHead:
    """Fit the head on a feature matrix (columns ``names``) and binary labels.

    ``groups`` keeps versions of one document in one fold; ``guarded`` marks
    the negatives the threshold protects (all negatives when None).
    """
    from sklearn.metrics import roc_auc_score

    matrix = np.asarray(matrix, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    logits = out_of_fold_logits(
        matrix, labels, groups, c=c, balanced=balanced, folds=folds, seed=seed
    )
    slope, offset = platt(logits, labels)
    out_of_fold = 1.0 / (1.0 + np.exp(-np.clip(slope * logits + offset, -40.0, 40.0)))
    guarded = (labels == 0) if guarded is None else np.asarray(guarded, dtype=bool)
    threshold = guarded_threshold(out_of_fold[guarded])
    pipeline = _regression(c, balanced).fit(matrix, labels)
    scaler, regression = pipeline[0], pipeline[1]
    head = MachineTranslationHead(
        feature_names=tuple(names),
        mean=scaler.mean_.astype(np.float64),
        scale=scaler.scale_.astype(np.float64),
        coef=regression.coef_[0].astype(np.float64),
        intercept=float(regression.intercept_[0]),
        calibration=(slope, offset),
        threshold=threshold,
    )
    flagged = out_of_fold >= threshold
    report = {
        "roc_auc": float(roc_auc_score(labels, out_of_fold)),
        "recall": float(flagged[labels == 1].mean()) if (labels == 1).any() else None,
        "guarded_false_positive_rate": float(flagged[guarded].mean()) if guarded.any() else None,
        "folds": folds,
        "regularisation_c": c,
        "class_weight": "balanced" if balanced else "none",
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

    The trees, resources and card of ``model`` are kept; the card gains the
    ``machine_translation_head`` section (``section`` plus the head's
    feature names and threshold), its ``name`` becomes ``out``'s, and its
    checksum is that of the new file. A model that has a head already gets
    the new one in its place.
    """
    loaded = model if isinstance(model, Model) else load_model(model)
    target = model_path(out)
    if isinstance(model, (str, os.PathLike)) and model_path(model).resolve() == target.resolve():
        raise ModelError(f"{target} is the model the head is attached to: choose a new name")
    card = {key: value for key, value in loaded.card.items() if key not in ("sha256", "model_file")}
    card["name"] = target.stem
    card[CARD_KEY] = {
        **section,
        "threshold": head.threshold,
        "feature_names": list(head.feature_names),
    }
    attached = dataclasses.replace(loaded, mt_head=head, card={})
    return attached.save(target, card, overwrite=overwrite)
