"""Score labelled samples with a model and measure how well it separates them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from detector.metrics import binary_metrics, breakdown
from detector.model import Model
from detector.train import Sample, featurize


def score_samples(samples: Sequence[Sample], model: Model, *, jobs: int = 1) -> np.ndarray:
    """Document-level probabilities of ``samples`` (no paragraph scoring)."""
    matrix = featurize(
        [s.text for s in samples], model.resources, names=model.feature_names, jobs=jobs
    )
    return model.probability(matrix) if len(samples) else np.zeros(0)


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
    """Pooled metrics plus breakdowns by kind, length and any ``by`` column."""
    threshold = model.threshold if threshold is None else threshold
    scores = score_samples(samples, model, jobs=jobs)
    labels = np.array([s.label for s in samples])
    groups: dict[str, list[Any]] = {"kind": [s.kind for s in samples]}
    for column in by:
        groups[column] = [s.fields.get(column) for s in samples]
    return {
        "threshold": threshold,
        "pooled": binary_metrics(labels, scores, threshold, n_bootstrap=n_bootstrap, seed=seed),
        "by": breakdown(
            labels,
            scores,
            threshold,
            groups,
            n_words=[len(s.text.split()) for s in samples],
            n_bootstrap=n_bootstrap,
            seed=seed,
        ),
    }
