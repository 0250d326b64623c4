"""Score labelled data with a model, measure it, and pick the mistakes worth reading.

The evaluation streams: documents are read, featurised and scored in
batches, and only a few numbers per document are kept (label, score, kind,
word count and the ``--by`` columns), so a 100,000-row set fits in memory.
The texts are read a second time only for the few documents the report
shows, found again by their position in the input (reading the same input
twice yields the same samples in the same order).

Three entry points, from the smallest:

* :func:`evaluate`: metrics of samples already in memory (tests, scripts);
* :func:`evaluate_files`: the whole ``detector evaluate`` run, from data
  files to the report folder (:func:`detector.report.write_report`), with an
  optional second model compared on the same documents;
* :func:`evaluate_leave_one_generator_out`: the generalisation table, a
  model refitted without each generator family and measured on it.

>>> import numpy as np
>>> labels = np.array([0, 0, 0, 1, 1, 1])
>>> scores = np.array([0.1, 0.7, 0.9, 0.2, 0.6, 0.8])
>>> most_confident_mistakes(labels, scores, threshold=0.5)
([2, 1], [3])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detector.metrics import binary_metrics, breakdown, paired_auc_difference
from detector.model import Model
from detector.resources import Resources
from detector.train import (
    Sample,
    family_of,
    featurize,
    fit_stacked,
    in_test_split,
    iter_labelled,
    leave_one_generator_out,
    pattern_matrix,
    split_language_model_texts,
)

#: Most confident false positives, and false negatives, shown in the report.
MISTAKES_SHOWN = 20
#: Documents featurised together while streaming: bounds the texts held at once.
BATCH_SIZE = 2000
#: Skipped input rows listed one by one before only their count is logged.
PROBLEMS_LOGGED = 20
#: Name of the breakdown column that tells the data files apart.
DATASET_COLUMN = "dataset"
#: Share of groups held out for testing by leave-one-generator-out.
LOO_TEST_SHARE = 0.2
#: Share of groups whose clean texts train the language models of a refit.
LANGUAGE_MODEL_SHARE = 0.3
#: The metrics kept on a model card: the full :func:`binary_metrics` minus the
#: bulky parts (reliability bins, bootstrap settings, confusion counts).
CARD_METRIC_KEYS = (
    "n", "n_positive", "n_negative", "roc_auc", "roc_auc_ci95", "pr_auc",
    "false_positive_rate", "recall", "precision", "f1", "recall_at_fpr", "calibration",
)  # fmt: skip

Log = Callable[[str], None]


class EvaluationError(Exception):
    """Data or models that cannot be evaluated, with a message that says why."""


def _silent(message: str) -> None:
    """The default ``log``: say nothing."""


# --- scores -----------------------------------------------------------------


def score_samples(samples: Sequence[Sample], model: Model, *, jobs: int = 1) -> np.ndarray:
    """Document-level probabilities of ``samples`` (no paragraph scoring)."""
    if not samples:
        return np.zeros(0)
    matrix = featurize(
        [s.text for s in samples], model.resources, names=model.feature_names, jobs=jobs
    )
    return model.probability(matrix)


@dataclass
class ScoredSet:
    """What an evaluation keeps of each document: never its text.

    ``scores`` holds one array per model, in the order the models were
    given; ``columns`` holds the ``--by`` columns (missing values as
    ``None``); ``positions`` says where each row came from as the index of
    its dataset in ``names`` and the sample's position in that dataset.
    """

    names: list[str]
    labels: np.ndarray
    scores: list[np.ndarray]
    kinds: list[str]
    n_words: np.ndarray
    columns: dict[str, list[Any]]
    positions: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    #: The first model's machine-translation head's probabilities, when it has one.
    machine_translated: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.labels.size)

    def rows(self, dataset: int) -> np.ndarray:
        """Boolean mask of the rows of one dataset."""
        return self.positions[:, 0] == dataset


def score_stream(
    samples: Iterable[Sample],
    models: Sequence[Model],
    *,
    by: Sequence[str] = (),
    jobs: int = 1,
    batch_size: int = BATCH_SIZE,
    name: str = "",
    log: Log = _silent,
) -> ScoredSet:
    """Score samples in batches with every model, keeping numbers and columns only.

    >>> from detector.model import load_model
    >>> texts = [Sample("a", "Shares rose on Monday.", 0, "a", "original", {"source": "x"}),
    ...          Sample("b", "Shares is rose at Monday.", 1, "b", "spin:0.1")]
    >>> scored = score_stream(texts, [load_model()], by=["source"], batch_size=1)
    >>> scored.labels.tolist(), scored.kinds, scored.columns["source"]
    ([0, 1], ['original', 'spin:0.1'], ['x', None])
    >>> scored.n_words.tolist(), scored.positions.tolist(), scored.scores[0].shape
    ([4, 5], [[0, 0], [0, 1]], (2,))
    """
    labels: list[int] = []
    kinds: list[str] = []
    n_words: list[int] = []
    columns: dict[str, list[Any]] = {column: [] for column in by}
    score_parts: list[list[np.ndarray]] = [[] for _ in models]
    head = models[0].mt_head if models else None
    head_parts: list[np.ndarray] = []
    batch: list[Sample] = []

    def flush() -> None:
        texts = [sample.text for sample in batch]
        for index, model in enumerate(models):
            matrix = featurize(texts, model.resources, names=model.feature_names, jobs=jobs)
            score_parts[index].append(model.probability(matrix))
        if head is not None:
            head_parts.append(head.score(texts, models[0].resources))
        batch.clear()
        log(f"{name or 'data'}: {len(labels)} documents scored")

    for sample in samples:
        labels.append(sample.label)
        kinds.append(sample.kind)
        n_words.append(len(sample.text.split()))
        for column in by:
            columns[column].append(sample.fields.get(column))
        batch.append(sample)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    count = len(labels)
    positions = np.zeros((count, 2), dtype=np.int64)
    positions[:, 1] = np.arange(count)
    return ScoredSet(
        names=[name],
        labels=np.array(labels, dtype=np.int64),
        scores=[np.concatenate(parts) if parts else np.zeros(0) for parts in score_parts],
        kinds=kinds,
        n_words=np.array(n_words, dtype=np.int64),
        columns=columns,
        positions=positions,
        machine_translated=None
        if head is None
        else (np.concatenate(head_parts) if head_parts else np.zeros(0)),
    )


def pool(sets: Sequence[ScoredSet]) -> ScoredSet:
    """All sets as one, with a ``dataset`` column naming each row's set.

    Each set is one dataset (``names`` of length one); in the pool, the
    first column of ``positions`` is the set's index.

    >>> a = ScoredSet(["a"], np.array([0, 1]), [np.array([0.1, 0.8])], ["original", "spin"],
    ...               np.array([5, 6]), {}, np.array([[0, 0], [0, 1]]))
    >>> b = ScoredSet(["b"], np.array([1]), [np.array([0.9])], ["spin"],
    ...               np.array([7]), {}, np.array([[0, 0]]))
    >>> pooled = pool([a, b])
    >>> pooled.names, pooled.labels.tolist(), pooled.columns["dataset"]
    (['a', 'b'], [0, 1, 1], ['a', 'a', 'b'])
    >>> pooled.positions.tolist()
    [[0, 0], [0, 1], [1, 0]]
    """
    names = [scored.names[0] for scored in sets]
    columns: dict[str, list[Any]] = {DATASET_COLUMN: []}
    positions = []
    for index, scored in enumerate(sets):
        columns[DATASET_COLUMN].extend([scored.names[0]] * len(scored))
        for column, values in scored.columns.items():
            columns.setdefault(column, []).extend(values)
        positions.append(np.column_stack([np.full(len(scored), index), scored.positions[:, 1]]))
    return ScoredSet(
        names=names,
        labels=np.concatenate([scored.labels for scored in sets]),
        scores=[
            np.concatenate([scored.scores[index] for scored in sets])
            for index in range(len(sets[0].scores))
        ],
        kinds=[kind for scored in sets for kind in scored.kinds],
        n_words=np.concatenate([scored.n_words for scored in sets]),
        columns=columns,
        positions=np.concatenate(positions).astype(np.int64),
        machine_translated=None
        if any(scored.machine_translated is None for scored in sets)
        else np.concatenate([scored.machine_translated for scored in sets]),
    )


# --- metrics ----------------------------------------------------------------


def measure(
    scored: ScoredSet,
    threshold: float,
    *,
    model: int = 0,
    by: Sequence[str] = (),
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """``{"overall", "breakdown"}`` of one model's scores on a scored set.

    The breakdown has ``kind``, each ``by`` column, the ``dataset`` column
    when the set pools several, and ``length`` (word-count buckets).
    """
    scores = scored.scores[model]
    groups: dict[str, Sequence[Any]] = {"kind": scored.kinds}
    if DATASET_COLUMN in scored.columns and len(set(scored.names)) > 1:
        groups[DATASET_COLUMN] = scored.columns[DATASET_COLUMN]
    for column in by:
        groups[column] = scored.columns[column]
    return {
        "overall": binary_metrics(
            scored.labels, scores, threshold, n_bootstrap=n_bootstrap, seed=seed
        ),
        "breakdown": breakdown(
            scored.labels,
            scores,
            threshold,
            groups,
            n_words=scored.n_words,
            n_bootstrap=n_bootstrap,
            seed=seed,
        ),
    }


def card_metrics(
    labels: Any, scores: Any, threshold: float, *, n_bootstrap: int = 500, seed: int = 0
) -> dict[str, Any]:
    """The compact metrics a model card records for one held-out set.

    >>> m = card_metrics([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9], 0.5, n_bootstrap=0)
    >>> m["roc_auc"], m["false_positive_rate"], sorted(m["calibration"])
    (0.75, 0.5, ['brier', 'ece'])
    """
    metrics = binary_metrics(labels, scores, threshold, n_bootstrap=n_bootstrap, seed=seed)
    result = {key: metrics[key] for key in CARD_METRIC_KEYS}
    result["calibration"] = {
        key: value for key, value in metrics["calibration"].items() if key != "reliability"
    }
    return result


def paired_comparison(
    labels: np.ndarray, scores_a: np.ndarray, scores_b: np.ndarray, *, n_bootstrap: int, seed: int
) -> dict[str, Any] | None:
    """:func:`~detector.metrics.paired_auc_difference`, or ``None`` with one class only."""
    if not (np.any(labels == 1) and np.any(labels == 0)):
        return None
    return paired_auc_difference(labels, scores_a, scores_b, n_bootstrap=n_bootstrap, seed=seed)


def compare(
    scored: ScoredSet,
    threshold_b: float,
    *,
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """The second model's metrics and the paired AUC difference, pooled, per dataset, per kind.

    Model a is ``scores[0]``, model b ``scores[1]``; ``difference`` is
    AUC(a) - AUC(b), so a positive difference favours model a. Per kind,
    the kind's rows are ranked against every row of the other class (as in
    :func:`~detector.metrics.breakdown`), both models on the same rows.
    """
    labels, scores_a, scores_b = scored.labels, scored.scores[0], scored.scores[1]

    def paired(rows: np.ndarray) -> dict[str, Any] | None:
        return paired_comparison(
            labels[rows], scores_a[rows], scores_b[rows], n_bootstrap=n_bootstrap, seed=seed
        )

    everything = np.ones(len(scored), dtype=bool)
    result: dict[str, Any] = {
        "overall": binary_metrics(labels, scores_b, threshold_b, n_bootstrap=n_bootstrap,
                                  seed=seed),
        "paired_auc": paired(everything),
        "datasets": {},
        "kind": {},
    }  # fmt: skip
    if len(scored.names) > 1:
        for index, name in enumerate(scored.names):
            rows = scored.rows(index)
            result["datasets"][name] = {
                "overall": binary_metrics(
                    labels[rows], scores_b[rows], threshold_b, n_bootstrap=n_bootstrap, seed=seed
                ),
                "paired_auc": paired(rows),
            }
    kinds = np.asarray(scored.kinds, dtype=object)
    for kind in sorted(set(scored.kinds)):
        mine = kinds == kind
        present = set(labels[mine].tolist())
        # A kind with one class is ranked against the other class of the whole set.
        rows = mine | (labels != labels[mine][0]) if len(present) == 1 else mine
        result["kind"][kind] = {"paired_auc": paired(rows)}
    return result


# --- mistakes ---------------------------------------------------------------


def most_confident_mistakes(
    labels: np.ndarray, scores: np.ndarray, threshold: float, limit: int = MISTAKES_SHOWN
) -> tuple[list[int], list[int]]:
    """Row indices of the most confident false positives and false negatives.

    False positives (clean, ``score >= threshold``) highest score first;
    false negatives (spun, ``score < threshold``) lowest score first; ties
    keep input order. At most ``limit`` of each.

    >>> most_confident_mistakes(np.array([0, 0, 1, 1]), np.array([.6, .9, .1, .4]), 0.5, 1)
    ([1], [2])
    """
    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=np.float64)
    false_positive = np.flatnonzero((labels == 0) & (scores >= threshold))
    false_negative = np.flatnonzero((labels == 1) & (scores < threshold))
    by_confidence = false_positive[np.argsort(-scores[false_positive], kind="stable")]
    by_doubt = false_negative[np.argsort(scores[false_negative], kind="stable")]
    return by_confidence[:limit].tolist(), by_doubt[:limit].tolist()


def read_samples_at(samples: Iterable[Sample], positions: Iterable[int]) -> dict[int, Sample]:
    """The samples at the given positions of a stream, reading no further than needed.

    >>> stream = (Sample(str(i), f"text {i}", 0, str(i), "k") for i in range(100))
    >>> {position: s.text for position, s in read_samples_at(stream, [3, 1]).items()}
    {1: 'text 1', 3: 'text 3'}
    """
    wanted = set(positions)
    found: dict[int, Sample] = {}
    if not wanted:
        return found
    for position, sample in enumerate(samples):
        if position in wanted:
            found[position] = sample
            if len(found) == len(wanted):
                break
    return found


def explain_document(
    sample: Sample, score: float, threshold: float, model: Model, *, dataset: str = ""
) -> dict[str, Any]:
    """A mistake as :func:`~detector.report.write_report` shows it: evidence, paragraphs.

    ``score`` is the evaluation's document score; the scorer adds the
    evidence spans, the per-paragraph scores and the features' contributions.
    """
    from detector.scoring import LABEL_CLEAN, LABEL_SPUN, Scorer

    result = Scorer.load(model, threshold).score_text(sample.text, explain=True)
    return {
        "id": sample.id,
        "dataset": dataset,
        "text": sample.text,
        "score": float(score),
        "label": LABEL_SPUN if score >= threshold else LABEL_CLEAN,
        "kind": sample.kind,
        "evidence": result["evidence"],
        "paragraphs": result["paragraphs"],
        "contributions": {c["feature"]: c["contribution"] for c in result.get("contributions", [])},
    }


# --- the evaluate command ---------------------------------------------------


def model_summary(
    model: Model, path: str | os.PathLike[str] | None, threshold: float
) -> dict[str, Any]:
    """Name, file, checksum and threshold of a model, for the report."""
    return {
        "name": model.card.get("name"),
        "path": None if path is None else str(path),
        "sha256": model.card.get("sha256"),
        "threshold": threshold,
    }


def _read_labelled(
    source: str | os.PathLike[str], group_from_id: str | None, problems: list[str]
) -> Iterable[Sample]:
    return iter_labelled([source], group_from_id=group_from_id, problems=problems)


def evaluate_files(
    data: Sequence[str | os.PathLike[str]],
    model: Model,
    out: str | os.PathLike[str],
    *,
    model_path: str | os.PathLike[str] | None = None,
    compare_with: Model | None = None,
    compare_path: str | os.PathLike[str] | None = None,
    threshold: float | None = None,
    by: Sequence[str] = (),
    group_from_id: str | None = None,
    jobs: int = 1,
    n_bootstrap: int = 1000,
    seed: int = 0,
    mistakes: int = MISTAKES_SHOWN,
    batch_size: int = BATCH_SIZE,
    log: Log = _silent,
) -> dict[str, Any]:
    """Evaluate ``model`` on each data file and on all of them pooled; write the report.

    Parameters
    ----------
    data
        JSONL/CSV files (or ``spun/`` + ``clean/`` folders) as for
        :func:`~detector.train.load_labelled`; each is reported on its own
        and all are pooled.
    model, model_path
        The model evaluated and where it was loaded from (for the report).
    out
        Folder for ``metrics.json``, the plots and ``report.html``.
    compare_with, compare_path
        A second model scored on the same documents, side by side.
    threshold
        Decision threshold for both models; default: each model's own.
    by
        Extra columns of the data to break the metrics down by.
    mistakes
        False positives, and false negatives, shown in the report.

    Returns
    -------
    dict
        The ``metrics.json`` document (see :mod:`detector.report`).
    """
    from detector.report import read_metrics, write_report

    models = [model] if compare_with is None else [model, compare_with]
    thresholds = [m.threshold if threshold is None else threshold for m in models]
    names = [str(source) for source in data]
    if len(set(names)) != len(names):
        raise EvaluationError("the same data file is given twice")
    sets: list[ScoredSet] = []
    skipped: dict[str, int] = {}
    for name, source in zip(names, data, strict=True):
        problems: list[str] = []
        scored = score_stream(
            _read_labelled(source, group_from_id, problems), models, by=by, jobs=jobs,
            batch_size=batch_size, name=name, log=log,
        )  # fmt: skip
        for problem in problems[:PROBLEMS_LOGGED]:
            log(f"skipped {problem}")
        if not len(scored):
            raise EvaluationError(f"{name}: no usable labelled rows (text and a 0/1 label)")
        skipped[name] = len(problems)
        log(f"{name}: {len(problems)} rows skipped")
        sets.append(scored)
    pooled = pool(sets)

    def measured(scored: ScoredSet) -> dict[str, Any]:
        return measure(scored, thresholds[0], by=by, n_bootstrap=n_bootstrap, seed=seed)

    overall = measured(pooled)
    datasets = {names[0]: overall} if len(sets) == 1 else {
        name: measured(scored) for name, scored in zip(names, sets, strict=True)
    }  # fmt: skip
    comparison = None
    if compare_with is not None:
        comparison = compare(pooled, thresholds[1], n_bootstrap=n_bootstrap, seed=seed)
        comparison["model"] = model_summary(compare_with, compare_path, thresholds[1])

    false_positive_rows, false_negative_rows = most_confident_mistakes(
        pooled.labels, pooled.scores[0], thresholds[0], mistakes
    )
    documents = _explain_rows(
        pooled, [*false_positive_rows, *false_negative_rows], data, thresholds[0], model,
        group_from_id,
    )  # fmt: skip
    head_metrics = None
    if model.mt_head is not None and pooled.machine_translated is not None:
        head_metrics = measure_head(
            pooled, model.mt_head.threshold, by=by, n_bootstrap=n_bootstrap, seed=seed
        )
    run = {
        "model": model_summary(model, model_path, thresholds[0]),
        "data": [{"name": name, "documents": len(scored), "skipped_rows": skipped[name]}
                 for name, scored in zip(names, sets, strict=True)],
        "by": list(by),
        "bootstrap_resamples": n_bootstrap,
        "seed": seed,
    }  # fmt: skip
    paths = write_report(
        Path(out),
        metrics=overall["overall"],
        breakdown=overall["breakdown"],
        y_true=pooled.labels,
        scores=pooled.scores[0],
        kinds=pooled.kinds,
        false_positives=[documents[row] for row in false_positive_rows],
        false_negatives=[documents[row] for row in false_negative_rows],
        title="detector evaluation",
        run=run,
        datasets=datasets,
        comparison=comparison,
        comparison_scores=None if compare_with is None else pooled.scores[1],
        machine_translation_head=head_metrics,
    )
    return read_metrics(paths["metrics"])


def measure_head(
    scored: ScoredSet,
    threshold: float,
    *,
    by: Sequence[str] = (),
    n_bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """``{"overall", "breakdown"}`` of the machine-translation head's probabilities.

    The labels are the data's own: the numbers measure the head where label
    1 means machine-translated.
    """
    if scored.machine_translated is None:
        raise EvaluationError("these scores hold no machine-translation head's")
    head_scores = ScoredSet(
        scored.names, scored.labels, [scored.machine_translated], scored.kinds,
        scored.n_words, scored.columns, scored.positions,
    )  # fmt: skip
    return measure(head_scores, threshold, by=by, n_bootstrap=n_bootstrap, seed=seed)


def _explain_rows(
    pooled: ScoredSet,
    rows: Sequence[int],
    data: Sequence[str | os.PathLike[str]],
    threshold: float,
    model: Model,
    group_from_id: str | None,
) -> dict[int, dict[str, Any]]:
    """Re-read the texts of the given pooled rows and explain each with the scorer."""
    documents: dict[int, dict[str, Any]] = {}
    for dataset, source in enumerate(data):
        wanted = {int(pooled.positions[row, 1]): row for row in rows
                  if pooled.positions[row, 0] == dataset}  # fmt: skip
        if not wanted:
            continue
        samples = read_samples_at(_read_labelled(source, group_from_id, []), wanted)
        if len(samples) != len(wanted):
            raise EvaluationError(f"{pooled.names[dataset]} changed while it was evaluated")
        for position, row in wanted.items():
            documents[row] = explain_document(
                samples[position], float(pooled.scores[0][row]), threshold, model,
                dataset=pooled.names[dataset],
            )  # fmt: skip
    return documents


def evaluate(
    samples: Sequence[Sample],
    model: Model,
    *,
    threshold: float | None = None,
    jobs: int = 1,
    n_bootstrap: int = 1000,
    by: Sequence[str] = (),
    seed: int = 0,
) -> dict[str, Any]:
    """Metrics of samples held in memory: ``{"threshold", "overall", "breakdown"}``.

    The breakdown is by kind, length bucket and each ``by`` column.
    """
    threshold = model.threshold if threshold is None else threshold
    scored = score_stream(samples, [model], by=by, jobs=jobs)
    return {
        "threshold": threshold,
        **measure(scored, threshold, by=by, n_bootstrap=n_bootstrap, seed=seed),
    }


# --- leave one generator out ------------------------------------------------


def evaluate_leave_one_generator_out(
    samples: Sequence[Sample],
    resources: Resources,
    *,
    test_share: float = LOO_TEST_SHARE,
    jobs: int = 1,
    n_bootstrap: int = 1000,
    seed: int = 0,
    folds: int = 3,
    log: Log = _silent,
) -> dict[str, Any]:
    """The generalisation table: each generator family measured by a model that never saw it.

    Groups are split into train and test (:func:`~detector.train.in_test_split`,
    ``test_share`` of them in test). Features are computed once. A model
    fitted on every training row is the reference ("seen"); then, for each
    family of spun documents (:func:`~detector.train.family_of`), a model is
    fitted on the training rows of the other families and the clean rows
    ("held_out"). Both are measured on the same rows: the family's test rows
    and every clean test row, each at its own model's threshold.

    Returns ``{"test_share", "folds", "n_train", "n_test", "families": {family:
    {"kinds", "n_train_without", "seen", "held_out", "roc_auc_drop"}}}``, where
    ``seen`` and ``held_out`` are :func:`~detector.metrics.binary_metrics`
    and ``roc_auc_drop`` is seen minus held-out ROC AUC.
    """
    labels = np.array([sample.label for sample in samples], dtype=np.int64)
    families = np.array([family_of(sample.kind) for sample in samples], dtype=object)
    kinds = np.array([sample.kind for sample in samples], dtype=object)
    test = np.array([in_test_split(sample.group, test_share) for sample in samples])
    if not (test & (labels == 0)).any():
        raise EvaluationError(
            "no clean document fell in the test split: use more groups or a larger test share"
        )
    if not (~test).any():
        raise EvaluationError("every group fell in the test split: lower the test share")
    texts = [sample.text for sample in samples]
    log(f"features of {len(samples)} documents ({int(test.sum())} in the test split)")
    matrix = featurize(texts, resources, jobs=jobs)
    patterns = pattern_matrix(texts, resources)
    del texts
    log("fitting on every generator (the reference)")
    reference, reference_scores = fit_stacked(
        samples, matrix, patterns, resources, ~test, seed=seed, folds=folds
    )
    table: dict[str, Any] = {}
    for held in leave_one_generator_out(
        samples, matrix, patterns, resources, ~test, seed=seed, folds=folds
    ):
        rows = test & ((families == held.family) | (labels == 0))
        seen = binary_metrics(labels[rows], reference_scores[rows], reference.model.threshold,
                              n_bootstrap=n_bootstrap, seed=seed)  # fmt: skip
        held_out = binary_metrics(labels[rows], held.scores[rows], held.fit.model.threshold,
                                  n_bootstrap=n_bootstrap, seed=seed)  # fmt: skip
        drop = None
        if seen["roc_auc"] is not None and held_out["roc_auc"] is not None:
            drop = seen["roc_auc"] - held_out["roc_auc"]
        table[held.family] = {
            "kinds": sorted(set(kinds[families == held.family].tolist())),
            "n_train_without": int(held.kept.sum()),
            "seen": seen,
            "held_out": held_out,
            "roc_auc_drop": drop,
        }
        auc = held_out["roc_auc"]
        log(f"  {held.family}: held-out ROC-AUC {'n/a' if auc is None else f'{auc:.4f}'}")
    return {
        "test_share": test_share,
        "folds": folds,
        "n_train": int((~test).sum()),
        "n_test": int(test.sum()),
        "families": table,
    }


def language_model_resources(
    samples: Sequence[Sample],
    *,
    language_model_texts: Sequence[str] | None = None,
    share: float = LANGUAGE_MODEL_SHARE,
    seed: int = 0,
    log: Log = _silent,
) -> tuple[Resources, list[Sample]]:
    """Language models for a refit, as ``detector train`` builds them; and the samples left.

    From ``language_model_texts`` when given (every sample is kept), else
    from the clean texts of ``share`` of the groups, which then leave the
    samples (:func:`~detector.train.split_language_model_texts`), so that no
    clean text is measured by language models that learnt it.
    """
    from detector.build import build_resources

    kept = list(samples)
    if language_model_texts is None:
        language_model_texts, kept = split_language_model_texts(samples, share, seed)
        log(
            f"language models: {len(language_model_texts)} clean texts of {share:.0%} of the "
            "groups, kept out of the evaluation"
        )
    if not language_model_texts:
        raise EvaluationError("no clean text to train the language models on")
    return build_resources(language_model_texts), kept


def report_leave_one_generator_out(
    samples: Sequence[Sample],
    resources: Resources,
    out: str | os.PathLike[str],
    *,
    run: Mapping[str, Any] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Run :func:`evaluate_leave_one_generator_out` and write its report into ``out``."""
    from detector.report import read_metrics, write_generalisation_report

    table = evaluate_leave_one_generator_out(samples, resources, **options)
    paths = write_generalisation_report(Path(out), table, run=dict(run or {}))
    return read_metrics(paths["metrics"])
