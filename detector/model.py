"""The fitted model as plain arrays, its card, and the checks made on loading.

A model is two files side by side: ``NAME.npz`` (numpy arrays only, read with
``allow_pickle=False``, so loading never runs code from the file) and
``NAME.json``, the card: format version, package and scikit-learn versions,
feature names, training-data description and hash, held-out metrics, the
default threshold, and the SHA-256 of the ``.npz``. Loading refuses a model
whose checksum, format version or feature names do not match.

The classifier is a standardised logistic regression whose raw score is
calibrated by Platt scaling fitted on out-of-fold predictions; the scorer
needs numpy alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from detector.resources import Resources

#: Version of the file layout; a newer one is refused by older packages.
FORMAT_VERSION = 1
#: Name (stem) of the model that ships with the package.
DEFAULT_MODEL = "detector-v1"


class ModelError(Exception):
    """A model that cannot be used, with a message that says what to do."""


@dataclass
class Model:
    """A fitted classifier plus the resources its features need."""

    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    calibration: tuple[float, float]
    threshold: float
    resources: Resources
    card: dict[str, Any] = field(default_factory=dict)

    def decision(self, matrix: np.ndarray) -> np.ndarray:
        """Raw (uncalibrated) logit of each row of a feature matrix."""
        standardised = (np.asarray(matrix, dtype=np.float64) - self.mean) / self.scale
        return standardised @ self.coef + self.intercept

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        """Calibrated probability that each row carries artifacts."""
        slope, offset = self.calibration
        logits = slope * self.decision(matrix) + offset
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0)))

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """Each feature's share of the raw logit for one row (for explanations)."""
        parts = (np.asarray(row, dtype=np.float64) - self.mean) / self.scale * self.coef
        return dict(zip(self.feature_names, parts.tolist(), strict=True))

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {
            "classifier_mean": self.mean,
            "classifier_scale": self.scale,
            "classifier_coef": self.coef,
            "classifier_intercept": np.array([self.intercept]),
            "classifier_calibration": np.array(self.calibration),
            "classifier_threshold": np.array([self.threshold]),
        }
        arrays.update(self.resources.to_arrays())
        return arrays

    def save(
        self, path: str | os.PathLike[str], card: dict[str, Any], *, overwrite: bool = False
    ) -> Path:
        """Write ``PATH.npz`` and its card ``PATH.json``; returns the ``.npz`` path.

        An existing model is never replaced unless ``overwrite`` is given.
        """
        npz = model_path(path)
        card_path = npz.with_suffix(".json")
        if not overwrite and (npz.exists() or card_path.exists()):
            raise ModelError(f"{npz} exists: choose a new name (or pass --overwrite)")
        npz.parent.mkdir(parents=True, exist_ok=True)
        temporary = npz.with_name(npz.name + ".tmp")
        with open(temporary, "wb") as handle:
            np.savez_compressed(handle, **self.to_arrays())  # type: ignore[arg-type]
        os.replace(temporary, npz)
        card = dict(card)
        card.update(
            format_version=FORMAT_VERSION,
            feature_names=list(self.feature_names),
            threshold=self.threshold,
            model_file=npz.name,
            sha256=file_sha256(npz),
        )
        card_path.write_text(json.dumps(card, indent=2, sort_keys=False) + "\n")
        self.card = card
        return npz


def model_path(path: str | os.PathLike[str]) -> Path:
    """The ``.npz`` path for a model given as stem, ``.npz`` or ``.json`` path."""
    path = Path(path)
    if path.suffix in (".npz", ".json"):
        path = path.with_suffix("")
    return path.with_name(path.name + ".npz")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_model_path() -> Path:
    """Where the shipped model is: inside the installed package, or the repository."""
    here = Path(__file__).resolve().parent
    for folder in (here / "_models", here.parent / "models"):
        candidate = folder / f"{DEFAULT_MODEL}.npz"
        if candidate.exists():
            return candidate
    raise ModelError(
        f"the default model {DEFAULT_MODEL} is not installed: reinstall the package "
        "(pip install detector) or pass --model PATH"
    )


def load_model(path: str | os.PathLike[str] | None = None) -> Model:
    """Load and verify a model (the shipped default when ``path`` is None)."""
    npz = model_path(path) if path is not None else default_model_path()
    return _load_verified(str(npz.resolve()))


@lru_cache(maxsize=4)
def _load_verified(npz_name: str) -> Model:
    from detector.features import feature_names

    npz = Path(npz_name)
    card_path = npz.with_suffix(".json")
    if not npz.exists():
        raise ModelError(f"no model file {npz}")
    if not card_path.exists():
        raise ModelError(f"model {npz} has no card {card_path.name} beside it: refusing to load")
    try:
        card = json.loads(card_path.read_text())
    except ValueError as error:
        raise ModelError(f"model card {card_path} is not valid JSON: {error}") from error
    version = card.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(
            f"model {npz.name} has format version {version!r}; this detector reads up to "
            f"{FORMAT_VERSION}: upgrade detector (pip install -U detector)"
        )
    actual = file_sha256(npz)
    if card.get("sha256") != actual:
        raise ModelError(
            f"model file {npz.name} does not match its card (SHA-256 {actual[:12]}... vs "
            f"{str(card.get('sha256'))[:12]}...): the file is damaged or was replaced; "
            "restore it or retrain with `detector train`"
        )
    names = tuple(card.get("feature_names", ()))
    unknown = sorted(set(names) - set(feature_names()))
    if unknown:
        raise ModelError(
            f"model {npz.name} uses features this detector does not compute "
            f"({', '.join(unknown[:5])}): it was trained by another version; retrain it"
        )
    try:
        with np.load(npz, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read model file {npz}: {error}") from error
    coef = arrays["classifier_coef"].astype(np.float64)
    if len(coef) != len(names):
        raise ModelError(f"model {npz.name}: {len(coef)} weights for {len(names)} features")
    return Model(
        feature_names=names,
        mean=arrays["classifier_mean"].astype(np.float64),
        scale=arrays["classifier_scale"].astype(np.float64),
        coef=coef,
        intercept=float(arrays["classifier_intercept"][0]),
        calibration=(
            float(arrays["classifier_calibration"][0]),
            float(arrays["classifier_calibration"][1]),
        ),
        threshold=float(arrays["classifier_threshold"][0]),
        resources=Resources.from_arrays(arrays),
        card=card,
    )
