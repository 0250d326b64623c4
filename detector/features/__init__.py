"""Artifact families, one module each, and the function that runs them all.

Each family module is in the batch shape (see ``../shared/STYLE.md``): it
exposes ``FAMILY``, ``FEATURE_NAMES``, ``transform(docs, resources) ->
matrix`` (one row per document), ``evidence(doc, resources)`` and
``extract(text)`` (a batch of one, with evidence). The families that lean on
corpus statistics or learnt weights read them from the model's
:class:`~detector.resources.Resources`; the others ignore it.
:func:`extract_batch` calls each ``transform`` once for a whole batch of
documents, and :func:`evidence_batch` builds evidence only for the rows that
need it.

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
    ``with_evidence[i]`` (see :func:`evidence_batch`). Each family runs
    once on the whole batch (its ``transform``).

    >>> docs = [Document.of("Sony (6758.T) rose."), Document.of("Prices rose.")]
    >>> matrix, evidence = extract_batch(docs, Resources.empty(), [True, False])
    >>> matrix.shape == (2, len(feature_names())), [len(items) for items in evidence]
    (True, [0, 0])
    """
    blocks = [
        np.asarray(family.transform(docs, resources), dtype=np.float64) for family in FAMILIES
    ]
    matrix = np.hstack(blocks) if blocks else np.zeros((len(docs), 0))
    return matrix, evidence_batch(docs, resources, with_evidence)


def evidence_batch(
    docs: Sequence[Document], resources: Resources, wanted: Sequence[bool]
) -> list[list[Evidence]]:
    """The evidence of every family for the documents ``wanted``, each list in text order.

    Evidence costs more than the values on most texts and changes no score,
    so a scorer builds it only for the documents it shows or writes with
    evidence; a family's ``evidence`` reuses what its ``transform`` found in
    the same document (see :func:`~detector.features.base.kept_on`).

    >>> docs = [Document.of("Shares of Sony (6758.t) rose."), Document.of("Sony (6758.t) fell.")]
    >>> [[item.snippet for item in items] for items in evidence_batch(
    ...     docs, Resources.empty(), [False, True])]
    [[], ['6758.t']]
    """
    evidence: list[list[Evidence]] = [[] for _ in docs]
    chosen = [index for index, want in enumerate(wanted) if want]
    for family in FAMILIES:
        # a family may work out what the chosen documents' evidence needs at once
        prepare = getattr(family, "prepare_evidence", None)
        if prepare is not None and chosen:
            prepare([docs[index] for index in chosen], resources)
        for index in chosen:
            evidence[index].extend(family.evidence(docs[index], resources))
    for index in chosen:
        evidence[index].sort(key=lambda item: (item.start, item.end, item.family))
    return evidence


def extract_all(text: str | Document, resources: Resources) -> FeatureResult:
    """Run every family on a text (a batch of one); values merged, evidence in text order."""
    doc = Document.of(text)
    matrix, evidence = extract_batch([doc], resources, [True])
    return FeatureResult(dict(zip(feature_names(), matrix[0].tolist(), strict=True)), evidence[0])
