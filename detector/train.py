"""Train a model on labelled samples: features, cross-validation, calibration.

The steps, each a function so that they can be run and tested alone:

1. :func:`load_labelled` reads JSONL/CSV rows with text and label (and
   optional ``group`` and ``kind``), or a folder with ``spun/`` and ``clean/``
   subfolders.
2. :func:`build_resources <detector.build.build_resources>` learns the
   language models from clean text kept apart from the classifier's data.
3. :func:`featurize` computes every family's features (in parallel).
4. :func:`fit` runs grouped cross-validation (no source document on both
   sides), fits Platt scaling on the out-of-fold scores, picks the threshold
   that flags at most 1% of clean out-of-fold texts, and fits the final
   logistic regression on everything.

scikit-learn and joblib are imported here, never on the scoring path.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detector import __version__
from detector.features import extract_all, feature_names
from detector.model import Model
from detector.readers import iter_records
from detector.resources import Resources

#: Largest share of clean out-of-fold texts the default threshold may flag.
TARGET_FALSE_POSITIVE_RATE = 0.01
#: Regularisation of the logistic regression (inverse strength).
REGULARISATION = 1.0


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
    group_pattern = re.compile(group_from_id) if group_from_id else None
    samples: list[Sample] = []
    problems: list[str] = []
    for source in sources:
        path = Path(source)
        folders = [(path / "spun", 1), (path / "clean", 0)] if path.is_dir() else []
        if folders and all(folder.is_dir() for folder, _ in folders):
            for folder, label in folders:
                for record in iter_records([folder]):
                    if record.text is None:
                        problems.append(f"{record.source}: {record.error}")
                        continue
                    samples.append(Sample(record.id, record.text, label, record.id, folder.name))
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
            samples.append(
                Sample(
                    id=record.id,
                    text=record.text,
                    label=parsed,
                    group=str(group) if group not in (None, "") else record.id,
                    kind=str(record.fields.get("kind") or ("spun" if parsed else "clean")),
                    fields=record.fields,
                )
            )
    return samples, problems


def _featurize_chunk(texts: list[str], resources: Resources, names: tuple[str, ...]) -> np.ndarray:
    rows = np.zeros((len(texts), len(names)))
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


def pattern_matrix(texts: Sequence[str], resources: Resources) -> Any:
    """Sparse matrix of L2-normalised hashed class n-grams (translationese family)."""
    import scipy.sparse as sparse

    from detector.features.translationese import HASH_BITS, pattern_vector
    from detector.resources import encode
    from detector.text import Document

    data: list[np.ndarray] = []
    indices: list[np.ndarray] = []
    pointers = [0]
    for text in texts:
        _, classes, _ = encode(Document.of(text), resources)
        unique, values = pattern_vector(classes)
        indices.append(unique)
        data.append(values)
        pointers.append(pointers[-1] + len(unique))
    return sparse.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0),
            np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
            np.array(pointers),
        ),
        shape=(len(texts), 2**HASH_BITS),
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


def stack_patterns(
    matrix: np.ndarray,
    patterns: Any,
    labels: np.ndarray,
    groups: Sequence[str],
    resources: Resources,
    *,
    names: tuple[str, ...],
    weights: np.ndarray,
    folds: int = 5,
    seed: int = 0,
) -> np.ndarray:
    """Fill the pattern-score column with out-of-fold scores; fit the final pattern model.

    The classifier must learn how far to trust the pattern score from scores
    the pattern model produced on texts it did not see, or it would trust it
    too much. The final pattern model, fitted on every row, goes into
    ``resources`` (and so into the model file).
    """
    from detector.features.translationese import SCORE_SCALE

    column = names.index("translationese.pattern_score")
    stacked = matrix.copy()
    for train_index, test_index in _group_folds(groups, labels, folds, seed):
        coef, bias = _fit_patterns(patterns[train_index], labels[train_index], weights[train_index])
        stacked[test_index, column] = (patterns[test_index] @ coef + bias) / SCORE_SCALE
    coef, bias = _fit_patterns(patterns, labels, weights)
    resources.pattern_weights = coef
    resources.pattern_bias = bias
    return stacked


def apply_patterns(
    matrix: np.ndarray, patterns: Any, resources: Resources, names: tuple[str, ...]
) -> np.ndarray:
    """Fill the pattern-score column with the fitted pattern model (for held-out rows)."""
    from detector.features.translationese import SCORE_SCALE

    if resources.pattern_weights is None:
        raise TrainingDataError("the pattern model is not fitted yet")
    column = names.index("translationese.pattern_score")
    result = matrix.copy()
    result[:, column] = (
        patterns @ resources.pattern_weights + resources.pattern_bias
    ) / SCORE_SCALE
    return result


@dataclass
class FitResult:
    """A fitted model with its out-of-fold scores (for the card's metrics)."""

    model: Model
    oof_scores: np.ndarray
    cv_metrics: dict[str, Any]


def _logistic(sample_weight_balance: bool = True) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=REGULARISATION,
        class_weight="balanced" if sample_weight_balance else None,
        max_iter=2000,
    )


def _standardise(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def fit(
    matrix: np.ndarray,
    labels: np.ndarray,
    groups: Sequence[str],
    resources: Resources,
    *,
    names: tuple[str, ...] | None = None,
    weights: np.ndarray | None = None,
    folds: int = 5,
    seed: int = 0,
) -> FitResult:
    """Grouped cross-validation, Platt calibration, threshold, final fit."""
    names = names or feature_names()
    labels = np.asarray(labels, dtype=int)
    if len(set(labels.tolist())) < 2:
        raise TrainingDataError("training data needs both labels (spun and clean)")
    weights = np.ones(len(labels)) if weights is None else np.asarray(weights, dtype=float)
    splits = _group_folds(groups, labels, folds, seed)
    oof = np.zeros(len(labels))
    for train_index, test_index in splits:
        mean, scale = _standardise(matrix[train_index])
        classifier = _logistic()
        classifier.fit(
            (matrix[train_index] - mean) / scale,
            labels[train_index],
            sample_weight=weights[train_index],
        )
        oof[test_index] = classifier.decision_function((matrix[test_index] - mean) / scale)

    platt = _logistic(sample_weight_balance=False)
    platt.fit(oof[:, None], labels)
    slope, offset = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    probabilities = 1.0 / (1.0 + np.exp(-(slope * oof + offset)))
    clean = probabilities[labels == 0]
    threshold = max(0.5, float(np.quantile(clean, 1.0 - TARGET_FALSE_POSITIVE_RATE)) + 1e-6)

    mean, scale = _standardise(matrix)
    final = _logistic()
    final.fit((matrix - mean) / scale, labels, sample_weight=weights)
    model = Model(
        feature_names=names,
        mean=mean,
        scale=scale,
        coef=final.coef_[0].astype(np.float64),
        intercept=float(final.intercept_[0]),
        calibration=(slope, offset),
        threshold=round(min(threshold, 0.99), 4),
        resources=resources,
    )
    from detector.metrics import binary_metrics

    cv = binary_metrics(labels, probabilities, model.threshold, n_bootstrap=200, seed=seed)
    cv["folds"] = len(splits)
    return FitResult(model=model, oof_scores=probabilities, cv_metrics=cv)


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
        "classifier": "standardised logistic regression, Platt-calibrated on grouped "
        "out-of-fold scores",
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


def train(
    samples: Sequence[Sample],
    *,
    language_model_texts: Sequence[str] | None = None,
    language_model_share: float = 0.3,
    jobs: int = 1,
    seed: int = 0,
    description: str = "",
    log: Any = None,
) -> tuple[FitResult, dict[str, Any]]:
    """Build resources, featurise, cross-validate and fit; returns the result and its card."""
    say = log or (lambda message: None)
    if language_model_texts is None:
        language_model_texts, samples = split_language_model_texts(
            samples, language_model_share, seed
        )
        say(
            f"language models: {len(language_model_texts)} clean texts of "
            f"{language_model_share:.0%} of the groups, kept out of the classifier's data"
        )
    if not language_model_texts:
        raise TrainingDataError("no clean text left to train the language models on")
    from detector.build import build_resources

    resources = build_resources(language_model_texts)
    say(f"language models built: {len(resources.vocabulary)} words")
    names = feature_names()
    matrix = featurize([s.text for s in samples], resources, names=names, jobs=jobs)
    say(f"features: {matrix.shape[0]} samples x {matrix.shape[1]} features")
    labels = np.array([s.label for s in samples])
    groups = [s.group for s in samples]
    weights = kind_weights(samples)
    patterns = pattern_matrix([s.text for s in samples], resources)
    matrix = stack_patterns(
        matrix, patterns, labels, groups, resources, names=names, weights=weights, seed=seed
    )
    say("pattern model fitted")
    result = fit(matrix, labels, groups, resources, names=names, weights=weights, seed=seed)
    card = base_card(samples, description)
    card["language_model_texts"] = len(language_model_texts)
    card["cross_validation"] = result.cv_metrics
    return result, card
