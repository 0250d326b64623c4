"""The result every feature family returns: named values plus evidence spans."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """One place in the text where an artifact was seen.

    Invariant: ``text[start:end] == snippet`` for the text it was found in.
    """

    family: str
    name: str
    start: int
    end: int
    snippet: str
    note: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class FeatureResult:
    """Named feature values (always every name of the family) and evidence."""

    values: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)


def evidence_at(text: str, family: str, name: str, start: int, end: int, note: str) -> Evidence:
    """Build an :class:`Evidence` whose snippet is cut from ``text`` itself.

    >>> evidence_at("ab cd", "casing", "x", 3, 5, "note").snippet
    'cd'
    """
    return Evidence(family, name, start, end, text[start:end], note)


def rate(count: float, total: float, per: float = 1.0) -> float:
    """``count / total * per``, and 0.0 when ``total`` is zero.

    >>> rate(3, 200, per=100)
    1.5
    >>> rate(1, 0)
    0.0
    """
    return float(count) / total * per if total else 0.0
