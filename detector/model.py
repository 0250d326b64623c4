"""The fitted model as plain arrays, its card, and the checks made on loading.

A model is two files side by side: ``NAME.npz`` (numpy arrays only, read with
``allow_pickle=False``, so loading never runs code from the file) and
``NAME.json``, the card: format version, package and scikit-learn versions,
feature names, training-data description and hash, held-out metrics, the
default threshold, and the SHA-256 of the ``.npz``. Loading refuses a model
whose checksum, format version or feature names do not match.

The classifier is a gradient-boosted tree ensemble stored as flat node arrays
(:class:`TreeEnsemble`), its raw score calibrated by Platt scaling fitted on
out-of-fold predictions; the scorer needs numpy alone.

Some evidence settles the question on its own: unresolved spin syntax, a
spinner's slip inside a name, a ticker suffix glued to the next word. People
do not write these, but in training data they come with many other signs,
so the trees, which cannot extrapolate, learn only a bounded step for them
and a short text with nothing else looks clean. Each such feature carries an
*evidence floor* (:func:`apply_floors`): the probability that a text in
which it fires carries artifacts, counted in the training data
(:func:`detector.train.evidence_floors`); a text's score is never below it.
"""

from __future__ import annotations

import contextlib
import json
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from detector import array_cache
from detector.array_cache import file_sha256
from detector.mt_head import CARD_KEY, HeadError, MachineTranslationHead, has_head
from detector.resources import Resources, word_table_indexes

#: Version of the file layout; a newer one is refused by older packages.
FORMAT_VERSION = 1
#: Name (stem) of the model that ships with the package.
DEFAULT_MODEL = "detector-v17"


def apply_floors(
    probabilities: np.ndarray, matrix: np.ndarray, features: np.ndarray, floors: np.ndarray
) -> np.ndarray:
    """Raise each probability to the evidence floors of the features that fired in its row.

    Floors combine as independent evidence (a noisy OR): a text in which two
    floored features fired is less likely to be clean than one with either.

    >>> apply_floors(np.array([0.2, 0.2, 0.2]),
    ...              np.array([[0.0, 0.0], [1.5, 0.0], [1.5, 2.0]]),
    ...              np.array([0, 1]), np.array([0.9, 0.5])).round(3).tolist()
    [0.2, 0.92, 0.96]
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if len(features) == 0:
        return probabilities
    fired = np.atleast_2d(np.asarray(matrix, dtype=np.float64))[:, features] > 0
    clean = np.prod(np.where(fired, 1.0 - floors, 1.0), axis=1)
    return 1.0 - (1.0 - probabilities) * clean


class ModelError(Exception):
    """A model that cannot be used, with a message that says what to do."""


@dataclass
class TreeEnsemble:
    """Gradient-boosted decision trees as flat node arrays, evaluated with numpy.

    Node ``i`` sends a row to ``left[i]`` when ``row[feature[i]] <= threshold[i]``
    and to ``right[i]`` otherwise, until a leaf; the raw score is ``baseline``
    plus the sum of one leaf value per tree. Every tree is walked at once, one
    level per step, so scoring costs ``depth`` vectorised steps.

    >>> trees = TreeEnsemble(
    ...     feature=np.array([0, 0, 0]), threshold=np.array([0.5, 0.0, 0.0]),
    ...     left=np.array([1, 0, 0]), right=np.array([2, 0, 0]),
    ...     value=np.array([0.0, -1.0, 2.0]), is_leaf=np.array([False, True, True]),
    ...     roots=np.array([0]), baseline=0.5, depth=1)
    >>> trees.raw(np.array([[0.2], [0.9]])).tolist()
    [-0.5, 2.5]
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    is_leaf: np.ndarray
    roots: np.ndarray
    baseline: float
    depth: int

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        """Raw (logit) score of each row."""
        matrix = np.asarray(matrix, dtype=np.float64)
        rows = np.arange(matrix.shape[0])[:, None]
        index = np.broadcast_to(self.roots, (matrix.shape[0], len(self.roots))).copy()
        for _ in range(self.depth):
            leaf = self.is_leaf[index]
            if leaf.all():
                break
            go_left = matrix[rows, self.feature[index]] <= self.threshold[index]
            index = np.where(leaf, index, np.where(go_left, self.left[index], self.right[index]))
        return self.baseline + self.value[index].sum(axis=1)

    @classmethod
    def from_sklearn(cls, estimator: Any) -> TreeEnsemble:
        """Flatten a fitted binary ``HistGradientBoostingClassifier``."""
        parts: dict[str, list[np.ndarray]] = {k: [] for k in ("f", "t", "l", "r", "v", "leaf")}
        roots: list[int] = []
        offset = 0
        depth = 0
        for (predictor,) in estimator._predictors:
            nodes = predictor.nodes
            roots.append(offset)
            parts["f"].append(nodes["feature_idx"].astype(np.int32))
            parts["t"].append(nodes["num_threshold"].astype(np.float64))
            parts["l"].append(nodes["left"].astype(np.int64) + offset)
            parts["r"].append(nodes["right"].astype(np.int64) + offset)
            parts["v"].append(nodes["value"].astype(np.float64))
            parts["leaf"].append(nodes["is_leaf"].astype(bool))
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
        return cls(
            feature=np.concatenate(parts["f"]),
            threshold=np.concatenate(parts["t"]),
            left=np.concatenate(parts["l"]).astype(np.int32),
            right=np.concatenate(parts["r"]).astype(np.int32),
            value=np.concatenate(parts["v"]),
            is_leaf=np.concatenate(parts["leaf"]),
            roots=np.array(roots, dtype=np.int32),
            baseline=float(np.ravel(estimator._baseline_prediction)[0]),
            depth=depth,
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {
            "trees_feature": self.feature, "trees_threshold": self.threshold,
            "trees_left": self.left, "trees_right": self.right, "trees_value": self.value,
            "trees_is_leaf": self.is_leaf, "trees_roots": self.roots,
            "trees_meta": np.array([self.baseline, self.depth], dtype=np.float64),
        }  # fmt: skip

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> TreeEnsemble:
        baseline, depth = (float(v) for v in arrays["trees_meta"])
        return cls(
            feature=np.asarray(arrays["trees_feature"], dtype=np.int64),
            threshold=np.asarray(arrays["trees_threshold"], dtype=np.float64),
            left=np.asarray(arrays["trees_left"], dtype=np.int64),
            right=np.asarray(arrays["trees_right"], dtype=np.int64),
            value=np.asarray(arrays["trees_value"], dtype=np.float64),
            is_leaf=np.asarray(arrays["trees_is_leaf"], dtype=bool),
            roots=np.asarray(arrays["trees_roots"], dtype=np.int64),
            baseline=baseline,
            depth=int(depth),
        )


def hinged_terms(
    matrix: np.ndarray, features: np.ndarray, weights: np.ndarray, knots: np.ndarray
) -> np.ndarray:
    """``sum(weight * max(value - knot, 0))`` over the columns ``features`` of each row.

    >>> hinged_terms(np.array([[1.0, -2.0], [3.0, 0.5]]), np.array([0]), np.array([2.0]),
    ...              np.array([2.0])).tolist()
    [0.0, 2.0]
    """
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
    if not len(features):
        return np.zeros(len(matrix))
    return np.asarray(np.maximum(matrix[:, features] - knots, 0.0) @ weights)


@dataclass
class Model:
    """A fitted classifier plus the resources its features need."""

    feature_names: tuple[str, ...]
    #: The value each feature is compared with in :meth:`contributions`: 0 for
    #: evidence counts (no evidence), the training mean for the others.
    reference: np.ndarray
    trees: TreeEnsemble
    calibration: tuple[float, float]
    threshold: float
    resources: Resources
    card: dict[str, Any] = field(default_factory=dict)
    #: Columns that carry an evidence floor, and the floor of each (see
    #: :func:`apply_floors`); empty for a model without floors.
    floor_features: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    floor_probabilities: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: The machine-translation head (see :mod:`detector.mt_head`), or None.
    mt_head: MachineTranslationHead | None = None
    #: Columns added to the calibrated logit as hinges: ``weight * max(value
    #: - knot, 0)``. A score of its own (the translationese page model's)
    #: that the trees leave mostly unused where it matters counts where it
    #: leans towards spun (above its knot), with a weight learnt out of fold
    #: on the rows it was made for (see :func:`detector.train.linear_terms`).
    #: Empty for a model without such terms.
    linear_features: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    linear_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    linear_knots: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def linear_part(self, matrix: np.ndarray) -> np.ndarray:
        """What the linear terms add to the calibrated logit of each row (0 without them)."""
        return hinged_terms(matrix, self.linear_features, self.linear_weights, self.linear_knots)

    def decision(self, matrix: np.ndarray) -> np.ndarray:
        """Raw (uncalibrated) logit of each row of a feature matrix."""
        return self.trees.raw(np.atleast_2d(np.asarray(matrix, dtype=np.float64)))

    def probability(self, matrix: np.ndarray) -> np.ndarray:
        """Calibrated probability that each row carries artifacts."""
        matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
        slope, offset = self.calibration
        logits = slope * self.decision(matrix) + offset
        logits = logits + self.linear_part(matrix)
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(logits, -40.0, 40.0)))
        return apply_floors(probabilities, matrix, self.floor_features, self.floor_probabilities)

    def floors(self) -> dict[str, float]:
        """Each floored feature's name and floor."""
        return {
            self.feature_names[int(index)]: float(value)
            for index, value in zip(self.floor_features, self.floor_probabilities, strict=True)
        }

    def contributions(self, row: np.ndarray) -> dict[str, float]:
        """How much each feature moves the calibrated logit of one row.

        A feature's contribution is the change in logit when it alone is set
        back to its reference (no evidence, or the training mean for measures
        that are not evidence counts): positive values pushed the text towards
        "spun". Exact for what the model does, evidence floors included, and
        cheap (one batch of rows).
        """
        row = np.asarray(row, dtype=np.float64)
        variants = np.repeat(row[None, :], len(row) + 1, axis=0)
        variants[np.arange(1, len(row) + 1), np.arange(len(row))] = self.reference
        probabilities = np.clip(self.probability(variants), 1e-15, 1.0 - 1e-15)
        logits = np.log(probabilities) - np.log1p(-probabilities)
        return dict(zip(self.feature_names, (logits[0] - logits[1:]).tolist(), strict=True))

    def to_arrays(self) -> dict[str, np.ndarray]:
        arrays = {
            "classifier_reference": self.reference,
            "classifier_calibration": np.array(self.calibration),
            "classifier_threshold": np.array([self.threshold]),
            "classifier_floor_features": np.asarray(self.floor_features, dtype=np.int64),
            "classifier_floor_probabilities": np.asarray(self.floor_probabilities, dtype=float),
        }
        if len(self.linear_features):
            arrays["classifier_linear_features"] = np.asarray(self.linear_features, dtype=np.int64)
            arrays["classifier_linear_weights"] = np.asarray(self.linear_weights, dtype=float)
            arrays["classifier_linear_knots"] = np.asarray(self.linear_knots, dtype=float)
        arrays.update(self.trees.to_arrays())
        arrays.update(self.resources.to_arrays())
        if self.mt_head is not None:
            arrays.update(self.mt_head.to_arrays())
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
            evidence_floors={name: round(value, 6) for name, value in self.floors().items()},
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


#: What a model path is, for messages about one that is not.
MODEL_PATH_FORMS = (
    "a model is NAME.npz with its card NAME.json beside it, as `detector train --out NAME` "
    "writes them; pass NAME, NAME.npz or NAME.json"
)


def load_model(path: str | os.PathLike[str] | None = None) -> Model:
    """Load and verify a model (the shipped default when ``path`` is None).

    >>> load_model("README.md")
    Traceback (most recent call last):
    ...
    detector.model.ModelError: README.md is not a model: a model is NAME.npz with its card ...
    """
    if path is None:
        return _load_verified(*_stamped(default_model_path()))
    given = Path(path)
    npz = model_path(given)
    if not npz.exists() and given.is_dir():
        raise ModelError(f"{given} is a folder, not a model: {MODEL_PATH_FORMS}")
    if not npz.exists() and given.suffix not in (".npz", ".json") and given.is_file():
        raise ModelError(f"{given} is not a model: {MODEL_PATH_FORMS}")
    return _load_verified(*_stamped(npz))


def _stamped(npz: Path) -> tuple[str, tuple[int, ...]]:
    """The model's resolved path and its files' sizes and times (the load cache's key).

    A model replaced on disk (a head attached in place, a rebuild) is loaded anew.
    """
    stamp: tuple[int, ...] = ()
    for path in (npz, npz.with_suffix(".json")):
        if path.exists():
            status = path.stat()
            stamp += (status.st_size, status.st_mtime_ns)
    return str(npz.resolve()), stamp


@lru_cache(maxsize=4)
def _load_verified(npz_name: str, stamp: tuple[int, ...] = ()) -> Model:
    from detector.features import feature_names

    npz = Path(npz_name)
    card_path = npz.with_suffix(".json")
    if not npz.exists():
        raise ModelError(f"no model file {npz}: {MODEL_PATH_FORMS}")
    if not card_path.exists():
        raise ModelError(f"model {npz} has no card {card_path.name} beside it: refusing to load")
    try:
        card = json.loads(card_path.read_text())
    except (OSError, ValueError) as error:
        raise ModelError(f"model card {card_path} is not valid JSON: {error}") from error
    if not isinstance(card, dict):
        raise ModelError(f"model card {card_path} is not a JSON object: restore or retrain it")
    version = card.get("format_version")
    if "format_version" not in card or "sha256" not in card:
        raise ModelError(
            f"{card_path} is not a detector model card (it has no format_version and "
            f"sha256): {MODEL_PATH_FORMS}"
        )
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(
            f"model {npz.name} has format version {version!r}; this detector reads up to "
            f"{FORMAT_VERSION}: upgrade detector (pip install -U detector)"
        )
    actual = _checked_sha256(npz, str(card.get("sha256")))
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
    arrays = _mapped_arrays(actual)
    if arrays is None:
        try:
            with np.load(npz, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
            raise ModelError(
                f"cannot read model file {npz}: {error}; restore it or retrain"
            ) from error
        _store_mapped(actual, arrays)
    try:
        return _model_from_arrays(arrays, names, card, npz.name)
    except KeyError as error:
        raise ModelError(
            f"model file {npz.name} lacks the array {error}: it was written by another "
            "version of detector; retrain it"
        ) from error


def array_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/detector/arrays``, ``~/.cache`` when the variable is unset.

    A model's arrays are kept there uncompressed, one ``.npy`` file each, in a
    folder named by the model file's SHA-256 (and :data:`CACHE_LAYOUT`):
    loading then maps them into memory instead of inflating the ``.npz`` (a
    third of a second at every start), and worker processes share the pages
    (:mod:`detector.array_cache`). Sorted indexes of the word tables
    (:func:`detector.resources.word_table_indexes`) are kept with them, so
    that a start builds no dict of 420,000 words. Set
    ``DETECTOR_ARRAY_CACHE=0`` to read the ``.npz`` every time.
    """
    return array_cache.cache_dir()


#: What a cache folder holds: 2 added the word tables' sorted indexes. A
#: folder of another layout is left alone (its name differs).
CACHE_LAYOUT = 2


def _cache_folder(sha256: str) -> Path:
    return array_cache_dir() / f"{sha256}-{CACHE_LAYOUT}"


def _cache_enabled() -> bool:
    return array_cache.enabled()


def _mapped_arrays(sha256: str) -> dict[str, np.ndarray] | None:
    """The arrays of the model whose file has this SHA-256, memory-mapped, or None."""
    return array_cache.mapped(_cache_folder(sha256))


def _checked_sha256(npz: Path, expected: str) -> str:
    """The SHA-256 of a model file, hashed unless this very file was found to match before.

    Hashing 19 MB costs every start a few hundredths of a second. A file that
    matched its card is recorded in the array cache folder of that checksum
    (its path, size, modification time and inode), and is taken as matching
    while all four are unchanged: a file rewritten, replaced or damaged by a
    write gets a new modification time and is hashed again. The checksum
    guards against damage and mix-ups, not against someone who can write
    the model's files (they could rewrite the card too). With the cache off
    (``DETECTOR_ARRAY_CACHE=0``) every load hashes.
    """
    record = _cache_folder(expected) / "verified"
    status = npz.stat()
    stamp = f"{npz.resolve()}\t{status.st_size}\t{status.st_mtime_ns}\t{status.st_ino}"
    if _cache_enabled():
        try:
            if stamp in record.read_text(encoding="utf-8").splitlines():
                return expected
        except (OSError, UnicodeDecodeError):
            pass  # never verified here (or an unreadable record): hash
    actual = file_sha256(npz)
    if actual == expected and _cache_enabled() and record.parent.exists():
        with contextlib.suppress(OSError), open(record, "a", encoding="utf-8") as handle:
            handle.write(stamp + "\n")
    return actual


def _store_mapped(sha256: str, arrays: Mapping[str, np.ndarray]) -> None:
    """Keep the arrays and the indexes of their word tables for :func:`_mapped_arrays`."""
    if not _cache_enabled() or _cache_folder(sha256).exists():
        return
    # a table no index can hold (ValueError) is looked up through its dict
    with contextlib.suppress(ValueError):
        arrays = {**arrays, **word_table_indexes(arrays)}
    array_cache.store(_cache_folder(sha256), arrays)


def _model_from_arrays(
    arrays: Mapping[str, np.ndarray], names: tuple[str, ...], card: dict[str, Any], name: str
) -> Model:
    reference = arrays["classifier_reference"].astype(np.float64)
    if len(reference) != len(names):
        raise ModelError(f"model {name}: {len(reference)} reference values, {len(names)} features")
    trees = TreeEnsemble.from_arrays(arrays)
    if len(trees.feature) and int(trees.feature.max()) >= len(names):
        raise ModelError(f"model {name}: a tree splits on a feature the card does not name")
    # models written before evidence floors have none
    floor_features = np.asarray(
        arrays.get("classifier_floor_features", np.zeros(0)), dtype=np.int64
    )
    floor_probabilities = np.asarray(
        arrays.get("classifier_floor_probabilities", np.zeros(0)), dtype=np.float64
    )
    if len(floor_features) != len(floor_probabilities) or (
        len(floor_features) and int(floor_features.max()) >= len(names)
    ):
        raise ModelError(f"model {name}: its evidence floors do not match its features")
    if np.any((floor_probabilities < 0) | (floor_probabilities >= 1)):
        raise ModelError(f"model {name}: an evidence floor is not a probability below 1")
    # models written before linear terms have none
    linear_features = np.asarray(
        arrays.get("classifier_linear_features", np.zeros(0)), dtype=np.int64
    )
    linear_weights = np.asarray(arrays.get("classifier_linear_weights", np.zeros(0)), dtype=float)
    linear_knots = np.asarray(arrays.get("classifier_linear_knots", np.zeros(0)), dtype=float)
    if len({len(linear_features), len(linear_weights), len(linear_knots)}) != 1 or (
        len(linear_features) and int(linear_features.max()) >= len(names)
    ):
        raise ModelError(f"model {name}: its linear terms do not match its features")
    head = _head_from_arrays(arrays, card, name)
    return Model(
        feature_names=names,
        reference=reference,
        trees=trees,
        calibration=(
            float(arrays["classifier_calibration"][0]),
            float(arrays["classifier_calibration"][1]),
        ),
        threshold=float(arrays["classifier_threshold"][0]),
        resources=Resources.from_arrays(arrays),
        card=card,
        floor_features=floor_features,
        floor_probabilities=floor_probabilities,
        mt_head=head,
        linear_features=linear_features,
        linear_weights=linear_weights,
        linear_knots=linear_knots,
    )


def _head_from_arrays(
    arrays: Mapping[str, np.ndarray], card: dict[str, Any], name: str
) -> MachineTranslationHead | None:
    """The model's machine-translation head, None for a model without one."""
    if not has_head(arrays):
        return None
    try:
        head = MachineTranslationHead.from_arrays(arrays)
    except (HeadError, KeyError, IndexError, ValueError) as error:
        raise ModelError(
            f"model {name}: its machine-translation head is damaged ({error}); attach it again"
        ) from error
    section = card.get(CARD_KEY)
    if not isinstance(section, dict) or tuple(section.get("feature_names", ())) != (
        head.feature_names
    ):
        raise ModelError(
            f"model {name}: its machine-translation head does not match the card's "
            f"`{CARD_KEY}` section; attach it again"
        )
    return head
