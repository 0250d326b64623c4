"""Artifact families, one module each, and the function that runs them all.

Each family module exposes ``FAMILY``, ``FEATURE_NAMES`` and a pure
``extract(text) -> FeatureResult``; the families that lean on corpus
statistics or learnt weights (``casing``, ``phrasing``, ``lexicon``,
``translationese``, ``substitution``, ``pronouns``) also take the model's
:class:`~detector.resources.Resources`.

>>> from detector.resources import Resources
>>> result = extract_all("Toray Industries (3402.t) said on monday.", Resources.empty())
>>> set(result.values) == set(feature_names())
True
"""

from __future__ import annotations

from types import ModuleType

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


def extract_all(text: str | Document, resources: Resources) -> FeatureResult:
    """Run every family on a text; values merged, evidence in text order."""
    doc = Document.of(text)
    values: dict[str, float] = {}
    evidence: list[Evidence] = []
    for family in FAMILIES:
        if family.FAMILY in _NEEDS_RESOURCES:
            result = family.extract(doc, resources)
        else:
            result = family.extract(doc)
        values.update(result.values)
        evidence.extend(result.evidence)
    evidence.sort(key=lambda item: (item.start, item.end, item.family))
    return FeatureResult(values, evidence)
