"""Artifact families, one module each, and the function that runs them all.

Each family module exposes ``FAMILY``, ``FEATURE_NAMES`` and a pure
``extract(text) -> FeatureResult``; the families that lean on corpus
statistics or learnt weights (``casing``, ``phrasing``, ``lexicon``,
``translationese``, ``substitution``, ``pronouns``) also take the model's
:class:`~detector.resources.Resources`. A family in the batch shape (see
``../shared/STYLE.md``) also has ``transform(docs, resources) -> matrix`` and
``evidence(doc, resources)``, and :func:`extract_batch` uses them: one call
for a whole batch of documents, evidence only for the rows that need it.

>>> from detector.resources import Resources
>>> result = extract_all("Toray Industries (3402.t) said on monday.", Resources.empty())
>>> set(result.values) == set(feature_names())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

import numpy as np

from detector.features import (
    casing,
    collocation,
    homoglyphs,
    lexicon,
    phrases,
    phrasing,
    pronouns,
    spinner,
    substitution,
    tickers,
    translationese,
)
from detector.features.base import Evidence, FeatureResult
from detector.resources import Resources
from detector.text import Document

#: The families, in the order their features enter the model.
#: New families go at the end: a model picks its columns by name and ignores
#: features it was not trained on, so adding one leaves shipped models valid.
FAMILIES: tuple[ModuleType, ...] = (
    tickers,
    casing,
    phrases,
    phrasing,
    lexicon,
    translationese,
    homoglyphs,
    substitution,
    pronouns,
    collocation,
    spinner,
)

_NEEDS_RESOURCES = frozenset(
    {
        casing.FAMILY,
        phrasing.FAMILY,
        lexicon.FAMILY,
        translationese.FAMILY,
        substitution.FAMILY,
        pronouns.FAMILY,
        collocation.FAMILY,
        spinner.FAMILY,
    }
)


def feature_names() -> tuple[str, ...]:
    """Every feature name, family by family."""
    return tuple(name for family in FAMILIES for name in family.FEATURE_NAMES)


def extract_batch(
    docs: Sequence[Document], resources: Resources, with_evidence: Sequence[bool]
) -> tuple[np.ndarray, list[list[Evidence]]]:
    """Every family on a batch: the feature matrix and the evidence of the rows asked for.

    Row ``i`` of the matrix holds document ``i``'s values in
    :func:`feature_names` order; ``evidence[i]`` is empty unless
    ``with_evidence[i]``, else in text order. A family in the batch shape
    runs once on the whole batch (its ``transform``) and builds evidence
    only for the rows asked for; any other runs document by document.

    >>> docs = [Document.of("Sony (6758.T) rose."), Document.of("Prices rose.")]
    >>> matrix, evidence = extract_batch(docs, Resources.empty(), [True, False])
    >>> matrix.shape == (2, len(feature_names())), [len(items) for items in evidence]
    (True, [0, 0])
    """
    blocks: list[np.ndarray] = []
    evidence: list[list[Evidence]] = [[] for _ in docs]
    for family in FAMILIES:
        transform = getattr(family, "transform", None)
        if transform is not None:
            blocks.append(np.asarray(transform(docs, resources), dtype=np.float64))
            for index, doc in enumerate(docs):
                if with_evidence[index]:
                    evidence[index].extend(family.evidence(doc, resources))
            continue
        block = np.zeros((len(docs), len(family.FEATURE_NAMES)))
        for index, doc in enumerate(docs):
            if family.FAMILY in _NEEDS_RESOURCES:
                result = family.extract(doc, resources)
            else:
                result = family.extract(doc)
            block[index] = [result.values[name] for name in family.FEATURE_NAMES]
            if with_evidence[index]:
                evidence[index].extend(result.evidence)
        blocks.append(block)
    for items in evidence:
        items.sort(key=lambda item: (item.start, item.end, item.family))
    matrix = np.hstack(blocks) if blocks else np.zeros((len(docs), 0))
    return matrix, evidence


def extract_all(text: str | Document, resources: Resources) -> FeatureResult:
    """Run every family on a text (a batch of one); values merged, evidence in text order."""
    doc = Document.of(text)
    matrix, evidence = extract_batch([doc], resources, [True])
    return FeatureResult(dict(zip(feature_names(), matrix[0].tolist(), strict=True)), evidence[0])
